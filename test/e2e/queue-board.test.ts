/**
 * Bull Board at /admin/queues (src/http/queue-board.ts): for a beheerder only (bearer header, or the cookie its
 * sign-in sets), read-only, under the CSP; and after an e2e run on real Redis (meldingen, events, a breach, webhook
 * deliveries that fail and retry) no job in any queue, and nothing the board shows, holds personal data: job payloads
 * are ids only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Job, Queue } from 'bullmq';
import { OffsetClock } from '../support/clocks';
import { apiError } from '../support/api-error';
import { testPersonalData } from '../support/personal-data-check';
import { until } from '../support/poll';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Every key a job payload may have (workers/job-catalogue.ts): ids, and the request id. */
const ID_KEYS = new Set(['deadlineId', 'alertId', 'deliveryId', 'requestId']);
const ALL_STATES = ['completed', 'failed', 'delayed', 'active', 'wait', 'waiting-children', 'prioritized'] as const;

/** What this run's meldingen said about persons and melder: none of it may reach a queue. */
const MELDER = { professional: false, name: 'Buurvrouw Queuetest', contact: '06-12345678' };
const PERSONS = [
  { role: 'ouder', name: 'Ouder Queuetest', birthDate: '1984-03-09', bsn: '123456782' },
  { role: 'kind', name: 'Kind Queuetest', birthDate: '2016-08-21' },
];
const SUMMARY = 'Geschreeuw en gehuil gehoord bij de buren (synthetische queue-test).';

