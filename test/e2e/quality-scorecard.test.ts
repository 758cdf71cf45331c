import { EXPECTATIONS } from '../../workflows/quality/expectations';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

interface ScorecardJson {
  headline: { met: number; notMet: number; notMeasurable: number; total: number; text: string };
  expectations: Array<{ id: string; status: string; reason?: string; figures: Array<Record<string, unknown> & { figure: string; status: string }>; organisational: unknown }>;
  trend: Array<{ quarter: string; headline: { met: number; text: string } }>;
}

describe('the inspection scorecard', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    // Without four eyes enforced a professional can approve their own decision: the scorecard must then show it.
    t = await startTestApp({ now: new Date('2026-10-05T12:00:00+02:00'), env: { FOUR_EYES: 'false' } });
    tokens.alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    tokens.bob = await t.token('bob', 'medewerker', { teams: ['team-a'] });
    tokens.carol = await t.token('carol', 'teamleider', { teams: ['team-a'] });
    tokens.tess = await t.token('tess', 'teamleider', { teams: ['team-b'] });
    tokens.manager = await t.token('mona', 'manager');
    tokens.gemeente = await t.token('ommen', 'gemeente', { gemeente: 'GM0175' });
  });
  afterAll(async () => t.close());

  const versions = new Map<string, number>();
  async function send(caseId: string, who: string, body: Record<string, unknown>) {
    const res = await t.request('POST', `/v1/cases/${caseId}/events`, tokens[who]!, { ...body, expectedVersion: versions.get(caseId) });
    expect(res.statusCode).toBe(200);
    versions.set(caseId, res.json().version);
  }
  /** Registered, assessed (no unsafety) and closed; `approver` approves the decision. */
  async function closedCase(approver: string): Promise<string> {
    const res = await t.request('POST', '/v1/meldingen', tokens.alice!, meldingBody({ receivedAt: '2026-10-05T10:00:00+02:00' }));
    expect(res.statusCode).toBe(201);
    const c = res.json<{ id: string; persons: Array<{ id: string; role: string }> }>();
    versions.set(c.id, 1);
    const child = c.persons.find((p) => p.role === 'kind')!.id;
    await send(c.id, 'alice', { type: 'CHILD_CONTACT_RECORDED', personId: child, contactDate: '2026-10-06', seen: true, spoken: true });
    await send(c.id, 'alice', { type: 'INFORMAL_NETWORK_RECORDED', involved: 'Buurvrouw' });
    await send(c.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen.' });
    await send(c.id, approver, { type: 'DECISION_APPROVED' });
    await send(c.id, 'alice', { type: 'MELDER_FEEDBACK_GIVEN', moment: 'na_beoordeling' });
    await send(c.id, 'alice', { type: 'CLOSURE_PROPOSED', rationale: 'Afronden.' });
    await send(c.id, 'bob', { type: 'CLOSURE_APPROVED' });
    return c.id;
  }
  async function scorecard(who: string): Promise<ScorecardJson> {
    const res = await t.request('GET', '/v1/quality/scorecard?from=2026-10-01&to=2026-10-31', tokens[who]!);
    expect(res.statusCode).toBe(200);
    return res.json<ScorecardJson>();
  }
  const byId = (s: ScorecardJson, id: string) => s.expectations.find((e) => e.id === id)!;

  it('evaluates every catalogued expectation, and one goes from met to not met when a case falls short', async () => {
    const first = await closedCase('bob');
    t.clock.set(new Date('2026-10-07T10:00:00+02:00'));
    let s = await scorecard('manager');
    expect(s.expectations.map((e) => e.id)).toEqual(EXPECTATIONS.map((e) => e.id));
    expect(s.headline.total).toBe(EXPECTATIONS.length);
    const plan = byId(s, 'plan-van-aanpak-intercollegiaal');
    expect(plan.status).toBe('met');
    expect(plan.figures).toEqual([
      expect.objectContaining({ figure: 'decisionsByTwoProfessionals', met: 1, total: 1, share: 1, norm: 0.95, status: 'met', casesFallingShort: [] }),
      expect.objectContaining({ figure: 'closuresByTwoProfessionals', met: 1, total: 1, status: 'met' }),
    ]);
    // No unsafety in the period: the veiligheidsplan expectation cannot be measured, and says why.
    expect(byId(s, 'veiligheidsplan')).toMatchObject({ status: 'not_measurable', reason: 'no case in the period to which it applies' });
    // Measured per person since machine v4: nothing recorded for the parent and the child, so 0 of 2, not met.
    expect(byId(s, 'informatie-eerste-contact')).toMatchObject({ status: 'not_met', figures: [expect.objectContaining({ figure: 'informationGivenAtFirstContact', met: 0, total: 2, casesFallingShort: [first] })] });
    expect(byId(s, 'tijdpad-certificaat')).toMatchObject({ status: 'not_measurable', reason: 'no status recorded by a manager' });
    const metBefore = s.headline.met;
    expect(s.headline.text).toBe(`voldoet aan ${metBefore} van ${EXPECTATIONS.length} verwachtingen (${s.headline.notMeasurable} niet meetbaar)`);
    expect(metBefore).toBe(s.expectations.filter((e) => e.status === 'met').length);

    // A decision approved by the professional who proposed it: 1 of 2, under the norm.
    const second = await closedCase('alice');
    s = await scorecard('manager');
    expect(byId(s, 'plan-van-aanpak-intercollegiaal').status).toBe('not_met');
    expect(byId(s, 'plan-van-aanpak-intercollegiaal').figures[0]).toMatchObject({ met: 1, total: 2, share: 0.5, status: 'not_met', casesFallingShort: [second] });
    expect(s.headline.met).toBe(metBefore - 1);
    expect(s.headline.notMet).toBeGreaterThanOrEqual(1);
    expect(first).not.toBe(second);

    // The trend: four quarters up to the period's; the last one holds October.
    expect(s.trend.map((q) => q.quarter)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(s.trend[3]!.headline.met).toBe(s.headline.met);

    // A manager lowers the norm with a reason: met again, and the history keeps both.
    const norm = await t.request('PUT', '/v1/quality/expectations/plan-van-aanpak-intercollegiaal/norm', tokens.manager!, {
      figure: 'decisionsByTwoProfessionals',
      norm: 0.5,
      evidence: 'Tijdelijk: vier ogen wordt in Q4 ingevoerd (verbeteractie).',
    });
    expect(norm.statusCode).toBe(200);
    s = await scorecard('manager');
    expect(byId(s, 'plan-van-aanpak-intercollegiaal').figures[0]).toMatchObject({ norm: 0.5, status: 'met' });
  });

  it('keeps the status of an organisational expectation with its evidence and history', async () => {
    t.clock.set(new Date('2026-10-08T10:00:00+02:00'));
    const set = await t.request('PUT', '/v1/quality/expectations/tijdpad-certificaat/status', tokens.manager!, { status: 'not_met', evidence: 'Nog geen tijdpad vastgesteld.' });
    expect(set.statusCode).toBe(200);
    t.clock.set(new Date('2026-10-09T10:00:00+02:00'));
    await t.request('PUT', '/v1/quality/expectations/tijdpad-certificaat/status', tokens.manager!, { status: 'met', evidence: 'Tijdpad HKZ vastgesteld in MT van 9 oktober.' });
    const s = await scorecard('manager');
    expect(byId(s, 'tijdpad-certificaat')).toMatchObject({ status: 'met', organisational: { status: 'met', evidence: 'Tijdpad HKZ vastgesteld in MT van 9 oktober.', setBy: 'mona' } });
    const history = await t.request('GET', '/v1/quality/expectations/tijdpad-certificaat', tokens.carol!);
    expect(history.json().history.map((h: { status: string }) => h.status)).toEqual(['not_met', 'met']);
  });

  it('refuses bad input naming the field, and changes by anyone but a manager', async () => {
    const measured = await t.request('PUT', '/v1/quality/expectations/veiligheidsplan/status', tokens.manager!, { status: 'met', evidence: 'Dit kan niet gezet worden.' });
    expect(measured.statusCode).toBe(422);
    expect(apiError(measured.json()).code).toBe('QUALITY.STATUS_NOT_ALLOWED');
    const unknown = await t.request('PUT', '/v1/quality/expectations/bestaat-niet/status', tokens.manager!, { status: 'met', evidence: 'Onbekende verwachting.' });
    expect(unknown.statusCode).toBe(400);
    expect(apiError(unknown.json()).issues).toEqual([expect.objectContaining({ field: 'params.id' })]);
    const short = await t.request('PUT', '/v1/quality/expectations/klachtenregeling/status', tokens.manager!, { status: 'met', evidence: 'kort' });
    expect(apiError(short.json()).issues).toEqual([expect.objectContaining({ field: 'evidence' })]);
    const figure = await t.request('PUT', '/v1/quality/expectations/veiligheidsplan/norm', tokens.manager!, { figure: 'childrenSeen', norm: 0.9, evidence: 'Verkeerde figuur gekozen.' });
    expect(apiError(figure.json()).issues).toEqual([expect.objectContaining({ field: 'figure' })]);
    const range = await t.request('PUT', '/v1/quality/expectations/veiligheidsplan/norm', tokens.manager!, { figure: 'safetyPlanWhereUnsafe', norm: 1.5, evidence: 'Boven de honderd procent.' });
    expect(apiError(range.json()).issues).toEqual([expect.objectContaining({ field: 'norm' })]);
    const byTeamleider = await t.request('PUT', '/v1/quality/expectations/klachtenregeling/status', tokens.carol!, { status: 'met', evidence: 'Klachtenregeling vastgesteld.' });
    expect(byTeamleider.statusCode).toBe(403);
    const medewerker = await t.request('GET', '/v1/quality/scorecard?from=2026-10-01&to=2026-10-31', tokens.alice!);
    expect(medewerker.statusCode).toBe(403);
    const history = await t.request('GET', '/v1/quality/expectations/klachtenregeling', tokens.manager!);
    expect(history.json().history).toEqual([]);
  });

  it('shows a teamleider only their own teams among the cases falling short, and a gemeente no case at all', async () => {
    const own = await scorecard('carol');
    expect(byId(own, 'plan-van-aanpak-intercollegiaal').figures[0]!.casesFallingShort).toHaveLength(1);
    const other = await scorecard('tess');
    expect(byId(other, 'plan-van-aanpak-intercollegiaal').figures[0]).toMatchObject({ total: 2, casesFallingShort: [] });

    const g = await t.request('GET', '/v1/quality/scorecard?from=2026-10-01&to=2026-10-31', tokens.gemeente!);
    expect(g.statusCode).toBe(200);
    const body = g.json<ScorecardJson>();
    const manager = await scorecard('manager');
    expect(body.headline).toEqual(manager.headline);
    expect(body.expectations.map((e) => e.status)).toEqual(manager.expectations.map((e) => e.status));
    // Two cases: under the disclosure threshold, so the counts and the share are suppressed, never shown as 2.
    expect(byId(body, 'plan-van-aanpak-intercollegiaal').figures[0]).toEqual({
      figure: 'decisionsByTwoProfessionals',
      norm: 0.5,
      status: 'met',
      met: { value: null, suppressed: true, reason: 'primary' },
      total: { value: null, suppressed: true, reason: 'primary' },
      share: { value: null, suppressed: true, reason: 'primary' },
    });
    expect(byId(body, 'tijdpad-certificaat').organisational).toEqual({ status: 'met', setAt: expect.any(String) });
    const text = g.body;
    for (const id of manager.expectations.flatMap((e) => e.figures.flatMap((f) => f.casesFallingShort as string[]))) expect(text).not.toContain(id);
    expect(text).not.toContain('mona');
    expect(text).not.toContain('MT van 9 oktober');
  });
});
