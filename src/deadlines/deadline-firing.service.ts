import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { AlertRow, DeliveryChannel } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { addWorkingMinutes, type OfficeHours } from '../../workflows/deadlines/working-hours';
import type { Clock } from '../shared/clock';
import type { AlertNotifier } from './alert-notifier';
import { nextMoment, type DeadlineTimer } from './deadline-timer';
import { deadlineRepository as repo, type FireResult } from './deadline.repository';
import type { Executor } from '../../db/executor';

export interface FiringOptions {
  db: Database;
  clock: Clock;
  calendar: AwtCalendar;
  timer: DeadlineTimer;
  notifier: AlertNotifier;
  officeHours: OfficeHours;
  escalationWorkingMinutes: number;
  escalationEmail: string | undefined;
  newId?: () => string;
  /** Hears warnings skipped because the term had already ended when they came (a timer lost or late). */
  log?: { warn(obj: object, msg: string): void };
}

export type FireOutcome = 'alerted' | 'skipped';

/** What fireDue did: each deadline it marked (with the moment that was due), those held elsewhere, and every one's next moment. */
export interface DueFiring {
  fired: Array<{ deadlineId: string; level: 'warning' | 'breach'; moment: Date; outcome: FireOutcome }>;
  busy: string[];
  next: Map<string, Date | null>;
  /** The raised alerts' escalation and delivery jobs being added (never rejects: a failure is the reconciler's). */
  followUps: Promise<void>;
}

export interface ReconcileReport {
  warnings: number;
  breaches: number;
  escalations: number;
  deliveries: number;
  timersRestored: number;
}

const BATCH = 500;

/**
 * Turns due deadlines into alerts. Each step re-reads its row under lock and acts only if there is still something
 * to do, and alerts are unique per (deadline, level): a late, repeated or concurrent job never alerts twice and a
 * case that moved on gets no false alarm.
 */
/** How early a warning or breach timer may run and still be handled by waiting, rather than left to the reconciler. */
const EARLY_TIMER_TOLERANCE_MS = 2_000;

export class DeadlineFiring {
  private readonly newId: () => string;

  constructor(private readonly o: FiringOptions) {
    this.newId = o.newId ?? randomUUID;
  }

  /** One deadline's warning, on its own: fireAll of that one (the drainer's path is fireDue). */
  async warn(deadlineId: string): Promise<FireOutcome> {
    return (await this.fireAll([deadlineId], 'warning')).get(deadlineId)!;
  }

  /** Met, cancelled, already breached, or moved later by an extension: then there is nothing to do. */
  async breach(deadlineId: string): Promise<FireOutcome> {
    return (await this.fireAll([deadlineId], 'breach')).get(deadlineId)!;
  }

  /**
   * Fires one level of many deadlines (set-based): one transaction locks what it can without waiting (subjects, then
   * deadlines, as everywhere) and one statement marks them, raises their alerts and queues their deliveries. A
   * deadline whose case or row another transaction holds is fired on its own afterwards, waiting for that lock; one
   * whose timer ran a little early waits out the difference, as \`fire\` does.
   */
  async fireAll(deadlineIds: string[], level: 'warning' | 'breach'): Promise<Map<string, FireOutcome>> {
    const outcomes = new Map<string, FireOutcome>();
    if (deadlineIds.length === 0) return outcomes;
    const ids = [...new Set(deadlineIds)];
    const fired = await this.fireLockable(ids, level);
    // Their escalation and delivery timers together (one Redis connection pipelines them), not one after another.
    const settled = await Promise.all(ids.map(async (id) => [id, await this.finish(id, level, fired)] as const));
    for (const [id, outcome] of settled) outcomes.set(id, outcome);
    // The timer index needs nothing here: a handled warning's entry is still due, and the drainer that next reads it
    // moves it to the breach (fireDue's `next`).
    return outcomes;
  }

