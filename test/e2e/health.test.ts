import { Redis } from 'ioredis';
import { readiness } from '../../src/http/routes/health.routes';
import { startOpsServer, type OpsServer } from '../../src/ops/ops-server';
import { redisProbe } from '../../src/ops/redis-probe';
import { databaseProbe } from '../../src/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';

const quietLog = { info: () => undefined, error: () => undefined };

describe('health: liveness and readiness', () => {
  let t: TestApp;
  let database: TestDatabase;
  let redis: Redis;
  // A real client of a port where no Redis listens: what the service sees when Redis is down.
  let deadRedis: Redis;
  let ops: OpsServer | null = null;

  beforeAll(async () => {
    t = await startTestApp();
    database = await createTestDatabase(2);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    deadRedis = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    deadRedis.on('error', () => undefined);
  });

  afterAll(async () => {
    await ops?.close();
    await t.close();
    redis.disconnect();
    deadRedis.disconnect();
    await database.drop();
  });

  it('the API answers /health/live, /health/ready and (as ready) /health without a token and without rate limit', async () => {
    const live = await t.request('GET', '/health/live', null);
    expect({ status: live.statusCode, body: live.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await t.request('GET', '/health/ready', null);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', database: { ok: true } });
    expect((await t.request('GET', '/health', null)).json()).toEqual(ready.json());
  });

  it('is ready with the database and Redis answering, not ready when configured Redis is down, ready without Redis', async () => {
    const db = databaseProbe(database.db, 'postgres');
    expect((await readiness({ database: db, redis: redisProbe(redis) })).ok).toBe(true);
    const down = await readiness({ database: db, redis: redisProbe(deadRedis) });
    expect(down).toEqual({ ok: false, body: { status: 'degraded', database: { ok: true, kind: 'postgres' }, redis: { ok: false, configured: true, mode: 'bullmq' } } });
    expect((await readiness({ database: db, redis: redisProbe(null) })).ok).toBe(true);
  });

  it('the ops server (the worker role’s endpoint) answers 200 live and 503 ready while Redis is down, and serves no API', async () => {
    ops = await startOpsServer({ host: '127.0.0.1', port: 0, health: { database: databaseProbe(database.db, 'postgres'), redis: redisProbe(deadRedis) }, log: quietLog });
    const base = `http://127.0.0.1:${ops.port}`;
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect({ status: ready.status, body: (await ready.json()) as unknown }).toMatchObject({ status: 503, body: { status: 'degraded', redis: { ok: false } } });
    expect((await fetch(`${base}/v1/cases`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
