import { Queue, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeadlineTimer, TimedDeadline } from '../src/deadlines/deadline-timer';
import type { ConnectionWatch } from '../src/shared/outage-log';
import { currentRequestId } from '../src/shared/request-context';
import { jobIds, QUEUES, type JobName, type JobPayload } from './job-catalogue';
import { bullmqErrorListener, type RedisLogger } from './redis-connection';

/**
 * A job that failed (the database restarting, a connection lost mid-job) is retried with backoff: handlers are
 * idempotent, and waiting for the reconciler's minute would make alerts late. About 2 minutes of retries in all.
 */
const RETRY = { attempts: 9, backoff: { type: 'exponential', delay: 500 } } as const;

interface PlannedJob<K extends JobName = JobName> {
  name: K;
  data: JobPayload<K>;
  jobId: string;
  at: Date;
  queue: 'deadlines' | 'notifications';
}

/** Keeps deadline timers as delayed BullMQ jobs; the deadlines table stays the truth (and the outbox). */
export class BullmqTimer implements DeadlineTimer {
  readonly mode = 'bullmq' as const;
  readonly deadlines: Queue;
  readonly notifications: Queue;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly now: () => Date,
    errors?: { watch: ConnectionWatch; logger: RedisLogger },
    /** OpenTelemetry for BullMQ (src/telemetry): each add is a span and the job carries the trace context. */
    telemetry?: Telemetry,
  ) {
    this.deadlines = new Queue(QUEUES.deadlines, { connection, prefix, ...(telemetry ? { telemetry } : {}) });
    this.notifications = new Queue(QUEUES.notifications, { connection, prefix, ...(telemetry ? { telemetry } : {}) });
    // A Queue re-emits its connection's errors: without a listener each one is a raw stack trace outside the JSON log.
    for (const queue of [this.deadlines, this.notifications]) {
      queue.on('error', errors ? bullmqErrorListener({ kind: 'queue', queue: queue.name }, errors.watch, errors.logger) : () => undefined);
    }
  }

  async syncDeadlines(deadlines: TimedDeadline[]): Promise<void> {
    const add: PlannedJob[] = [];
    const remove: string[] = [];
    for (const d of deadlines) {
      if (d.status === 'open') add.push(this.nextTimer(d));
      else remove.push(jobIds.warn(d.id, d.warn_at), jobIds.breach(d.id, d.due_at));
    }
    await this.addAll(add);
    // A met or cancelled deadline's timers are dropped; were one to fire anyway, its handler finds nothing to do.
    await Promise.all(remove.map((id) => this.deadlines.remove(id).catch(() => 0)));
  }

  async scheduleEscalation(alertId: string, at: Date): Promise<void> {
    await this.addAll([{ name: 'alert-escalate', data: { alertId }, jobId: jobIds.escalate(alertId), at, queue: 'deadlines' }]);
  }

  async scheduleDelivery(deliveryId: string, at: Date, attempt: number): Promise<void> {
    await this.addAll([{ name: 'alert-deliver', data: { deliveryId }, jobId: jobIds.deliver(deliveryId, attempt), at, queue: 'notifications' }]);
  }

  async restoreMissing(pending: Parameters<DeadlineTimer['restoreMissing']>[0]): Promise<number> {
    const wanted: PlannedJob[] = [
      ...pending.deadlines.map((d) => this.nextTimer(d)),
      ...pending.escalations.flatMap((a): PlannedJob[] =>
        a.escalate_at ? [{ name: 'alert-escalate', data: { alertId: a.id }, jobId: jobIds.escalate(a.id), at: a.escalate_at, queue: 'deadlines' }] : [],
      ),
      ...pending.deliveries.map(
        (d): PlannedJob => ({ name: 'alert-deliver', data: { deliveryId: d.id }, jobId: jobIds.deliver(d.id, d.attempts + 1), at: d.next_attempt_at, queue: 'notifications' }),
      ),
    ];
    if (wanted.length === 0) return 0;
    const pipeline = this.connection.pipeline();
    for (const job of wanted) pipeline.exists(`${this.prefix}:${job.queue}:${job.jobId}`);
    const results = (await pipeline.exec()) ?? [];
    const missing = wanted.filter((_, i) => results[i]?.[1] === 0);
    await this.addAll(missing);
    return missing.length;
  }

  async close(): Promise<void> {
    await Promise.all([this.deadlines.close(), this.notifications.close()]);
  }

  /**
   * One pending job per open deadline, for the next moment it must act: its warning while that is unhandled (and
   * before the end), else its breach. The warning's handler schedules the breach once the warning is handled
   * (DeadlineFiring.warn), and an adjustment replaces the job (a moved moment is a new jobId).
   */
  private nextTimer(d: TimedDeadline): PlannedJob {
    if (d.warned_at === null && d.warn_at < d.due_at) {
      return { name: 'deadline-warn', data: { deadlineId: d.id }, jobId: jobIds.warn(d.id, d.warn_at), at: d.warn_at, queue: 'deadlines' };
    }
    return { name: 'deadline-breach', data: { deadlineId: d.id }, jobId: jobIds.breach(d.id, d.due_at), at: d.due_at, queue: 'deadlines' };
  }

  private async addAll(jobs: PlannedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    for (const queue of ['deadlines', 'notifications'] as const) {
      const target = queue === 'deadlines' ? this.deadlines : this.notifications;
      const mine = jobs.filter((j) => j.queue === queue);
      for (let i = 0; i < mine.length; i += 1000) {
        // BullMQ counts a delay from when the job is added: take "now" per chunk, or later chunks fire late.
        const now = this.now().getTime();
        const requestId = currentRequestId();
        const chunk = mine.slice(i, i + 1000).map((j) => ({ name: j.name, data: requestId ? { ...j.data, requestId } : j.data, opts: { jobId: j.jobId, delay: Math.max(0, j.at.getTime() - now), ...RETRY } }));
        if (chunk.length === 1) await target.add(chunk[0]!.name, chunk[0]!.data, chunk[0]!.opts);
        else await target.addBulk(chunk);
      }
    }
  }
}
