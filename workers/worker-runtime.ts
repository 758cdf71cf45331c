import { UnrecoverableError, Worker, type Job, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { assertCompleteHandlers, JOB_CATALOGUE, QUEUES, type JobHandlers, type JobName } from './job-catalogue';
import type { ConnectionWatch } from '../src/shared/outage-log';
import { bullmqErrorListener, watchRedis, type RedisLogger } from './redis-connection';
import { startTimerDrainer, type TimerDrainerOptions } from './timer-drainer';

export interface WorkerRuntimeOptions {
  connection: Redis;
  prefix: string;
  handlers: Partial<Record<string, unknown>>;
  concurrency: number;
  logger: RedisLogger & { info(obj: object, msg: string): void };
  /** Shorter in tests, so a killed worker's job is picked up again quickly. */
  lockDurationMs?: number;
  /** Hears each worker connection's outages; without it, connection errors are logged one by one. */
  watch?: ConnectionWatch;
  /** OpenTelemetry for BullMQ: each job's processing is a span in the trace of the request that scheduled it. */
  telemetry?: Telemetry;
  /** The deadline timer index's drainer, run beside the workers (deadline warnings and breaches are no jobs). */
  timers?: Omit<TimerDrainerOptions, 'log'>;
}

export interface WorkerRuntime {
  workers: Worker[];
  close(timeoutMs?: number): Promise<void>;
}

/** Starts one BullMQ worker per queue, routing each job through the catalogue to its one handler, and the timer drainer. */
export function startWorkers(o: WorkerRuntimeOptions): WorkerRuntime {
  assertCompleteHandlers(o.handlers);
  const handlers: JobHandlers = o.handlers;

  const processor = async (job: Job) => {
    const entry = JOB_CATALOGUE[job.name as JobName] as (typeof JOB_CATALOGUE)[JobName] | undefined;
    if (!entry) throw new UnrecoverableError(`unknown job '${job.name}'`);
    const payload = entry.payload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${payload.error.issues.map((i) => i.message).join('; ')}`);
    const handler = handlers[job.name as JobName] as (p: unknown) => Promise<unknown>;
    return handler(payload.data);
  };

  const workers = Object.values(QUEUES).map((queue) => {
    const connection = o.connection.duplicate();
    if (o.watch) watchRedis(connection, o.watch);
    const worker = new Worker(queue, processor, {
      connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      ...(o.telemetry ? { telemetry: o.telemetry } : {}),
      // Retention lives on the worker, not in every job's options: smaller job hashes in Redis.
      removeOnComplete: { age: 3600, count: 50_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      ...(o.lockDurationMs ? { lockDuration: o.lockDurationMs, stalledInterval: o.lockDurationMs } : {}),
    });
    worker.on(
      'error',
      o.watch ? bullmqErrorListener({ kind: 'worker', queue }, o.watch, o.logger) : (error: Error) => o.logger.error({ queue, err: { message: error.message } }, 'worker error'),
    );
    worker.on('failed', (job, error) => o.logger.warn({ queue, job: job?.name, jobId: job?.id, requestId: requestIdOfJob(job), attempts: job?.attemptsMade, err: { message: error.message } }, 'job failed'));
    return worker;
  });

  const drainer = o.timers ? startTimerDrainer({ ...o.timers, log: o.logger }) : null;

  return {
    workers,
    close: async (timeoutMs = 10_000) => {
      await drainer?.stop();
      // Let running jobs finish; past the bound, force-close (their locks expire and another worker retries them).
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      if ((await Promise.race([graceful, timedOut])) === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
      await Promise.all(workers.map((w) => (w.opts.connection as Redis).quit().catch(() => undefined)));
    },
  };
}

/** The x-request-id of the request that scheduled a job, when it carries one (workers/job-catalogue.ts). */
export function requestIdOfJob(job: Job | undefined): string | undefined {
  const data: unknown = job?.data;
  return data && typeof data === 'object' && 'requestId' in data && typeof data.requestId === 'string' ? data.requestId : undefined;
}
