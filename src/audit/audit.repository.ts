import { sql, type Transaction } from 'kysely';
import type { Insertable } from 'kysely';
import type { AuditLogRow, AuditLogTable, DB } from '../../db/schema';
import type { Executor } from '../cases/case.repository';

/**
 * The advisory lock that lets one sealer at a time extend the chain (two sealers reading the same head would fork
 * it). Only the sealer takes it, in a transaction of its own: writers never wait for it.
 */
const SEAL_LOCK_KEY = 0x5654_5365_616c; // "VTSeal"

export type NewAuditRow = Omit<Insertable<AuditLogTable>, 'seq' | 'chain_seq' | 'prev_hash' | 'hash' | 'sealed_at'> & { row_hash: string };

export interface Seal {
  seq: number;
  chainSeq: number;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  breakGlass?: boolean;
  afterSeq?: number;
  limit: number;
}

/** All SQL about the audit trail. It inserts, reads, and seals (null → value, nothing else). */
export const auditRepository = {
  /** Inserts unchained rows: no lock, so writers never wait for one another. */
  async insertUnsealed(db: Executor, rows: NewAuditRow[]): Promise<AuditLogRow[]> {
    if (rows.length === 0) return [];
    return db.insertInto('audit_log').values(rows).returningAll().execute();
  },

  /** The sealer's lock for this transaction, or false when another sealer holds it. */
  async trySealLock(trx: Transaction<DB>): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${sql.raw(String(SEAL_LOCK_KEY))}) as ok`.execute(trx);
    return rows[0]!.ok;
  },

  async head(db: Executor): Promise<{ seq: number; hash: string } | null> {
    const row = await db.selectFrom('audit_log').select(['chain_seq', 'hash']).where('chain_seq', 'is not', null).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    return row && row.chain_seq !== null && row.hash !== null ? { seq: row.chain_seq, hash: row.hash } : null;
  },

  /** The oldest unsealed rows, in insertion order. */
  async unsealed(db: Executor, limit: number, afterSeq = 0): Promise<AuditLogRow[]> {
    return db.selectFrom('audit_log').selectAll().where('hash', 'is', null).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  },

  /** Writes the seals of one batch in one statement; the trigger lets only null → value on unsealed rows through. */
  async seal(trx: Transaction<DB>, seals: Seal[]): Promise<number> {
    if (seals.length === 0) return 0;
    const values = sql.join(seals.map((s) => sql`(${s.seq}::int8, ${s.chainSeq}::int8, ${s.prevHash}, ${s.hash})`));
    const result = await sql`
      update audit_log a set chain_seq = v.chain_seq, prev_hash = v.prev_hash, hash = v.hash, sealed_at = now()
      from (values ${values}) as v(seq, chain_seq, prev_hash, hash)
      where a.seq = v.seq and a.hash is null`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  },

  async unsealedTail(db: Executor): Promise<{ rows: number; oldestAt: Date | null }> {
    const row = await db.selectFrom('audit_log').select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(at)`.as('oldest')]).where('hash', 'is', null).executeTakeFirstOrThrow();
    return { rows: row.n, oldestAt: row.oldest };
  },

  async list(db: Executor, f: AuditFilter): Promise<AuditLogRow[]> {
    let q = db.selectFrom('audit_log').selectAll();
    if (f.caseId) q = q.where('case_id', '=', f.caseId);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.breakGlass !== undefined) q = q.where('break_glass', '=', f.breakGlass);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    return q.orderBy('seq').limit(f.limit).execute();
  },

  /** One batch of the sealed chain in order, for verification: keyset on chain_seq, so it streams through any number of rows. */
  async batchAfter(db: Executor, afterChainSeq: number, size: number): Promise<AuditLogRow[]> {
    return db.selectFrom('audit_log').selectAll().where('chain_seq', '>', afterChainSeq).orderBy('chain_seq').limit(size).execute();
  },

  async countForCase(db: Executor, caseId: string): Promise<number> {
    const row = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    return row.n;
  },
};
