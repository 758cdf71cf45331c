import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { openDatabase, type OpenDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrator';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { apiError } from '../support/api-error';
import { pause, until } from '../support/poll';
import { killAllWorkers, spawnWorker, type SpawnedWorker, type WorkerLogLine } from '../support/spawn-worker';
import { meldingBody, TEST_JWT_SECRET, testToken } from '../support/test-app';
import { freePort, startPostgres, startRedis, type OwnPostgres, type OwnRedis } from './fault-services';
import { WriteLoad } from './write-load';

/**
 * Fault injection as an operator would do it, on a PostgreSQL cluster and a Redis of the suite's own, with two API
 * and two worker processes (`tsx src/main.ts --role api|worker`), clients writing throughout and acute terms (12 s)
 * falling due all the time: a backend terminated under a request holding a lock, PostgreSQL restarted immediately,
 * Redis flushed, Redis restarted empty, a worker SIGKILLed mid-job. Then: no process exited, every acknowledged write
 * is in the history, every due alert exists exactly once and was delivered once, and the audit chain verifies.
 */
jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const DB_NAME = 'test_faults';
const PREFIX = 'vt-faults';
const ENV = {
  // Acute terms of 12 s: the warning at 9 s, the breach at 12 s; both levels come due throughout the run.
  DEADLINE_ACUTE_MINUTES: '0.2',
  DELIVERY_BACKOFF_MS: '200',
  RATE_LIMIT_MAX: '10000000',
  // The minute-by-minute reconciler is pushed out of the run: what restores timers here is the recovery itself.
  RECONCILE_INTERVAL_MS: '600000',
  WORKER_CONCURRENCY: '4',
  // The receiver listens on loopback, which webhook targets may only reach as a named internal host.
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
};

interface Receiver {
  server: Server;
  url: string;
  /** alertId → times received */
  received: Map<string, number>;
}

async function startReceiver(): Promise<Receiver> {
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alertId?: unknown }).alertId);
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received };
}

const recoveries: Record<string, number> = {};
function recovered(what: string, ms: number): void {
  recoveries[what] = ms;
  process.stdout.write(`fault suite: ${what}: recovered in ${(ms / 1000).toFixed(2)} s\n`);
}

const logsOf = (processes: SpawnedWorker[], msg: string, since = 0): WorkerLogLine[] =>
  processes.flatMap((p) => p.stdout.filter((l) => l.msg === msg && typeof l.time === 'number' && l.time >= since));

