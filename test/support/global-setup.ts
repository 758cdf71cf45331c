import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrator';
import { assertTestDatabase, RUN_STAMP, STALE_AFTER_SECONDS, TEMPLATE_DB, TEST_DATABASE_URL, withDatabase } from './test-env';

/** Migrates a template database once; each test file then copies it (CREATE DATABASE … TEMPLATE) in milliseconds. */
export default async function globalSetup(): Promise<void> {
  assertTestDatabase(TEST_DATABASE_URL);
  // Every test app of this run appends its debug logs here; the global teardown greps them for personal data.
  process.env.VT_TEST_LOG_FILE ??= join(tmpdir(), `vt-test-logs-${RUN_STAMP}.ndjson`);
  writeFileSync(process.env.VT_TEST_LOG_FILE, '');
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'test\\_vt\\_%'");
    for (const { datname } of existing.rows) {
      const stamp = Number(/^test_vt_(\d+)_/.exec(datname)?.[1] ?? 0);
      if (stamp < Number(RUN_STAMP) - STALE_AFTER_SECONDS) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    // Several jest projects share this setup: the first one of a run makes the template, the others find it.
    const made = await admin.query('select 1 from pg_database where datname = $1', [TEMPLATE_DB]);
    if (made.rowCount) return;
    await admin.query(`create database "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const { db, close } = await openDatabase({ url: withDatabase(TEST_DATABASE_URL, TEMPLATE_DB), embeddedDir: '' });
  try {
    await migrateToLatest(db);
  } finally {
    await close();
  }
}
