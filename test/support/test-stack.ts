import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { Database } from '../../db/database';
import type { Role } from '../../src/auth/principal';
import { buildApplication } from '../../src/application';
import { parseConfig, type Config } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import type { Services } from '../../src/services';
import type { Clock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import type { WorkerRuntime } from '../../workers/worker-runtime';
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
  const log = runLogFile();
  // Wired by buildApplication as main.ts wires it, so /metrics (beheerder) reports what this stack did and Bull Board
  // serves /admin/queues with Redis; the rate limit is high enough never to interfere (it has its own test).
  const application = await buildApplication(config, { db: database.db, databaseKind: 'postgres', clock: options.clock, redis, timer, logging: { level: log?.level ?? 'silent', stream: log?.stream }, rateLimitMax: 10_000_000 });
  const { app, services } = application;
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
      const runtime = application.startWorkers({ concurrency: opts.concurrency ?? 4, logger: log ? app.log : silent, lockDurationMs: opts.lockDurationMs });
      runtimes.push(runtime);
      return runtime;
    },
    close: async () => {
      for (const r of runtimes) await r.close(2_000);
      if (timer) {
        await timer.deadlines.obliterate({ force: true }).catch(() => undefined);
        await timer.notifications.obliterate({ force: true }).catch(() => undefined);
        await redis?.del(timer.timerKey).catch(() => undefined);
      }
      await application.close();
      redis?.disconnect();
      if (!options.database) await database.drop();
      if (log) await new Promise<void>((resolve) => log.stream.end(resolve));
    },
  };
}
