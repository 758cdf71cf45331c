/** One firing round each way: bare BullMQ delayed jobs and a bare Worker, and ours (deadline rows, the timer index, the drainer). */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config } from '../../src/config/config';
import { createServices, jobHandlers } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import { TIMER_BATCH } from '../../workers/timer-drainer';
import { startWorkers } from '../../workers/worker-runtime';
import type { BenchDatabase } from './bench-database';
import { dropPrefix } from './bench-redis';
import { insertDeadlines, timedDeadlines } from './deadline-fixtures';
import type { DeadlineBenchOptions } from './deadlines.bench';

type Log = (msg: string) => void;

const CHUNK = 1000; // BullmqTimer adds in chunks of 1000; the bare baseline uses the same chunk size.
const DAY = 24 * 3600 * 1000;
const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bare BullMQ firing: `n` delayed jobs due from `from`, `step` ms apart; a bare Worker records Date.now() − dueAt. */
export async function fireBare(redisUrl: string, admin: Redis, prefix: string, o: DeadlineBenchOptions, step: number, log: Log): Promise<{ lags: number[]; drainMs: number }> {
  const lags: number[] = [];
  const queue = new Queue('deadlines', { connection: admin, prefix });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  let last = 0;
  const worker = new Worker(
    'deadlines',
    async (job: Job<{ dueAt: number }>) => {
      last = Date.now();
      lags.push(last - job.data.dueAt);
      if (lags.length === o.fired) done();
    },
    { connection, prefix, concurrency: o.concurrency },
  );
  let giveUp: NodeJS.Timeout | undefined;
  try {
    await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
    const from = Date.now() + o.leadMs;
    for (let i = 0; i < o.fired; i += CHUNK) {
      const now = Date.now();
      const jobs = [];
      for (let k = i; k < Math.min(o.fired, i + CHUNK); k++) {
        const dueAt = Math.round(from + k * step);
        jobs.push({ name: 'deadline-breach', data: { dueAt }, opts: { delay: Math.max(0, dueAt - now) } });
      }
      await queue.addBulk(jobs);
    }
    if (Date.now() > from) log('WARNING: bare scheduling ran past the first dueAt');
    const timeout = new Promise<'timeout'>((resolve) => (giveUp = setTimeout(() => resolve('timeout'), o.leadMs + o.windowMs + o.drainTimeoutMs)));
    if ((await Promise.race([all, timeout])) === 'timeout') log(`WARNING: bare worker processed only ${lags.length} of ${o.fired}`);
    return { lags, drainMs: last - (from + o.windowMs) };
  } finally {
    clearTimeout(giveUp);
    await worker.close(true);
    await connection.quit().catch(() => undefined);
    await queue.close();
    await dropPrefix(admin, prefix);
  }
}

/** Ours: deadline rows, BullmqTimer.syncDeadlines, startWorkers with the real handlers and the timer drainer; lag = alert.created_at − due_at. */
export async function fireOurs(
  redisUrl: string,
  admin: Redis,
  prefix: string,
  tdb: BenchDatabase,
  cfg: Config,
  caseIds: string[],
  tag: string,
  o: DeadlineBenchOptions,
  step: number,
  schedulingMs: number,
  log: Log,
): Promise<{ lags: number[]; drainMs: number; failed: number; duplicates: number }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const timer = new BullmqTimer(redis, prefix, () => systemClock.now());
  const services = createServices(cfg, { db: tdb.db, clock: systemClock, timer });
  let failed = 0;
  const runtime = startWorkers({
    connection: redis,
    prefix,
    handlers: jobHandlers(services, tdb.db, systemClock),
    concurrency: o.concurrency,
    logger: { ...silentLogger, warn: () => void failed++, error: () => void failed++ },
    timers: { timer, fireDue: (ids) => services.firing.fireDue(ids), now: () => systemClock.now(), pollMs: cfg.TIMER_POLL_MS, batch: TIMER_BATCH },
  });
  try {
    await Promise.all([...runtime.workers.map((w) => w.waitUntilReady()), timer.deadlines.waitUntilReady(), timer.notifications.waitUntilReady()]);
    // Room for inserting the rows and scheduling them, so the first dueAt is still ≈ leadMs after that is done.
    const from = Date.now() + o.leadMs + Math.ceil(schedulingMs);
    await insertDeadlines(tdb.db, caseIds, tag, o.fired, new Date(from), step, DAY);
    const deadlines = await timedDeadlines(tdb.db, tag);
    await timer.syncDeadlines(deadlines);
    if (Date.now() > from) log(`WARNING: our scheduling ran past the first dueAt by ${Date.now() - from} ms`);
    const giveUpAt = from + o.windowMs + o.drainTimeoutMs;
    const countAlerts = async () =>
      Number(
        (
          await tdb.db
            .selectFrom('alerts')
            .innerJoin('deadlines', 'deadlines.id', 'alerts.deadline_id')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('alerts.level', '=', 'breach')
            .where('deadlines.key', 'like', `${tag}-%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    let alerts = 0;
    while ((alerts = await countAlerts()) < o.fired && Date.now() < giveUpAt) await sleep(200);
    if (alerts < o.fired) log(`WARNING: only ${alerts} of ${o.fired} alerts ${o.drainTimeoutMs} ms after the window`);
    const result = await sql<{ lag_ms: number; created_at: Date }>`
      select extract(epoch from (a.created_at - a.due_at)) * 1000 as lag_ms, a.created_at
      from alerts a join deadlines d on d.id = a.deadline_id
      where a.level = 'breach' and d.key like ${`${tag}-%`}`.execute(tdb.db);
    const lastAlert = Math.max(...result.rows.map((r) => r.created_at.getTime()));
    const dup = await sql<{ n: string }>`
      select count(*) - count(distinct (a.deadline_id, a.level)) as n from alerts a join deadlines d on d.id = a.deadline_id where d.key like ${`${tag}-%`}`.execute(tdb.db);
    return { lags: result.rows.map((r) => Number(r.lag_ms)), drainMs: lastAlert - (from + o.windowMs), failed, duplicates: Number(dup.rows[0]?.n ?? 0) };
  } finally {
    await runtime.close(5_000);
    await timer.close();
    await services.notifier.close();
    await redis.quit().catch(() => undefined);
    await dropPrefix(admin, prefix);
  }
}
