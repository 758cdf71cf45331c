import { encodeSeqCursor } from '../shared/cursor';
import type { Database } from '../../db/database';
import type { AuditLogRow } from '../../db/schema';
import type { Principal } from '../auth/principal';
import { auditActor } from './audit-actor';
import { chainBreak } from './audit-chain';
import type { AuditTrail } from './audit-trail';
import { auditRepository } from './audit.repository';
import { authorize } from '../auth/permissions';

export function toAuditView(r: AuditLogRow) {
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
    prevHash: r.prev_hash,
    hash: r.hash,
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

export type ChainVerdict =
  | { ok: true; rows: number; head: { seq: number; hash: string } | null }
  | { ok: false; rows: number; broken: { seq: number; reason: string } };

/**
 * Walks the whole chain in seq order, in keyset batches (constant memory, any number of rows), recomputing every
 * hash. Stops at the first broken row. Rows cut off at the end leave an intact shorter chain: compare the head
 * it reports with one recorded earlier (README) to see that.
 */
export async function verifyAuditChain(db: Database, opts: { batchSize?: number; onBatch?: (checked: number) => void } = {}): Promise<ChainVerdict> {
  const size = opts.batchSize ?? 5_000;
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    const batch = await auditRepository.batchAfter(db, previous?.seq ?? 0, size);
    for (const row of batch) {
      const reason = chainBreak(row, previous);
      if (reason) return { ok: false, rows: checked, broken: { seq: row.seq, reason } };
      previous = { seq: row.seq, hash: row.hash };
      checked++;
    }
    opts.onBatch?.(checked);
    if (batch.length < size) return { ok: true, rows: checked, head: previous };
  }
}
