import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { PLAN } from '../support/plan-van-aanpak';

interface Deadline { id: string; kind: string; key: string; status: string; dueAt: string }
interface Alert { level: string; caseId: string; deadlineKind: string; teamId: string }

/**
 * Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1 through the API alone: a melding decided to VT-01-01 waits for its
 * onderzoek to start, and the start term (the end of the fifth day after the day of receipt, moved by the Awt to the
 * next werkdag) alerts the teamleider when it passes. The clock is real time shifted to a few seconds before the end.
 */
describe('the onderzoek start term (art. 4.1.7 lid 1), through the API and BullMQ on real Redis', () => {
  // Received Tuesday 1 September 2026; the fifth day after is Sunday 6 September, so the term ends Monday 7 September.
  const RECEIVED = '2026-09-01T10:00:00+02:00';
  const START_TERM_END = '2026-09-07T21:59:59.999Z';
  let s: TestStack;
  let clock: OffsetClock;
  beforeAll(async () => {
    clock = new OffsetClock(new Date('2026-09-07T23:59:50+02:00'));
    s = await startTestStack({ clock });
    s.startWorkers();
  });
  afterAll(async () => s.close());

  async function decideOnderzoek(body: Record<string, unknown>) {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const bob = await s.token('bob', 'medewerker', { teams: ['team-zwolle'] });
    const created = await s.request('POST', '/v1/meldingen', alice, meldingBody(body));
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const proposed = await s.request('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
    expect(proposed.statusCode).toBe(200);
    const decided = await s.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 });
    expect(decided.statusCode).toBe(200);
    return decided.json<{ id: string; state: string; version: number; deadlines: Deadline[] }>();
  }

  async function alertsFor(token: string, caseId: string, until: (a: Alert[]) => boolean, withinMs: number): Promise<Alert[]> {
    const started = Date.now();
    let alerts: Alert[] = [];
    while (Date.now() - started < withinMs) {
      alerts = (await s.request('GET', '/v1/alerts', token)).json<{ items: Alert[] }>().items.filter((a) => a.caseId === caseId);
      if (until(alerts)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return alerts;
  }

  it('a case decided to VT-01-01 gets the start term at the default moment; not starting it breaches it for its teamleider', async () => {
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const other = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    const c = await decideOnderzoek({ receivedAt: RECEIVED });
    expect(c.state).toBe('wacht_op_onderzoek');
    const start = c.deadlines.find((d) => d.kind === 'onderzoek_start');
    expect(start).toMatchObject({ key: 'onderzoek_start-1', status: 'open', dueAt: START_TERM_END });
    expect(Date.parse(START_TERM_END)).toBeGreaterThan(clock.now().getTime());

    // Nobody starts the onderzoek: the term passes within seconds and the teamleider of the team (only) is alerted.
    const alerts = await alertsFor(tom, c.id, (a) => a.some((x) => x.level === 'breach' && x.deadlineKind === 'onderzoek_start'), 20_000);
    expect(alerts).toContainEqual(expect.objectContaining({ level: 'breach', deadlineKind: 'onderzoek_start', teamId: 'team-zwolle' }));
    expect((await s.request('GET', '/v1/alerts', other)).json<{ items: Alert[] }>().items.filter((a) => a.caseId === c.id)).toEqual([]);
    const after = (await s.request('GET', `/v1/cases/${c.id}`, tom)).json<{ deadlines: Deadline[] }>();
    expect(after.deadlines.find((d) => d.kind === 'onderzoek_start')?.status).toBe('breached');
    // The case list shows it as late.
    const overdue = (await s.request('GET', '/v1/cases?overdue=true', tom)).json<{ items: Array<{ id: string }> }>().items.map((i) => i.id);
    expect(overdue).toContain(c.id);
  });

  it('a decision made after the end opens the term already past it, and ONDERZOEK_STARTED then meets it late', async () => {
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    // Received Wednesday 26 August: the fifth day after is Monday 31 August, a werkdag, long past now.
    const c = await decideOnderzoek({ receivedAt: '2026-08-26T09:00:00+02:00' });
    expect(c.deadlines.find((d) => d.kind === 'onderzoek_start')).toMatchObject({ dueAt: '2026-08-31T21:59:59.999Z' });
    const alerts = await alertsFor(tom, c.id, (a) => a.some((x) => x.level === 'breach' && x.deadlineKind === 'onderzoek_start'), 10_000);
    expect(alerts).toContainEqual(expect.objectContaining({ level: 'breach', deadlineKind: 'onderzoek_start' }));
    const started = await s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ONDERZOEK_STARTED', expectedVersion: c.version, ...PLAN });
    expect(started.statusCode).toBe(200);
    const body = started.json<{ state: string; deadlines: Array<Deadline & { metAt: string | null }> }>();
    expect(body.state).toBe('onderzoek');
    // Met late: the row keeps its breach, and the met moment lies after the end.
    const row = body.deadlines.find((d) => d.kind === 'onderzoek_start')!;
    expect(row.metAt).not.toBeNull();
    expect(Date.parse(row.metAt!)).toBeGreaterThan(Date.parse(row.dueAt));
  });

  it('with DEADLINE_ONDERZOEK_START_ANCHOR=decision the term is five werkdagen after the decision', async () => {
    const fixed = new OffsetClock(new Date('2026-09-04T11:00:00+02:00')); // a Friday
    const t = await startTestStack({ clock: fixed, redis: false, env: { DEADLINE_ONDERZOEK_START_ANCHOR: 'decision' } });
    try {
      const alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
      const bob = await t.token('bob', 'medewerker', { teams: ['team-zwolle'] });
      const id = (await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: RECEIVED }))).json<{ id: string }>().id;
      await t.request('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-01-01', rationale: 'Onderzoek.' });
      const decided = (await t.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 })).json<{ deadlines: Deadline[] }>();
      // Friday 4 September + 5 werkdagen = Friday 11 September, end of day.
      expect(decided.deadlines.find((d) => d.kind === 'onderzoek_start')).toMatchObject({ dueAt: '2026-09-11T21:59:59.999Z', status: 'open' });
    } finally {
      await t.close();
    }
  });
});
