import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { OpsMetrics } from '../../src/ops/metrics';
import type { Database } from '../../db/database';
import type { Role } from '../../src/auth/principal';
import { dashboardOidcOf, parseConfig, type Config } from '../../src/config/config';
import { buildHttpApp } from '../../src/http/app';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices, databaseProbe, jobHandlers, type Services } from '../../src/services';
import type { Clock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import { startWorkers, type WorkerRuntime } from '../../workers/worker-runtime';
import { injectRequest, runLogFile, TEST_JWT_SECRET, testToken } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';
import { TEST_REDIS_URL } from './test-env';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TestStack {
  app: FastifyInstance;
  db: Database;
  database: TestDatabase;
  config: Config;
  services: Services;
  clock: Clock;
  /** Present in BullMQ mode: the queues (prefix of this stack's own) and a Redis connection. */
  redis: Redis | null;
  timer: BullmqTimer | null;
  prefix: string;
  token(sub: string, role: Role, opts?: { teams?: string[]; gemeente?: string }): Promise<string>;
  request(method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, body?: unknown): Promise<LightMyRequestResponse>;
  /** Starts in-process BullMQ workers (BullMQ mode only); stop them with the returned runtime's close(). */
  startWorkers(opts?: { lockDurationMs?: number; concurrency?: number }): WorkerRuntime;
  close(): Promise<void>;
}

/**
 * The whole service in process on real PostgreSQL and (unless `redis: false`) real Redis: API, engine, BullMQ
 * timer and workers, with a queue prefix and database of this stack's own so test files can run in parallel.
 */
export async function startTestStack(options: { clock: Clock; redis?: boolean; env?: Record<string, string>; database?: TestDatabase }): Promise<TestStack> {
  const database = options.database ?? (await createTestDatabase());
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const useRedis = options.redis ?? true;
  const config = parseConfig({
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ...(useRedis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix } : {}),
    ...options.env,
  });
  await syncRegion(database.db, config.region);
  const redis = useRedis ? new Redis(config.REDIS_URL ?? TEST_REDIS_URL, { maxRetriesPerRequest: null }) : null;
  const timer = redis ? new BullmqTimer(redis, prefix, () => options.clock.now()) : null;
  const services = createServices(config, { db: database.db, clock: options.clock, timer: timer ?? undefined });
  const log = runLogFile();
  // Wired as main.ts wires it, so /metrics (beheerder) reports what this stack did.
  const opsMetrics = new OpsMetrics({ db: database.db, clock: options.clock, queues: timer ? [timer.deadlines, timer.notifications] : [] });
  opsMetrics.instrument(services);
  const app = await buildHttpApp({
    opsMetrics,
    // Bull Board at /admin/queues, as main.ts serves it with Redis.
    queues: timer ? [timer.deadlines, timer.notifications] : [],
    ...services,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    region: config.region,
    logLevel: log?.level ?? 'silent',
    logStream: log?.stream,
    // High enough never to interfere; rate limiting has its own test.
    rateLimit: { max: 10_000_000, windowMs: config.RATE_LIMIT_WINDOW_MS },
    trustProxy: config.TRUST_PROXY,
    dashboard: { oidc: dashboardOidcOf(config), clock: options.clock },
    health: { database: databaseProbe(database.db, 'postgres'), redis: async () => ({ ok: Boolean(redis), configured: Boolean(redis), mode: redis ? 'bullmq' : 'embedded' }) },
  });
  await app.ready();
  const runtimes: WorkerRuntime[] = [];
  return {
    app,
    db: database.db,
    database,
    config,
    services,
    clock: options.clock,
    redis,
    timer,
    prefix,
    token: testToken,
    request: injectRequest(app),
    startWorkers: (opts = {}) => {
      if (!redis) throw new Error('startWorkers needs the BullMQ mode');
      const runtime = startWorkers({
        connection: redis,
        prefix,
        handlers: jobHandlers(services, database.db, options.clock),
        concurrency: opts.concurrency ?? 4,
        logger: log ? app.log : silent,
        lockDurationMs: opts.lockDurationMs,
      });
      runtimes.push(runtime);
      return runtime;
    },
    close: async () => {
      for (const r of runtimes) await r.close(2_000);
      await app.close();
      if (timer) {
        await timer.deadlines.obliterate({ force: true }).catch(() => undefined);
        await timer.notifications.obliterate({ force: true }).catch(() => undefined);
        await timer.close();
      }
      await services.notifier.close();
      redis?.disconnect();
      if (!options.database) await database.drop();
      if (log) await new Promise<void>((resolve) => log.stream.end(resolve));
    },
  };
}
