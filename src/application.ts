import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database';
import type { BullmqTimer } from '../workers/bullmq-timer';
import { checkEvictionPolicy } from '../workers/redis-connection';
import { startWorkers, type WorkerRuntimeOptions, type WorkerRuntime } from '../workers/worker-runtime';
import { keepSchedulers, runEmbeddedLoop } from '../workers/worker-role';
import { TIMER_BATCH } from '../workers/timer-drainer';
import { dashboardOidcOf, type Config } from './config/config';
import { buildHttpApp } from './http/app';
import type { HealthProbe } from './http/routes/health.routes';
import { OpsMetrics } from './ops/metrics';
import { redisProbe } from './ops/redis-probe';
import { createServices, databaseProbe, jobHandlers, type Services } from './services';
import type { Clock } from './shared/clock';
import type { ConnectionWatch } from './shared/outage-log';

/** What the caller owns and hands in: the database, the clock, and in BullMQ mode Redis with its timer. */
export interface ApplicationResources {
  db: Database;
  /** `postgres` or `pglite`, as the readiness probe reports it. */
  databaseKind: string;
  clock: Clock;
  /** BullMQ mode: the connection the workers duplicate, and the timer on it. Both or neither. */
  redis?: Redis | null;
  timer?: BullmqTimer | null;
  /** The rate limiter's own connection, shared by several API processes. */
  rateLimitRedis?: Redis | null;
  /** Logs of the services before the HTTP app's logger exists (main's deferred log). */
  log?: { warn(obj: object, msg: string): void };
  /** Where the HTTP app logs and at what level; the configured level to stdout by default. */
  logging?: { level: string; stream?: NodeJS.WritableStream };
  /** Overrides RATE_LIMIT_MAX (tests that send many requests). */
  rateLimitMax?: number;
  /** Bull Board at /admin/queues: the API role with Redis. Default: whenever there is a timer. */
  queueBoard?: boolean;
}

export interface Application {
  config: Config;
  services: Services;
  app: FastifyInstance;
  opsMetrics: OpsMetrics;
  health: HealthProbe;
  timer: BullmqTimer | null;
  /** The one handler of each job in the catalogue. */
  handlers: ReturnType<typeof jobHandlers>;
  /** BullMQ workers for every queue on this application's handlers (BullMQ mode only). */
  startWorkers(o: Omit<WorkerRuntimeOptions, 'connection' | 'prefix' | 'handlers' | 'timers'>): WorkerRuntime;
  /** The worker role: the BullMQ workers and their schedulers, or (embedded mode) the in-process loop. */
  startWorkerRole(o: { watch: ConnectionWatch & { onRecovered(listener: () => void): void }; telemetry?: WorkerRuntimeOptions['telemetry']; log?: WorkerRuntimeOptions['logger'] & { error(obj: object, msg: string): void; warn(obj: object | string, msg?: string): void } }): Promise<{ close(): Promise<void> }>;
  /** Closes the HTTP app, the timer's queues and the mailer; the caller closes what it handed in (database, Redis). */
  close(): Promise<void>;
}

const EMBEDDED_TIMER_NOTE =
  'REDIS_URL is not set: embedded single-node mode. Deadlines live in PostgreSQL (the deadlines table); an in-process ' +
  'reconciler checks every RECONCILE_INTERVAL_MS (default 1 s) and is the only timer: warnings, breaches, escalations ' +
  'and notifications fire from it. Run one process only. Set REDIS_URL for BullMQ workers.';

/**
 * The composition root: the domain services, the Prometheus metrics, the health probes, the HTTP app and the job
 * handlers, wired once from configuration and the resources handed in. `src/main.ts` calls it with the process's
 * connections; the tests (`test/support/test-app.ts`, `test/support/test-stack.ts`) with theirs.
 */
export async function buildApplication(cfg: Config, r: ApplicationResources): Promise<Application> {
  const timer = r.timer ?? null;
  const redis = r.redis ?? null;
  const services = createServices(cfg, { db: r.db, clock: r.clock, timer: timer ?? undefined, log: r.log });
  const queues = timer ? [timer.deadlines, timer.notifications] : [];
  const opsMetrics = new OpsMetrics({ db: r.db, clock: r.clock, queues, timers: timer ?? undefined });
  opsMetrics.instrument(services);
  const health: HealthProbe = { database: databaseProbe(r.db, r.databaseKind), redis: redisProbe(redis) };
  const app = await buildHttpApp({
    ...services,
    health,
    region: cfg.region,
    logLevel: r.logging?.level ?? cfg.LOG_LEVEL,
    logStream: r.logging?.stream,
    trustProxy: cfg.TRUST_PROXY,
    opsMetrics,
    queues: (r.queueBoard ?? true) ? queues : [],
    publicBaseUrl: cfg.PUBLIC_BASE_URL,
    apiContactEmail: cfg.API_CONTACT_EMAIL,
    dashboard: { oidc: dashboardOidcOf(cfg), clock: r.clock },
    rateLimit: { max: r.rateLimitMax ?? cfg.RATE_LIMIT_MAX, windowMs: cfg.RATE_LIMIT_WINDOW_MS, redis: r.rateLimitRedis ?? undefined, nameSpace: `${cfg.REDIS_PREFIX}-rate-limit-` },
  });
  const handlers = jobHandlers(services, r.db, r.clock);
  const bullmqWorkers = (o: Omit<WorkerRuntimeOptions, 'connection' | 'prefix' | 'handlers' | 'timers'>) => {
    if (!redis || !timer) throw new Error('BullMQ workers need REDIS_URL');
    const timers = { timer, fireDue: (ids: string[]) => services.firing.fireDue(ids), now: () => r.clock.now(), pollMs: cfg.TIMER_POLL_MS, batch: TIMER_BATCH };
    return startWorkers({ ...o, connection: redis, prefix: cfg.REDIS_PREFIX, handlers, timers });
  };
  return {
    config: cfg,
    services,
    app,
    opsMetrics,
    health,
    timer,
    handlers,
    startWorkers: bullmqWorkers,
    startWorkerRole: async ({ watch, telemetry, log = app.log }) => {
      if (redis && timer) {
        await checkEvictionPolicy(redis, log);
        const workers = bullmqWorkers({ concurrency: cfg.WORKER_CONCURRENCY, logger: log, lockDurationMs: cfg.WORKER_LOCK_DURATION_MS, watch, telemetry });
        const stopWatch = await keepSchedulers({ timer, reconcile: () => services.firing.reconcile(), everyMs: cfg.RECONCILE_INTERVAL_MS ?? 60_000, log, onRecovered: (l) => watch.onRecovered(l) });
        return {
          close: async () => {
            stopWatch();
            await workers.close(10_000);
          },
        };
      }
      log.warn(EMBEDDED_TIMER_NOTE);
      const stopLoop = await runEmbeddedLoop({ reconcile: () => services.firing.reconcile(), handlers, now: () => r.clock.now(), intervalMs: cfg.RECONCILE_INTERVAL_MS ?? 1_000, log });
      return { close: async () => stopLoop() };
    },
    close: async () => {
      await app.close();
      await timer?.close();
      await services.notifier.close();
      await services.sealer.stop();
    },
  };
}
