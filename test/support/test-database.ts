import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../db/database';
import { RUN_STAMP, TEMPLATE_DB, TEST_DATABASE_URL, withDatabase } from './test-env';

export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of this test file's own, copied from the template the global setup made. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const name = `test_vt_${RUN_STAMP}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database "${name}" template "${TEMPLATE_DB}"`);
        return;
      } catch (error) {
        // Two files copying the template at the same instant can collide; retry briefly.
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50 + attempt * 25));
      }
    }
  });
  const url = withDatabase(TEST_DATABASE_URL, name);
  const { db, close } = await openDatabase({ url, embeddedDir: '', poolSize });
  return {
    db,
    url,
    name,
    drop: async () => {
      await close();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
