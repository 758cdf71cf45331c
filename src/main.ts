// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must patch http and pg before anything loads them.
import { tracing } from './telemetry/preload';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrator';
import { BullmqTimer } from '../workers/bullmq-timer';
import { checkEvictionPolicy, createRateLimitRedis, createRedis, REDIS } from '../workers/redis-connection';
import { startWorkers, type WorkerRuntime } from '../workers/worker-runtime';
import { NightlySchedule } from '../workers/embedded-runtime';
import { SCHEDULE_TZ, SCHEDULED_JOBS, type JobName } from '../workers/job-catalogue';
import { config, dashboardOidcOf } from './config/config';
import { buildHttpApp } from './http/app';
import type { HealthProbe } from './http/routes/health.routes';
import { OpsMetrics } from './ops/metrics';
import { startOpsServer } from './ops/ops-server';
import { redisProbe } from './ops/redis-probe';
import { syncRegion } from './reference/gemeente.repository';
import { createServices, databaseProbe, jobHandlers } from './services';
import { systemClock } from './shared/clock';
import { DeferredLog, OutageLog } from './shared/outage-log';

const EMBEDDED_TIMER_NOTE =
  'REDIS_URL is not set: embedded single-node mode. Deadlines live in PostgreSQL (the deadlines table); an in-process ' +
  'reconciler checks every RECONCILE_INTERVAL_MS (default 1 s) and is the only timer: warnings, breaches, escalations ' +
  'and notifications fire from it. Run one process only. Set REDIS_URL for BullMQ workers.';

const POSTGRES = 'postgres';
/** How often each worker checks that the job schedulers still exist in Redis (a FLUSHALL drops them silently). */
const SCHEDULER_CHECK_MS = 2_000;

