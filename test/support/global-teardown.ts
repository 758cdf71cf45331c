import { Client } from 'pg';
import { TEMPLATE_DB, TEST_DATABASE_URL } from './test-env';

/** Drops this run's template; each test file drops its own database. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${TEMPLATE_DB}" with (force)`);
  } finally {
    await admin.end();
  }
}
