import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrator';
import { config } from './config/config';
import { buildHttpApp } from './http/app';
import { syncRegion } from './reference/gemeente.repository';
import { createServices, databaseProbe } from './services';
import { systemClock } from './shared/clock';
import type { HealthProbe } from './http/routes/health.routes';

const EMBEDDED_TIMER_NOTE =
  'REDIS_URL is not set: embedded single-node mode. Deadlines are stored in PostgreSQL (the deadlines table) and ' +
  'an in-process reconciler is the only timer; run one process only. Set REDIS_URL for BullMQ workers.';

/** Composition root: `npm start` (api and worker), `npm run start:api`, `npm run start:worker`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role ?? 'all';
  if (!['all', 'api', 'worker'].includes(role)) throw new Error(`--role must be all, api or worker, not '${role}'`);
  const cfg = config();

  const database = await openDatabase({ url: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: cfg.DATABASE_POOL_SIZE });
  const applied = await migrateToLatest(database.db);
  await syncRegion(database.db, cfg.region);

  const redis = cfg.REDIS_URL ? new Redis(cfg.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true }) : null;
  redis?.on('error', () => undefined);
  if (redis) await redis.connect().catch(() => undefined);

  const services = createServices(cfg, { db: database.db, clock: systemClock });
  const health: HealthProbe = {
    database: databaseProbe(database.db, database.kind),
    redis: async () => {
      if (!redis) return { ok: false, configured: false, mode: 'embedded: in-process reconciler keeps deadlines' };
      try {
        return { ok: (await redis.ping()) === 'PONG', configured: true, mode: 'bullmq' };
      } catch {
        return { ok: false, configured: true, mode: 'bullmq' };
      }
    },
  };
  const app = await buildHttpApp({ ...services, health, region: cfg.region, logLevel: cfg.LOG_LEVEL });
  app.log.info({ database: database.kind, migrationsApplied: applied, region: cfg.region.id, role }, 'database ready');
  if (!redis) app.log.warn(EMBEDDED_TIMER_NOTE);

  if (role !== 'worker') await app.listen({ host: cfg.HOST, port: cfg.PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    redis?.disconnect();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`startup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