describe('faults: PostgreSQL and Redis failing under load', () => {
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let database: OpenDatabase;
  let receiver: Receiver;
  let admin: Redis;
  const apis: SpawnedWorker[] = [];
  const workers: SpawnedWorker[] = [];
  const killed = new Set<SpawnedWorker>();
  let apiUrls: string[] = [];
  let load: WriteLoad;
  let alice: string;

  let apiCount = 0;
  const spawnApi = async () => {
    // The application name tells which API's backend waits on a lock.
    const n = apiCount++;
    const url = `${pg.url(DB_NAME)}?application_name=vt-api-${n}`;
    const port = await freePort();
    const api = await spawnWorker({ role: 'api', databaseUrl: url, redisUrl: redis.url, prefix: PREFIX, env: { ...ENV, PORT: String(port) }, bootTimeoutMs: 60_000 });
    apis[n] = api;
    return `http://127.0.0.1:${port}`;
  };
  const spawnWorkerProcess = async (n: number) => {
    // The application name tells which worker's backend waits on a lock.
    const url = `${pg.url(DB_NAME)}?application_name=vt-worker-${n}`;
    const w = await spawnWorker({ databaseUrl: url, redisUrl: redis.url, prefix: PREFIX, env: ENV, bootTimeoutMs: 60_000 });
    workers[n] = w;
    return w;
  };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const setup = new Client({ connectionString: pg.url('postgres') });
    await setup.connect();
    await setup.query(`create database ${DB_NAME}`);
    await setup.end();
    database = await openDatabase({ url: pg.url(DB_NAME), embeddedDir: '', poolSize: 4 });
    await migrateToLatest(database.db);
    await syncRegion(database.db, parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET }).region);
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
    receiver = await startReceiver();

    apiUrls = await Promise.all([spawnApi(), spawnApi()]);
    await Promise.all([spawnWorkerProcess(0), spawnWorkerProcess(1)]);
    alice = await testToken('alice', 'medewerker', { teams: ['team-zwolle'] });
    const tom = await testToken('tom', 'teamleider', { teams: ['team-zwolle'] });
    const put = await fetch(`${apiUrls[0]}/v1/teams/team-zwolle/alert-channels`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tom}`, 'content-type': 'application/json' },
      body: JSON.stringify({ webhookUrl: receiver.url, webhookSecret: 'webhook-secret-of-the-fault-suite-01' }),
    });
    expect(put.status).toBe(200);
    load = new WriteLoad(apiUrls, alice, 3);
    load.start();
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await killAllWorkers();
    admin?.disconnect();
    await database?.close().catch(() => undefined);
    await new Promise((r) => receiver?.server.close(r));
    await redis?.stop();
    await pg?.stop();
    process.stdout.write(`fault suite: recovery times ${JSON.stringify(recoveries)}\n`);
  });

  it('a backend terminated while its request waits on a row lock: that request gets 503, the API keeps serving', async () => {
    const created = await fetch(`${apiUrls[0]}/v1/meldingen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify(meldingBody({ receivedAt: undefined })),
    });
    expect(created.status).toBe(201);
    const caseId = ((await created.json()) as { id: string }).id;
    const holder = new Client({ connectionString: pg.url(DB_NAME) });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      const pending = fetch(`${apiUrls[0]}/v1/cases/${caseId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'NOTE_ADDED', expectedVersion: 1, text: 'wacht op het slot' }),
        signal: AbortSignal.timeout(20_000),
      });
      const waiting = await until(
        // Exactly the backends our lock blocks (the load waits on other locks, e.g. a case's row, all the time).
        async () => (await holder.query<{ pid: number }>("select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid)) and application_name = 'vt-api-0'")).rows,
        (rows) => rows.length > 0,
        10_000,
      );
      expect(waiting.length).toBeGreaterThan(0);
      const killedAt = Date.now();
      await holder.query('select pg_terminate_backend($1)', [waiting[0]!.pid]);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(apiError(await res.json()).code).toBe('DATABASE.UNAVAILABLE');
      await holder.query('ROLLBACK');
      const health = await until(() => fetch(`${apiUrls[0]}/health`).then((r) => r.status), (s) => s === 200, 10_000);
      expect(health).toBe(200);
      recovered('backend terminated under a lock (503 answered, API healthy)', Date.now() - killedAt);
      // The lost connection was logged as an outage, and its end (the next connection, or the probe) as well.
      const back = await apis[0]!.waitForLog((l) => l.msg === 'postgres available again' && Number(l.time) >= killedAt, 10_000);
      expect(back).toMatchObject({ role: 'api', resource: 'postgres' });
    } finally {
      await holder.end().catch(() => undefined);
    }
    expect(apis.every((p) => p.exitSignal() === null)).toBe(true);
  });

  it('PostgreSQL restarted immediately under write load: writes fail with 503 only while it is down', async () => {
    await until(async () => load.okSince(Date.now() - 1_000), (n) => n > 0, 10_000);
    const before = Date.now();
    await pg.restartImmediate();
    const up = Date.now();
    const firstOk = await until(async () => load.firstOkAfter(up), (t) => t !== null, 30_000);
    expect(firstOk).not.toBeNull();
    recovered('PostgreSQL immediate restart (from restart to the next acknowledged write)', firstOk! - before);
    // Each process logged the outage once and its end once, as JSON with its role.
    for (const p of [...apis, ...workers]) await p.waitForLog((l) => l.msg === 'postgres available again' && typeof l.time === 'number' && l.time >= before, 15_000);
    for (const p of apis) {
      const down = p.stdout.filter((l) => l.msg === 'postgres unavailable' && typeof l.time === 'number' && l.time >= before);
      expect(down.length).toBeGreaterThanOrEqual(1);
      expect(down.length).toBeLessThanOrEqual(2);
      expect(down[0]).toMatchObject({ role: 'api', resource: 'postgres' });
    }
  });

  it('Redis FLUSHALL: the job schedulers and lost timers are rebuilt within seconds', async () => {
    const flushedAt = Date.now();
    await admin.flushall();
    const restoredAfterFlush = () => logsOf(workers, 'timers restored and reconciled', flushedAt).filter((l) => l.schedulersRestored === true);
    const restored = await until(async () => restoredAfterFlush(), (l) => l.length > 0, 15_000);
    expect(restored.length).toBeGreaterThan(0);
    expect(restored[0]).toMatchObject({ timersRestored: expect.any(Number) });
    recovered('Redis FLUSHALL (from the flush to timers restored)', Number(restored[0]!.time) - flushedAt);
  });

  it('Redis restarted empty: each process logs the outage once and its end, and the workers rebuild the timers at once', async () => {
    const stoppedAt = Date.now();
    await redis.restart(2_000);
    const upAt = Date.now();
    const restored = await until(async () => logsOf(workers, 'timers restored and reconciled', upAt), (l) => l.length > 0, 15_000);
    expect(restored.length).toBeGreaterThan(0);
    recovered('Redis restart (from Redis back up to timers restored)', Number(restored[0]!.time) - upAt);
    for (const p of [...apis, ...workers]) {
      if (killed.has(p)) continue;
      await p.waitForLog((l) => l.msg === 'redis available again' && typeof l.time === 'number' && l.time >= upAt, 15_000);
      const down = p.stdout.filter((l) => l.msg === 'redis unavailable' && typeof l.time === 'number' && l.time >= stoppedAt);
      // One line for the outage (a straggling connection may open a second), never one per retry.
      expect(down.length).toBeGreaterThanOrEqual(1);
      expect(down.length).toBeLessThanOrEqual(3);
    }
    expect(apis[0]!.stdout.find((l) => l.msg === 'redis unavailable' && Number(l.time) >= stoppedAt)).toMatchObject({ role: 'api', resource: 'redis' });
  });

  it('a worker SIGKILLed while its firing transaction waits on a lock: another worker fires the deadlines, one alert each', async () => {
    const created = await fetch(`${apiUrls[1]}/v1/meldingen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify(meldingBody({ receivedAt: undefined, acuteDanger: true })),
    });
    expect(created.status).toBe(201);
    const caseId = ((await created.json()) as { id: string }).id;
    const deadline = await database.db.selectFrom('deadlines').select(['id', 'due_at']).where('case_id', '=', caseId).where('kind', '=', 'acuut').executeTakeFirstOrThrow();
    const holder = new Client({ connectionString: pg.url(DB_NAME) });
    await holder.connect();
    let victim: SpawnedWorker | undefined;
    let killedAt = 0;
    try {
      // The drainers lock what they fire with skip locked (a held row is left for the next poll), so hold the alerts
      // table against writers instead: the next worker to fire anything (terms fall due all the time; this melding's
      // warning at 9 s) blocks inside its transaction, after locking and marking its deadlines, and is killed there.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE alerts IN SHARE MODE');
      const waiter = await until(
        async () =>
          (
            await holder.query<{ application_name: string }>(
              "select application_name from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid)) and application_name like 'vt-worker-%'",
            )
          ).rows,
        (rows) => rows.length > 0,
        20_000,
        25,
      );
      expect(waiter.length).toBeGreaterThan(0);
      victim = workers[Number(waiter[0]!.application_name.replace('vt-worker-', ''))]!;
      killedAt = Date.now();
      victim.kill('SIGKILL');
      killed.add(victim);
      await victim.exited;
      await holder.query('ROLLBACK');
    } finally {
      await holder.end().catch(() => undefined);
    }
    const breach = await until(
      () => database.db.selectFrom('alerts').select('id').where('deadline_id', '=', deadline.id).where('level', '=', 'breach').execute(),
      (rows) => rows.length > 0,
      30_000,
    );
    expect(breach).toHaveLength(1);
    recovered('worker SIGKILLed mid-job (from the kill to the breach alert, or the due moment if later)', Date.now() - Math.max(killedAt, deadline.due_at.getTime()));
    // A replacement, as a supervisor would start one.
    await spawnWorkerProcess(workers.indexOf(victim));
  });

  it('afterwards: no process exited, every acknowledged write is in the history, every due alert exists once and was delivered once, the audit chain verifies', async () => {
    await load.stop();
    const db = database.db;
    const stoppedAt = new Date();
    // Every acute term of the run comes due within 12 s of the last write; give the workers time to finish.
    const cutoff = new Date(stoppedAt.getTime() + 13_000);
    await pause(Math.max(0, cutoff.getTime() - Date.now()));
    const breachedOrOpen = () => db.selectFrom('deadlines').select(['id', 'status']).where('kind', '=', 'acuut').where('due_at', '<=', cutoff).execute();
    const deadlines = await until(breachedOrOpen, (ds) => ds.every((d) => d.status === 'breached'), 30_000, 250);
    expect(deadlines.filter((d) => d.status !== 'breached')).toEqual([]);
    expect(deadlines.length).toBeGreaterThan(20);

    // Every due alert exactly once: a breach for every acute deadline, at most one warning, no escalation yet.
    const alerts = await db.selectFrom('alerts').select(['id', 'deadline_id', 'level']).execute();
    const breaches = alerts.filter((a) => a.level === 'breach');
    expect(breaches).toHaveLength(deadlines.length);
    expect(new Set(breaches.map((a) => a.deadline_id))).toEqual(new Set(deadlines.map((d) => d.id)));
    const warnings = alerts.filter((a) => a.level === 'warning');
    expect(new Set(warnings.map((a) => a.deadline_id)).size).toBe(warnings.length);
    // A warning that did not come as an alert was handled after the term ended, and that was logged with its reason.
    const warnedWithout = await db
      .selectFrom('deadlines')
      .select(['id', 'warned_at', 'due_at'])
      .where('kind', '=', 'acuut')
      .where('due_at', '<=', cutoff)
      .where('id', 'not in', warnings.length > 0 ? warnings.map((w) => w.deadline_id) : ['00000000-0000-0000-0000-000000000000'])
      .execute();
    const skippedLogged = new Set(logsOf(workers.concat([...killed]), 'deadline warning skipped').map((l) => String(l.deadlineId)));
    for (const d of warnedWithout) {
      expect(d.warned_at).not.toBeNull();
      expect(d.warned_at!.getTime()).toBeGreaterThanOrEqual(d.due_at.getTime());
      expect(skippedLogged.has(d.id)).toBe(true);
    }

    // Webhooks: each alert delivered, exactly once.
    const deliveries = await until(
      () => db.selectFrom('alert_deliveries').select(['alert_id', 'status']).execute(),
      (ds) => ds.length === alerts.length && ds.every((d) => d.status === 'delivered'),
      30_000,
      250,
    );
    expect(deliveries.filter((d) => d.status !== 'delivered')).toEqual([]);
    expect(deliveries).toHaveLength(alerts.length);
    expect(new Set(receiver.received.keys())).toEqual(new Set(alerts.map((a) => a.id)));
    expect([...receiver.received.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    // Every acknowledged write is in the history.
    const cases = await db.selectFrom('cases').select('id').where('id', 'in', load.meldingen).execute();
    expect(cases).toHaveLength(load.meldingen.length);
    const events = await db.selectFrom('case_events').select(['case_id', 'seq', 'payload']).where('type', '=', 'NOTE_ADDED').execute();
    const stored = new Set(events.map((e) => `${e.case_id}/${e.seq}/${String(e.payload.text)}`));
    expect(load.events.filter((e) => !stored.has(`${e.caseId}/${e.seq}/${e.text}`))).toEqual([]);
    expect(load.events.length).toBeGreaterThan(20);
    // Only outages answered with 503, never a 500, a hang or a closed socket.
    expect(load.unexpected).toEqual([]);

    // No process exited but the one killed on purpose, and none printed an unhandled error.
    for (const p of [...apis, ...workers]) {
      expect(p.exitSignal()).toBeNull();
      expect(p.stderr.filter((l) => /Unhandled|uncaught/i.test(l))).toEqual([]);
    }
    const settled = await Promise.race([Promise.race([...apis, ...workers].map((p) => p.exited.then(() => 'exited'))), pause(100).then(() => 'running')]);
    expect(settled).toBe('running');

    const verify = await run(resolve(ROOT, 'node_modules/.bin/tsx'), ['src/audit/audit-verify.cli.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', DATABASE_URL: pg.url(DB_NAME), AUTH_JWT_SECRET: TEST_JWT_SECRET },
    });
    expect(verify.stdout).toMatch(/^audit chain intact: \d+ rows/);
    process.stdout.write(
      `fault suite: ${load.meldingen.length} meldingen and ${load.events.length} notes acknowledged, ${load.refused} writes refused with 503; ${breaches.length} breaches, ${warnings.length} warnings (${warnedWithout.length} skipped as late, each logged), ${receiver.received.size} webhooks\n`,
    );
  });
});
