import type { BullmqTimer } from './bullmq-timer';
import { NightlySchedule } from './embedded-runtime';
import { SCHEDULE_TZ, SCHEDULED_JOBS, type JobName, type ScheduledJobName } from './job-catalogue';

/**
 * What the worker role runs besides the BullMQ workers: the job schedulers kept alive in Redis (BullMQ mode), or
 * the in-process loop that is the only timer (embedded mode). Each returns a stop function.
 */

interface RoleLog {
  info(obj: object, msg: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object, msg: string): void;
}

/** How often each worker checks that the job schedulers still exist in Redis (a FLUSHALL drops them silently). */
const SCHEDULER_CHECK_MS = 2_000;

/**
 * BullMQ mode: upserts the reconciler's and the nightly jobs' schedulers (idempotent, so several worker processes
 * converge on one), reconciles once at boot, and then checks every few seconds on its own clock, and at once when a
 * connection comes back, restoring schedulers a Redis flush removed and reconciling what was missed meanwhile.
 */
export async function keepSchedulers(o: {
  timer: BullmqTimer;
  reconcile: () => Promise<object>;
  everyMs: number;
  log: RoleLog;
  onRecovered: (listener: () => void) => void;
}): Promise<() => void> {
  const { timer, log } = o;
  const ensureSchedulers = async () => {
    const names = ['deadlines-reconcile', ...Object.keys(SCHEDULED_JOBS)] as JobName[];
    if ((await Promise.all(names.map((n) => timer.deadlines.getJobScheduler(n)))).every(Boolean)) return false;
    await timer.deadlines.upsertJobScheduler('deadlines-reconcile', { every: o.everyMs }, { name: 'deadlines-reconcile', data: {} });
    for (const [name, pattern] of Object.entries(SCHEDULED_JOBS)) await timer.deadlines.upsertJobScheduler(name, { pattern, tz: SCHEDULE_TZ }, { name, data: {} });
    return true;
  };
  await ensureSchedulers();
  log.info(await o.reconcile(), 'boot reconcile done');
  let catchUpDue = false;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    const why = catchUpDue ? 'a connection came back' : 'job schedulers were missing (Redis flushed?)';
    try {
      const restored = await ensureSchedulers();
      if (restored || catchUpDue) {
        catchUpDue = false;
        log.warn({ ...(await o.reconcile()), schedulersRestored: restored, why }, 'timers restored and reconciled');
      }
    } catch (error) {
      // Try the whole catch-up again on the next check.
      catchUpDue = true;
      log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'scheduler check failed');
    } finally {
      checking = false;
    }
  };
  o.onRecovered(() => {
    catchUpDue = true;
    void check();
  });
  const watch = setInterval(() => void check(), Math.min(o.everyMs, SCHEDULER_CHECK_MS));
  return () => clearInterval(watch);
}

/**
 * Embedded mode (no Redis): one loop reconciles every `intervalMs` (firing warnings, breaches, escalations and
 * deliveries) and runs each nightly job at its catalogue moment (workers/embedded-runtime.ts). The first tick runs
 * before this returns.
 */
export async function runEmbeddedLoop(o: {
  reconcile: () => Promise<object>;
  /** The nightly jobs' handlers (they take no payload). */
  handlers: Record<ScheduledJobName, () => Promise<unknown>>;
  now: () => Date;
  intervalMs: number;
  log: RoleLog;
}): Promise<() => void> {
  const { log } = o;
  let running = false;
  const nightly = new NightlySchedule();
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await o.reconcile();
      if (Object.values(report).some((n) => typeof n === 'number' && n > 0)) log.info(report, 'reconciled');
      const now = o.now();
      for (const name of nightly.due(now)) {
        log.info({ job: name, result: await o.handlers[name]() }, 'nightly job done');
        nightly.ran(name, now);
      }
    } catch (error) {
      log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'reconcile failed');
    } finally {
      running = false;
    }
  };
  await tick();
  const loop = setInterval(() => void tick(), o.intervalMs);
  return () => clearInterval(loop);
}
