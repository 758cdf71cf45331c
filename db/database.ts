import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { Pool } from 'pg';
import { configurePgTypeParsers, createPglitePool } from './pglite-pool';
import { PreparingClient } from './prepared-statements';
import type { DB } from './schema';

export type Database = Kysely<DB>;

/** What the caller hears about its connections; the default hears nothing but still keeps the process alive. */
export interface ConnectionEvents {
  /** A connection failed (server restart, backend terminated, network): the pool drops it and opens another. */
  onError?(error: Error): void;
  /** A new connection was established: after an outage, the database is back. */
  onConnect?(): void;
}

export interface DatabaseTarget {
  /** postgres://… for a real server; undefined for the embedded PGlite default. */
  url: string | undefined;
  /** Where the embedded database keeps its files. */
  embeddedDir: string;
  poolSize?: number;
  events?: ConnectionEvents;
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
    const events = target.events ?? {};
    const pool = guardedPool(target.url, target.poolSize ?? 10, events);
    // A refused connection (server down or restarting) rejects the caller only; the pool emits nothing for it.
    // Each client sends the registered hot statements as named prepared statements (prepared-statements.ts).
    const reporting: PostgresPool = {
      connect: () =>
        pool.connect().then(
          (client) => new PreparingClient(client, (error) => events.onError?.(error)),
          (error: unknown) => {
            events.onError?.(error instanceof Error ? error : new Error(String(error)));
            throw error;
          },
        ),
      end: () => pool.end(),
    };
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: reporting }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const pool = await createPglitePool(target.embeddedDir);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'embedded', close: () => db.destroy() };
}

/**
 * A pg Pool whose every client has an 'error' listener for its whole life. pg-pool listens only while a client is
 * idle and Kysely adds none, so a connection lost while checked out (a terminated backend, a restart under load)
 * emitted an unhandled 'error' and killed the process. Now the query in flight rejects, that one request or job
 * fails, and the pool replaces the broken client.
 */
export function guardedPool(url: string, max: number, events: ConnectionEvents): Pool {
  const pool = new Pool({ connectionString: url, max });
  const onError = (error: Error) => events.onError?.(error);
  pool.on('error', onError);
  pool.on('connect', (client) => {
    client.on('error', onError);
    events.onConnect?.();
  });
  return pool;
}
