import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { PLAN } from '../support/plan-van-aanpak';

interface Deadline { id: string; kind: string; key: string; status: string; dueAt: string; openedAt: string }
interface Alert { level: string; caseId: string; deadlineKind: string; teamId: string; dueAt: string }

/** Acute unsafety at receipt or later: its own term from that moment, and at once an alert of its own level. */
describe('the acute path, through the API and BullMQ on real Redis', () => {
  let s: TestStack;
  let alice: string;
  let bob: string;
  let tom: string;
  beforeAll(async () => {
    s = await startTestStack({ clock: new OffsetClock(new Date('2026-11-24T10:00:00+01:00')) });
    s.startWorkers();
    alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    bob = await s.token('bob', 'medewerker', { teams: ['team-zwolle'] });
    tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
  });
  afterAll(async () => s.close());

  const alertsOf = async (token: string, caseId: string) => (await s.request('GET', '/v1/alerts', token)).json<{ items: Alert[] }>().items.filter((a) => a.caseId === caseId);

  it('registering an acute melding raises an acute alert for the teamleider at once, not only when the term passes', async () => {
    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-11-24T09:55:00+01:00', acuteDanger: true }));
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const alerts = await alertsOf(tom, id);
    expect(alerts).toEqual([expect.objectContaining({ level: 'acute', deadlineKind: 'acuut', teamId: 'team-zwolle', dueAt: '2026-11-24T12:55:00.000Z' })]);
    const other = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    expect(await alertsOf(other, id)).toEqual([]);
  });

  it('acute unsafety established during an onderzoek opens the acute term from that moment and alerts at once; the action meets it', async () => {
    const id = (await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-11-23T09:00:00+01:00' }))).json<{ id: string }>().id;
    const send = async (token: string, version: number, body: Record<string, unknown>) => {
      const r = await s.request('POST', `/v1/cases/${id}/events`, token, { expectedVersion: version, ...body });
      expect(r.statusCode).toBe(200);
      return r.json<{ state: string; version: number; deadlines: Deadline[] }>();
    };
    await send(alice, 1, { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
    await send(bob, 2, { type: 'DECISION_APPROVED' });
    const started = await send(alice, 3, { type: 'ONDERZOEK_STARTED', ...PLAN });
    expect(started.deadlines.filter((d) => d.kind === 'acuut')).toEqual([]);
    // Before it is established, there is nothing acute to act on.
    const refused = await s.request('POST', `/v1/cases/${id}/events`, alice, { expectedVersion: 4, type: 'ACUTE_ACTION_STARTED', description: 'Politie ingeschakeld.' });
    expect(refused.statusCode).toBe(422);

    const established = await send(alice, 4, { type: 'ACUTE_UNSAFETY_ESTABLISHED', description: 'Bij huisbezoek acute dreiging.' });
    expect(established.state).toBe('onderzoek');
    const term = established.deadlines.find((d) => d.kind === 'acuut')!;
    expect(term).toMatchObject({ key: 'acuut', status: 'open' });
    expect(Date.parse(term.dueAt) - Date.parse(term.openedAt)).toBe(240 * 60_000);
    expect(await alertsOf(tom, id)).toEqual([expect.objectContaining({ level: 'acute', deadlineKind: 'acuut', dueAt: term.dueAt })]);

    const acted = await send(alice, 5, { type: 'ACUTE_ACTION_STARTED', description: 'Politie ingeschakeld.' });
    expect(acted.deadlines.find((d) => d.kind === 'acuut')).toMatchObject({ status: 'met' });
    const levels = (await s.request('GET', '/v1/alerts?level=acute', tom)).json<{ items: Alert[] }>().items.filter((a) => a.caseId === id);
    expect(levels).toHaveLength(1);
  });
});
