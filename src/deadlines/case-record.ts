import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { CaseLedger } from '../cases/case-ledger';

/**
 * A record-keeping change to a case from the deadlines module (an acknowledged alert, an adjusted deadline): its
 * history row and audit row through the case ledger, last in the transaction (lock order: case, deadline, alert, audit).
 */
export async function recordOnCase(
  trx: Transaction<DB>,
  o: { audit: AuditTrail; newId?: () => string },
  p: Principal,
  change: { caseId: string; at: Date; type: 'ALERT_ACKNOWLEDGED' | 'DEADLINE_ADJUSTED'; subjectId: string; payload: Record<string, unknown> },
): Promise<void> {
  const ledger = new CaseLedger({ audit: o.audit, newId: o.newId });
  const c = await ledger.lockLive(trx, change.caseId);
  await ledger.record(trx, c, {
    at: change.at,
    event: { type: change.type, actor: { id: p.sub, role: p.role }, fromState: c.state, toState: c.state, payload: change.payload },
    audit: { actor: auditActor(p), action: change.type === 'ALERT_ACKNOWLEDGED' ? 'alert.ack' : 'deadline.adjust', caseId: change.caseId, caseTeam: c.team_id, detail: change.subjectId },
  });
}