describe('Bull Board at /admin/queues', () => {
  let s: TestStack;
  let hooks: Server;
  let hookCalls = 0;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    // A webhook receiver that fails: deliveries are retried, so the notifications queue has delayed and failed work.
    hooks = createServer((_req, res) => {
      hookCalls += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    s = await startTestStack({ clock: new OffsetClock(new Date()), env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    s.startWorkers();
    tok.alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tok.tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tok.marit = await s.token('marit', 'manager');
    tok.ben = await s.token('ben', 'beheerder');
  });
  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  });

  const board = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'PUT' | 'POST' = 'GET') => s.app.inject({ method, url, headers });

  it('an e2e run leaves only ids in every job of every queue, and the board shows no personal data', async () => {
    const port = (hooks.address() as AddressInfo).port;
    const channel = await s.request('PUT', '/v1/teams/team-zwolle/alert-channels', tok.tom!, { webhookUrl: `http://127.0.0.1:${port}/hook`, webhookSecret: 'a-secret-of-at-least-16-chars' });
    expect(channel.statusCode).toBeLessThan(300);
    // One melding long overdue (its breach fires at once, and is delivered to the failing webhook), one fresh and acute.
    const late = await s.request('POST', '/v1/meldingen', tok.alice!, meldingBody({ receivedAt: '2026-09-01T10:00:00+02:00', reporter: MELDER, persons: PERSONS, summary: SUMMARY }));
    const fresh = await s.request('POST', '/v1/meldingen', tok.alice!, meldingBody({ receivedAt: new Date().toISOString(), acuteDanger: true, reporter: MELDER, persons: PERSONS, summary: SUMMARY }));
    expect([late.statusCode, fresh.statusCode]).toEqual([201, 201]);
    const id = fresh.json<{ id: string }>().id;
    let version = 1;
    for (const [type, payload] of [
      ['NOTE_ADDED', { text: 'Melder Buurvrouw Queuetest teruggebeld over Kind Queuetest.' }],
      ['DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig naar de veiligheid van Kind Queuetest.' }],
    ] as const) {
      const res = await s.request('POST', `/v1/cases/${id}/events`, tok.alice!, { type, expectedVersion: version, ...payload });
      expect({ type, status: res.statusCode }).toEqual({ type, status: 200 });
      version += 1;
    }
    const approved = await s.request('POST', `/v1/cases/${id}/events`, tok.tom!, { type: 'DECISION_APPROVED', expectedVersion: version, comment: 'Akkoord.' });
    expect(approved.statusCode).toBe(200);
    // The breach and the acute alert reached the webhook (and failed), so deliveries went through the queue.
    expect(await until(async () => hookCalls, (n) => n >= 2, 20_000)).toBeGreaterThanOrEqual(2);

    const queues: Queue[] = [s.timer!.deadlines, s.timer!.notifications];
    const jobs: Array<{ queue: string; job: Job }> = [];
    for (const queue of queues) for (const job of await queue.getJobs([...ALL_STATES], 0, -1)) jobs.push({ queue: queue.name, job });
    const names = new Set(jobs.map((j) => `${j.queue}/${j.job.name}`));
    // Deadline timers are no jobs (the timer index, below); the breach's escalation and the deliveries are.
    expect([...names]).toEqual(expect.arrayContaining(['deadlines/alert-escalate', 'notifications/alert-deliver']));
    expect([...names].filter((n) => n.includes('deadline-warn') || n.includes('deadline-breach'))).toEqual([]);
    // The timer index holds compact deadline ids and moments only.
    const timers = await s.redis!.zrangebyscore(s.timer!.timerKey, '-inf', '+inf', 'WITHSCORES');
    expect(timers.length).toBeGreaterThan(0);

    // Every payload: only id keys, each value a UUID (or the request id).
    const bad = jobs.flatMap(({ queue, job }) =>
      Object.entries(job.data as Record<string, unknown>)
        .filter(([key, value]) => !ID_KEYS.has(key) || typeof value !== 'string' || (key !== 'requestId' && !UUID.test(value)))
        .map(([key]) => `${queue}/${job.name} ${job.id}: ${key}`),
    );
    expect(bad).toEqual([]);

    // And nothing of the persons, the melder or the free text anywhere in the jobs or in what the board answers.
    const { names: testNames, bsns } = testPersonalData(join(__dirname, '..'));
    const personal = [...new Set([...testNames, ...bsns, MELDER.name, MELDER.contact, SUMMARY, 'Queuetest', ...PERSONS.flatMap((p) => [p.name, p.birthDate, p.bsn ?? ''])])].filter(Boolean);
    const inJobs = JSON.stringify(jobs.map(({ job }) => ({ data: job.data, name: job.name, id: job.id, returnvalue: job.returnvalue, failedReason: job.failedReason, opts: job.opts })));
    const shown: string[] = [];
    for (const queue of queues) {
      for (const status of ['latest', 'completed', 'failed', 'delayed', 'waiting', 'active']) {
        const res = await board(`/admin/queues/api/queues?activeQueue=${queue.name}&status=${status}&page=1&jobsPerPage=1000`, { authorization: `Bearer ${tok.ben}` });
        expect({ status, code: res.statusCode }).toEqual({ status, code: 200 });
        shown.push(res.body);
      }
    }
    const everything = `${inJobs}\n${shown.join('\n')}\n${timers.join('\n')}`;
    expect(personal.filter((value) => everything.includes(value))).toEqual([]);
    // The board did list the jobs it was asked for (the scan above read something real).
    expect(shown.join('\n')).toContain('alert-escalate');
    expect(shown.join('\n')).toContain('alert-deliver');
  });

  it('without a token 401, with another role 403; a beheerder sees both queues (bearer header)', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/queue/deadlines']) {
      const anonymous = await board(url);
      expect({ url, status: anonymous.statusCode }).toEqual({ url, status: 401 });
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      expect(apiError(anonymous.json()).code).toBe('AUTH.MISSING_TOKEN');
      for (const who of ['alice', 'tom', 'marit']) {
        const res = await board(url, { authorization: `Bearer ${tok[who]}` });
        expect({ url, who, status: res.statusCode }).toEqual({ url, who, status: 403 });
        expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      }
    }
    const page = await board('/admin/queues', { authorization: `Bearer ${tok.ben}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    const api = await board('/admin/queues/api/queues', { authorization: `Bearer ${tok.ben}` });
    expect(api.statusCode).toBe(200);
    expect(api.json<{ queues: Array<{ name: string; readOnlyMode: boolean }> }>().queues.map((q) => [q.name, q.readOnlyMode]).sort()).toEqual([
      ['deadlines', true],
      ['notifications', true],
    ]);
    // The static files (scripts) behind the same check.
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    expect((await board(`/admin/queues/${script}`)).statusCode).toBe(401);
    expect((await board(`/admin/queues/${script}`, { authorization: `Bearer ${tok.ben}` })).statusCode).toBe(200);
  });

  it('a browser signs in with a beheerder token: an HttpOnly, SameSite=Strict cookie for /admin/queues; other roles get none', async () => {
    const form = (token: string) => s.app.inject({ method: 'POST', url: '/admin/queues/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ token }).toString() });
    const signInPage = await board('/admin/queues/sign-in');
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.body).toContain('action="/admin/queues/sign-in"');

    const refused = await form(tok.alice!);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await form('not-a-token')).statusCode).toBe(401);

    const ok = await form(tok.ben!);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/queues');
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/^vt_queue_board=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const pair = cookie.split(';')[0]!;
    expect((await board('/admin/queues', { cookie: pair })).statusCode).toBe(200);
    expect((await board('/admin/queues/api/queues', { cookie: pair })).statusCode).toBe(200);
    // A medewerker's token in the cookie is refused like in the header; so is a tampered one.
    expect((await board('/admin/queues/api/queues', { cookie: `vt_queue_board=${tok.alice}` })).statusCode).toBe(403);
    expect((await board('/admin/queues/api/queues', { cookie: `${pair}x` })).statusCode).toBe(401);
    // The cookie is no credential for the API itself.
    expect((await board('/v1/audit', { cookie: pair })).statusCode).toBe(401);

    const out = await s.app.inject({ method: 'POST', url: '/admin/queues/sign-out' });
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
  });

  it('is read-only: retrying, cleaning, promoting or adding jobs is refused', async () => {
    const auth = { authorization: `Bearer ${tok.ben}` };
    for (const [method, url] of [
      ['PUT', '/admin/queues/api/queues/deadlines/retry/failed'],
      ['PUT', '/admin/queues/api/queues/deadlines/clean/completed'],
      ['PUT', '/admin/queues/api/queues/deadlines/promote'],
      ['POST', '/admin/queues/api/queues/deadlines/add'],
      ['PUT', '/admin/queues/api/queues/pause'],
    ] as const) {
      const res = await board(url, auth, method);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
      expect(apiError(res.json()).message).toContain('read-only');
    }
    expect(await s.timer!.deadlines.isPaused()).toBe(false);
  });

  it('the CSP still holds: scripts from self only everywhere; inline styles only for the board (and /docs)', async () => {
    const auth = { authorization: `Bearer ${tok.ben}` };
    const boardCsp = String((await board('/admin/queues', auth)).headers['content-security-policy']);
    expect(boardCsp).toContain("script-src 'self'");
    expect(boardCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(boardCsp).toContain("frame-ancestors 'none'");
    for (const url of ['/v1/alerts', '/', '/health/live', '/admin/queues/sign-in']) {
      const csp = String((await board(url, auth)).headers['content-security-policy']);
      expect({ url, csp: csp.includes("style-src 'self';") || csp.endsWith("style-src 'self'") }).toEqual({ url, csp: true });
      expect({ url, inline: csp.includes('unsafe-inline') }).toEqual({ url, inline: false });
    }
  });
});
