import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { OffsetClock } from '../support/clocks';
import { timerAt } from '../support/timer-index';
import { spawnWorker, killAllWorkers, type SpawnedWorker } from '../support/spawn-worker';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { until, waitFor } from '../support/poll';
import { standardWebhookVerdict } from '../support/standard-webhook';
import { immediateAlerts, levelsOf, termAlerts } from '../support/term-alerts';

/**
 * Real worker processes (`tsx src/main.ts --role worker`) against one PostgreSQL database and one BullMQ queue
 * prefix: several processes never alert twice, a worker killed mid-job loses nothing and duplicates nothing, and
 * SIGTERM shuts a worker down cleanly. The API side runs in process (test stack) and only enqueues.
 */
jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A local webhook receiver that records every request and answers 204. */
async function startReceiver(): Promise<{ server: Server; url: string; received: ReceivedWebhook[] }> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/vt-alerts`, received };
}

/** Verified by the standardwebhooks package itself, at real time (the workers here run on the real clock). */
function validSignature(secret: string, w: ReceivedWebhook): boolean {
  return standardWebhookVerdict(secret, w.headers, w.rawBody, { realTime: true }).ok;
}

const stacks: TestStack[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

/** The webhook receiver runs on loopback, which webhooks may reach only as an allowed internal host. */
const ALLOW_LOOPBACK = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

async function stack(env: Record<string, string> = {}): Promise<TestStack> {
  const s = await startTestStack({ clock: new OffsetClock(new Date()), env: { ...ALLOW_LOOPBACK, ...env } });
  stacks.push(s);
  return s;
}

function workerFor(s: TestStack, env: Record<string, string> = {}): Promise<SpawnedWorker> {
  return spawnWorker({ databaseUrl: s.database.url, prefix: s.prefix, env: { ...ALLOW_LOOPBACK, ...env } });
}

afterEach(async () => {
  // A failing test must not leave worker processes behind (nor let them run into the next test).
  await killAllWorkers();
});

afterAll(async () => {
  await killAllWorkers();
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
  for (const s of stacks.splice(0)) await s.close();
});

describe('worker processes (tsx src/main.ts --role worker) on one queue', () => {
  it('three worker processes produce each breach alert exactly once, and each signed webhook exactly once', async () => {
    const s = await stack();
    const receiver = await startReceiver();
    cleanups.push(() => new Promise((r) => receiver.server.close(r)));
    const secret = 'webhook-secret-of-team-zwolle-0123';
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const put = await s.request('PUT', '/v1/teams/team-zwolle/alert-channels', tom, { webhookUrl: receiver.url, webhookSecret: secret });
    expect(put.statusCode).toBe(200);

    const workers = await Promise.all([workerFor(s), workerFor(s), workerFor(s)]);
    expect(new Set(workers.map((w) => w.pid)).size).toBe(3);

    // Assessment terms that passed weeks ago: the API schedules each breach job with delay 0 on the shared queue.
    const N = 30;
    const receivedAt = new Date(Date.now() - 4 * 7 * 24 * 3600_000).toISOString();
    const caseIds: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt }));
      expect(res.statusCode).toBe(201);
      caseIds.push(res.json().id);
    }
    const deadlines = await s.db.selectFrom('deadlines').select(['id', 'case_id', 'kind']).where('case_id', 'in', caseIds).execute();
    expect(deadlines).toHaveLength(N);
    expect(new Set(deadlines.map((d) => d.kind))).toEqual(new Set(['veiligheidsbeoordeling']));

    const countBreaches = async () =>
      Number((await s.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('level', '=', 'breach').executeTakeFirstOrThrow()).n);
    await waitFor(`${N} breach alerts`, async () => (await countBreaches()) >= N, 20_000, 100);
    await waitFor(`${N} webhooks`, async () => new Set(receiver.received.map((w) => JSON.parse(w.rawBody).alertId)).size >= N, 20_000, 100);
    // Give any duplicate (a second alert, a second delivery) time to show up.
    await sleep(2_000);

    const alerts = await s.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toHaveLength(N);
    expect(alerts.every((a) => a.level === 'breach')).toBe(true);
    expect(new Set(alerts.map((a) => a.deadline_id))).toEqual(new Set(deadlines.map((d) => d.id)));
    const states = await s.db.selectFrom('deadlines').select(['status']).where('case_id', 'in', caseIds).execute();
    expect(states.every((d) => d.status === 'breached')).toBe(true);

    // Each alert id arrived exactly once, correctly signed.
    const ids = receiver.received.map((w) => JSON.parse(w.rawBody).alertId as string).sort();
    expect(ids).toEqual(alerts.map((a) => a.id).sort());
    for (const w of receiver.received) {
      expect(w.headers['content-type']).toMatch(/^application\/json/);
      expect(validSignature(secret, w)).toBe(true);
    }
    // A delivery's outcome is recorded after the webhook answered: wait for the last ones.
    const deliveries = await until(
      () => s.db.selectFrom('alert_deliveries').select(['status', 'attempts']).execute(),
      (ds) => ds.length === N && ds.every((d) => d.status !== 'pending'),
      10_000,
    );
    expect(deliveries).toHaveLength(N);
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);

    // The work was shared: every worker process is still alive (none crashed on a duplicate).
    for (const w of workers) expect(w.exitSignal()).toBeNull();
  });

  it('a worker killed while firing a breach, then replaced, produces the alert exactly once', async () => {
    // A 6-second acute term (fractional minutes), in the stack's and in the worker's configuration alike.
    const env = { DEADLINE_ACUTE_MINUTES: '0.1' };
    const s = await stack(env);
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const first = await workerFor(s, env);

    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: undefined, acuteDanger: true }));
    expect(res.statusCode).toBe(201);
    const caseId: string = res.json().id;
    const deadline = await s.db.selectFrom('deadlines').selectAll().where('case_id', '=', caseId).where('kind', '=', 'acuut').executeTakeFirstOrThrow();
    const dueAt = new Date(deadline.due_at);
    expect(dueAt.getTime() - Date.now()).toBeGreaterThan(1_000);
    expect(dueAt.getTime() - Date.now()).toBeLessThan(6_500);

    // The warning (due at receipt for so short a term) is handled first, so only the breach will block.
    await waitFor(
      'the acute warning',
      async () => (await s.db.selectFrom('deadlines').select('warned_at').where('id', '=', deadline.id).executeTakeFirstOrThrow()).warned_at,
      Math.max(dueAt.getTime() - Date.now() - 300, 100),
      25,
    );

    // Hold the alerts table against writers: the worker's firing transaction locks the deadline and its case (skip
    // locked: nothing else holds them), then blocks on the alerts table, i.e. it is killed in the middle of it.
    const holder = new Client({ connectionString: s.database.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE alerts IN SHARE MODE');
    expect(Date.now()).toBeLessThan(dueAt.getTime());

    await waitFor(
      'a backend waiting on the alert lock',
      async () =>
        Number(
          (
            await holder.query<{ n: string }>(
              "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
            )
          ).rows[0]!.n,
        ) > 0,
      10_000,
      50,
    );

    first.kill('SIGKILL');
    await first.exited;
    expect(first.exitSignal()).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();
    cleanups.pop();

    // The killed worker wrote nothing: the deadline is still open and there is no breach alert.
    await sleep(300);
    expect((await s.db.selectFrom('deadlines').select('status').where('id', '=', deadline.id).executeTakeFirstOrThrow()).status).toBe('open');
    const breachAlerts = () => s.db.selectFrom('alerts').selectAll().where('deadline_id', '=', deadline.id).where('level', '=', 'breach').execute();
    expect(await breachAlerts()).toHaveLength(0);

    // The deadline's timer is still in the index (the killed drainer never advanced it): a new worker fires it. (Its
    // boot reconcile may get to the past-due deadline first; either way there must be one alert, and the timer goes.)
    expect(await timerAt(s, deadline.id)).toBe(dueAt.getTime());
    await workerFor(s, env);
    await waitFor('the breach alert', async () => (await breachAlerts()).length > 0, 15_000, 100);
    await waitFor('the timer to leave the index', async () => (await timerAt(s, deadline.id)) === null, 5_000, 100);

    expect(await breachAlerts()).toHaveLength(1);
    expect((await s.db.selectFrom('deadlines').select('status').where('id', '=', deadline.id).executeTakeFirstOrThrow()).status).toBe('breached');
    await sleep(3_000);
    expect(await breachAlerts()).toHaveLength(1);
    // Besides the immediate alert the acute melding raised at registration, the term fired each level once.
    expect(levelsOf(await termAlerts(s.db, { deadlineIds: [deadline.id] }))).toEqual(['warning', 'breach']);
    expect(levelsOf(await immediateAlerts(s.db, caseId))).toEqual(['acute']);
  });

  it('a worker receiving SIGTERM exits with code 0 within 15 seconds', async () => {
    const s = await stack();
    const w = await workerFor(s);
    const started = Date.now();
    w.kill('SIGTERM');
    let bound: NodeJS.Timeout | undefined;
    const code = await Promise.race([w.exited, new Promise<'still running'>((r) => (bound = setTimeout(() => r('still running'), 15_000)))]);
    clearTimeout(bound);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(w.stdout.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
  });
});
