import { sql, type Transaction } from 'kysely';
import type { AuditLogRow, AuditSealRow, DB, NewAuditLogRow } from '../../db/schema';
import type { Executor } from '../../db/executor';
import type { SealedRow } from './audit-chain';

/**
 * The advisory lock that makes one sealer at a time (two sealers reading the same head would fork the chain). Only
 * the sealer takes it, with try-lock: the write path takes no lock of the trail at all.
 */
const SEAL_LOCK_KEY = 0x5654_5365_616c; // "VTSeal"

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  breakGlass?: boolean;
  afterSeq?: number;
  limit: number;
}

/** A row as the API shows it: with its seal link, or without one while it waits for the sealer. */
export type AuditRowWithSeal = AuditLogRow & { chain_seq: number | null; seal_prev_hash: string | null; seal_hash: string | null };

/** The columns an audit row is written with (`auditRowOf`) and verified by: its contents and their hash. */
export const AUDIT_ROW_COLUMNS = ['at', 'actor_id', 'actor_role', 'actor_teams', 'action', 'case_id', 'case_team', 'person_id', 'detail', 'break_glass', 'reason', 'row_hash'] as const satisfies ReadonlyArray<keyof NewAuditLogRow>;

/** All SQL about the audit trail. `audit_log` and `audit_seal` are only ever inserted into and read. */
export const auditRepository = {
  /**
   * Inserts rows unchained and queues them for the sealer, in one statement and without any lock. (The case ledger
   * writes a change's row with the same two CTEs in its own statement: src/cases/case-change-statement.ts.)
   */
  async insert(db: Executor, rows: NewAuditLogRow[]): Promise<AuditLogRow[]> {
    if (rows.length === 0) return [];
    return db
      .with('a', (q) => q.insertInto('audit_log').values(rows).returningAll())
      .with('p', (q) => q.insertInto('audit_pending').columns(['audit_seq']).expression(q.selectFrom('a').select('a.seq')))
      .selectFrom('a')
      .selectAll()
      .orderBy('seq')
      .execute();
  },

  /** Takes the one sealer lock for this transaction, or answers false when another sealer holds it. */
  async trySealLock(trx: Transaction<DB>): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${sql.raw(String(SEAL_LOCK_KEY))}) as ok`.execute(trx);
    return rows[0]?.ok === true;
  },

  /** The head of the chain: the last seal link, or the head of the rows chained before the sealer, or null. */
  async chainHead(trx: Transaction<DB>): Promise<{ seq: number; hash: string } | null> {
    const link = await trx.selectFrom('audit_seal').select(['chain_seq', 'hash']).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    if (link) return { seq: link.chain_seq, hash: link.hash };
    const legacy = await trx.selectFrom('audit_log').select(['seq', 'hash']).where('hash', 'is not', null).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return legacy?.hash ? { seq: legacy.seq, hash: legacy.hash } : null;
  },

  /** Removes up to `limit` rows from the queue (oldest seq first) and returns their seq and row hash, in seq order. */
  async takeQueued(trx: Transaction<DB>, limit: number): Promise<Array<{ seq: number; row_hash: string | null }>> {
    const { rows } = await sql<{ seq: number; row_hash: string | null }>`
      with taken as (
        delete from audit_pending where audit_seq in (select audit_seq from audit_pending order by audit_seq limit ${limit})
        returning audit_seq
      )
      select a.seq, a.row_hash from taken t join audit_log a on a.seq = t.audit_seq order by a.seq`.execute(trx);
    return rows;
  },

  async appendSeals(trx: Transaction<DB>, links: Array<Omit<AuditSealRow, 'sealed_at'>>): Promise<void> {
    if (links.length > 0) await trx.insertInto('audit_seal').values(links).execute();
  },

  async list(db: Executor, f: AuditFilter): Promise<AuditRowWithSeal[]> {
    let q = db
      .selectFrom('audit_log as a')
      .leftJoin('audit_seal as s', 's.audit_seq', 'a.seq')
      .selectAll('a')
      .select(['s.chain_seq', 's.prev_hash as seal_prev_hash', 's.hash as seal_hash']);
    if (f.caseId) q = q.where('a.case_id', '=', f.caseId);
    if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
    if (f.breakGlass !== undefined) q = q.where('a.break_glass', '=', f.breakGlass);
    if (f.afterSeq !== undefined) q = q.where('a.seq', '>', f.afterSeq);
    return q.orderBy('a.seq').limit(f.limit).execute();
  },

  /** One batch of the old chain (rows chained in `audit_log`) in order, for verification: keyset on seq. */
  async legacyBatchAfter(db: Executor, afterSeq: number, size: number) {
    return db
      .selectFrom('audit_log')
      .select(['seq', 'prev_hash', 'hash', ...AUDIT_ROW_COLUMNS])
      .where('hash', 'is not', null)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(size)
      .execute();
  },

  /** One batch of seal links in chain order with the rows they seal, for verification. */
  async sealBatchAfter(db: Executor, afterChainSeq: number, size: number): Promise<SealedRow[]> {
    const rows = await db
      .selectFrom('audit_seal as s')
      .leftJoin('audit_log as a', 'a.seq', 's.audit_seq')
      .select(['s.chain_seq', 's.audit_seq', 's.prev_hash', 's.hash', 'a.seq as row_seq', ...AUDIT_ROW_COLUMNS.map((c) => `a.${c}` as const)])
      .where('s.chain_seq', '>', afterChainSeq)
      .orderBy('s.chain_seq')
      .limit(size)
      .execute();
    return rows.map(({ chain_seq, audit_seq, prev_hash, hash, row_seq, ...row }) => ({
      chain_seq,
      audit_seq,
      prev_hash,
      hash,
      row: row_seq === null ? null : { ...row, at: row.at!, actor_id: row.actor_id!, actor_role: row.actor_role!, actor_teams: row.actor_teams!, action: row.action!, break_glass: row.break_glass! },
    }));
  },

  /** One batch of rows neither in the old chain nor sealed, with whether each is queued and since when. */
  async unsealedBatchAfter(db: Executor, afterSeq: number, size: number) {
    return db
      .selectFrom('audit_log as a')
      .leftJoin('audit_pending as p', 'p.audit_seq', 'a.seq')
      .select(['a.seq', 'p.queued_at', ...AUDIT_ROW_COLUMNS.map((c) => `a.${c}` as const)])
      .where('a.hash', 'is', null)
      .where('a.seq', '>', afterSeq)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_seal as s').select('s.chain_seq').whereRef('s.audit_seq', '=', 'a.seq'))))
      .orderBy('a.seq')
      .limit(size)
      .execute();
  },

  async countForCase(db: Executor, caseId: string): Promise<number> {
    const row = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    return row.n;
  },
};
