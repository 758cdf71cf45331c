/**
 * A melding from receipt to closure through the HTTP API, along every decision path, with two staff members of
 * one team: alice proposes and records, bob approves. Dates are chosen by hand so the deadlines can be written out.
 *
 * Calendar used (Europe/Amsterdam):
 * - received Friday 15 Jan 2027 10:00 CET, registered Monday 18 Jan 08:30 CET;
 *   assessment due at the end of the 5th werkdag after Friday 15 Jan = Friday 22 Jan 23:59:59.999 CET = 2027-01-22T22:59:59.999Z.
 * - onderzoek decided Monday 18 Jan 2027 15:00 CET (the term runs from the decision, not from ONDERZOEK_STARTED): + 70 days = Monday 29 Mar 2027 = Tweede Paasdag (Easter is 28 Mar 2027),
 *   so Awt art. 1 extends it to the end of Tuesday 30 Mar; summer time started Sunday 28 Mar, so
 *   23:59:59.999 CEST = 2027-03-30T21:59:59.999Z.
 * - decided Tuesday 19 Jan: + 70 days = Tuesday 30 Mar, a werkdag: the same instant, without extension.
 * - decided Wednesday 20 Jan: + 70 days = Wednesday 31 Mar = 2027-03-31T21:59:59.999Z.
 */
import { MELDING_MACHINE_VERSION } from '../../workflows/melding';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { CaseDriver, staff, type CaseJson, type Staff } from './drive';
import { apiError } from '../support/api-error';
import { PLAN } from '../support/plan-van-aanpak';

jest.setTimeout(60_000);

const RECEIVED_AT = '2027-01-15T10:00:00+01:00';
const REGISTERED_AT = '2027-01-18T08:30:00+01:00';
const ASSESSMENT_DUE = '2027-01-22T22:59:59.999Z';

