/**
 * Date bounds in every schema: instants, case dates and report periods from 2000, receivedAt no further back than
 * RECEIVED_AT_MAX_AGE_DAYS. Before, a date before 1980 (the Awt calendar's start) reached the calendar and was a 500,
 * and a receivedAt decades back was accepted and alerted at once.
 */
import type { LightMyRequestResponse } from 'fastify';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { expectNothingWritten } from './row-counts';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-23T09:00:00+01:00');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function expectRefused(res: LightMyRequestResponse, field: string): void {
  expect({ status: res.statusCode, fields: res.statusCode === 400 ? apiError(res.json()).issues.map((i) => i.field) : res.body.slice(0, 300) }).toEqual({
    status: 400,
    fields: expect.arrayContaining([field]),
  });
}

describe('date bounds', () => {
  let t: TestApp;
  let alice: string;
  let teamleider: string;
  let manager: string;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    teamleider = await t.token('tl', 'teamleider', { teams: ['team-zwolle'] });
    manager = await t.token('marit', 'manager');
  });
  afterAll(async () => t.close());

  it.each(['1979-12-31T10:00:00+01:00', '1980-01-02T10:00:00+01:00', '0000-01-01T00:00:00Z', daysBefore(366)])('receivedAt %s is refused, and nothing is written', async (receivedAt) => {
    expectRefused(await expectNothingWritten(t.db, () => t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt }))), 'receivedAt');
    const advies = { receivedAt, gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'Vraag om advies.' };
    expectRefused(await expectNothingWritten(t.db, () => t.request('POST', '/v1/adviezen', alice, advies)), 'receivedAt');
  });

  it('a receivedAt within the window is accepted', async () => {
    expect((await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: daysBefore(364) }))).statusCode).toBe(201);
  });

  it('the window is a setting (RECEIVED_AT_MAX_AGE_DAYS)', async () => {
    const narrow = await startTestApp({ now: NOW, env: { RECEIVED_AT_MAX_AGE_DAYS: '30' } });
    try {
      const token = await narrow.token('alice', 'medewerker', { teams: ['team-zwolle'] });
      const res = await narrow.request('POST', '/v1/meldingen', token, meldingBody({ receivedAt: daysBefore(31) }));
      expectRefused(res, 'receivedAt');
      expect(apiError(res.json()).issues[0]!.rule).toMatch(/30 days/);
      expect((await narrow.request('POST', '/v1/meldingen', token, meldingBody({ receivedAt: daysBefore(29) }))).statusCode).toBe(201);
    } finally {
      await narrow.close();
    }
  });

  it('quality periods start in 2000', async () => {
    expectRefused(await t.request('GET', '/v1/quality?from=1979-01-01&to=2026-10-31', teamleider), 'querystring.from');
    expectRefused(await t.request('GET', '/v1/quality?from=2026-10-01&to=0000-01-01', teamleider), 'querystring.to');
    expect((await t.request('GET', '/v1/quality?from=2000-01-01&to=2000-01-31', teamleider)).statusCode).toBe(200);
  });

  it('metrics months start in 2000', async () => {
    expectRefused(await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=1979-12', manager), 'querystring.month');
    expectRefused(await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&month=0000-01', manager), 'querystring.month');
    expectRefused(await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=1999-12&to=2026-10', manager), 'querystring.from');
    expectRefused(await t.request('GET', '/v1/metrics/wachtlijst?gemeente=GM0193&from=2026-01&to=9999-12', manager), 'querystring.to');
  });

  it('case dates in events and the list filter are bounded too', async () => {
    const created = (await t.request('POST', '/v1/meldingen', alice, meldingBody())).json<{ id: string; version: number; persons: Array<{ id: string; role: string }> }>();
    const kind = created.persons.find((p) => p.role === 'kind')!.id;
    const send = (body: Record<string, unknown>) => t.request('POST', `/v1/cases/${created.id}/events`, alice, { expectedVersion: created.version, ...body });
    expectRefused(await send({ type: 'MONITORING_CONTACT_PLANNED', with: 'Gezin', plannedFor: '1900-01-01' }), 'plannedFor');
    expectRefused(await send({ type: 'CHILD_CONTACT_RECORDED', personId: kind, contactDate: '1970-05-05', seen: true, spoken: true }), 'contactDate');
    expectRefused(await t.request('GET', '/v1/cases?dueBefore=0001-01-01T00:00:00Z', alice), 'querystring.dueBefore');
  });
});
