import { sql, type Transaction } from 'kysely';
import type { AuditLogRow, DB } from '../../db/schema';
import type { Executor } from '../../db/executor';

/**
 * The advisory lock that serialises appends to the chain (two appends reading the same head would fork it).
 * Lock order: it is always taken last in a transaction, after any case, deadline or alert row lock, and held
 * only for one SELECT and one INSERT before the commit.
 */
const CHAIN_LOCK_KEY = 0x5654_4175_6469; // "VTAudi"

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  breakGlass?: boolean;
  afterSeq?: number;
  limit: number;
}

/** All SQL about the audit trail. It only ever inserts and reads. */
export const auditRepository = {
  /** Appends rows at the head of the chain; `build` turns the head (or null for the first row) into the new rows. */
  async append(trx: Transaction<DB>, build: (head: { seq: number; hash: string } | null) => AuditLogRow[]): Promise<AuditLogRow[]> {
    await sql`select pg_advisory_xact_lock(${sql.raw(String(CHAIN_LOCK_KEY))})`.execute(trx);
    const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const rows = build(head ?? null);
    if (rows.length > 0) await trx.insertInto('audit_log').values(rows).execute();
    return rows;
  },

  async list(db: Executor, f: AuditFilter): Promise<AuditLogRow[]> {
    let q = db.selectFrom('audit_log').selectAll();
    if (f.caseId) q = q.where('case_id', '=', f.caseId);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.breakGlass !== undefined) q = q.where('break_glass', '=', f.breakGlass);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    return q.orderBy('seq').limit(f.limit).execute();
  },

  /** One batch of the chain in order, for verification: keyset on seq, so it streams through any number of rows. */
  async batchAfter(db: Executor, afterSeq: number, size: number): Promise<AuditLogRow[]> {
    return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(size).execute();
  },

  async countForCase(db: Executor, caseId: string): Promise<number> {
    const row = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    return row.n;
  },
};
