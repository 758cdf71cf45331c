import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { checkRunLog } from './personal-data-check';
import { TEMPLATE_DB, TEST_DATABASE_URL } from './test-env';

/** Drops this run's template (each test file drops its own database), then checks the run's logs for personal data. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${TEMPLATE_DB}" with (force)`);
  } finally {
    await admin.end();
  }
  const file = process.env.VT_TEST_LOG_FILE;
  if (file) {
    const { lines } = checkRunLog(file, join(__dirname, '..'));
    process.stdout.write(`\nlog check: ${lines} log lines of this run hold no test person's name or BSN\n`);
    rmSync(file, { force: true });
  }
}
