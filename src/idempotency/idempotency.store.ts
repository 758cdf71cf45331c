import { sql } from 'kysely';
import type { Database } from '../../db/database';
import type { Clock } from '../shared/clock';

/** How long a key and its response are kept at least; the nightly purge removes older ones (so 24 to 48 hours). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

/**
 * Idempotency keys in PostgreSQL. The primary key (subject, key) is the lock: of concurrent requests with one key,
 * exactly one inserts the row (`on conflict do nothing`); the others read it, and wait while it has no response.
 * No transaction is held open across the request, so waiting retries do not hold pool connections.
 */
export class IdempotencyStore {
  constructor(private readonly o: { db: Database; clock: Clock }) {}

  async claim(subject: string, key: string, requestHash: string): Promise<Claim> {
    const inserted = await this.o.db
      .insertInto('idempotency_keys')
      .values({ subject, key, request_hash: requestHash, created_at: this.o.clock.now() })
      .onConflict((oc) => oc.columns(['subject', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };
    const row = await this.o.db.selectFrom('idempotency_keys').selectAll().where('subject', '=', subject).where('key', '=', key).executeTakeFirst();
    // Released (a 5xx) between the insert and this read: claim again.
    if (!row) return this.claim(subject, key, requestHash);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status_code === null) return { kind: 'in-progress' };
    return { kind: 'replay', response: { status: row.status_code, headers: row.response_headers ?? {}, body: row.response_body ?? '' } };
  }

  async complete(subject: string, key: string, response: StoredResponse): Promise<void> {
    await this.o.db
      .updateTable('idempotency_keys')
      .set({ status_code: response.status, response_headers: JSON.stringify(response.headers), response_body: response.body, completed_at: this.o.clock.now() })
      .where('subject', '=', subject)
      .where('key', '=', key)
      .execute();
  }

  /** After a 5xx nothing was done (the engine's writes roll back), so the key is freed for a retry. */
  async release(subject: string, key: string): Promise<void> {
    await this.o.db.deleteFrom('idempotency_keys').where('subject', '=', subject).where('key', '=', key).where('status_code', 'is', null).execute();
  }

  /** The nightly purge: keys older than the retention, answered or not. */
  async purge(): Promise<{ purged: number }> {
    const before = new Date(this.o.clock.now().getTime() - IDEMPOTENCY_RETENTION_MS);
    const result = await sql<{ n: string }>`with gone as (delete from idempotency_keys where created_at < ${before} returning 1) select count(*)::text as n from gone`.execute(this.o.db);
    return { purged: Number(result.rows[0]?.n ?? 0) };
  }
}
