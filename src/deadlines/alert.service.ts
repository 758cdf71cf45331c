import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AlertLevel, AlertRow, DB } from '../../db/schema';
import { authorize, canReadTeam, scopeOf } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { recordOnCase } from './case-record';
import { alertMessage } from './alert-message';
import { deadlineRepository as repo } from './deadline.repository';
import { planRepository } from '../quality/plan.repository';

export function toAlertView(a: AlertRow, publicBaseUrl: string) {
  return {
    ...alertMessage(a, publicBaseUrl),
    seq: Number(a.seq),
    escalateAt: a.escalate_at?.toISOString() ?? null,
    acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: a.acknowledged_by,
  };
}
export type AlertView = ReturnType<typeof toAlertView>;

/** Who sees an alert: staff of its team, and managers (who receive the escalations) of every team. */
export function canSeeAlert(p: Principal, a: Pick<AlertRow, 'team_id'>): boolean {
  return canReadTeam(p, a.team_id);
}

/** The alerts of a principal's teams, and their acknowledgement (channels, adjustments and dead letters have services of their own). */
export class AlertService {
  constructor(
    private readonly o: { db: Database; clock: Clock; publicBaseUrl: string; audit: AuditTrail; newId?: () => string },
  ) {}

  async list(p: Principal, q: { levels?: AlertLevel[]; status?: 'open' | 'acknowledged'; limit: number; beforeSeq?: number }): Promise<AlertView[]> {
    authorize(p, 'alert.receive');
    const rows = await repo.listAlerts(this.o.db, { teams: scopeOf(p, 'alert.receive') === 'any' ? 'all' : p.teams, ...q });
    return rows.map((a) => toAlertView(a, this.o.publicBaseUrl));
  }

  /** A teamleider (or manager) acknowledges an alert; the case history records it, and a breach stops escalating. */
  async acknowledge(p: Principal, alertId: string, note: string | undefined): Promise<AlertView> {
    authorize(p, 'alert.acknowledge');
    const alert = await this.o.db.transaction().execute(async (trx) => {
      const current = await repo.lockAlert(trx, alertId);
      if (!current || !canSeeAlert(p, current)) throw new AppError('ALERT.NOT_FOUND', `alert ${alertId} does not exist or is not yours`);
      if (current.acknowledged_at) throw new AppError('ALERT.ALREADY_ACKNOWLEDGED', `alert ${alertId} was acknowledged by ${current.acknowledged_by}`);
      const now = this.o.clock.now();
      const acked = (await repo.acknowledge(trx, alertId, p.sub, now))!;
      const payload = { alertId, level: acked.level, deadlineKind: acked.deadline_kind, ...(note ? { note } : {}) };
      if (acked.case_id) await recordOnCase(trx, this.o, p, { caseId: acked.case_id, at: now, type: 'ALERT_ACKNOWLEDGED', subjectId: alertId, payload });
      else await this.recordOnPlanItem(trx, p, acked.plan_item_id!, now, alertId, payload);
      return acked;
    });
    return toAlertView(alert, this.o.publicBaseUrl);
  }

  /** An acknowledged alert of the improvement plan, in the item's history (the item is locked by lockAlert). */
  private async recordOnPlanItem(trx: Transaction<DB>, p: Principal, itemId: string, at: Date, alertId: string, payload: Record<string, unknown>): Promise<void> {
    await planRepository.appendAcknowledgement(trx, { id: (this.o.newId ?? randomUUID)(), itemId, actorId: p.sub, actorRole: p.role, at, payload });
    await this.o.audit.recordIn(trx, { actor: auditActor(p), action: 'alert.ack', detail: alertId });
  }
}
