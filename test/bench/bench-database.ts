import { Client } from 'pg';
import { openDatabase, type Database } from '../../db/database';
import { migrateToLatest } from '../../db/migrator';
import { assertTestDatabase, TEST_DATABASE_URL, withDatabase } from '../support/test-env';

export interface BenchDatabase {
  db: Database;
  url: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A freshly migrated database of the benchmark's own, apart from the test suite's template. */
export async function createBenchDatabase(name: string, poolSize: number): Promise<BenchDatabase> {
  assertTestDatabase(TEST_DATABASE_URL);
  await admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}"`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const { db, close } = await openDatabase({ url, embeddedDir: '', poolSize });
  await migrateToLatest(db);
  return {
    db,
    url,
    drop: async () => {
      await close();
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}
