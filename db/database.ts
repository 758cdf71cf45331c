import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { configurePgTypeParsers, createPglitePool } from './pglite-pool';
import type { DB } from './schema';

export type Database = Kysely<DB>;

export interface DatabaseTarget {
  /** postgres://… for a real server; undefined for the embedded PGlite default. */
  url: string | undefined;
  /** Where the embedded database keeps its files. */
  embeddedDir: string;
  poolSize?: number;
}

export interface OpenDatabase {
  db: Database;
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

/** One code path for both: Kysely's PostgresDialect over a pg Pool, or over the single-connection PGlite pool. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  configurePgTypeParsers();
  if (target.url) {
    const pool = new Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle client's error (server restart) must not crash the process; the pool replaces the client.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const pool = await createPglitePool(target.embeddedDir);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'embedded', close: () => db.destroy() };
}
