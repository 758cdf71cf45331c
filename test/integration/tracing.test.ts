/**
 * OpenTelemetry, as an operator turns it on: the compiled service (node dist/src/main.js, as the image runs it) with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver this test runs. One trace runs from
 * `POST /v1/meldingen` (an acute melding) through its PostgreSQL queries and the BullMQ add of the notification job
 * of its immediate alert to the worker processing that job: one traceId on all of them. (Deadline timers are no jobs:
 * the timer index holds ids and moments only.) Without the variable no span is sent at all.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { buildDist, spawnService, type RunningService } from '../support/spawn-service';
import { meldingBody, testToken } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { until } from '../support/poll';

jest.setTimeout(180_000);

/** Polls until `read` gives a value; fails naming what it waited for. */
async function waitFor<T>(what: string, read: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const value = await until(read, (v) => v !== null, timeoutMs, 100);
  if (value === null) throw new Error(`no ${what} within ${timeoutMs} ms`);
  return value;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, string>;
}

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const flat = (v: OtlpValue): string => v.stringValue ?? (v.intValue !== undefined ? String(v.intValue) : (v.arrayValue?.values ?? []).map(flat).join(','));

/** An OTLP/HTTP (JSON) trace receiver: what a collector would get. */
async function otlpReceiver(): Promise<{ url: string; spans: Span[]; bodies: string[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        bodies.push(body);
        const doc = JSON.parse(body) as { resourceSpans?: Array<{ scopeSpans?: Array<{ scope?: { name?: string }; spans?: OtlpSpan[] }> }> };
        for (const rs of doc.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                name: s.name,
                kind: s.kind,
                scope: ss.scope?.name ?? '',
                attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, flat(a.value)])),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('tracing (OpenTelemetry) of the compiled service', () => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let redis: Redis;
  const running: RunningService[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(2);
    receiver = await otlpReceiver();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    await buildDist();
  }, 300_000);

  afterAll(async () => {
    for (const s of running) s.kill('SIGKILL');
    await receiver?.close();
    redis?.disconnect();
    await database?.drop();
  });

  const start = (prefix: string, env: Record<string, string>, entry?: string[]) =>
    spawnService({
      entry,
      env: { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '3', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, ...env },
      ready: (l) => /Server listening/.test(l.msg ?? ''),
    }).then((s) => (running.push(s), s));

  it('one trace from POST /v1/meldingen through pg and the BullMQ add to the processing of the notification job it scheduled', async () => {
    const prefix = `vt-otel-${randomUUID().slice(0, 8)}`;
    const service = await start(prefix, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    expect((await service.waitForLog((l) => l.msg === 'database ready')).tracing).toBe(true);
    const alice = await testToken('alice', 'medewerker', { teams: ['team-zwolle'] });
    const bob = await testToken('bob', 'teamleider', { teams: ['team-zwolle'] });
    const call = async (token: string, method: string, path: string, body: unknown, requestId?: string) => {
      const res = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { id: string };
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    // The team's e-mail channel: an acute melding's immediate alert is delivered to it through the notifications queue
    // (no SMTP here, so the delivery fails and is retried; its processing is what is traced).
    await call(bob, 'PUT', '/v1/teams/team-zwolle/alert-channels', { email: 'team-zwolle@vt.test' });
    const requestId = `trace-test-${randomUUID()}`;
    await call(alice, 'POST', '/v1/meldingen', meldingBody({ acuteDanger: true }), requestId);

    const queue = new Queue('notifications', { connection: redis, prefix });
    try {
      const jobs = await waitFor('the notification job of the acute alert', async () => {
        const found = (await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed'])).filter((j) => j.name === 'alert-deliver');
        return found.length > 0 ? found : null;
      });
      const job = jobs[0]!;

      // The HTTP server span of that request (found by its x-request-id), and everything in its trace.
      const http = await waitFor('HTTP server span of the request', async () => receiver.spans.find((s) => s.kind === SERVER && s.attributes['http.response.header.x-request-id'] === requestId) ?? null);
      const processing = await waitFor('processing span of the job, in the same trace', async () => receiver.spans.find((s) => s.kind === CONSUMER && s.traceId === http.traceId && s.attributes['bullmq.job.id'] === job.id) ?? null, 30_000);
      const trace = receiver.spans.filter((s) => s.traceId === http.traceId);
      const byScope = (re: RegExp) => trace.filter((s) => re.test(s.scope));
      // pg: the transaction of the transition and, under the worker's span, the handler's queries.
      const pg = byScope(/instrumentation-pg/);
      expect(pg.length).toBeGreaterThan(0);
      const adds = trace.filter((s) => s.kind === PRODUCER && /notifications/.test(s.name));
      expect(adds.length).toBeGreaterThan(0);
      expect(http.attributes['http.route'] ?? http.name).toMatch(/\/v1\/meldingen/);
      // The handler's own queries are children of the processing span (same trace, found through the parents).
      const children = (id: string): Span[] => trace.filter((s) => s.parentSpanId === id).flatMap((s) => [s, ...children(s.spanId)]);
      expect(children(processing.spanId).filter((s) => /instrumentation-pg/.test(s.scope)).length).toBeGreaterThan(0);
      expect(children(http.spanId).filter((s) => /instrumentation-pg/.test(s.scope)).length).toBeGreaterThan(0);
      // One trace: the processing span descends from the HTTP span.
      expect(children(http.spanId).map((s) => s.spanId)).toContain(processing.spanId);

      // Spans hold the path without a query string, SQL with placeholders, and no personal data of the melding.
      const exported = receiver.bodies.join('\n');
      for (const value of ['Juf Testmelder', 'Testouder Een', 'Testkind Een', '111222333', '038-0000000', '1985-04-02', 'Zorgen over de thuissituatie']) expect({ value, found: exported.includes(value) }).toEqual({ value, found: false });
    } finally {
      await queue.close();
    }
  });

  it('npm start (node --import tsx src/main.ts) traces too: the request and its queries in one trace', async () => {
    const service = await start(`vt-otel-${randomUUID().slice(0, 8)}`, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' }, ['--import', 'tsx', 'src/main.ts']);
    const alice = await testToken('alice', 'medewerker', { teams: ['team-zwolle'] });
    const requestId = `trace-tsx-${randomUUID()}`;
    const res = await fetch(`${service.baseUrl}/v1/meldingen`, { method: 'POST', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(meldingBody()) });
    expect(res.status).toBe(201);
    const http = await waitFor('HTTP server span of the request', async () => receiver.spans.find((s) => s.kind === SERVER && s.attributes['http.response.header.x-request-id'] === requestId) ?? null);
    const pg = await waitFor('pg spans in its trace', async () => {
      const found = receiver.spans.filter((s) => s.traceId === http.traceId && /instrumentation-pg/.test(s.scope));
      return found.length > 0 ? found : null;
    });
    expect(pg.length).toBeGreaterThan(0);
  });

  it('sends no span without OTEL_EXPORTER_OTLP_ENDPOINT (the service logs tracing: false)', async () => {
    // The traced services of the tests above would go on exporting (their workers' polls): stop them first.
    for (const s of running.splice(0)) {
      s.kill('SIGKILL');
      await s.exited;
    }
    const spansBefore = receiver.bodies.length;
    const service = await start(`vt-otel-${randomUUID().slice(0, 8)}`, {});
    expect((await service.waitForLog((l) => l.msg === 'database ready')).tracing).toBe(false);
    const alice = await testToken('alice', 'medewerker', { teams: ['team-zwolle'] });
    const res = await fetch(`${service.baseUrl}/v1/meldingen`, { method: 'POST', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, body: JSON.stringify(meldingBody()) });
    expect(res.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.bodies.length).toBe(spansBefore);
  });
});