const PARENT = { role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02' };
/** 9 years old in 2027 until 15 June. */
const CHILD_9 = { role: 'kind', name: 'Testkind Een', birthDate: '2017-06-15' };
/** 3 years old in early 2027: must be seen, need not be spoken with. */
const CHILD_3 = { role: 'kind', name: 'Testkind Twee', birthDate: '2023-09-01' };
const GRANDMOTHER = { role: 'oudere', name: 'Testoma Een', birthDate: '1940-02-01', vulnerabilities: ['oudere'] };

const OPEN_OR_BREACHED = ['open', 'breached'];

function deadlinesOf(c: CaseJson, kind: string) {
  return c.deadlines.filter((d) => d.kind === kind);
}

function onlyDeadline(c: CaseJson, kind: string) {
  const found = deadlinesOf(c, kind);
  expect(found.map((d) => d.kind)).toEqual([kind]);
  return found[0]!;
}

function reasonCodes(error: { reasons?: Array<{ code: string }> }): string[] {
  return (error.reasons ?? []).map((r) => r.code).sort();
}

/** In a final state nothing is left open: every deadline is met or cancelled, and the case has no next due date. */
function expectNothingOpen(c: CaseJson): void {
  expect(c.deadlines.filter((d) => OPEN_OR_BREACHED.includes(d.status))).toEqual([]);
  for (const d of c.deadlines) expect(['met', 'cancelled']).toContain(d.status);
  expect(c.nextDueAt).toBeNull();
  expect(c.closedAt).not.toBeNull();
}

describe('a melding along each decision path, through the HTTP API', () => {
  let t: TestApp;
  let alice: Staff;
  let bob: Staff;

  beforeAll(async () => {
    t = await startTestApp({ now: new Date(REGISTERED_AT) });
    alice = await staff(t, 'alice', 'medewerker', ['team-zwolle']);
    bob = await staff(t, 'bob', 'medewerker', ['team-zwolle']);
  });
  afterAll(async () => t.close());

  async function register(persons: unknown[], overrides: Record<string, unknown> = {}): Promise<CaseDriver> {
    t.clock.set(new Date(REGISTERED_AT));
    const d = await CaseDriver.register(t, alice, meldingBody({ receivedAt: RECEIVED_AT, persons, ...overrides }));
    const c = await d.get(alice);
    expect(c.receivedAt).toBe('2027-01-15T09:00:00.000Z');
    expect(c.deadlines).toEqual([expect.objectContaining({ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1', status: 'open', dueAt: ASSESSMENT_DUE })]);
    return d;
  }

  /** The machine context stored with the case (the API does not show `onderzoekStartedAt`). */
  async function storedContext(id: string): Promise<{ onderzoekStartedAt: string | null; onderzoekCount: number }> {
    const row = await t.db.selectFrom('cases').select(['snapshot', 'machine_version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.machine_version).toBe(MELDING_MACHINE_VERSION);
    return row.snapshot.context;
  }

  /** A final state refuses every further event, even a note, and the refusal writes nothing. */
  async function expectClosedForEvents(d: CaseDriver): Promise<void> {
    const error = await d.refuse(alice, 'NOTE_ADDED', { text: 'Nog een notitie na afsluiting.' }, 'CASE.EVENT_NOT_ALLOWED');
    expect(error.reasons?.[0]?.code).toBe('EVENT_NOT_ALLOWED');
  }

  it('VT-01-01 wacht_op_onderzoek → onderzoek → voorwaarden_en_vervolg → overdracht → monitoring → contact held → closure', async () => {
    const d = await register([PARENT, CHILD_9, GRANDMOTHER]);
    const [childId] = await d.personIds(alice, 'kind');
    const [grandmotherId] = await d.personIds(alice, 'oudere');

    await d.send(alice, 'NOTE_ADDED', { text: 'Melder gebeld, situatie besproken.' }, 'veiligheidsbeoordeling');

    // An event the state does not know: 422 EVENT_NOT_ALLOWED, nothing written.
    const notAllowed = await d.refuse(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { safety: 'structureel', followUp: 'afsluiten', outcomes: { kindermishandeling: 'bevestigd' }, conclusion: 'Te vroeg.' }, 'CASE.EVENT_NOT_ALLOWED');
    expect(notAllowed.message).toContain('veiligheidsbeoordeling');

    // A stale expectedVersion: 409, nothing written.
    const stale = await t.request('POST', `/v1/cases/${d.id}/events`, alice.token, { type: 'NOTE_ADDED', expectedVersion: d.version - 1, text: 'Verouderd.' });
    expect(stale.statusCode).toBe(409);
    expect(apiError(stale.json())).toMatchObject({ code: 'CASE.VERSION_CONFLICT', currentVersion: d.version });
    expect((await d.get(alice)).version).toBe(d.version);
    expect(await d.history(alice)).toHaveLength(d.version);

    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig naar de veiligheid van het kind.' }, 'besluit_ter_goedkeuring');
    await d.send(alice, 'NOTE_ADDED', { text: 'Besluit voorgelegd aan bob.' }, 'besluit_ter_goedkeuring');

    // The proposer sees the approval blocked by four eyes; the colleague may approve.
    const forAlice = await d.transitions(alice);
    expect(forAlice.allowed.map((a) => a.type)).not.toContain('DECISION_APPROVED');
    expect(forAlice.blocked).toContainEqual({ type: 'DECISION_APPROVED', reasons: [expect.objectContaining({ code: 'FOUR_EYES' })] });
    const forBob = await d.transitions(bob);
    expect(forBob.allowed.map((a) => a.type)).toContain('DECISION_APPROVED');
    expect(forBob.blocked.map((b) => b.type)).not.toContain('DECISION_APPROVED');

    // Approving one's own proposal: 422 FOUR_EYES, nothing written.
    const ownApproval = await d.refuse(alice, 'DECISION_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(ownApproval)).toEqual(['FOUR_EYES']);

    // The approval decides the onderzoek; it waits until staff start it, but its term opens now.
    let c = await d.send(bob, 'DECISION_APPROVED', { comment: 'Akkoord.' }, 'wacht_op_onderzoek', { at: '2027-01-18T15:00:00+01:00' });
    expect(c.decisionCode).toBe('VT-01-01');
    expect(c.safety).toBe('structureel');
    expect(onlyDeadline(c, 'veiligheidsbeoordeling')).toMatchObject({ status: 'met', metAt: '2027-01-18T14:00:00.000Z', dueAt: ASSESSMENT_DUE });
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ key: 'onderzoek-1', status: 'open', dueAt: '2027-03-30T21:59:59.999Z' });
    expect(onlyDeadline(c, 'terugkoppeling')).toMatchObject({ key: 'na_beoordeling-1', status: 'open' });
    expect((await storedContext(d.id)).onderzoekStartedAt).toBeNull();

    // Waiting: records are kept, ONDERZOEK_STARTED is offered (to anyone: a plan van aanpak or a reason why none, an optional comment), the conclusion is not.
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'wacht_op_onderzoek');
    await d.send(alice, 'NOTE_ADDED', { text: 'Op de wachtlijst voor onderzoek geplaatst.' }, 'wacht_op_onderzoek');
    for (const who of [alice, bob]) {
      const waiting = await d.transitions(who);
      expect(waiting).toMatchObject({ state: 'wacht_op_onderzoek', version: d.version });
      const startEntry = waiting.allowed.find((a) => a.type === 'ONDERZOEK_STARTED');
      expect(startEntry).toBeDefined();
      expect(startEntry!.payloadSchema).toMatchObject({ type: 'object', properties: { comment: { type: 'string' }, reasonNoPlan: { type: 'string' }, planVanAanpak: { type: 'object', properties: { kind: { enum: ['intercollegiaal', 'multidisciplinair'] } } } } });
      expect(startEntry!.payloadSchema.required ?? []).toEqual([]);
      expect(waiting.blocked.map((b) => b.type)).not.toContain('ONDERZOEK_STARTED');
      const typesWaiting = [...waiting.allowed.map((a) => a.type), ...waiting.blocked.map((b) => b.type)];
      expect(typesWaiting).not.toContain('ONDERZOEK_CONCLUSION_PROPOSED');
      expect(typesWaiting).not.toContain('DECISION_PROPOSED');
      expect(typesWaiting).toContain('NOTE_ADDED');
    }
    const notStarted = await d.refuse(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { safety: 'structureel', followUp: 'afsluiten', outcomes: { kindermishandeling: 'bevestigd' }, conclusion: 'Nog niet begonnen.' }, 'CASE.EVENT_NOT_ALLOWED');
    expect(notStarted.message).toContain('wacht_op_onderzoek');
    const deadlinesWaiting = (await d.get(alice)).deadlines;

    c = await d.send(alice, 'ONDERZOEK_STARTED', { ...PLAN, comment: 'Onderzoeker toegewezen.' }, 'onderzoek', { at: '2027-01-21T09:30:00+01:00' });
    // Starting meets the start term (art. 4.1.7 lid 1) and changes no other: the 10 weeks still run from the decision.
    const terms = (ds: Array<Record<string, unknown>>) => ds.map(({ timeLeft: _left, ...term }) => term);
    const startTerm = (term: Record<string, unknown>) => term.kind === 'onderzoek_start';
    expect(terms(c.deadlines).filter((x) => !startTerm(x))).toEqual(terms(deadlinesWaiting).filter((x) => !startTerm(x)));
    expect(terms(c.deadlines).find(startTerm)).toMatchObject({ key: 'onderzoek_start-1', status: 'met', metAt: '2027-01-21T08:30:00.000Z', dueAt: '2027-01-20T22:59:59.999Z' });
    expect((await storedContext(d.id)).onderzoekStartedAt).toBe('2027-01-21T08:30:00.000Z');
    const started = (await d.history(alice)).at(-1)!;
    expect(started).toMatchObject({ type: 'ONDERZOEK_STARTED', fromState: 'wacht_op_onderzoek', toState: 'onderzoek', actor: { id: 'alice' }, at: '2027-01-21T08:30:00.000Z', payload: { ...PLAN, comment: 'Onderzoeker toegewezen.' } });
    const row = await t.db.selectFrom('case_events').select(['from_state', 'to_state']).where('case_id', '=', d.id).where('type', '=', 'ONDERZOEK_STARTED').execute();
    expect(row).toEqual([{ from_state: 'wacht_op_onderzoek', to_state: 'onderzoek' }]);
    // Started once: a second start is not allowed.
    await d.refuse(bob, 'ONDERZOEK_STARTED', PLAN, 'CASE.EVENT_NOT_ALLOWED');
    await d.send(alice, 'NOTE_ADDED', { text: 'Huisbezoek gepland.' }, 'onderzoek');

    // In onderzoek the conclusion can be proposed, with its payload schema; a decision can no longer be proposed.
    const inOnderzoek = await d.transitions(alice);
    expect(inOnderzoek).toMatchObject({ state: 'onderzoek', version: d.version });
    const conclusion = inOnderzoek.allowed.find((a) => a.type === 'ONDERZOEK_CONCLUSION_PROPOSED');
    expect(conclusion).toBeDefined();
    expect(conclusion!.payloadSchema).toMatchObject({
      type: 'object',
      properties: {
        safety: { enum: ['acuut', 'structureel', 'geen'] },
        followUp: { enum: ['overdracht', 'voorwaarden_en_vervolg', 'raad_voor_de_kinderbescherming', 'afsluiten'] },
        outcomes: { type: 'object' },
        conclusion: { type: 'string' },
      },
    });
    expect(conclusion!.payloadSchema.required).toEqual(expect.arrayContaining(['safety', 'followUp', 'conclusion']));
    const typesInOnderzoek = [...inOnderzoek.allowed.map((a) => a.type), ...inOnderzoek.blocked.map((b) => b.type)];
    expect(typesInOnderzoek).not.toContain('DECISION_PROPOSED');
    expect(typesInOnderzoek).toContain('NOTE_ADDED');

    // A handover with conditions before anything is recorded: every inspection rule is named.
    const handover = { safety: 'structureel', followUp: 'voorwaarden_en_vervolg', outcomes: { kindermishandeling: 'bevestigd' }, conclusion: 'Veiligheidsvoorwaarden, overdracht aan het wijkteam, monitoring.' };
    const blocked = await d.refuse(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', handover, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(blocked)).toEqual(['CHAIN_PARTNER_MISSING', 'CHILD_NOT_SEEN', 'CHILD_NOT_SPOKEN', 'INFORMAL_NETWORK_MISSING', 'MONITORING_NOT_PLANNED', 'SAFETY_PLAN_MISSING'].sort());
    expect(blocked.reasons).toContainEqual({ code: 'CHILD_NOT_SPOKEN', message: expect.stringContaining('child 1 (age 9)') });
    expect(blocked.reasons).toContainEqual({ code: 'CHAIN_PARTNER_MISSING', message: expect.stringContaining('vulnerable person 3') });

    // A child added later must be seen as well (a three-year-old need not be spoken with).
    c = await d.send(alice, 'PERSON_ADDED', { person: CHILD_3 }, 'onderzoek');
    expect(c.persons.map((p) => [p.ordinal, p.role])).toEqual([[1, 'ouder'], [2, 'kind'], [3, 'oudere'], [4, 'kind']]);
    const toddlerId = c.persons[3]!.id;
    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-25', seen: true, spoken: true }, 'onderzoek');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan met ouders opgesteld.' }, 'onderzoek');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Oom en buurvrouw' }, 'onderzoek');
    await d.send(alice, 'CHAIN_PARTNER_RECORDED', { personId: grandmotherId, partner: 'Wijkverpleging Zwolle' }, 'onderzoek');
    c = await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'ouders en school', plannedFor: '2027-04-15' }, 'onderzoek');
    const contactId = c.monitoringContacts[0]!.id;
    expect(onlyDeadline(c, 'monitoringscontact')).toMatchObject({ status: 'open', dueAt: '2027-04-15T21:59:59.999Z' });

    const onlyToddler = await d.refuse(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', handover, 'CASE.GUARD_BLOCKED');
    expect(onlyToddler.reasons).toEqual([{ code: 'CHILD_NOT_SEEN', message: expect.stringContaining('child 2 (age 3)') }]);
    c = await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: toddlerId, contactDate: '2027-01-26', seen: true, spoken: false }, 'onderzoek');
    expect(c.persons[3]!.childContact).toMatchObject({ seen: true, spoken: false });

    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', handover, 'conclusie_ter_goedkeuring', { at: '2027-03-01T10:00:00+01:00' });
    await d.send(alice, 'NOTE_ADDED', { text: 'Conclusie voorgelegd.' }, 'conclusie_ter_goedkeuring');
    const ownConclusion = await d.refuse(alice, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(ownConclusion)).toEqual(['FOUR_EYES']);
    c = await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'overdracht', { at: '2027-03-02T11:00:00+01:00' });
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'met', metAt: '2027-03-02T10:00:00.000Z', dueAt: '2027-03-30T21:59:59.999Z' });
    expect(onlyDeadline(c, 'overdrachtsbevestiging').status).toBe('open');

    await d.send(alice, 'NOTE_ADDED', { text: 'Overdracht aan wijkteam verstuurd.' }, 'overdracht');
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_onderzoek' }, 'overdracht');
    await d.send(bob, 'HANDOVER_CONFIRMED', { confirmedBy: 'Wijkteam Zwolle-Zuid' }, 'monitoring');
    await d.send(alice, 'NOTE_ADDED', { text: 'Monitoring loopt.' }, 'monitoring');

    const tooEarly = await d.refuse(alice, 'CLOSURE_PROPOSED', { rationale: 'Te vroeg.' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(tooEarly)).toEqual(['MONITORING_CONTACTS_OPEN', 'MONITORING_NOT_HELD']);

    c = await d.send(
      alice,
      'MONITORING_CONTACT_HELD',
      { contactId, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan', summary: 'Afspraken nagekomen.' },
      'monitoring',
      { at: '2027-04-15T11:00:00+02:00' },
    );
    expect(c.monitoringContacts).toEqual([{ id: contactId, plannedFor: '2027-04-15', heldAt: '2027-04-15T09:00:00.000Z', positive: true }]);

    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Veiligheid hersteld.' }, 'afsluiting_ter_goedkeuring');
    await d.send(alice, 'NOTE_ADDED', { text: 'Afsluiting voorgelegd.' }, 'afsluiting_ter_goedkeuring');
    const ownClosure = await d.refuse(alice, 'CLOSURE_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(ownClosure)).toEqual(['FOUR_EYES']);
    c = await d.send(bob, 'CLOSURE_APPROVED', { comment: 'Akkoord.' }, 'afgesloten', { at: '2027-04-16T10:00:00+02:00' });
    expect(c.closedAt).toBe('2027-04-16T08:00:00.000Z');

    await expectClosedForEvents(d);
    // PERSON_ADDED writes a person row before the machine is asked: a refusal must not leave it behind.
    const personRefused = await d.refuse(alice, 'PERSON_ADDED', { person: { role: 'kind', name: 'Te laat', birthDate: '2020-01-01' } }, 'CASE.EVENT_NOT_ALLOWED');
    expect(personRefused.code).toBe('CASE.EVENT_NOT_ALLOWED');

    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'met', dueAt: '2027-03-30T21:59:59.999Z' });
    expect(onlyDeadline(c, 'monitoringscontact')).toMatchObject({ status: 'met', metAt: '2027-04-15T09:00:00.000Z' });
    expect(onlyDeadline(c, 'overdrachtsbevestiging').status).toBe('met');
    expect(deadlinesOf(c, 'terugkoppeling').map((x) => [x.key, x.status]).sort()).toEqual([
      ['na_beoordeling-1', 'met'],
      ['na_onderzoek-1', 'met'],
    ]);
    await d.expectCompleteHistory(alice);
    const history = await d.history(alice);
    expect(history.map((h) => h.type)).toEqual(d.expectedHistory.map((h) => h.type));
    expect(history.find((h) => h.type === 'PERSON_ADDED')?.payload).toEqual({ personId: toddlerId, role: 'kind' });
  });

  it('VT-01-01 wacht_op_onderzoek → onderzoek → conclusion afsluiten (after one rejection) → afronding → closure, anonymous melder', async () => {
    const d = await register([PARENT, CHILD_9], { reporter: { professional: false, anonymous: true } });
    const [childId] = await d.personIds(alice, 'kind');

    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek.' }, 'besluit_ter_goedkeuring');
    let c = await d.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek', { at: '2027-01-19T14:00:00+01:00' });
    // Tuesday + 70 days is Tuesday 30 March, a werkdag: the same end as a Monday decision extended past Tweede Paasdag.
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'open', dueAt: '2027-03-30T21:59:59.999Z' });
    // An anonymous melder is owed no feedback: no deadline, and recording it is refused.
    expect(deadlinesOf(c, 'terugkoppeling')).toEqual([]);
    const unreachable = await d.refuse(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(unreachable)).toEqual(['MELDER_UNREACHABLE']);

    // Three weeks on the waiting list: the start moves no term.
    c = await d.send(bob, 'ONDERZOEK_STARTED', PLAN, 'onderzoek', { at: '2027-02-09T10:00:00+01:00' });
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'open', dueAt: '2027-03-30T21:59:59.999Z' });
    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-02-09', seen: true, spoken: false, reasonNotSpoken: 'Kind wilde niet praten.' }, 'onderzoek');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { reasonNone: 'Geen netwerk bereikbaar.' }, 'onderzoek');
    const close = { safety: 'geen', followUp: 'afsluiten', outcomes: { kindermishandeling: 'niet_bevestigd' }, conclusion: 'Geen onveiligheid vastgesteld.' };
    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', close, 'conclusie_ter_goedkeuring');
    c = await d.send(bob, 'ONDERZOEK_CONCLUSION_REJECTED', { reason: 'Eerst de school spreken.' }, 'onderzoek');
    expect(c.pendingProposal).toBeNull();
    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', close, 'conclusie_ter_goedkeuring', { at: '2027-02-10T10:00:00+01:00' });
    c = await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'afronding');
    expect(onlyDeadline(c, 'onderzoek').status).toBe('met');
    expect(c.safety).toBe('geen');

    await d.send(alice, 'NOTE_ADDED', { text: 'Dossier afronden.' }, 'afronding');
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Geen zorgen meer.' }, 'afsluiting_ter_goedkeuring');
    const own = await d.refuse(alice, 'CLOSURE_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(own)).toEqual(['FOUR_EYES']);
    await d.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'met', dueAt: '2027-03-30T21:59:59.999Z' });
    await d.expectCompleteHistory(alice);
  });

  it('VT-01-01 wacht_op_onderzoek → onderzoek → conclusion raad_voor_de_kinderbescherming → overdracht → afronding (no monitoring) → closure', async () => {
    const d = await register([PARENT, CHILD_9]);
    const [childId] = await d.personIds(alice, 'kind');

    await d.send(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek.' }, 'besluit_ter_goedkeuring');
    let c = await d.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek', { at: '2027-01-20T10:00:00+01:00' });
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'open', dueAt: '2027-03-31T21:59:59.999Z' });
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'wacht_op_onderzoek');
    // Feedback after an onderzoek that has not even started is refused, and so is it while the onderzoek runs.
    const beforeStart = await d.refuse(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_onderzoek' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(beforeStart)).toEqual(['TOO_EARLY']);
    await d.send(alice, 'ONDERZOEK_STARTED', PLAN, 'onderzoek');
    const early = await d.refuse(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_onderzoek' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(early)).toEqual(['TOO_EARLY']);

    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-22', seen: true, spoken: true }, 'onderzoek');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'onderzoek');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Grootouders' }, 'onderzoek');
    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { safety: 'acuut', followUp: 'raad_voor_de_kinderbescherming', outcomes: { kindermishandeling: 'bevestigd' }, conclusion: 'Verzoek tot onderzoek aan de Raad.' }, 'conclusie_ter_goedkeuring');
    c = await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'overdracht');
    expect(c.safety).toBe('acuut');
    expect(onlyDeadline(c, 'onderzoek').status).toBe('met');
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_onderzoek' }, 'overdracht');
    // The Raad takes over: no monitoring follows, even with acute unsafety.
    await d.send(bob, 'HANDOVER_CONFIRMED', { confirmedBy: 'Raad voor de Kinderbescherming, Zwolle' }, 'afronding');
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Overgedragen aan de Raad.' }, 'afsluiting_ter_goedkeuring');
    await d.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'met', dueAt: '2027-03-31T21:59:59.999Z' });
    expect(onlyDeadline(c, 'overdrachtsbevestiging').status).toBe('met');
    expect(deadlinesOf(c, 'monitoringscontact')).toEqual([]);
    await d.expectCompleteHistory(alice);
  });

  it('a case stored in onderzoek by machine version 1 (started at its decision) continues after the upgrade to version 2', async () => {
    const d = await register([PARENT]);
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Buren' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-01-01', rationale: 'Onderzoek.' }, 'besluit_ter_goedkeuring');
    await d.send(bob, 'DECISION_APPROVED', {}, 'wacht_op_onderzoek', { at: '2027-01-18T15:00:00+01:00' });
    await d.send(alice, 'ONDERZOEK_STARTED', PLAN, 'onderzoek');
    // Rewrite the stored row as version 1 wrote it: no wacht_op_onderzoek, the onderzoek started at the decision.
    const row = await t.db.selectFrom('cases').select('snapshot').where('id', '=', d.id).executeTakeFirstOrThrow();
    const v1 = { ...row.snapshot, version: 1, context: { ...row.snapshot.context, onderzoekStartedAt: '2027-01-18T14:00:00.000Z' } };
    await t.db.updateTable('cases').set({ snapshot: JSON.stringify(v1), machine_version: 1 }).where('id', '=', d.id).execute();

    expect((await d.transitions(alice)).allowed.map((a) => a.type)).toContain('ONDERZOEK_CONCLUSION_PROPOSED');
    await d.refuse(alice, 'ONDERZOEK_STARTED', PLAN, 'CASE.EVENT_NOT_ALLOWED');
    await d.send(alice, 'ONDERZOEK_CONCLUSION_PROPOSED', { safety: 'geen', followUp: 'afsluiten', outcomes: { kindermishandeling: 'niet_bevestigd' }, conclusion: 'Geen zorgen.' }, 'conclusie_ter_goedkeuring');
    const after = await t.db.selectFrom('cases').select(['snapshot', 'machine_version']).where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(after.machine_version).toBe(MELDING_MACHINE_VERSION);
    expect(after.snapshot).toMatchObject({ version: MELDING_MACHINE_VERSION, state: 'conclusie_ter_goedkeuring', context: { onderzoekCount: 1, onderzoekStartedAt: '2027-01-18T14:00:00.000Z' } });
    const c = await d.send(bob, 'ONDERZOEK_CONCLUSION_APPROVED', {}, 'afronding');
    expect(onlyDeadline(c, 'onderzoek')).toMatchObject({ status: 'met', dueAt: '2027-03-30T21:59:59.999Z' });
    await d.expectCompleteHistory(alice);
  });

  it('VT-01-02 handover with structural unsafety → monitoring → contact held → closure; the guards reach the API', async () => {
    const d = await register([PARENT, CHILD_9]);
    const [childId] = await d.personIds(alice, 'kind');
    const handover = { safety: 'structureel', code: 'VT-01-02', rationale: 'Overdracht aan het wijkteam.' };

    const all = await d.refuse(alice, 'DECISION_PROPOSED', handover, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(all)).toEqual(['CHILD_NOT_SEEN', 'CHILD_NOT_SPOKEN', 'INFORMAL_NETWORK_MISSING', 'MONITORING_NOT_PLANNED', 'SAFETY_PLAN_MISSING']);

    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-18', seen: true, spoken: false }, 'veiligheidsbeoordeling');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Buurvrouw' }, 'veiligheidsbeoordeling');
    let c = await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'wijkteam', plannedFor: '2027-03-01' }, 'veiligheidsbeoordeling');
    const contactId = c.monitoringContacts[0]!.id;

    // A handover without a safety plan, the nine-year-old seen but not spoken with: exactly these two reasons.
    const noPlan = await d.refuse(alice, 'DECISION_PROPOSED', handover, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(noPlan)).toEqual(['CHILD_NOT_SPOKEN', 'SAFETY_PLAN_MISSING']);
    expect(noPlan.reasons).toContainEqual({ code: 'CHILD_NOT_SPOKEN', message: 'child 1 (age 9) has not been spoken with and no reason is recorded' });
    expect(noPlan.reasons).toContainEqual({ code: 'SAFETY_PLAN_MISSING', message: expect.stringContaining('structural unsafety') });

    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-18', seen: false, spoken: true }, 'veiligheidsbeoordeling');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', handover, 'besluit_ter_goedkeuring');
    c = await d.send(bob, 'DECISION_APPROVED', {}, 'overdracht');
    expect(c.decisionCode).toBe('VT-01-02');
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(deadlinesOf(c, 'onderzoek')).toEqual([]);
    expect(onlyDeadline(c, 'overdrachtsbevestiging').status).toBe('open');

    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'overdracht');
    await d.send(bob, 'HANDOVER_CONFIRMED', { confirmedBy: 'Wijkteam Zwolle-Noord' }, 'monitoring');
    const unsafe = await d.refuse(alice, 'MONITORING_CONTACT_HELD', { contactId, stepsCarriedOut: true, violenceStopped: false, safetyRestored: false, followUp: 'doorgaan' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(unsafe)).toEqual(['MONITORING_NOT_SAFE']);
    await d.send(alice, 'MONITORING_CONTACT_HELD', { contactId, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan' }, 'monitoring', { at: '2027-03-01T10:00:00+01:00' });
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Veilig.' }, 'afsluiting_ter_goedkeuring');
    await d.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(onlyDeadline(c, 'monitoringscontact')).toMatchObject({ status: 'met', dueAt: '2027-03-01T22:59:59.999Z' });
    await d.expectCompleteHistory(alice);
  });

  it('VT-01-04 voorwaarden en vervolg → overdracht → monitoring with two contacts → closure', async () => {
    const d = await register([PARENT, CHILD_9, GRANDMOTHER]);
    const [childId] = await d.personIds(alice, 'kind');
    const [grandmotherId] = await d.personIds(alice, 'oudere');

    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-18', seen: true, spoken: true }, 'veiligheidsbeoordeling');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Voorwaarden vastgelegd.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Tante' }, 'veiligheidsbeoordeling');
    let c = await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'ouders', plannedFor: '2027-02-15' }, 'veiligheidsbeoordeling');
    const first = c.monitoringContacts[0]!.id;
    const proposal = { safety: 'structureel', code: 'VT-01-04', rationale: 'Voorwaarden en vervolg.' };
    const chain = await d.refuse(alice, 'DECISION_PROPOSED', proposal, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(chain)).toEqual(['CHAIN_PARTNER_MISSING']);
    await d.send(alice, 'CHAIN_PARTNER_RECORDED', { personId: grandmotherId, reasonNone: 'Oma wil geen hulp; huisarts is op de hoogte.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', proposal, 'besluit_ter_goedkeuring');
    c = await d.send(bob, 'DECISION_APPROVED', {}, 'overdracht');
    expect(c.decisionCode).toBe('VT-01-04');
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'overdracht');
    await d.send(bob, 'HANDOVER_CONFIRMED', { confirmedBy: 'Jeugdteam' }, 'monitoring');
    c = await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'school', plannedFor: '2027-03-15' }, 'monitoring');
    const second = c.monitoringContacts[1]!.id;

    await d.send(alice, 'MONITORING_CONTACT_HELD', { contactId: first, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan' }, 'monitoring', { at: '2027-02-15T10:00:00+01:00' });
    const open = await d.refuse(alice, 'CLOSURE_PROPOSED', { rationale: 'Te vroeg.' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(open)).toEqual(['MONITORING_CONTACTS_OPEN']);
    await d.send(alice, 'MONITORING_CONTACT_HELD', { contactId: second, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan' }, 'monitoring', { at: '2027-03-15T10:00:00+01:00' });
    const again = await d.refuse(alice, 'MONITORING_CONTACT_HELD', { contactId: second, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(again)).toEqual(['ALREADY_RECORDED']);
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Voorwaarden nageleefd.' }, 'afsluiting_ter_goedkeuring');
    // A rejected closure returns to monitoring, where it came from.
    await d.send(bob, 'CLOSURE_REJECTED', { reason: 'Nog één gesprek met school.' }, 'monitoring');
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Voorwaarden nageleefd; school gesproken.' }, 'afsluiting_ter_goedkeuring');
    await d.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(deadlinesOf(c, 'monitoringscontact').map((x) => [x.dueAt, x.status])).toEqual([
      ['2027-02-15T22:59:59.999Z', 'met'],
      ['2027-03-15T22:59:59.999Z', 'met'],
    ]);
    await d.expectCompleteHistory(alice);
  });

  it('VT-01-03 no further steps (safety geen) → afronding → closure', async () => {
    const d = await register([PARENT, CHILD_9]);
    const [childId] = await d.personIds(alice, 'kind');

    const contradiction = await d.refuse(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-03', rationale: 'Geen vervolg.' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(contradiction)).toEqual(['DECISION_CONTRADICTS_SAFETY']);
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-01-03', rationale: 'Geen vervolgstappen nodig.' }, 'besluit_ter_goedkeuring');
    let c = await d.send(bob, 'DECISION_APPROVED', {}, 'afronding');
    expect(c).toMatchObject({ decisionCode: 'VT-01-03', safety: 'geen' });

    // Closure needs the children, the network and the melder's feedback.
    const missing = await d.refuse(alice, 'CLOSURE_PROPOSED', { rationale: 'Afsluiten.' }, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(missing)).toEqual(['CHILD_NOT_SEEN', 'CHILD_NOT_SPOKEN', 'FEEDBACK_MISSING', 'INFORMAL_NETWORK_MISSING']);
    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-19', seen: true, spoken: true }, 'afronding');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { reasonNone: 'Niet nodig.' }, 'afronding');
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'afronding');
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Afsluiten.' }, 'afsluiting_ter_goedkeuring');
    // A rejected closure returns to afronding.
    await d.send(bob, 'CLOSURE_REJECTED', { reason: 'Rationale aanvullen.' }, 'afronding');
    await d.send(alice, 'CLOSURE_PROPOSED', { rationale: 'Afsluiten: geen onveiligheid, kind gesproken.' }, 'afsluiting_ter_goedkeuring');
    await d.send(bob, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    expect(onlyDeadline(c, 'terugkoppeling').status).toBe('met');
    await d.expectCompleteHistory(alice);
  });

  it('VT-03 closed without handover → afronding → closure', async () => {
    const d = await register([PARENT, CHILD_9]);
    const [childId] = await d.personIds(alice, 'kind');
    const proposal = { safety: 'structureel', code: 'VT-03', rationale: 'Afsluiting zonder overdracht; hulp loopt al.' };

    const noPlan = await d.refuse(alice, 'DECISION_PROPOSED', proposal, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(noPlan)).toEqual(['SAFETY_PLAN_MISSING']);
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'DECISION_PROPOSED', proposal, 'besluit_ter_goedkeuring');
    let c = await d.send(bob, 'DECISION_APPROVED', {}, 'afronding');
    expect(c.decisionCode).toBe('VT-03');
    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-19', seen: true, spoken: true }, 'afronding');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Opa' }, 'afronding');
    await d.send(alice, 'MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, 'afronding');
    await d.send(bob, 'CLOSURE_PROPOSED', { rationale: 'Afsluiten.' }, 'afsluiting_ter_goedkeuring');
    // Here bob proposed, so bob may not approve, and alice may.
    const own = await d.refuse(bob, 'CLOSURE_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(own)).toEqual(['FOUR_EYES']);
    await d.send(alice, 'CLOSURE_APPROVED', {}, 'afgesloten');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    await d.expectCompleteHistory(alice);
  });

  it('VT-00 not admissible → niet_ontvankelijk (after one rejected proposal)', async () => {
    const d = await register([PARENT, CHILD_9]);
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-00', rationale: 'Niet ontvankelijk.' }, 'besluit_ter_goedkeuring');
    let c = await d.send(bob, 'DECISION_REJECTED', { reason: 'Eerst melder terugbellen.' }, 'veiligheidsbeoordeling');
    expect(c.pendingProposal).toBeNull();
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('open');
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-00', rationale: 'Niet ontvankelijk: geen huiselijk geweld.' }, 'besluit_ter_goedkeuring');
    c = await d.send(bob, 'DECISION_APPROVED', {}, 'niet_ontvankelijk', { at: '2027-01-19T09:15:00+01:00' });
    expect(c).toMatchObject({ decisionCode: 'VT-00', closedAt: '2027-01-19T08:15:00.000Z' });

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling')).toMatchObject({ status: 'met', metAt: '2027-01-19T08:15:00.000Z' });
    await d.expectCompleteHistory(alice);
  });

  it('PERSON_ADDED accepts a child born today in Amsterdam, just after local midnight, who must then be seen', async () => {
    const d = await register([PARENT, CHILD_9]);
    // 00:30 on Tuesday 19 Jan 2027 in Amsterdam is still Monday 18 Jan in UTC; the birth date is today, not the future.
    let c = await d.send(alice, 'PERSON_ADDED', { person: { role: 'kind', name: 'Testbaby', birthDate: '2027-01-19' } }, 'veiligheidsbeoordeling', {
      at: '2027-01-19T00:30:00+01:00',
    });
    expect(c.persons.map((p) => [p.role, p.birthDate])).toEqual([
      ['ouder', '1985-04-02'],
      ['kind', '2017-06-15'],
      ['kind', '2027-01-19'],
    ]);
    const [childId] = await d.personIds(alice, 'kind');
    await d.send(alice, 'CHILD_CONTACT_RECORDED', { personId: childId, contactDate: '2027-01-19', seen: true, spoken: true }, 'veiligheidsbeoordeling');
    await d.send(alice, 'SAFETY_PLAN_RECORDED', { summary: 'Veiligheidsplan.' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'INFORMAL_NETWORK_RECORDED', { involved: 'Kraamzorg' }, 'veiligheidsbeoordeling');
    await d.send(alice, 'MONITORING_CONTACT_PLANNED', { with: 'kraamzorg', plannedFor: '2027-02-01' }, 'veiligheidsbeoordeling');
    const blocked = await d.refuse(alice, 'DECISION_PROPOSED', { safety: 'structureel', code: 'VT-01-02', rationale: 'Overdracht.' }, 'CASE.GUARD_BLOCKED');
    // The newborn (age 0) must be seen, not spoken with.
    expect(blocked.reasons).toEqual([{ code: 'CHILD_NOT_SEEN', message: 'child 2 (age 0) has not been seen and no reason is recorded' }]);
    c = await d.get(alice);
    await d.expectCompleteHistory(alice);
    expect(c.version).toBe(d.version);
  });

  it('VT-99 wrongly addressed → doorverwezen', async () => {
    const d = await register([PARENT, CHILD_9], { gemeente: 'GM0150' });
    await d.send(alice, 'DECISION_PROPOSED', { safety: 'geen', code: 'VT-99', rationale: 'Gezin woont in een andere regio.' }, 'besluit_ter_goedkeuring');
    const own = await d.refuse(alice, 'DECISION_APPROVED', {}, 'CASE.GUARD_BLOCKED');
    expect(reasonCodes(own)).toEqual(['FOUR_EYES']);
    let c = await d.send(bob, 'DECISION_APPROVED', {}, 'doorverwezen');
    expect(c.decisionCode).toBe('VT-99');

    await expectClosedForEvents(d);
    c = await d.get(alice);
    expectNothingOpen(c);
    expect(onlyDeadline(c, 'veiligheidsbeoordeling').status).toBe('met');
    await d.expectCompleteHistory(alice);
  });
});
