import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';
import { PLAN } from '../support/plan-van-aanpak';

describe('inspection quality report', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-10-05T12:00:00+02:00') });
    tokens.alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    tokens.bob = await t.token('bob', 'medewerker', { teams: ['team-a'] });
    tokens.carol = await t.token('carol', 'teamleider', { teams: ['team-a'] });
    tokens.dirk = await t.token('dirk', 'medewerker', { teams: ['team-b'] });
    tokens.erik = await t.token('erik', 'medewerker', { teams: ['team-b'] });
    tokens.teamleiderB = await t.token('tess', 'teamleider', { teams: ['team-b'] });
    tokens.manager = await t.token('mona', 'manager');
  });
  afterAll(async () => t.close());

  const versions = new Map<string, number>();
  async function register(who: string) {
    const res = await t.request('POST', '/v1/meldingen', tokens[who]!, meldingBody({ receivedAt: '2026-10-05T10:00:00+02:00' }));
    expect(res.statusCode).toBe(201);
    versions.set(res.json().id, 1);
    return res.json<{ id: string; persons: Array<{ id: string; role: string }> }>();
  }
  async function send(caseId: string, who: string, body: Record<string, unknown>) {
    const res = await t.request('POST', `/v1/cases/${caseId}/events`, tokens[who]!, { ...body, expectedVersion: versions.get(caseId) });
    expect(res.statusCode).toBe(200);
    versions.set(caseId, res.json().version);
  }

  it('shows each inspection figure as met, justified and missing, with the cases behind the last two', async () => {
    // A: structural unsafety, handed over (VT-01-02) with a safety plan, the child seen and spoken, monitoring planned.
    const a = await register('alice');
    const childA = a.persons.find((p) => p.role === 'kind')!.id;
    t.clock.set(new Date('2026-10-07T10:00:00+02:00'));
    await send(a.id, 'alice', { type: 'CHILD_CONTACT_RECORDED', personId: childA, contactDate: '2026-10-06', seen: true, spoken: true });
    await send(a.id, 'alice', { type: 'SAFETY_PLAN_RECORDED', summary: 'Afspraken over veiligheid.' });
    await send(a.id, 'alice', { type: 'INFORMAL_NETWORK_RECORDED', involved: 'Grootmoeder' });
    await send(a.id, 'alice', { type: 'MONITORING_CONTACT_PLANNED', with: 'wijkteam', plannedFor: '2026-11-10' });
    await send(a.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-02', rationale: 'Overdracht aan wijkteam.' });
    await send(a.id, 'bob', { type: 'DECISION_APPROVED' });

    // B: no unsafety (VT-01-03); the child seen, not spoken with for a recorded reason; closed by two professionals.
    const b = await register('alice');
    const childB = b.persons.find((p) => p.role === 'kind')!.id;
    await send(b.id, 'alice', { type: 'CHILD_CONTACT_RECORDED', personId: childB, contactDate: '2026-10-06', seen: true, spoken: false, reasonNotSpoken: 'Kind wilde niet praten.' });
    await send(b.id, 'alice', { type: 'INFORMAL_NETWORK_RECORDED', reasonNone: 'Geen netwerk bekend.' });
    await send(b.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen.' });
    await send(b.id, 'bob', { type: 'DECISION_APPROVED' });
    await send(b.id, 'alice', { type: 'MELDER_FEEDBACK_GIVEN', moment: 'na_beoordeling' });
    await send(b.id, 'bob', { type: 'CLOSURE_PROPOSED', rationale: 'Afronden.' });
    await send(b.id, 'carol', { type: 'CLOSURE_APPROVED' });

    // C: assessed late (due end of 12 October), not admissible: it does not leave by handover or closure.
    const c = await register('alice');
    t.clock.set(new Date('2026-10-20T10:00:00+02:00'));
    await send(c.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-00', rationale: 'Niet ontvankelijk.' });
    await send(c.id, 'bob', { type: 'DECISION_APPROVED' });

    // D: another team's case, closed in the same period: not in team-a's figures.
    const d = await register('dirk');
    await send(d.id, 'dirk', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-99', rationale: 'Andere regio.' });
    await send(d.id, 'erik', { type: 'DECISION_APPROVED' });

    t.clock.set(new Date('2026-11-23T09:00:00+01:00'));
    const res = await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', tokens.carol!);
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q.meldingenLeavingVt).toBe(2);
    const f = q.figures;
    const none = { casesJustified: [], casesMissing: [], casesJustifiedTruncated: false, casesMissingTruncated: false };
    expect(f.safetyPlanWhereUnsafe).toEqual({ applicable: 1, met: 1, justified: 0, missing: 0, share: 1, ...none });
    expect(f.childrenSeen).toMatchObject({ applicable: 2, met: 2, justified: 0, missing: 0 });
    // B's child was not spoken with, for a recorded reason: justified, not met.
    expect(f.childrenSpokenFromAge).toEqual({ applicable: 2, met: 1, justified: 1, missing: 0, share: 0.5, ...none, casesJustified: [b.id] });
    expect(f.decisionsByTwoProfessionals).toMatchObject({ applicable: 2, met: 2, missing: 0 });
    expect(f.closuresByTwoProfessionals).toMatchObject({ applicable: 1, met: 1 });
    // B recorded why nobody of the informal network was involved.
    expect(f.informalNetworkInvolved).toMatchObject({ applicable: 2, met: 1, justified: 1, missing: 0, casesJustified: [b.id] });
    expect(f.vulnerablePersonsWithChainPartner).toMatchObject({ applicable: 0, share: null });
    expect(f.monitoringPlanned).toMatchObject({ applicable: 1, met: 1 });
    expect(f.assessmentsWithinTerm).toEqual({ applicable: 3, met: 2, justified: 0, missing: 1, share: 0.667, ...none, casesMissing: [c.id] });

    // The manager sees both teams; the other team's teamleider only theirs.
    expect((await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', tokens.manager!)).json().figures.assessmentsWithinTerm.applicable).toBe(4);
    expect((await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', tokens.teamleiderB!)).json().figures.assessmentsWithinTerm.applicable).toBe(1);
  });

  it('counts a running onderzoek as failing in the period its term passes, against the decision and against receipt', async () => {
    tokens.cees = await t.token('cees', 'medewerker', { teams: ['team-c'] });
    tokens.cora = await t.token('cora', 'medewerker', { teams: ['team-c'] });
    tokens.teamleiderC = await t.token('tina', 'teamleider', { teams: ['team-c'] });
    t.clock.set(new Date('2026-12-01T09:00:00+01:00'));
    // Received Monday 1 June 2026: the start term ends Monday 8 June (5 days, Saturday moved on); decided Wednesday 10 June.
    const res = await t.request('POST', '/v1/meldingen', tokens.cees, meldingBody({ receivedAt: '2026-06-01T10:00:00+02:00' }));
    const id = res.json<{ id: string }>().id;
    versions.set(id, 1);
    await send(id, 'cees', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek.' });
    await send(id, 'cora', { type: 'DECISION_APPROVED' });
    await send(id, 'cees', { type: 'ONDERZOEK_STARTED', ...PLAN });
    const rows = await t.db.selectFrom('deadlines').select(['kind', 'original_due_at', 'inspection_due_at']).where('case_id', '=', id).where('kind', 'in', ['onderzoek', 'onderzoek_start']).orderBy('kind').execute();
    // The registration at 1 December decides it now; terms count from receipt (start, inspection) and from the decision (statutory).
    expect(rows.map((r) => [r.kind, r.original_due_at.toISOString(), r.inspection_due_at?.toISOString() ?? null])).toEqual([
      ['onderzoek', '2027-02-09T22:59:59.999Z', '2026-08-10T21:59:59.999Z'],
      ['onderzoek_start', '2026-06-08T21:59:59.999Z', null],
    ]);
    const report = async (from: string, to: string) => (await t.request('GET', `/v1/quality?from=${from}&to=${to}`, tokens.teamleiderC!)).json().figures;
    // June: the start term passed on 8 June (met late on 1 December): failing in June, without a recorded reason.
    const june = await report('2026-06-01', '2026-06-30');
    expect(june.onderzoekenStartedWithinTerm).toMatchObject({ applicable: 1, met: 0, justified: 0, missing: 1, casesMissing: [id] });
    // August: still running, ten weeks from receipt passed on 10 August: the inspection's figure fails there, the statutory one not yet.
    const august = await report('2026-08-01', '2026-08-31');
    expect(august.onderzoekenWithinTenWeeksOfReceipt).toMatchObject({ applicable: 1, met: 0, missing: 1, casesMissing: [id] });
    expect(august.onderzoekenWithinTerm).toMatchObject({ applicable: 0 });
    expect(august.onderzoekenStartedWithinTerm).toMatchObject({ applicable: 0 });
    // The statutory term (ten weeks from the decision) ends in February 2027: not yet counted, it has not passed.
    const later = await report('2027-02-01', '2027-02-28');
    expect(later.onderzoekenWithinTerm).toMatchObject({ applicable: 0 });
  });

  it('is for teamleiders and managers only, and for their own teams', async () => {
    expect((await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', tokens.alice!)).statusCode).toBe(403);
    expect((await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31&team=team-b', tokens.carol!)).statusCode).toBe(403);
    const gemeente = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    expect((await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', gemeente)).statusCode).toBe(403);
    const bad = await t.request('GET', '/v1/quality?from=2026-10-01&to=31-10-2026', tokens.carol!);
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad.json()).issues[0]?.field).toBe('querystring.to');
  });
});
