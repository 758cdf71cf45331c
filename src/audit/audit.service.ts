import { encodeSeqCursor } from '../shared/cursor';
import type { Database } from '../../db/database';
import type { Principal } from '../auth/principal';
import { auditActor } from './audit-actor';
import { chainBreak, sealBreak, unsealedBreak } from './audit-chain';
import type { AuditTrail } from './audit-trail';
import { auditRepository, type AuditRowWithSeal } from './audit.repository';
import { authorize } from '../auth/permissions';

/** A row with its place in the chain: the old chain's own link, the sealer's link, or none yet (`sealed: false`). */
export function toAuditView(r: AuditRowWithSeal) {
  const legacy = r.hash !== null;
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actor: { id: r.actor_id, role: r.actor_role, teams: r.actor_teams },
    action: r.action,
    caseId: r.case_id,
    caseTeam: r.case_team,
    personId: r.person_id,
    detail: r.detail,
    breakGlass: r.break_glass,
    reason: r.reason,
    sealed: legacy || r.seal_hash !== null,
    chainSeq: legacy ? r.seq : r.chain_seq,
    rowHash: r.row_hash,
    prevHash: legacy ? r.prev_hash : r.seal_prev_hash,
    hash: legacy ? r.hash : r.seal_hash,
  };
}

export interface AuditQuery {
  caseId?: string;
  actorId?: string;
  breakGlass?: boolean;
  limit: number;
  afterSeq?: number;
}

/** The trail for a beheerder; reading it is itself recorded. */
export class AuditService {
  constructor(private readonly o: { db: Database; trail: AuditTrail }) {}

  recordRefusal(p: Principal, r: Refusal) {
    return recordRefusal(this.o.trail, p, r);
  }

  async list(p: Principal, q: AuditQuery) {
    authorize(p, 'audit.read');
    const rows = await auditRepository.list(this.o.db, { ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    await this.o.trail.record({ actor: auditActor(p), action: 'audit.read', caseId: q.caseId ?? null, detail: q.actorId ? `actor=${q.actorId}` : null });
    return { items: page.map(toAuditView), nextCursor: rows.length > q.limit && last ? encodeSeqCursor('audit', last.seq) : null };
  }
}

/** A refused request as the trail records it: the route pattern (never the raw URL) and the reason code. */
export interface Refusal {
  method: string;
  route: string;
  code: string;
  caseId: string | null;
  subjectId: string | null;
}

/** Records a refused access, so probing (another team's cases, ids that do not exist) can be attributed. */
export function recordRefusal(trail: AuditTrail, p: Principal, r: Refusal) {
  const detail = `${r.method} ${r.route} ${r.code}${r.subjectId && r.subjectId !== r.caseId ? ` id=${r.subjectId}` : ''}`;
  return trail.record({ actor: auditActor(p), action: 'access.refused', caseId: r.caseId, detail: detail.slice(0, 300) });
}

/** The rows not yet sealed: how many, and since when the oldest waits (the database's clock). */
export interface UnsealedTail {
  rows: number;
  oldestQueuedAt: Date | null;
}

export type ChainVerdict =
  | { ok: true; rows: number; head: { seq: number; hash: string } | null; unsealed: UnsealedTail }
  | { ok: false; rows: number; broken: { seq: number; reason: string } };

/**
 * Walks the whole trail in keyset batches (constant memory, any number of rows): the rows chained before the sealer
 * (by seq), then the sealer's links (by chain position) with the rows they seal, recomputing every hash, and last the
 * unsealed tail, each row checked against its own hash and the sealer's queue. Stops at the first broken row and
 * names it by its seq. `rows` counts the intact chain; `head` is its last link (position and hash): links cut off at
 * the end leave an intact shorter chain, so compare the head with one recorded earlier (README).
 */
export async function verifyAuditChain(db: Database, opts: { batchSize?: number; onBatch?: (checked: number) => void } = {}): Promise<ChainVerdict> {
  const size = opts.batchSize ?? 5_000;
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    const batch = await auditRepository.legacyBatchAfter(db, previous?.seq ?? 0, size);
    for (const row of batch) {
      const reason = chainBreak({ ...row, prev_hash: row.prev_hash ?? '', hash: row.hash ?? '' }, previous);
      if (reason) return { ok: false, rows: checked, broken: { seq: row.seq, reason } };
      previous = { seq: row.seq, hash: row.hash! };
      checked++;
    }
    opts.onBatch?.(checked);
    if (batch.length < size) break;
  }
  for (;;) {
    const batch = await auditRepository.sealBatchAfter(db, previous?.seq ?? 0, size);
    for (const link of batch) {
      const reason = sealBreak(link, previous);
      if (reason) return { ok: false, rows: checked, broken: { seq: link.audit_seq, reason: `${reason} (chain position ${link.chain_seq})` } };
      previous = { seq: link.chain_seq, hash: link.hash };
      checked++;
    }
    opts.onBatch?.(checked);
    if (batch.length < size) break;
  }
  const unsealed: UnsealedTail = { rows: 0, oldestQueuedAt: null };
  let afterSeq = 0;
  for (;;) {
    const batch = await auditRepository.unsealedBatchAfter(db, afterSeq, size);
    for (const row of batch) {
      const reason = unsealedBreak(row, row.queued_at !== null);
      if (reason) return { ok: false, rows: checked, broken: { seq: row.seq, reason } };
      unsealed.rows++;
      if (row.queued_at && (!unsealed.oldestQueuedAt || row.queued_at < unsealed.oldestQueuedAt)) unsealed.oldestQueuedAt = row.queued_at;
      afterSeq = row.seq;
    }
    if (batch.length < size) break;
  }
  return { ok: true, rows: checked, head: previous, unsealed };
}
