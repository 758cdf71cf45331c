// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must patch http and pg before anything loads them.
import { tracing } from './telemetry/preload';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrator';
import { BullmqTimer } from '../workers/bullmq-timer';
import { createRateLimitRedis, createRedis, REDIS } from '../workers/redis-connection';
import { buildApplication } from './application';
import { config } from './config/config';
import { startOpsServer } from './ops/ops-server';
import { syncRegion } from './reference/gemeente.repository';
import { databaseProbe } from './services';
import { systemClock } from './shared/clock';
import { DeferredLog, OutageLog } from './shared/outage-log';

const POSTGRES = 'postgres';

/**
 * The process: `npm start` (api and worker), `npm run start:api`, `npm run start:worker`. Signals, the role, the
 * migrations and connections, the listen and the shutdown; the wiring is `buildApplication` (src/application.ts).
 */
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
  const application = await buildApplication(cfg, { db: database.db, databaseKind: database.kind, clock: systemClock, redis, timer, rateLimitRedis, log: sink, queueBoard: runsApi });
  const log = application.app.log.child({ role });
  sink.attach(log);
  log.info({ database: database.kind, migrationsApplied: applied, region: cfg.region.id, role, node: process.version, tracing: tracing !== null }, 'database ready');
  // Every process seals the audit trail; the sealer's try-lock lets one of them do each round.
  application.services.sealer.start();

  const workerRole = runsWorker ? await application.startWorkerRole({ watch: outages, telemetry: tracing?.bullmq }) : null;
  if (runsApi) await application.app.listen({ host: cfg.HOST, port: cfg.PORT });
  const ops = cfg.OPS_PORT === undefined ? null : await startOpsServer({ host: cfg.OPS_HOST, port: cfg.OPS_PORT, health: application.health, metrics: () => application.opsMetrics.exposition(), log });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    outages.stop();
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    await ops?.close();
    await workerRole?.close();
    await application.close();
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
