/**
 * Every figure of `GET /v1/quality`, driven through the API alone to met, to justified (not met, with a recorded
 * reason) and to missing (not met, no reason). Each row builds its own case in a team of its own and reads only that
 * team's figure, so the rows do not see each other. Where the engine's guards make an outcome impossible for a new
 * case (a handover without a safety plan, a child not seen without a reason …), the row shows the API refusing it
 * and nothing being counted.
 *
 * The app runs with FOUR_EYES=false: only then can the same person approve their own decision or closure, or their
 * own intercollegiaal plan van aanpak, which the four-eyes figures must count as missing. Every other guard holds.
 */
import { startTestApp, meldingBody, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';
import { PLAN } from '../support/plan-van-aanpak';

const DAY = 86_400_000;
const START = new Date('2026-02-02T09:00:00+01:00');
const END = new Date('2026-12-01T09:00:00+01:00');

type Who = 'worker' | 'colleague' | 'leader';
type Outcome = 'met' | 'justified' | 'missing';

interface Figure {
  applicable: number;
  met: number;
  justified: number;
  missing: number;
  casesJustified: string[];
  casesMissing: string[];
}

interface CaseView {
  id: string;
  version: number;
  state: string;
  persons: Array<{ id: string; role: string }>;
  monitoringContacts: Array<{ id: string; heldAt: string | null }>;
  deadlines: Array<{ id: string; kind: string; status: string }>;
}

let t: TestApp;

/** A case of a team of its own, with a worker, a colleague and a teamleider. */
class Case {
  version = 1;
  view!: CaseView;
  private constructor(
    readonly team: string,
    private readonly tokens: Record<Who, string>,
  ) {}

  static async register(team: string, persons?: unknown[]): Promise<Case> {
    const tokens = {
      worker: await t.token(`${team}-w`, 'medewerker', { teams: [team] }),
      colleague: await t.token(`${team}-c`, 'medewerker', { teams: [team] }),
      leader: await t.token(`${team}-l`, 'teamleider', { teams: [team] }),
    };
    const c = new Case(team, tokens);
    const body = meldingBody({ receivedAt: t.clock.now().toISOString(), teamId: team, ...(persons ? { persons } : {}) });
    const res = await t.request('POST', '/v1/meldingen', tokens.worker, body);
    expect(res.statusCode).toBe(201);
    c.view = res.json<CaseView>();
    return c;
  }

  get id() {
    return this.view.id;
  }
  get child() {
    return this.view.persons.find((p) => p.role === 'kind')!.id;
  }
  person(role: string) {
    return this.view.persons.find((p) => p.role === role)!.id;
  }
  actorId(who: Who) {
    return `${this.team}-${who[0]}`;
  }
  deadline(kind: string) {
    return this.view.deadlines.find((d) => d.kind === kind && d.status === 'open')!;
  }

  async send(who: Who, body: Record<string, unknown>): Promise<CaseView> {
    t.clock.advance(5 * 60_000);
    const res = await t.request('POST', `/v1/cases/${this.id}/events`, this.tokens[who], { ...body, expectedVersion: this.version });
    if (res.statusCode !== 200) throw new Error(`${String(body.type)} by ${who}: ${res.statusCode} ${res.body}`);
    this.view = res.json<CaseView>();
    this.version = this.view.version;
    return this.view;
  }

  /** An event the guards refuse: 422 naming the reason, nothing written. */
  async refused(who: Who, body: Record<string, unknown>, code: string): Promise<void> {
    const res = await t.request('POST', `/v1/cases/${this.id}/events`, this.tokens[who], { ...body, expectedVersion: this.version });
    expect(res.statusCode).toBe(422);
    const problem = apiError(res.json());
    expect(problem.code).toBe('CASE.GUARD_BLOCKED');
    expect(problem.reasons.map((r) => r.code)).toContain(code);
    const after = (await t.request('GET', `/v1/cases/${this.id}`, this.tokens.worker)).json<CaseView>();
    expect(after.version).toBe(this.version);
  }

  async adjust(kind: string): Promise<void> {
    const res = await t.request('POST', `/v1/deadlines/${this.deadline(kind).id}/adjustments`, this.tokens.leader, { kind: 'opschorting', werkdagen: 5, reason: 'Wachten op informatie van de politie.' });
    expect(res.statusCode).toBe(200);
    // The adjustment is recorded in the case history: the case moves on a version.
    this.view = (await t.request('GET', `/v1/cases/${this.id}`, this.tokens.worker)).json<CaseView>();
    this.version = this.view.version;
  }

  today() {
    return t.services.calendar.localDate(t.clock.now());
  }

  // -- building blocks ---------------------------------------------------------------------------------------

  async child_(how: 'seen' | 'notSeen' | 'notSpoken' = 'seen') {
    const facts =
      how === 'seen'
        ? { seen: true, spoken: true }
        : how === 'notSeen'
          ? { seen: false, spoken: false, reasonNotSeen: 'Kind logeerde bij familie in het buitenland.', reasonNotSpoken: 'Kind was niet bereikbaar.' }
          : { seen: true, spoken: false, reasonNotSpoken: 'Kind wilde niet praten.' };
    await this.send('worker', { type: 'CHILD_CONTACT_RECORDED', personId: this.child, contactDate: this.today(), ...facts });
  }
  async network(how: 'involved' | 'reason' = 'involved') {
    await this.send('worker', { type: 'INFORMAL_NETWORK_RECORDED', ...(how === 'involved' ? { involved: 'Grootmoeder' } : { reasonNone: 'Ouders willen het netwerk er niet bij.' }) });
  }
  async safetyPlan() {
    await this.send('worker', { type: 'SAFETY_PLAN_RECORDED', summary: 'Afspraken over veiligheid.' });
  }
  async planMonitoring(inDays = 14) {
    const day = t.services.calendar.localDate(new Date(t.clock.now().getTime() + inDays * DAY));
    await this.send('worker', { type: 'MONITORING_CONTACT_PLANNED', with: 'moeder en wijkteam', plannedFor: day });
  }
  /** Everything a handover with conditions needs, then the handover approved by `approver`. */
  async handover(approver: Who = 'colleague', skip: Array<'child' | 'network' | 'safetyPlan' | 'monitoring'> = []) {
    if (!skip.includes('child')) await this.child_();
    if (!skip.includes('network')) await this.network();
    if (!skip.includes('safetyPlan')) await this.safetyPlan();
    if (!skip.includes('monitoring')) await this.planMonitoring();
    await this.send('worker', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-04', rationale: 'Voorwaarden en vervolg.' });
    await this.send(approver, { type: 'DECISION_APPROVED' });
  }
  async intoMonitoring() {
    await this.handover();
    await this.send('worker', { type: 'HANDOVER_CONFIRMED', confirmedBy: 'wijkteam Zwolle-Zuid' });
    expect(this.view.state).toBe('monitoring');
  }
  async decideOnderzoek() {
    await this.send('worker', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
    await this.send('colleague', { type: 'DECISION_APPROVED' });
  }
  async conclude() {
    await this.send('worker', { type: 'ONDERZOEK_CONCLUSION_PROPOSED', safety: 'geen', followUp: 'afsluiten', outcomes: { kindermishandeling: 'niet_bevestigd' }, conclusion: 'Geen zorgen meer.' });
    await this.send('colleague', { type: 'ONDERZOEK_CONCLUSION_APPROVED' });
  }
  async hold(answers: Record<string, unknown>, followUp = 'herbeoordeling') {
    const contactId = this.view.monitoringContacts.find((m) => m.heldAt === null)!.id;
    await this.send('worker', { type: 'MONITORING_CONTACT_HELD', contactId, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp, ...answers });
  }
}

/** What a row drives: the case to read, or the refusal the guards give (and then nothing counts). */
type Row = [figure: string, outcome: Outcome, how: string, drive: (team: string) => Promise<Case>];

const elder = [
  { role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02' },
  { role: 'kind', name: 'Testkind Een', birthDate: '2017-06-15' },
  { role: 'oudere', name: 'Testoma Een', birthDate: '1940-01-01', vulnerabilities: ['oudere'] },
];

/** A guard refuses the path to missing: the proposal is 422 with the reason, and the case never leaves VT. */
const refusedMissing = (skip: 'child' | 'network' | 'safetyPlan' | 'monitoring', code: string, persons?: unknown[]) => async (team: string) => {
  const c = await Case.register(team, persons);
  for (const step of ['child', 'network', 'safetyPlan', 'monitoring'] as const) {
    if (step === skip) continue;
    if (step === 'child') await c.child_();
    if (step === 'network') await c.network();
    if (step === 'safetyPlan') await c.safetyPlan();
    if (step === 'monitoring') await c.planMonitoring();
  }
  if (persons) await c.send('worker', { type: 'CHAIN_PARTNER_RECORDED', personId: c.person('oudere'), partner: 'Wijkteam ouderenzorg' });
  await c.refused('worker', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-04', rationale: 'Voorwaarden en vervolg.' }, code);
  return c;
};

/** Driven to met, justified and missing per person in test/e2e/person-duties.test.ts (each on its own cases). */
const PER_PERSON_FIGURES: readonly string[] = ['informationGivenAtFirstContact', 'vertrouwenspersoonMadeKnown', 'safetyAssessedPerHouseholdMember'];

const ROWS: Row[] = [
  ['safetyPlanWhereUnsafe', 'met', 'structural unsafety handed over with a veiligheidsplan', async (team) => {
    const c = await Case.register(team);
    await c.handover();
    return c;
  }],
  ['safetyPlanWhereUnsafe', 'missing', 'refused: SAFETY_PLAN_MISSING', refusedMissing('safetyPlan', 'SAFETY_PLAN_MISSING')],
  ['childrenSeen', 'met', 'the child seen', async (team) => {
    const c = await Case.register(team);
    await c.handover();
    return c;
  }],
  ['childrenSeen', 'justified', 'not seen, with a reason', async (team) => {
    const c = await Case.register(team);
    await c.child_('notSeen');
    await c.handover('colleague', ['child']);
    return c;
  }],
  ['childrenSeen', 'missing', 'refused: CHILD_NOT_SEEN', refusedMissing('child', 'CHILD_NOT_SEEN')],
  ['childrenSpokenFromAge', 'met', 'the eight-year-old spoken with', async (team) => {
    const c = await Case.register(team);
    await c.handover();
    return c;
  }],
  ['childrenSpokenFromAge', 'justified', 'seen, not spoken with, with a reason', async (team) => {
    const c = await Case.register(team);
    await c.child_('notSpoken');
    await c.handover('colleague', ['child']);
    return c;
  }],
  ['childrenSpokenFromAge', 'missing', 'refused: CHILD_NOT_SPOKEN', refusedMissing('child', 'CHILD_NOT_SPOKEN')],
  ['decisionsByTwoProfessionals', 'met', 'approved by a colleague', async (team) => {
    const c = await Case.register(team);
    await c.handover('colleague');
    return c;
  }],
  ['decisionsByTwoProfessionals', 'missing', 'approved by the proposer (FOUR_EYES=false)', async (team) => {
    const c = await Case.register(team);
    await c.handover('worker');
    return c;
  }],
  ...(['met', 'missing'] as const).map((outcome): Row => ['closuresByTwoProfessionals', outcome, outcome === 'met' ? 'closed by a colleague' : 'closed by the proposer (FOUR_EYES=false)', async (team) => {
    const c = await Case.register(team);
    await c.child_();
    await c.network();
    await c.send('worker', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen.' });
    await c.send('colleague', { type: 'DECISION_APPROVED' });
    await c.send('worker', { type: 'MELDER_FEEDBACK_GIVEN', moment: 'na_beoordeling' });
    await c.send('worker', { type: 'CLOSURE_PROPOSED', rationale: 'Afronden.' });
    await c.send(outcome === 'met' ? 'colleague' : 'worker', { type: 'CLOSURE_APPROVED' });
    return c;
  }]),
  ...(['met', 'justified'] as const).map((outcome): Row => ['vulnerablePersonsWithChainPartner', outcome, outcome === 'met' ? 'a chain partner named' : 'a reason why none', async (team) => {
    const c = await Case.register(team, elder);
    await c.send('worker', { type: 'CHAIN_PARTNER_RECORDED', personId: c.person('oudere'), ...(outcome === 'met' ? { partner: 'Wijkteam ouderenzorg' } : { reasonNone: 'Oma weigert hulp.' }) });
    await c.handover();
    return c;
  }]),
  ['vulnerablePersonsWithChainPartner', 'missing', 'refused: CHAIN_PARTNER_MISSING', async (team) => {
    const c = await Case.register(team, elder);
    await c.child_();
    await c.network();
    await c.safetyPlan();
    await c.planMonitoring();
    await c.refused('worker', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-04', rationale: 'Voorwaarden en vervolg.' }, 'CHAIN_PARTNER_MISSING');
    return c;
  }],
  ['informalNetworkInvolved', 'met', 'someone of the network involved', async (team) => {
    const c = await Case.register(team);
    await c.handover();
    return c;
  }],
  ['informalNetworkInvolved', 'justified', 'a reason why nobody', async (team) => {
    const c = await Case.register(team);
    await c.network('reason');
    await c.handover('colleague', ['network']);
    return c;
  }],
  ['informalNetworkInvolved', 'missing', 'refused: INFORMAL_NETWORK_MISSING', refusedMissing('network', 'INFORMAL_NETWORK_MISSING')],
  ['monitoringPlanned', 'met', 'a contact planned', async (team) => {
    const c = await Case.register(team);
    await c.handover();
    return c;
  }],
  ['monitoringPlanned', 'missing', 'refused: MONITORING_NOT_PLANNED', refusedMissing('monitoring', 'MONITORING_NOT_PLANNED')],
  ['onderzoekenWithPlanVanAanpak', 'met', 'a multidisciplinary plan', async (team) => {
    const c = await Case.register(team);
    await c.decideOnderzoek();
    await c.send('worker', { type: 'ONDERZOEK_STARTED', ...PLAN });
    return c;
  }],
  ['onderzoekenWithPlanVanAanpak', 'met', 'an intercollegiaal plan approved by a colleague', async (team) => {
    const c = await Case.register(team);
    await c.decideOnderzoek();
    await c.send('worker', { type: 'ONDERZOEK_STARTED', planVanAanpak: { kind: 'intercollegiaal', summary: 'Huisbezoek en gesprekken.', approvedBy: c.actorId('colleague') } });
    return c;
  }],
  ['onderzoekenWithPlanVanAanpak', 'justified', 'no plan, with a reason', async (team) => {
    const c = await Case.register(team);
    await c.decideOnderzoek();
    await c.send('worker', { type: 'ONDERZOEK_STARTED', reasonNoPlan: 'Acute situatie: plan volgt na het eerste huisbezoek.' });
    return c;
  }],
  ['onderzoekenWithPlanVanAanpak', 'missing', 'an intercollegiaal plan approved by its own author (FOUR_EYES=false)', async (team) => {
    const c = await Case.register(team);
    await c.decideOnderzoek();
    await c.send('worker', { type: 'ONDERZOEK_STARTED', planVanAanpak: { kind: 'intercollegiaal', summary: 'Huisbezoek.', approvedBy: c.actorId('worker') } });
    return c;
  }],
  ...(['met', 'justified', 'missing'] as const).map((outcome): Row => ['assessmentsWithinTerm', outcome, { met: 'decided the same day', justified: 'decided late after an opschorting', missing: 'decided late' }[outcome], async (team) => {
    const c = await Case.register(team);
    if (outcome === 'justified') await c.adjust('veiligheidsbeoordeling');
    if (outcome !== 'met') t.clock.advance(10 * DAY);
    await c.send('worker', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen.' });
    await c.send('colleague', { type: 'DECISION_APPROVED' });
    return c;
  }]),
  ...(['met', 'justified', 'missing'] as const).map((outcome): Row => ['onderzoekenStartedWithinTerm', outcome, { met: 'started at once', justified: 'started late after an opschorting', missing: 'started late' }[outcome], async (team) => {
    const c = await Case.register(team);
    await c.decideOnderzoek();
    if (outcome === 'justified') await c.adjust('onderzoek_start');
    if (outcome !== 'met') t.clock.advance(10 * DAY);
    await c.send('worker', { type: 'ONDERZOEK_STARTED', ...PLAN });
    return c;
  }]),
  // The onderzoek terms: met when concluded in time; a running onderzoek past its end fails in the period it passes it.
  ...(['onderzoekenWithinTerm', 'onderzoekenWithinTenWeeksOfReceipt'] as const).flatMap((figure) =>
    (['met', 'justified', 'missing'] as const).map((outcome): Row => [figure, outcome, { met: 'concluded in time', justified: 'still running past its end, after an opschorting', missing: 'still running past its end' }[outcome], async (team) => {
      const c = await Case.register(team);
      await c.decideOnderzoek();
      await c.send('worker', { type: 'ONDERZOEK_STARTED', ...PLAN });
      if (outcome === 'met') await c.conclude();
      if (outcome === 'justified') await c.adjust('onderzoek');
      return c;
    }]),
  ),
  ...(['met', 'justified', 'missing'] as const).map((outcome): Row => ['monitoringContactsOnTime', outcome, { met: 'held before the planned day ended', justified: 'held late after an opschorting', missing: 'held late' }[outcome], async (team) => {
    const c = await Case.register(team);
    await c.intoMonitoring();
    if (outcome === 'justified') await c.adjust('monitoringscontact');
    if (outcome !== 'met') t.clock.advance(20 * DAY);
    await c.hold({});
    return c;
  }]),
  ...(['monitoringCheckedSteps', 'monitoringCheckedViolenceStopped'] as const).flatMap((figure) =>
    (['met', 'justified', 'missing'] as const).map((outcome): Row => [figure, outcome, { met: 'established (no)', justified: 'unknown, with a reason', missing: 'unknown, no reason' }[outcome], async (team) => {
      const c = await Case.register(team);
      await c.intoMonitoring();
      const key = figure === 'monitoringCheckedSteps' ? 'stepsCarriedOut' : 'violenceStopped';
      await c.hold({ [key]: outcome === 'met' ? false : 'unknown', ...(outcome === 'justified' ? { reasonUnknown: 'Gezin niet bereikbaar.' } : {}) });
      return c;
    }]),
  ),
];

describe('every quality figure driven to met, justified and missing through the API', () => {
  const cases = new Map<number, Case>();

  beforeAll(async () => {
    t = await startTestApp({ now: START, env: { FOUR_EYES: 'false' } });
    // Rows in order on one clock that only moves forward; each in a team of its own.
    for (const [i, row] of ROWS.entries()) cases.set(i, await row[3](`team-q${i}`));
    t.clock.set(END);
  }, 120_000);
  afterAll(async () => t.close());

  const manager = () => t.token('mona', 'manager');
  const figureOf = async (team: string, figure: string): Promise<Figure> => {
    const res = await t.request('GET', `/v1/quality?from=2026-01-01&to=2026-11-30&team=${team}`, await manager());
    expect(res.statusCode).toBe(200);
    return res.json<{ figures: Record<string, Figure> }>().figures[figure]!;
  };

  it('covers every figure the report gives, each at least met and missing', async () => {
    const res = await t.request('GET', '/v1/quality?from=2026-01-01&to=2026-11-30', await manager());
    const names = Object.keys(res.json<{ figures: Record<string, Figure> }>().figures).sort();
    expect([...new Set([...ROWS.map((r) => r[0]), ...PER_PERSON_FIGURES])].sort()).toEqual(names);
    for (const name of names.filter((n) => !PER_PERSON_FIGURES.includes(n))) {
      const outcomes = new Set(ROWS.filter((r) => r[0] === name).map((r) => r[1]));
      expect({ name, met: outcomes.has('met'), missing: outcomes.has('missing') }).toEqual({ name, met: true, missing: true });
    }
  });

  it.each(ROWS.map((row, i) => [row[0], row[1], row[2], i] as const))('%s → %s: %s', async (figure, outcome, how, i) => {
    const c = cases.get(i)!;
    const f = await figureOf(c.team, figure);
    if (how.startsWith('refused')) {
      // The guard kept the case from leaving VT as it was: nothing is counted for it.
      expect(f).toMatchObject({ applicable: 0, met: 0, justified: 0, missing: 0 });
      return;
    }
    const counts: Record<Outcome, number> = { met: 0, justified: 0, missing: 0 };
    counts[outcome] = 1;
    expect({ applicable: f.applicable, met: f.met, justified: f.justified, missing: f.missing }).toEqual({ applicable: 1, ...counts });
    expect(f.casesJustified).toEqual(outcome === 'justified' ? [c.id] : []);
    expect(f.casesMissing).toEqual(outcome === 'missing' ? [c.id] : []);
  });
});

describe('rounds: a herbeoordeling is judged on its own facts, or on facts explicitly confirmed for it', () => {
  it('refuses round 2 on round-1 facts, accepts it after FACT_CONFIRMED_STILL_VALID, and reports each round apart', async () => {
    t = await startTestApp({ now: START });
    try {
      const c = await Case.register('team-rounds');
      await c.intoMonitoring();
      await c.hold({ violenceStopped: false }, 'herbeoordeling');
      expect(c.view.state).toBe('veiligheidsbeoordeling');
      await c.planMonitoring();
      // The child was seen in round 1; that does not count for round 2.
      await c.refused('worker', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-04', rationale: 'Opnieuw voorwaarden.' }, 'CHILD_NOT_SEEN');
      await c.send('worker', { type: 'FACT_CONFIRMED_STILL_VALID', fact: 'child_contact', personId: c.child, reason: 'Kind op school gezien en gesproken, beeld ongewijzigd.' });
      await c.send('worker', { type: 'FACT_CONFIRMED_STILL_VALID', fact: 'safety_plan', reason: 'Veiligheidsplan met ouders doorgenomen: geldt nog.' });
      // A confirmation needs an earlier fact not yet of this round.
      await c.refused('worker', { type: 'FACT_CONFIRMED_STILL_VALID', fact: 'safety_plan', reason: 'nogmaals' }, 'ALREADY_CURRENT');
      await c.network('reason');
      await c.send('worker', { type: 'DECISION_PROPOSED', safety: 'structureel', code: 'VT-01-04', rationale: 'Opnieuw voorwaarden.' });
      await c.send('colleague', { type: 'DECISION_APPROVED' });
      const rounds = await t.db.selectFrom('case_events').select(['type', 'round']).where('case_id', '=', c.id).orderBy('seq').execute();
      expect(rounds.find((e) => e.type === 'MONITORING_CONTACT_HELD')!.round).toBe(2);
      expect(rounds[0]!.round).toBe(1);
      expect((await t.db.selectFrom('case_quality_facts').select('round').where('case_id', '=', c.id).orderBy('seq').execute()).map((r) => r.round)).toEqual([1, 2]);

      const report = (await t.request('GET', '/v1/quality?from=2026-01-01&to=2026-12-31&team=team-rounds', await t.token('mona', 'manager'))).json<{
        rounds: Array<{ round: number; meldingenLeavingVt: number; figures: Record<string, Figure> }>;
      }>();
      expect(report.rounds.map((r) => [r.round, r.meldingenLeavingVt])).toEqual([[1, 1], [2, 1]]);
      // Round 2: the child seen (confirmed), the network a reason (justified), the safety plan confirmed.
      expect(report.rounds[1]!.figures.childrenSeen).toMatchObject({ met: 1, justified: 0, missing: 0 });
      expect(report.rounds[1]!.figures.informalNetworkInvolved).toMatchObject({ met: 0, justified: 1, missing: 0, casesJustified: [c.id] });
      expect(report.rounds[0]!.figures.informalNetworkInvolved).toMatchObject({ met: 1, justified: 0 });
      expect(report.rounds[1]!.figures.safetyPlanWhereUnsafe).toMatchObject({ met: 1 });
    } finally {
      await t.close();
    }
  });
});
