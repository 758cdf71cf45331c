import { Queue, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { nextMoment, type DeadlineTimer, type TimedDeadline } from '../src/deadlines/deadline-timer';
import type { ConnectionWatch } from '../src/shared/outage-log';
import { currentRequestId } from '../src/shared/request-context';
import { compactUuid, expandUuid, jobIds, QUEUES, type JobName, type JobPayload } from './job-catalogue';
import { bullmqErrorListener, type RedisLogger } from './redis-connection';

/**
 * A job that failed (the database restarting, a connection lost mid-job) is retried with backoff: handlers are
 * idempotent, and waiting for the reconciler's minute would make alerts late. About 2 minutes of retries in all.
 */
const RETRY = { attempts: 9, backoff: { type: 'exponential', delay: 500 } } as const;

/** Commands per pipelined round trip when writing or checking the timer index. */
const CHUNK = 1000;

/**
 * Moves each member read by `dueTimers` to its next moment (or removes it), but only if its score is still the one
 * read: an adjustment written meanwhile (syncDeadlines) is newer and stays. ARGV: member, score read, next ('' = remove).
 */
const ADVANCE = `
local n = 0
for i = 1, #ARGV, 3 do
  local member, read, nxt = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('ZSCORE', KEYS[1], member) == read then
    if nxt == '' then redis.call('ZREM', KEYS[1], member) elseif nxt ~= read then redis.call('ZADD', KEYS[1], nxt, member) end
    n = n + 1
  end
end
return n`;

interface PlannedJob<K extends JobName = JobName> {
  name: K;
  data: JobPayload<K>;
  jobId: string;
  at: Date;
  queue: 'deadlines' | 'notifications';
}

/** A member of the timer index due now: the deadline, and its score as Redis wrote it (for the conditional advance). */
export interface DueTimer {
  deadlineId: string;
  score: string;
}

/**
 * Deadline timers as one Redis sorted set, `${prefix}:timers`: member the deadline id (22 characters), score the
 * next moment it must act (epoch ms). The worker role drains what is due set-based (workers/timer-drainer.ts).
 * Escalations and deliveries stay delayed BullMQ jobs. The deadlines table stays the truth (and the outbox).
 */
export class BullmqTimer implements DeadlineTimer {
  readonly mode = 'bullmq' as const;
  readonly deadlines: Queue;
  readonly notifications: Queue;
  /** The timer index: the same prefix as the queues. */
  readonly timerKey: string;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly now: () => Date,
    errors?: { watch: ConnectionWatch; logger: RedisLogger },
    /** OpenTelemetry for BullMQ (src/telemetry): each add is a span and the job carries the trace context. */
    telemetry?: Telemetry,
  ) {
    this.timerKey = `${prefix}:timers`;
    this.deadlines = new Queue(QUEUES.deadlines, { connection, prefix, ...(telemetry ? { telemetry } : {}) });
    this.notifications = new Queue(QUEUES.notifications, { connection, prefix, ...(telemetry ? { telemetry } : {}) });
    // A Queue re-emits its connection's errors: without a listener each one is a raw stack trace outside the JSON log.
    for (const queue of [this.deadlines, this.notifications]) {
      queue.on('error', errors ? bullmqErrorListener({ kind: 'queue', queue: queue.name }, errors.watch, errors.logger) : () => undefined);
    }
  }

  /** Open deadlines get their next moment (ZADD overwrites an adjusted one); met or cancelled ones leave the index. */
  async syncDeadlines(deadlines: TimedDeadline[]): Promise<void> {
    if (deadlines.length === 0) return;
    const pipeline = this.connection.pipeline();
    for (let i = 0; i < deadlines.length; i += CHUNK) {
      const add: Array<string | number> = [];
      const remove: string[] = [];
      for (const d of deadlines.slice(i, i + CHUNK)) {
        const at = nextMoment(d);
        if (at) add.push(at.getTime(), compactUuid(d.id));
        else remove.push(compactUuid(d.id));
      }
      if (add.length > 0) pipeline.zadd(this.timerKey, ...add);
      if (remove.length > 0) pipeline.zrem(this.timerKey, ...remove);
    }
    await execOrThrow(pipeline);
  }

  async scheduleEscalation(alertId: string, at: Date): Promise<void> {
    await this.addAll([{ name: 'alert-escalate', data: { alertId }, jobId: jobIds.escalate(alertId), at, queue: 'deadlines' }]);
  }

  async scheduleDelivery(deliveryId: string, at: Date, attempt: number): Promise<void> {
    await this.addAll([{ name: 'alert-deliver', data: { deliveryId }, jobId: jobIds.deliver(deliveryId, attempt), at, queue: 'notifications' }]);
  }

  async scheduleAlertJobs(jobs: Parameters<DeadlineTimer['scheduleAlertJobs']>[0]): Promise<void> {
    await this.addAll([
      ...jobs.escalations.map((e): PlannedJob => ({ name: 'alert-escalate', data: { alertId: e.alertId }, jobId: jobIds.escalate(e.alertId), at: e.at, queue: 'deadlines' })),
      ...jobs.deliveries.map((d): PlannedJob => ({ name: 'alert-deliver', data: { deliveryId: d.deliveryId }, jobId: jobIds.deliver(d.deliveryId, 1), at: d.at, queue: 'notifications' })),
    ]);
  }

  /**
   * Deadlines: ZMSCORE in batches; a missing member is added, and one later than the row's next moment is lowered
   * (ZADD LT: never raised, so a newer adjustment is at worst drained early and put back by the drainer). Escalations
   * and deliveries: EXISTS on their job keys, missing jobs added.
   */
  async restoreMissing(pending: Parameters<DeadlineTimer['restoreMissing']>[0]): Promise<number> {
    let restored = 0;
    for (let i = 0; i < pending.deadlines.length; i += CHUNK * 5) {
      const batch = pending.deadlines.slice(i, i + CHUNK * 5).flatMap((d) => {
        const at = nextMoment(d);
        return at ? [{ member: compactUuid(d.id), at: at.getTime() }] : [];
      });
      if (batch.length === 0) continue;
      const scores = await this.connection.zmscore(this.timerKey, ...batch.map((b) => b.member));
      const fix: Array<string | number> = [];
      batch.forEach((b, k) => {
        const score = scores[k];
        if (score === null || score === undefined || Number(score) > b.at) fix.push(b.at, b.member);
      });
      if (fix.length > 0) await this.connection.zadd(this.timerKey, 'LT', ...fix);
      restored += fix.length / 2;
    }
    const wanted: PlannedJob[] = [
      ...pending.escalations.flatMap((a): PlannedJob[] =>
        a.escalate_at ? [{ name: 'alert-escalate', data: { alertId: a.id }, jobId: jobIds.escalate(a.id), at: a.escalate_at, queue: 'deadlines' }] : [],
      ),
      ...pending.deliveries.map(
        (d): PlannedJob => ({ name: 'alert-deliver', data: { deliveryId: d.id }, jobId: jobIds.deliver(d.id, d.attempts + 1), at: d.next_attempt_at, queue: 'notifications' }),
      ),
    ];
    if (wanted.length === 0) return restored;
    const pipeline = this.connection.pipeline();
    for (const job of wanted) pipeline.exists(`${this.prefix}:${job.queue}:${job.jobId}`);
    const results = (await pipeline.exec()) ?? [];
    const missing = wanted.filter((_, i) => results[i]?.[1] === 0);
    await this.addAll(missing);
    return restored + missing.length;
  }

  /** Up to `limit` members due at `now`, earliest first, with their scores as stored. */
  async dueTimers(now: Date, limit: number): Promise<DueTimer[]> {
    const flat = await this.connection.zrangebyscore(this.timerKey, '-inf', now.getTime(), 'WITHSCORES', 'LIMIT', '0', String(limit));
    const due: DueTimer[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) due.push({ deadlineId: expandUuid(flat[i]!), score: flat[i + 1]! });
    return due;
  }

  /**
   * After firing: each member read moves to its deadline's next moment, or leaves the index (null), only if its score
   * is unchanged since it was read. Returns how many were still as read.
   */
  async advanceTimers(moves: Array<{ timer: DueTimer; next: Date | null }>): Promise<number> {
    let advanced = 0;
    for (let i = 0; i < moves.length; i += CHUNK) {
      const args = moves.slice(i, i + CHUNK).flatMap((m) => [compactUuid(m.timer.deadlineId), m.timer.score, m.next ? String(m.next.getTime()) : '']);
      advanced += Number(await this.connection.eval(ADVANCE, 1, this.timerKey, ...args));
    }
    return advanced;
  }

  /** For the ops metrics: how many deadlines have a timer, and how long ago the earliest one was due (0 if none is). */
  async timerStats(now: Date): Promise<{ size: number; oldestDueLagMs: number }> {
    const [size, first] = await Promise.all([this.connection.zcard(this.timerKey), this.connection.zrangebyscore(this.timerKey, '-inf', '+inf', 'WITHSCORES', 'LIMIT', '0', '1')]);
    const oldest = first[1] === undefined ? null : Number(first[1]);
    return { size, oldestDueLagMs: oldest === null ? 0 : Math.max(0, now.getTime() - oldest) };
  }

  async close(): Promise<void> {
    await Promise.all([this.deadlines.close(), this.notifications.close()]);
  }

  private async addAll(jobs: PlannedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    for (const queue of ['deadlines', 'notifications'] as const) {
      const target = queue === 'deadlines' ? this.deadlines : this.notifications;
      const mine = jobs.filter((j) => j.queue === queue);
      for (let i = 0; i < mine.length; i += CHUNK) {
        // BullMQ counts a delay from when the job is added: take "now" per chunk, or later chunks fire late.
        const now = this.now().getTime();
        const requestId = currentRequestId();
        const chunk = mine.slice(i, i + CHUNK).map((j) => ({ name: j.name, data: requestId ? { ...j.data, requestId } : j.data, opts: { jobId: j.jobId, delay: Math.max(0, j.at.getTime() - now), ...RETRY } }));
        if (chunk.length === 1) await target.add(chunk[0]!.name, chunk[0]!.data, chunk[0]!.opts);
        else await target.addBulk(chunk);
      }
    }
  }
}

/** A pipeline's first error, thrown (ioredis resolves a pipeline even when one of its commands failed). */
async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}