/** Composition root: `npm start` (api and worker), `npm run start:api`, `npm run start:worker`. */
async function main(): Promise<void> {
  // The signal handlers go first: a SIGTERM during boot (an orchestrator giving up on a slow start, or one that comes
  // a moment after the readiness log) must not kill the process by the default action. Until boot is done it is
  // remembered, and the graceful shutdown runs as soon as there is something to shut down.
  let shutdown: ((signal: string) => Promise<void>) | null = null;
  let signalledDuringBoot: string | null = null;
  const onSignal = (signal: string) => {
    if (shutdown) void shutdown(signal);
    else signalledDuringBoot ??= signal;
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role ?? 'all';
  if (!['all', 'api', 'worker'].includes(role)) throw new Error(`--role must be all, api or worker, not '${role}'`);
  const cfg = config();
  const runsApi = role !== 'worker';
  const runsWorker = role !== 'api';
  if (role === 'api' && !cfg.REDIS_URL) {
    // Without Redis the in-process reconciler is the only timer, and it runs with the workers: an API alone would
    // accept meldingen whose deadlines never fire.
    throw new Error('--role api needs REDIS_URL (BullMQ keeps the time); without Redis run `npm start`, which runs both');
  }

  // With MIGRATION_DATABASE_URL the schema owner migrates and syncs reference data, and the service itself runs as
  // DATABASE_URL, the application role that cannot alter the audit trail (README, "Audit trail").
  // Connections are made before the HTTP app (and its logger) exist; their outages are logged once each, with the role.
  const sink = new DeferredLog();
  const outages = new OutageLog(sink);
  const pgEvents = { onError: (error: Error) => outages.failed(POSTGRES, error), onConnect: () => outages.recovered(POSTGRES) };
  let applied: string[] = [];
  if (cfg.MIGRATION_DATABASE_URL) {
    const owner = await openDatabase({ url: cfg.MIGRATION_DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: 1, events: pgEvents });
    try {
      applied = await migrateToLatest(owner.db);
      await syncRegion(owner.db, cfg.region);
    } finally {
      await owner.close();
    }
  }
  const database = await openDatabase({ url: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: cfg.DATABASE_POOL_SIZE, events: pgEvents });
  const dbProbe = databaseProbe(database.db, database.kind);
  outages.probe(POSTGRES, async () => (await dbProbe()).ok);
  if (!cfg.MIGRATION_DATABASE_URL) {
    applied = await migrateToLatest(database.db);
    await syncRegion(database.db, cfg.region);
  }

  // Logs come from Fastify's pino; the worker-only role builds the app too (unlistened) for one logger and health.
  let redis: Redis | null = null;
  let rateLimitRedis: Redis | null = null;
  let timer: BullmqTimer | null = null;
  if (cfg.REDIS_URL) {
    const main = createRedis(cfg.REDIS_URL, outages);
    redis = main;
    outages.probe(REDIS, () => main.status === 'ready');
    timer = new BullmqTimer(main, cfg.REDIS_PREFIX, () => systemClock.now(), { watch: outages, logger: sink }, tracing?.bullmq);
    // Several API processes share one limit per token through Redis.
    if (runsApi) rateLimitRedis = createRateLimitRedis(cfg.REDIS_URL, outages);
  }
  const services = createServices(cfg, { db: database.db, clock: systemClock, timer: timer ?? undefined, log: sink });
  const opsMetrics = new OpsMetrics({ db: database.db, clock: systemClock, queues: timer ? [timer.deadlines, timer.notifications] : [] });
  opsMetrics.instrument(services);
  const health: HealthProbe = {
    database: dbProbe,
    redis: redisProbe(redis),
  };
  const app = await buildHttpApp({
    ...services,
    health,
    region: cfg.region,
    logLevel: cfg.LOG_LEVEL,
    trustProxy: cfg.TRUST_PROXY,
    opsMetrics,
    queues: runsApi && timer ? [timer.deadlines, timer.notifications] : [],
    publicBaseUrl: cfg.PUBLIC_BASE_URL,
    dashboard: { oidc: dashboardOidcOf(cfg) },
    rateLimit: { max: cfg.RATE_LIMIT_MAX, windowMs: cfg.RATE_LIMIT_WINDOW_MS, redis: rateLimitRedis ?? undefined, nameSpace: `${cfg.REDIS_PREFIX}-rate-limit-` },
  });
  const log = app.log.child({ role });
  sink.attach(log);
  log.info({ database: database.kind, migrationsApplied: applied, region: cfg.region.id, role, node: process.version, tracing: tracing !== null }, 'database ready');
  // Every process seals the audit trail; the sealer's try-lock lets one of them do each round.
  services.sealer.start();

  let workers: WorkerRuntime | null = null;
  let embeddedLoop: NodeJS.Timeout | null = null;
  let schedulerWatch: NodeJS.Timeout | null = null;
  if (runsWorker) {
    const handlers = jobHandlers(services, database.db, systemClock);
    if (redis && timer) {
      await checkEvictionPolicy(redis, log);
      workers = startWorkers({ connection: redis, prefix: cfg.REDIS_PREFIX, handlers, concurrency: cfg.WORKER_CONCURRENCY, logger: log, lockDurationMs: cfg.WORKER_LOCK_DURATION_MS, watch: outages, telemetry: tracing?.bullmq });
      // Job schedulers are upserted (idempotent), so several worker processes starting together converge on one.
      const every = cfg.RECONCILE_INTERVAL_MS ?? 60_000;
      const ensureSchedulers = async () => {
        const names = ['deadlines-reconcile', ...Object.keys(SCHEDULED_JOBS)] as JobName[];
        if ((await Promise.all(names.map((n) => timer.deadlines.getJobScheduler(n)))).every(Boolean)) return false;
        await timer.deadlines.upsertJobScheduler('deadlines-reconcile', { every }, { name: 'deadlines-reconcile', data: {} });
        for (const [name, pattern] of Object.entries(SCHEDULED_JOBS)) await timer.deadlines.upsertJobScheduler(name, { pattern, tz: SCHEDULE_TZ }, { name, data: {} });
        return true;
      };
      await ensureSchedulers();
      log.info(await services.firing.reconcile(), 'boot reconcile done');
      // The schedulers and timers live in Redis: after a flush nothing would run the reconciler again, and timers set
      // while Redis or PostgreSQL was down are missing. Each worker checks every few seconds on its own clock, and at
      // once when a connection comes back, and then restores what is gone and reconciles.
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
            log.warn({ ...(await services.firing.reconcile()), schedulersRestored: restored, why }, 'timers restored and reconciled');
          }
        } catch (error) {
          // Try the whole catch-up again on the next check.
          catchUpDue = true;
          log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'scheduler check failed');
        } finally {
          checking = false;
        }
      };
      outages.onRecovered(() => {
        catchUpDue = true;
        void check();
      });
      schedulerWatch = setInterval(() => void check(), Math.min(every, SCHEDULER_CHECK_MS));
    } else {
      log.warn(EMBEDDED_TIMER_NOTE);
      let running = false;
      const nightly = new NightlySchedule();
      const tick = async () => {
        if (running) return;
        running = true;
        try {
          const report = await services.firing.reconcile();
          if (Object.values(report).some((n) => n > 0)) log.info(report, 'reconciled');
          const now = systemClock.now();
          for (const name of nightly.due(now)) {
            log.info({ job: name, result: await handlers[name]() }, 'nightly job done');
            nightly.ran(name, now);
          }
        } catch (error) {
          log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'reconcile failed');
        } finally {
          running = false;
        }
      };
      await tick();
      embeddedLoop = setInterval(() => void tick(), cfg.RECONCILE_INTERVAL_MS ?? 1_000);
    }
  }

  if (runsApi) await app.listen({ host: cfg.HOST, port: cfg.PORT });
  const ops = cfg.OPS_PORT === undefined ? null : await startOpsServer({ host: cfg.OPS_HOST, port: cfg.OPS_PORT, health, metrics: () => opsMetrics.exposition(), log });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    outages.stop();
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    if (embeddedLoop) clearInterval(embeddedLoop);
    if (schedulerWatch) clearInterval(schedulerWatch);
    await ops?.close();
    await app.close();
    await workers?.close(10_000);
    await timer?.close();
    await services.notifier.close();
    await services.sealer.stop();
    redis?.disconnect();
    rateLimitRedis?.disconnect();
    await database.close();
    // Flushes the spans still buffered (bounded by the exporter's timeout, well inside the hard stop).
    await tracing?.shutdown().catch(() => undefined);
    process.exit(0);
  };
  shutdown = stop;
  if (signalledDuringBoot) void stop(signalledDuringBoot);
}

main().catch((error: unknown) => {
  process.stderr.write(`startup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
