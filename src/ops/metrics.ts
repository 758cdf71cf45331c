import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Database } from '../../db/database';
import type { Services } from '../services';
import type { Clock } from '../shared/clock';

export interface OpsMetricsDeps {
  db: Database;
  clock: Clock;
  /** The BullMQ queues (BullMQ mode); absent in embedded mode. */
  queues?: Queue[];
  /** The deadline timer index (BullMQ mode): its size and how late its earliest due member is. */
  timers?: { timerStats(now: Date): Promise<{ size: number; oldestDueLagMs: number }> };
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Firing lag (due moment → alert committed): a healthy worker fires within a second, the reconciler within its interval.
const LAG_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];

/**
 * The service's Prometheus metrics, one registry per process. Counters and histograms are what this process did
 * (the API: HTTP and transitions; a worker: firing, deliveries, reconciler); gauges are read at scrape time from
 * PostgreSQL (small partial sets: open deadlines, unacknowledged breaches, dead letters) and from BullMQ, so every
 * process reports the same values for them.
 */
export class OpsMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({ name: 'vt_http_request_duration_seconds', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'] as const, buckets: SECONDS, registers: [this.registry] });
  readonly transitions = new Counter({ name: 'vt_transitions_total', help: 'Committed case transitions by event type (REGISTER: a new melding)', labelNames: ['event'] as const, registers: [this.registry] });
  readonly firingLag = new Histogram({ name: 'vt_deadline_firing_lag_seconds', help: 'From the due moment (warn_at or due_at) to the committed alert, by level', labelNames: ['level'] as const, buckets: LAG_SECONDS, registers: [this.registry] });
  readonly reconcileRuns = new Counter({ name: 'vt_reconciler_runs_total', help: 'Reconciler runs', registers: [this.registry] });
  readonly reconcileRepairs = new Counter({ name: 'vt_reconciler_repairs_total', help: 'What the reconciler had to do itself because no timer did, by kind', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly deliveries = new Counter({ name: 'vt_notification_deliveries_total', help: 'Alert notification delivery attempts by outcome', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly auditAppend = new Histogram({ name: 'vt_audit_append_duration_seconds', help: 'Time to append to the audit chain (in the transaction, or a batch of reads)', labelNames: ['mode'] as const, buckets: SECONDS, registers: [this.registry] });

  constructor(private readonly deps: OpsMetricsDeps) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vt_' });
    const db = deps.db;
    new Gauge({
      name: 'vt_deadlines',
      help: 'Open deadlines by kind and state: open, warned (warning raised), overdue (past due, no breach yet: a missed timer)',
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const now = deps.clock.now();
        const rows = await db
          .selectFrom('deadlines')
          .where('status', '=', 'open')
          .select((eb) => [
            'kind',
            eb.fn.countAll<string>().as('open'),
            sql<string>`count(*) filter (where warned_at is not null)`.as('warned'),
            sql<string>`count(*) filter (where due_at < ${now})`.as('overdue'),
          ])
          .groupBy('kind')
          .execute();
        for (const r of rows) for (const state of ['open', 'warned', 'overdue'] as const) this.set({ kind: r.kind, state }, Number(r[state]));
      },
    });
    new Gauge({
      name: 'vt_breaches_unacknowledged',
      help: 'Breach alerts nobody has acknowledged, by deadline kind',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db.selectFrom('alerts').where('level', '=', 'breach').where('acknowledged_at', 'is', null).select((eb) => ['deadline_kind', eb.fn.countAll<string>().as('n')]).groupBy('deadline_kind').execute();
        for (const r of rows) this.set({ kind: r.deadline_kind }, Number(r.n));
      },
    });
    new Gauge({
      name: 'vt_notification_dead_letters',
      help: 'Alert notifications that exhausted their attempts (dead letters, GET /v1/admin/dead-letters)',
      registers: [this.registry],
      async collect() {
        const row = await db.selectFrom('alert_deliveries').where('status', '=', 'dead').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    const queues = deps.queues ?? [];
    new Gauge({
      name: 'vt_queue_jobs',
      help: 'BullMQ jobs per queue and state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of queues) {
          const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'failed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });
    // The timer index (BullMQ mode; 0 in embedded mode, which has none). A scrape collects every metric at once, so
    // the two gauges share one read of Redis: the read in flight.
    const timers = deps.timers;
    let inFlight: Promise<{ size: number; oldestDueLagMs: number }> | undefined;
    const read = async () => {
      if (!timers) return { size: 0, oldestDueLagMs: 0 };
      inFlight ??= timers.timerStats(deps.clock.now()).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    };
    new Gauge({
      name: 'vt_deadline_timers',
      help: 'Open deadlines with a timer in the Redis timer index (one each: its next warning or breach)',
      registers: [this.registry],
      async collect() {
        this.set((await read()).size);
      },
    });
    new Gauge({
      name: 'vt_deadline_timer_lag_seconds',
      help: 'How long ago the earliest timer in the index was due (0 when none is due): a drainer falling behind or stopped',
      registers: [this.registry],
      async collect() {
        this.set((await read()).oldestDueLagMs / 1000);
      },
    });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Counts what the services do, by wrapping the few methods that matter on these instances (the composition root
   * calls this once; the services themselves stay free of metrics code).
   */
  instrument(s: Pick<Services, 'engine' | 'firing' | 'notifier' | 'audit'>): void {
    const { transitions, firingLag, reconcileRuns, reconcileRepairs, deliveries, auditAppend } = this;
    const clock = this.deps.clock;
    const engine = s.engine;
    const register = engine.registerMelding.bind(engine);
    engine.registerMelding = async (...args) => {
      const view = await register(...args);
      transitions.inc({ event: 'REGISTER' });
      return view;
    };
    const apply = engine.applyCommand.bind(engine);
    engine.applyCommand = async (principal, caseId, command) => {
      const view = await apply(principal, caseId, command);
      transitions.inc({ event: command.type });
      return view;
    };
    const firing = s.firing;
    const fireDue = firing.fireDue.bind(firing);
    firing.fireDue = async (deadlineIds) => {
      const result = await fireDue(deadlineIds);
      const now = clock.now().getTime();
      for (const f of result.fired) if (f.outcome === 'alerted') firingLag.observe({ level: f.level }, Math.max(0, now - f.moment.getTime()) / 1000);
      return result;
    };
    const reconcile = firing.reconcile.bind(firing);
    firing.reconcile = async () => {
      const report = await reconcile();
      reconcileRuns.inc();
      const repairs: Record<string, number> = { ...report };
      for (const [kind, n] of Object.entries(repairs)) if (n > 0) reconcileRepairs.inc({ kind }, n);
      return report;
    };
    const notifier = s.notifier;
    const deliver = notifier.deliver.bind(notifier);
    notifier.deliver = async (deliveryId) => {
      const outcome = await deliver(deliveryId);
      deliveries.inc({ outcome });
      return outcome;
    };
    const audit = s.audit;
    const recordIn = audit.recordIn.bind(audit);
    audit.recordIn = async (trx, entry) => {
      const end = auditAppend.startTimer({ mode: 'transaction' });
      try {
        return await recordIn(trx, entry);
      } finally {
        end();
      }
    };
    const recordWith = audit.recordWith.bind(audit);
    audit.recordWith = async (entry, write) => {
      const end = auditAppend.startTimer({ mode: 'transaction' });
      try {
        return await recordWith(entry, write);
      } finally {
        end();
      }
    };
    const record = audit.record.bind(audit);
    audit.record = async (entry) => {
      const end = auditAppend.startTimer({ mode: 'batched' });
      try {
        return await record(entry);
      } finally {
        end();
      }
    };
  }
}