  /**
   * What the timer drainer runs on the deadlines whose timers are due (workers/timer-drainer.ts): reads their rows,
   * fires the breaches and the warnings that are due, each level set-based in one transaction (fireLockable, the
   * two in parallel: disjoint deadlines, compatible subject locks), and reads the rows again for each deadline's next
   * moment (null: nothing left to fire). The alerts' escalations and deliveries are added in bulk (`followUps`). A
   * deadline whose row or subject another transaction holds is `busy`: it is not waited for, its timer stays and the
   * next poll takes it again. Errors (the database down) are thrown whole.
   */
  async fireDue(deadlineIds: string[]): Promise<DueFiring> {
    const ids = [...new Set(deadlineIds)];
    const fired: DueFiring['fired'] = [];
    const busy: string[] = [];
    if (ids.length === 0) return { fired, busy, next: new Map(), followUps: Promise.resolve() };
    const readAt = this.o.clock.now();
    const due: Record<'warning' | 'breach', Map<string, Date>> = { warning: new Map(), breach: new Map() };
    for (const d of await repo.timedDeadlines(this.o.db, ids)) {
      if (d.status !== 'open') continue;
      // A breach also closes a warning never handled (fireMany), so a deadline past its end is fired as a breach only.
      if (d.due_at <= readAt) due.breach.set(d.id, d.due_at);
      else if (d.warned_at === null && d.warn_at <= readAt) due.warning.set(d.id, d.warn_at);
    }
    const raised: Array<{ alert: AlertRow; deliveryIds: string[] }> = [];
    await Promise.all(
      (['breach', 'warning'] as const).map(async (level) => {
        const mine = [...due[level].keys()];
        if (mine.length === 0) return;
        const { results, locked } = await this.fireLockable(mine, level);
        for (const id of mine) if (!locked.has(id)) busy.push(id);
        for (const [id, result] of results) {
          const alert = this.settleLogged(id, result);
          if (alert) raised.push(alert);
          fired.push({ deadlineId: id, level, moment: due[level].get(id)!, outcome: alert ? 'alerted' : 'skipped' });
        }
      }),
    );
    // After the commit: the alerts' escalations and deliveries in bulk, left running for the caller to await (the
    // drainer overlaps them with its next batch). If Redis fails here the alerts stand; the reconciler restores them.
    const now = this.o.clock.now();
    const followUps = this.o.timer
      .scheduleAlertJobs({
        escalations: raised.flatMap((r) => (r.alert.escalate_at ? [{ alertId: r.alert.id, at: r.alert.escalate_at }] : [])),
        deliveries: raised.flatMap((r) => r.deliveryIds.map((deliveryId) => ({ deliveryId, at: now }))),
      })
      .catch(() => undefined);
    const next = new Map<string, Date | null>(ids.map((id) => [id, null]));
    for (const d of await repo.timedDeadlines(this.o.db, ids)) next.set(d.id, nextMoment(d));
    return { fired, busy, next, followUps };
  }

