import { PassThrough } from 'node:stream';
import { OffsetClock } from '../support/clocks';
import { JOB_CATALOGUE, type JobName } from '../../workers/job-catalogue';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  let t: TestApp;
  const logged: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const stream = new PassThrough();
    let buffered = '';
    stream.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const p of parts.filter(Boolean)) logged.push(JSON.parse(p) as Record<string, unknown>);
    });
    t = await startTestApp({ log: { stream, level: 'info' } });
  });
  afterAll(async () => t.close());

  it('echoes a well-formed id and logs the request under it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'ingress-7f3a.42' } });
    expect(res.headers['x-request-id']).toBe('ingress-7f3a.42');
    expect(logged.filter((l) => l.reqId === 'ingress-7f3a.42').map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('generates a UUID when none is sent, and replaces one that is too long or holds spaces or control characters', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(none.headers['x-request-id']).toMatch(UUID);
    for (const bad of ['a'.repeat(129), 'two words', 'line\u0007bell', '']) {
      const res = await t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': bad } });
      expect({ bad, id: res.headers['x-request-id'] }).toEqual({ bad, id: expect.stringMatching(UUID) });
    }
    // Errors carry it too.
    const unauthorised = await t.app.inject({ method: 'GET', url: '/v1/cases', headers: { 'x-request-id': 'err-1' } });
    expect({ status: unauthorised.statusCode, id: unauthorised.headers['x-request-id'] }).toEqual({ status: 401, id: 'err-1' });
  });
});

describe('x-request-id in the jobs a request schedules', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ clock: new OffsetClock(new Date()) });
  });
  afterAll(async () => s.close());

  it('an acute melding’s notification jobs carry the request’s id beside the delivery id, and nothing else', async () => {
    // Deadline timers are no jobs (the timer index holds only ids and moments); the jobs a request schedules are the
    // deliveries of the immediate alert an acute melding raises, to the team's channels.
    const bea = await s.token('bea', 'beheerder');
    expect((await s.request('PUT', '/v1/teams/team-zwolle/alert-channels', bea, { email: 'team-zwolle@vt.test' })).statusCode).toBe(200);
    const token = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const res = await s.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'melding-req-1' }, payload: meldingBody({ acuteDanger: true }) });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('melding-req-1');
    const jobs = await s.timer!.notifications.getJobs(['delayed', 'wait']);
    const mine = jobs.filter((j) => j.name === 'alert-deliver');
    expect(mine.length).toBeGreaterThan(0);
    for (const job of mine) {
      expect(Object.keys(job.data as object).sort()).toEqual(['deliveryId', 'requestId']);
      expect((job.data as { requestId: string }).requestId).toBe('melding-req-1');
      // The worker accepts the payload as it is (the catalogue's strict schema knows requestId).
      expect(JOB_CATALOGUE[job.name as JobName].payload.safeParse(job.data).success).toBe(true);
    }
  });
});
