import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { AlertLevel, AlertRow, DB } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { authorize, canReadTeam, scopeOf } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import { caseRepository } from '../cases/case.repository';
import { CaseLedger } from '../cases/case-ledger';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { alertMessage } from './alert-message';
import type { DeadlineTimer } from './deadline-timer';
import { deadlineRepository as repo } from './deadline.repository';
import { planRepository } from '../quality/plan.repository';
import { checkWebhookTarget, WebhookTargetError, type WebhookPolicy } from './webhook-target';

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

export class AlertService {
  constructor(
    private readonly o: { db: Database; clock: Clock; calendar: AwtCalendar; timer: DeadlineTimer; publicBaseUrl: string; warningWerkdagen: number; audit: AuditTrail; webhookPolicy: WebhookPolicy; newId?: () => string },
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
      if (acked.case_id) await this.recordOnCase(trx, p, acked.case_id, now, 'ALERT_ACKNOWLEDGED', alertId, payload);
      else await this.recordOnPlanItem(trx, p, acked.plan_item_id!, now, alertId, payload);
      return acked;
    });
    return toAlertView(alert, this.o.publicBaseUrl);
  }

  /**
   * Records an opschorting (pause) or verlenging (extension) of an open deadline: the end moves by whole werkdagen;
   * `originalDueAt` keeps the statutory term for the reports.
   */
  async adjustDeadline(p: Principal, deadlineId: string, input: { kind: 'opschorting' | 'verlenging'; werkdagen: number; reason: string }) {
    authorize(p, 'deadline.adjust');
    const cal = this.o.calendar;
    const moved = await this.o.db.transaction().execute(async (trx) => {
      const locked = await repo.lockDeadlineRow(trx, deadlineId);
      if (!locked) throw new AppError('DEADLINE.NOT_FOUND', `deadline ${deadlineId} does not exist`);
      const { deadline: d, case: c } = locked;
      if (!canReadTeam(p, c.team_id)) throw new AppError('DEADLINE.NOT_FOUND', `deadline ${deadlineId} does not exist or is not your team's`);
      if (d.status !== 'open') throw new AppError('DEADLINE.NOT_OPEN', `deadline ${deadlineId} is ${d.status}; only an open deadline can be adjusted`);
      const now = this.o.clock.now();
      const dueAt = cal.endOfLocalDay(cal.addWerkdagen(cal.localDate(d.due_at), input.werkdagen));
      const row = await repo.moveDeadline(trx, d.id, dueAt, cal.warningMoment(dueAt, this.o.warningWerkdagen));
      await repo.insertAdjustment(trx, { id: (this.o.newId ?? randomUUID)(), deadline_id: d.id, kind: input.kind, werkdagen: input.werkdagen, reason: input.reason, by: p.sub, at: now, due_before: d.due_at, due_after: dueAt });
      await this.recordOnCase(trx, p, c.id, now, 'DEADLINE_ADJUSTED', d.id, { deadlineId: d.id, kind: input.kind, werkdagen: input.werkdagen, reason: input.reason, dueBefore: d.due_at.toISOString(), dueAfter: dueAt.toISOString() });
      return { before: d, after: row };
    });
    // Drop the timers of the old end, set those of the new one.
    // After the commit, timers follow; if Redis fails now the change stands and the reconciler restores the timers.
    await this.o.timer.syncDeadlines([{ ...moved.before, status: 'met' }]).catch(() => undefined);
    await this.o.timer.syncDeadlines([moved.after]).catch(() => undefined);
    return moved.after;
  }

  async setChannels(p: Principal, teamId: string, input: { webhookUrl?: string | null; webhookSecret?: string | null; email?: string | null }) {
    authorize(p, 'alert-channels.set', { team: teamId });
    if (input.webhookUrl) {
      await checkWebhookTarget(input.webhookUrl, this.o.webhookPolicy).catch((e: unknown) => {
        throw e instanceof WebhookTargetError ? validationError([{ field: 'webhookUrl', rule: e.message }]) : e;
      });
    }
    const now = this.o.clock.now();
    await this.o.db.transaction().execute(async (trx) => {
      await caseRepository.ensureTeam(trx, teamId);
      await repo.upsertChannels(trx, { team_id: teamId, webhook_url: input.webhookUrl ?? null, webhook_secret: input.webhookSecret ?? null, email: input.email ?? null, updated_at: now, updated_by: p.sub });
      // Where alerts go is recorded (the host, not the secret or the address's path), so a redirected channel can be traced.
      const webhook = input.webhookUrl ? new URL(input.webhookUrl).host : 'none';
      await this.o.audit.recordIn(trx, { actor: auditActor(p), action: 'alert-channels.change', caseTeam: teamId, detail: `webhook=${webhook} email=${input.email ? 'set' : 'none'}` });
    });
    return { teamId, webhookUrl: input.webhookUrl ?? null, webhookSecretSet: Boolean(input.webhookSecret), email: input.email ?? null };
  }

  async deadLetters(p: Principal, limit: number) {
    authorize(p, 'dead-letters.read');
    const rows = await repo.deadDeliveries(this.o.db, limit);
    return rows.map((d) => ({ id: d.id, alertId: d.alert_id, channel: d.channel, target: d.target, attempts: d.attempts, lastError: d.last_error, updatedAt: d.updated_at.toISOString() }));
  }

  /** An acknowledged alert of the improvement plan, in the item's history (the item is locked by lockAlert). */
  private async recordOnPlanItem(trx: Transaction<DB>, p: Principal, itemId: string, at: Date, alertId: string, payload: Record<string, unknown>): Promise<void> {
    await planRepository.appendAcknowledgement(trx, { id: (this.o.newId ?? randomUUID)(), itemId, actorId: p.sub, actorRole: p.role, at, payload });
    await this.o.audit.recordIn(trx, { actor: auditActor(p), action: 'alert.ack', detail: alertId });
  }

  /** The change in the case history and the audit trail, last in the transaction (lock order: case, deadline, alert, audit). */
  private async recordOnCase(trx: Transaction<DB>, p: Principal, caseId: string, at: Date, type: 'ALERT_ACKNOWLEDGED' | 'DEADLINE_ADJUSTED', subjectId: string, payload: Record<string, unknown>): Promise<void> {
    const ledger = new CaseLedger({ audit: this.o.audit, newId: this.o.newId });
    const c = await ledger.lockLive(trx, caseId);
    await ledger.record(trx, c, {
      at,
      event: { type, actor: { id: p.sub, role: p.role }, fromState: c.state, toState: c.state, payload },
      audit: { actor: auditActor(p), action: type === 'ALERT_ACKNOWLEDGED' ? 'alert.ack' : 'deadline.adjust', caseId, caseTeam: c.team_id, detail: subjectId },
    });
  }
}