  /** The set-based step: what could be locked without waiting, fired in one statement. */
  private async fireLockable(ids: string[], level: 'warning' | 'breach'): Promise<{ results: Map<string, Exclude<FireResult, undefined>>; locked: Set<string> }> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = this.o.clock.now();
      const escalateAt = level === 'breach' ? addWorkingMinutes(this.o.calendar, now, this.o.escalationWorkingMinutes, this.o.officeHours) : null;
      const lockedRows = await repo.lockForFiring(trx, ids);
      const fired = await repo.fireMany(trx, { locked: lockedRows, level, now, escalateAt });
      return { results: new Map(fired.map((f) => [f.deadlineId, f.result])), locked: new Set(lockedRows.map((l) => l.id)) };
    });
  }

  /** After the set-based step, per deadline: settle what it fired, or fire it on its own (held elsewhere, or just early). */
  private async finish(id: string, level: 'warning' | 'breach', fired: { results: Map<string, Exclude<FireResult, undefined>>; locked: Set<string> }): Promise<FireOutcome> {
    const result = fired.results.get(id);
    if (result) return this.settle(id, result);
    if (!fired.locked.has(id)) return this.fire(id, level);
    const early = await repo.unhandledMomentAhead(this.o.db, id, level, this.o.clock.now());
    return early !== null && early <= EARLY_TIMER_TOLERANCE_MS ? this.fire(id, level) : 'skipped';
  }

  /** Second level: a breach alert nobody acknowledged within the escalation time goes to the manager. */
  async escalate(breachAlertId: string): Promise<FireOutcome> {
    const alert = await this.o.db.transaction().execute(async (trx) => {
      // Lock order everywhere: case (or plan item), deadline, alert.
      const breach = await repo.lockBreachForEscalation(trx, breachAlertId);
      const now = this.o.clock.now();
      if (!breach || breach.level !== 'breach' || breach.acknowledged_at !== null || !breach.escalate_at || breach.escalate_at > now) return undefined;
      // A deadline met or cancelled since its breach (the case moved on) gets no escalation.
      if (!breach.deadline_still_breached) return undefined;
      return this.raiseEscalation(trx, { deadlineId: breach.deadline_id, caseId: breach.case_id, planItemId: breach.plan_item_id, teamId: breach.team_id, kind: breach.deadline_kind, dueAt: breach.due_at }, now);
    });
    return this.afterRaise(alert);
  }

  /**
   * The safety net, every minute and at boot: handles everything past due that no timer handled, delivers due
   * notifications in embedded mode, and re-creates missing timers (after a Redis flush) in BullMQ mode.
   */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { warnings: 0, breaches: 0, escalations: 0, deliveries: 0, timersRestored: 0 };
    const drain = async (find: (db: Executor, now: Date, limit: number) => Promise<string[]>, act?: (id: string) => Promise<unknown>, actAll?: (ids: string[]) => Promise<unknown>) => {
      let handled = 0;
      for (;;) {
        const ids = await find(this.o.db, this.o.clock.now(), BATCH);
        if (actAll) await actAll(ids);
        else if (act) for (const id of ids) await act(id);
        handled += ids.length;
        if (ids.length < BATCH) return handled;
      }
    };
    // Due breaches and warnings in batches of BATCH, each fired set-based (fireAll).
    report.breaches = await drain((db, now, limit) => repo.dueBreaches(db, now, limit), undefined, (ids) => this.fireAll(ids, 'breach'));
    report.warnings = await drain((db, now, limit) => repo.dueWarnings(db, now, limit), undefined, (ids) => this.fireAll(ids, 'warning'));
    report.escalations = await drain((db, now, limit) => repo.dueEscalations(db, now, limit), (id) => this.escalate(id));
    // Embedded: the loop is the only timer. BullMQ: a job normally delivers; one overdue by a minute was lost
    // (a failed job keeps its key for days, so restoring timers by jobId alone would not bring it back).
    const grace = this.o.timer.mode === 'embedded' ? 0 : 60_000;
    report.deliveries = await drain(
      (db, now, limit) => repo.dueDeliveries(db, new Date(now.getTime() - grace), limit),
      (id) => this.o.notifier.deliver(id),
    );
    if (this.o.timer.mode === 'bullmq') report.timersRestored = await this.restoreTimers();
    return report;
  }

  private async restoreTimers(): Promise<number> {
    let restored = 0;
    let after: string | null = null;
    for (;;) {
      const page = await repo.openDeadlines(this.o.db, after, 5_000);
      if (page.length === 0) break;
      restored += await this.o.timer.restoreMissing({ deadlines: page.map((d) => ({ ...d, status: 'open' as const })), escalations: [], deliveries: [] });
      after = page[page.length - 1]!.id;
    }
    const [escalations, deliveries] = await Promise.all([repo.pendingEscalations(this.o.db), repo.pendingDeliveries(this.o.db)]);
    restored += await this.o.timer.restoreMissing({ deadlines: [], escalations, deliveries });
    return restored;
  }

  private async fire(deadlineId: string, level: 'warning' | 'breach', retriedEarly = false): Promise<FireOutcome> {
    const raised = await this.o.db.transaction().execute(async (trx) => {
      const teamId = await repo.lockSubjectOfDeadline(trx, deadlineId);
      if (!teamId) return undefined;
      const now = this.o.clock.now();
      const escalateAt = level === 'breach' ? addWorkingMinutes(this.o.calendar, now, this.o.escalationWorkingMinutes, this.o.officeHours) : null;
      return repo.fire(trx, { deadlineId, level, teamId, alertId: this.newId(), now, escalateAt });
    });
    if (raised === undefined && !retriedEarly) {
      // A timer may run a few milliseconds before its moment (delays are rounded; clocks of processes differ). Then
      // nothing matched yet, and the warning or breach would wait for the reconciler: wait out the difference, once.
      const early = await repo.unhandledMomentAhead(this.o.db, deadlineId, level, this.o.clock.now());
      if (early !== null && early <= EARLY_TIMER_TOLERANCE_MS) {
        await new Promise((resolve) => setTimeout(resolve, early + 5));
        return this.fire(deadlineId, level, true);
      }
    }
    return this.settle(deadlineId, raised);
  }

  /** After the commit: logs a warning that came too late or was closed by the breach, and schedules what follows. */
  private async settle(deadlineId: string, raised: FireResult): Promise<FireOutcome> {
    return this.afterRaise(this.settleLogged(deadlineId, raised));
  }

  /** Logs a warning that came too late or was closed by the breach; returns the alert raised, if any. */
  private settleLogged(deadlineId: string, raised: FireResult): { alert: AlertRow; deliveryIds: string[] } | undefined {
    if (raised && 'lateWarning' in raised) {
      this.logSkippedWarning(deadlineId, raised.lateWarning, 'the term had already ended when the warning was handled (its timer was lost or late, e.g. while Redis was down); the breach alert follows instead');
      return undefined;
    }
    if (raised?.skippedWarning) this.logSkippedWarning(deadlineId, raised.skippedWarning, 'the term ended before its warning was handled (its timer was lost or late, e.g. while Redis was down); the breach alert says it all');
    return raised;
  }

  private logSkippedWarning(deadlineId: string, w: { caseId: string; kind: string; dueAt: Date }, reason: string): void {
    this.o.log?.warn({ deadlineId, caseId: w.caseId, kind: w.kind, dueAt: w.dueAt.toISOString(), reason }, 'deadline warning skipped');
  }

  /** The manager's alert; escalations go to ESCALATION_EMAIL when set, else to the team's address. */
  private async raiseEscalation(
    trx: Executor,
    d: { deadlineId: string; caseId: string | null; planItemId: string | null; teamId: string; kind: string; dueAt: Date },
    now: Date,
  ): Promise<{ alert: AlertRow; deliveryIds: string[] } | undefined> {
    const alert = await repo.insertAlert(trx, {
      id: this.newId(),
      deadline_id: d.deadlineId,
      case_id: d.caseId,
      plan_item_id: d.planItemId,
      team_id: d.teamId,
      level: 'escalation',
      deadline_kind: d.kind,
      due_at: d.dueAt,
      created_at: now,
      escalate_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
    });
    if (!alert) return undefined;
    const channels = await repo.channels(trx, d.teamId);
    const targets: Array<{ channel: DeliveryChannel; target: string }> = [];
    if (channels?.webhook_url) targets.push({ channel: 'webhook', target: channels.webhook_url });
    const email = this.o.escalationEmail ?? channels?.email;
    if (email) targets.push({ channel: 'email', target: email });
    const deliveryIds = await repo.insertDeliveries(trx, targets.map((t) => ({ id: this.newId(), alert_id: alert.id, ...t, at: now })));
    return { alert, deliveryIds };
  }

  private async afterRaise(raised: { alert: AlertRow; deliveryIds: string[] } | undefined): Promise<FireOutcome> {
    if (!raised) return 'skipped';
    const now = this.o.clock.now();
    // After the commit: if Redis fails here the alert stands, and the reconciler restores these timers.
    if (raised.alert.escalate_at) await this.o.timer.scheduleEscalation(raised.alert.id, raised.alert.escalate_at).catch(() => undefined);
    for (const id of raised.deliveryIds) await this.o.timer.scheduleDelivery(id, now, 1).catch(() => undefined);
    return 'alerted';
  }
}
