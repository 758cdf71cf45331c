/**
 * The per-person facts through the API: information given at the first contact (Uitvoeringsbesluit Wmo 2015 art.
 * 4.1.8), the vertrouwenspersoon made known (art. 4.2.4) and the safety assessed per member of the household. Each is
 * driven to met, justified (a recorded reason) and missing on cases that leave VT, and read back from the quality
 * report and the scorecard, where their expectations are now measured.
 */
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import type { CaseView } from '../../web/src/api';
import type { components } from '../../web/src/api/schema.gen';
import type { QualityFigure } from '../../workflows/reporting/quality';

/** A person and an expectation as the API document types them (the figures: the report's own QualityFigure). */
type PersonJson = CaseView['persons'][number];
type ExpectationJson = components['schemas']['EvaluatedExpectation'];

const FIGURES = ['informationGivenAtFirstContact', 'vertrouwenspersoonMadeKnown', 'safetyAssessedPerHouseholdMember'] as const;
const EXPECTATION_OF = { informationGivenAtFirstContact: 'informatie-eerste-contact', vertrouwenspersoonMadeKnown: 'vertrouwenspersoon-bekend', safetyAssessedPerHouseholdMember: 'veiligheid-ieder-gezinslid' } as const;

describe('per-person duties and the safety of each member of the household', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-10-05T12:00:00+02:00') });
    tokens.alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    tokens.bob = await t.token('bob', 'medewerker', { teams: ['team-a'] });
    tokens.manager = await t.token('mona', 'manager');
  });
  afterAll(async () => t.close());

  const versions = new Map<string, number>();
  async function post(caseId: string, who: string, body: Record<string, unknown>) {
    return t.request('POST', `/v1/cases/${caseId}/events`, tokens[who]!, { ...body, expectedVersion: versions.get(caseId) });
  }
  async function send(caseId: string, who: string, body: Record<string, unknown>) {
    const res = await post(caseId, who, body);
    expect(`${String(body.type)}: ${res.statusCode} ${res.statusCode === 200 ? '' : res.body}`).toBe(`${String(body.type)}: 200 `);
    versions.set(caseId, res.json<{ version: number }>().version);
    return res.json<{ persons: PersonJson[] }>();
  }
  /** A melding with a parent, a child and an ex-partner (not of the household). */
  async function register() {
    const res = await t.request('POST', '/v1/meldingen', tokens.alice!, meldingBody({
      receivedAt: '2026-10-05T10:00:00+02:00',
      persons: [
        { role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02' },
        { role: 'kind', name: 'Testkind Een', birthDate: '2017-06-15' },
        { role: 'ex_partner', name: 'Testex Een', birthDate: '1983-01-20' },
      ],
    }));
    expect(res.statusCode).toBe(201);
    const c = res.json<{ id: string; persons: PersonJson[] }>();
    versions.set(c.id, 1);
    const [parent, child, ex] = ['ouder', 'kind', 'ex_partner'].map((r) => c.persons.find((p) => p.role === r)!.id) as [string, string, string];
    return { id: c.id, parent, child, ex, persons: c.persons };
  }
  /** The paperwork the handover guards ask for, then a VT-01-02 decision approved by a second professional: the case leaves VT. */
  async function handOver(c: { id: string; child: string }) {
    await send(c.id, 'alice', { type: 'CHILD_CONTACT_RECORDED', personId: c.child, contactDate: '2026-10-06', seen: true, spoken: true });
    await send(c.id, 'alice', { type: 'INFORMAL_NETWORK_RECORDED', involved: 'Grootmoeder' });
    await send(c.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-02', rationale: 'Overdracht aan het wijkteam.' });
    await send(c.id, 'bob', { type: 'DECISION_APPROVED' });
  }
  async function report() {
    const res = await t.request('GET', '/v1/quality?from=2026-10-01&to=2026-10-31', tokens.manager!);
    expect(res.statusCode).toBe(200);
    return res.json<{ figures: Record<string, QualityFigure> }>().figures;
  }
  const counts = (f: QualityFigure) => ({ met: f.met, justified: f.justified, missing: f.missing });

  it('refuses bad records naming the field or the rule, and writes nothing', async () => {
    const c = await register();
    const both = await post(c.id, 'alice', { type: 'FIRST_CONTACT_INFORMATION_RECORDED', personId: c.parent, givenOn: '2026-10-05', reasonNotGiven: 'gevaar' });
    expect(both.statusCode).toBe(400);
    expect(apiError(both.json()).issues).toEqual([expect.objectContaining({ field: 'givenOn' })]);
    const noSafety = await post(c.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: c.child });
    expect(noSafety.statusCode).toBe(400);
    expect(apiError(noSafety.json()).issues).toEqual([expect.objectContaining({ field: 'safety' })]);
    const ex = await post(c.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: c.ex, safety: 'geen' });
    expect(ex.statusCode).toBe(422);
    expect(apiError(ex.json())).toMatchObject({ code: 'CASE.GUARD_BLOCKED', reasons: [expect.objectContaining({ code: 'NOT_HOUSEHOLD_MEMBER' })] });
    const stranger = await post(c.id, 'alice', { type: 'VERTROUWENSPERSOON_INFORMATION_RECORDED', personId: '00000000-0000-4000-8000-00000000dead', givenOn: '2026-10-05' });
    expect(stranger.statusCode).toBe(422);
    expect(apiError(stranger.json()).reasons).toEqual([expect.objectContaining({ code: 'UNKNOWN_PERSON' })]);
    const view = await t.request('GET', `/v1/cases/${c.id}`, tokens.alice!);
    expect(view.json<{ version: number }>().version).toBe(1);
    expect(view.json<{ persons: PersonJson[] }>().persons.map((p) => [p.role, p.householdMember, p.firstContactInformation, p.memberSafety])).toEqual([
      ['ouder', true, null, null],
      ['kind', true, null, null],
      ['ex_partner', false, null, null],
    ]);
  });

  it('drives each figure to met, justified and missing, and the scorecard measures the three expectations', async () => {
    const before = await report();
    for (const f of FIGURES) expect(before[f]).toMatchObject({ applicable: 0, share: null });

    // Met: every person informed and told about the vertrouwenspersoon, the parent's and the child's safety assessed.
    const met = await register();
    for (const p of [met.parent, met.child, met.ex]) {
      await send(met.id, 'alice', { type: 'FIRST_CONTACT_INFORMATION_RECORDED', personId: p, givenOn: '2026-10-05' });
      await send(met.id, 'alice', { type: 'VERTROUWENSPERSOON_INFORMATION_RECORDED', personId: p, givenOn: '2026-10-06' });
    }
    await send(met.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: met.parent, safety: 'geen' });
    const seen = await send(met.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: met.child, safety: 'geen' });
    expect(seen.persons.find((p) => p.id === met.child)).toMatchObject({ householdMember: true, memberSafety: { safety: 'geen' } });
    await handOver(met);
    let r = await report();
    expect(FIGURES.map((f) => [f, counts(r[f]!)])).toEqual([
      ['informationGivenAtFirstContact', { met: 3, justified: 0, missing: 0 }],
      ['vertrouwenspersoonMadeKnown', { met: 3, justified: 0, missing: 0 }],
      ['safetyAssessedPerHouseholdMember', { met: 2, justified: 0, missing: 0 }],
    ]);
    let card = await t.request('GET', '/v1/quality/scorecard?from=2026-10-01&to=2026-10-31', tokens.manager!);
    const byId = (id: string) => card.json<{ expectations: ExpectationJson[] }>().expectations.find((e) => e.id === id)!;
    for (const f of FIGURES) {
      expect(byId(EXPECTATION_OF[f])).toMatchObject({ status: 'met', figures: [expect.objectContaining({ status: 'met', casesFallingShort: [] })] });
      expect(byId(EXPECTATION_OF[f]).reason).toBeUndefined();
    }

    // Justified: no contact possible or danger, recorded as the reason; never counted as met.
    const justified = await register();
    for (const p of [justified.parent, justified.child, justified.ex]) {
      await send(justified.id, 'alice', { type: 'FIRST_CONTACT_INFORMATION_RECORDED', personId: p, reasonNotGiven: 'Gevaar: contact zou de melder in gevaar brengen.' });
      await send(justified.id, 'alice', { type: 'VERTROUWENSPERSOON_INFORMATION_RECORDED', personId: p, reasonNotGiven: 'Geen contact mogelijk.' });
    }
    await send(justified.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: justified.parent, reasonNotAssessed: 'Ouder verblijft in het buitenland.' });
    await send(justified.id, 'alice', { type: 'MEMBER_SAFETY_ASSESSED', personId: justified.child, reasonNotAssessed: 'Kind niet bereikbaar.' });
    await handOver(justified);

    // Missing: nothing recorded at all.
    const missing = await register();
    await handOver(missing);

    r = await report();
    expect(FIGURES.map((f) => [f, counts(r[f]!)])).toEqual([
      ['informationGivenAtFirstContact', { met: 3, justified: 3, missing: 3 }],
      ['vertrouwenspersoonMadeKnown', { met: 3, justified: 3, missing: 3 }],
      ['safetyAssessedPerHouseholdMember', { met: 2, justified: 2, missing: 2 }],
    ]);
    for (const f of FIGURES) {
      expect(r[f]).toMatchObject({ applicable: f === 'safetyAssessedPerHouseholdMember' ? 6 : 9, share: 0.333, casesJustified: [justified.id], casesMissing: [missing.id] });
    }

    // The scorecard: each of the three measured, 1 of 3 against a norm of 95 %, the justified and the missing case falling short.
    card = await t.request('GET', '/v1/quality/scorecard?from=2026-10-01&to=2026-10-31', tokens.manager!);
    expect(card.statusCode).toBe(200);
    for (const f of FIGURES) {
      const e = byId(EXPECTATION_OF[f]);
      expect(e.status).toBe('not_met');
      expect(e.figures).toEqual([expect.objectContaining({ figure: f, met: f === 'safetyAssessedPerHouseholdMember' ? 2 : 3, total: f === 'safetyAssessedPerHouseholdMember' ? 6 : 9, norm: 0.95, status: 'not_met' })]);
      expect([...e.figures[0]!.casesFallingShort].sort()).toEqual([justified.id, missing.id].sort());
    }
    const reasons = card.json<{ expectations: ExpectationJson[] }>().expectations.map((e) => e.reason ?? '');
    expect(reasons.filter((x) => x.includes('not yet recorded'))).toEqual([]);
  });
});
