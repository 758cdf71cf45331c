/**
 * Builders for the melding machine tests: people on a case, staff, events with deterministic ids and times, and
 * `drive()` to step a case through a list of events (throwing with the reasons when one is refused).
 */
import type { DecisionCode, SafetyOutcome } from '../../workflows/reference';
import {
  MeldingWorkflow,
  type Actor,
  type CasePerson,
  type ConclusionFollowUp,
  type EventMeta,
  type MeldingEventOf,
  type MeldingEventType,
  type MeldingInput,
  type MeldingRuleSettings,
  type PersistedMelding,
  type Reason,
  type StepResult,
} from '../../workflows/melding';

// ---------------------------------------------------------------------------
// Staff

/** Proposes (and records); the default actor of every event except approvals. */
export const ANNA: Actor = { id: 'staff-anna', role: 'medewerker' };
/** The second professional; the default actor of approvals. */
export const BRAM: Actor = { id: 'staff-bram', role: 'teamleider' };

export const DEFAULT_SETTINGS: MeldingRuleSettings = { childSpokenFromAge: 6, fourEyes: true };
export const workflow = (settings: Partial<MeldingRuleSettings> = {}) => new MeldingWorkflow({ ...DEFAULT_SETTINGS, ...settings });

// ---------------------------------------------------------------------------
// People (the machine only sees role, birth date and vulnerability)

export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const PARENT: CasePerson = { id: uuid(0xa1), role: 'ouder', birthDate: '1988-02-11', vulnerable: false };
/** Child 1: 8 years old in June 2024. */
export const CHILD_8: CasePerson = { id: uuid(0xc8), role: 'kind', birthDate: '2016-03-01', vulnerable: false };
/** Child 2: 4 years old in June 2024. */
export const CHILD_4: CasePerson = { id: uuid(0xc4), role: 'kind', birthDate: '2020-01-15', vulnerable: false };
export const ELDER: CasePerson = { id: uuid(0xe1), role: 'oudere', birthDate: '1941-09-30', vulnerable: true };
export const NOT_ON_CASE = uuid(0xdead);

export function baseInput(over: Partial<MeldingInput> = {}): MeldingInput {
  return {
    caseId: uuid(0xca5e),
    receivedAt: '2024-06-03T07:00:00.000Z',
    acuteDanger: false,
    melderReachable: true,
    persons: [PARENT, CHILD_8, CHILD_4],
    ...over,
  };
}

// ---------------------------------------------------------------------------
// Events

/** Events get increasing ids and times (one second apart, from Monday 3 June 2024 08:00 UTC) unless given. */
let counter = 0;
const T0 = Date.parse('2024-06-03T08:00:00.000Z');

type Payload<K extends MeldingEventType> = Omit<MeldingEventOf<K>, 'type' | keyof EventMeta>;
export type Meta = Partial<EventMeta>;

export function ev<K extends MeldingEventType>(type: K, payload: Payload<K>, meta: Meta = {}): MeldingEventOf<K> {
  counter += 1;
  return {
    type,
    ...payload,
    eventId: meta.eventId ?? uuid(0x100000 + counter),
    at: meta.at ?? new Date(T0 + counter * 1000).toISOString(),
    actor: meta.actor ?? ANNA,
  } as unknown as MeldingEventOf<K>;
}

type ContactFacts = { seen?: boolean; spoken?: boolean; reasonNotSeen?: string; reasonNotSpoken?: string };
type HeldFacts = { stepsCarriedOut?: boolean; violenceStopped?: boolean; safetyRestored?: boolean };

/** A multidisciplinary plan van aanpak, drawn up with a gedragswetenschapper and an arts. */
export const PLAN = { kind: 'multidisciplinair', summary: 'huisbezoek, gesprekken met kinderen, school', disciplines: ['gedragswetenschapper', 'arts'] } as const satisfies Payload<'ONDERZOEK_STARTED'>['planVanAanpak'];

/** One builder per event type, with sensible defaults. */
export const E = {
  note: (meta?: Meta) => ev('NOTE_ADDED', { text: 'telefonisch contact met school' }, meta),
  personAdded: (person: CasePerson, meta?: Meta) => ev('PERSON_ADDED', { person }, meta),
  acuteAction: (meta?: Meta) => ev('ACUTE_ACTION_STARTED', { description: 'politie en crisisdienst ingeschakeld' }, meta),
  acuteEstablished: (meta?: Meta) => ev('ACUTE_UNSAFETY_ESTABLISHED', { description: 'bij huisbezoek acute dreiging vastgesteld' }, meta),
  childContact: (personId: string, facts: ContactFacts, meta?: Meta) =>
    ev('CHILD_CONTACT_RECORDED', { personId, contactDate: '2024-06-03', seen: false, spoken: false, ...facts }, meta),
  safetyPlan: (meta?: Meta) => ev('SAFETY_PLAN_RECORDED', { summary: 'afspraken over veiligheid' }, meta),
  chainPartner: (personId: string, how: { partner: string } | { reasonNone: string } = { partner: 'wijkteam ouderenzorg' }, meta?: Meta) =>
    ev('CHAIN_PARTNER_RECORDED', { personId, ...how }, meta),
  informalNetwork: (meta?: Meta) => ev('INFORMAL_NETWORK_RECORDED', { involved: 'grootouders' }, meta),
  firstContactInformation: (personId: string, how: { givenOn: string } | { reasonNotGiven: string } = { givenOn: '2024-06-03' }, meta?: Meta) =>
    ev('FIRST_CONTACT_INFORMATION_RECORDED', { personId, ...how }, meta),
  vertrouwenspersoon: (personId: string, how: { givenOn: string } | { reasonNotGiven: string } = { givenOn: '2024-06-03' }, meta?: Meta) =>
    ev('VERTROUWENSPERSOON_INFORMATION_RECORDED', { personId, ...how }, meta),
  memberSafety: (personId: string, how: { safety: SafetyOutcome } | { reasonNotAssessed: string } = { safety: 'structureel' }, meta?: Meta) =>
    ev('MEMBER_SAFETY_ASSESSED', { personId, ...how }, meta),
  planMonitoring: (meta?: Meta) => ev('MONITORING_CONTACT_PLANNED', { with: 'moeder en wijkteam', plannedFor: '2024-07-01' }, meta),
  holdMonitoring: (contactId: string, followUp: 'doorgaan' | 'herbeoordeling' | 'onderzoek', facts: HeldFacts = {}, meta?: Meta) =>
    ev('MONITORING_CONTACT_HELD', { contactId, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp, ...facts }, meta),
  feedback: (moment: 'na_beoordeling' | 'na_onderzoek', meta?: Meta) => ev('MELDER_FEEDBACK_GIVEN', { moment }, meta),
  proposeDecision: (code: DecisionCode, safety: SafetyOutcome, meta?: Meta) => ev('DECISION_PROPOSED', { code, safety, rationale: 'zie verslag' }, meta),
  approveDecision: (meta: Meta = {}) => ev('DECISION_APPROVED', {}, { actor: BRAM, ...meta }),
  rejectDecision: (meta: Meta = {}) => ev('DECISION_REJECTED', { reason: 'onvoldoende onderbouwd' }, { actor: BRAM, ...meta }),
  /** Started with a multidisciplinary plan van aanpak unless another plan (or a reason for none) is given. */
  startOnderzoek: (meta?: Meta, comment?: string, plan: Pick<Payload<'ONDERZOEK_STARTED'>, 'planVanAanpak' | 'reasonNoPlan'> = { planVanAanpak: PLAN }) =>
    ev('ONDERZOEK_STARTED', { ...plan, ...(comment === undefined ? {} : { comment }) }, meta),
  confirmFact: (fact: 'child_contact' | 'safety_plan' | 'informal_network' | 'chain_partner', personId?: string, meta?: Meta) =>
    ev('FACT_CONFIRMED_STILL_VALID', { fact, reason: 'bij huisbezoek opnieuw vastgesteld dat dit nog geldt', ...(personId ? { personId } : {}) }, meta),
  proposeConclusion: (followUp: ConclusionFollowUp, safety: SafetyOutcome, meta?: Meta, outcomes: Payload<'ONDERZOEK_CONCLUSION_PROPOSED'>['outcomes'] = { kindermishandeling: 'bevestigd' }) =>
    ev('ONDERZOEK_CONCLUSION_PROPOSED', { followUp, safety, outcomes, conclusion: 'zie onderzoeksverslag' }, meta),
  approveConclusion: (meta: Meta = {}) => ev('ONDERZOEK_CONCLUSION_APPROVED', {}, { actor: BRAM, ...meta }),
  rejectConclusion: (meta: Meta = {}) => ev('ONDERZOEK_CONCLUSION_REJECTED', { reason: 'meer informatie nodig' }, { actor: BRAM, ...meta }),
  confirmHandover: (meta?: Meta) => ev('HANDOVER_CONFIRMED', { confirmedBy: 'wijkteam Zwolle-Zuid' }, meta),
  proposeClosure: (meta?: Meta) => ev('CLOSURE_PROPOSED', { rationale: 'veiligheid hersteld' }, meta),
  approveClosure: (meta: Meta = {}) => ev('CLOSURE_APPROVED', {}, { actor: BRAM, ...meta }),
  rejectClosure: (meta: Meta = {}) => ev('CLOSURE_REJECTED', { reason: 'monitoring nog niet rond' }, { actor: BRAM, ...meta }),
};

/** One valid-looking event of every type, for checking which types a state accepts. */
export function oneOfEach(p: PersistedMelding): Record<MeldingEventType, MeldingEventOf<MeldingEventType>> {
  const contactId = p.context.monitoringContacts[0]?.id ?? NOT_ON_CASE;
  return {
    NOTE_ADDED: E.note(),
    PERSON_ADDED: E.personAdded({ ...PARENT, id: uuid(0xbeef) }),
    ACUTE_ACTION_STARTED: E.acuteAction(),
    ACUTE_UNSAFETY_ESTABLISHED: E.acuteEstablished(),
    CHILD_CONTACT_RECORDED: E.childContact(CHILD_8.id, { seen: true }),
    SAFETY_PLAN_RECORDED: E.safetyPlan(),
    CHAIN_PARTNER_RECORDED: E.chainPartner(PARENT.id),
    INFORMAL_NETWORK_RECORDED: E.informalNetwork(),
    FIRST_CONTACT_INFORMATION_RECORDED: E.firstContactInformation(PARENT.id),
    VERTROUWENSPERSOON_INFORMATION_RECORDED: E.vertrouwenspersoon(PARENT.id),
    MEMBER_SAFETY_ASSESSED: E.memberSafety(PARENT.id),
    MONITORING_CONTACT_PLANNED: E.planMonitoring(),
    MONITORING_CONTACT_HELD: E.holdMonitoring(contactId, 'doorgaan'),
    MELDER_FEEDBACK_GIVEN: E.feedback('na_beoordeling'),
    DECISION_PROPOSED: E.proposeDecision('VT-01-01', 'geen'),
    DECISION_APPROVED: E.approveDecision(),
    DECISION_REJECTED: E.rejectDecision(),
    ONDERZOEK_STARTED: E.startOnderzoek(),
    FACT_CONFIRMED_STILL_VALID: E.confirmFact('safety_plan'),
    ONDERZOEK_CONCLUSION_PROPOSED: E.proposeConclusion('afsluiten', 'geen'),
    ONDERZOEK_CONCLUSION_APPROVED: E.approveConclusion(),
    ONDERZOEK_CONCLUSION_REJECTED: E.rejectConclusion(),
    HANDOVER_CONFIRMED: E.confirmHandover(),
    CLOSURE_PROPOSED: E.proposeClosure(),
    CLOSURE_APPROVED: E.approveClosure(),
    CLOSURE_REJECTED: E.rejectClosure(),
  };
}

// ---------------------------------------------------------------------------
// Driving a case

type AnyEvent = MeldingEventOf<MeldingEventType>;

/** Steps through the events in order; a refused step throws with its state, code and reasons. */
export function drive(wf: MeldingWorkflow, from: PersistedMelding, events: AnyEvent[]): PersistedMelding {
  return events.reduce((p, event, i) => {
    const r = wf.step(p, event);
    if (!r.ok) throw new Error(`step ${i} (${event.type} in ${p.state}) refused: ${r.code} ${JSON.stringify(r.reasons)}`);
    return r.next;
  }, from);
}

/** The reasons of a refused step (fails the test when the step was accepted). */
export function reasonsOf(r: StepResult): Reason[] {
  if (r.ok) throw new Error(`expected a refusal, but the event was accepted (now in ${r.next.state})`);
  return r.reasons;
}

/** The reason codes of a refused step (fails the test when the step was accepted). */
export const codesOf = (r: StepResult): string[] => reasonsOf(r).map((x) => x.code);

/** The next snapshot of an accepted step (fails the test, with the reasons, when the step was refused). */
export function nextOf(r: StepResult): PersistedMelding {
  if (!r.ok) throw new Error(`expected acceptance, but got ${r.code} ${JSON.stringify(r.reasons)}`);
  return r.next;
}

export type Paperwork = 'children' | 'safetyPlan' | 'network' | 'chainPartners' | 'monitoring';

/**
 * Everything the inspection requires before a handover or closure, for the persons of `input`: every child seen
 * (and spoken with when 6 or older or of unknown age), a safety plan, the informal network, a chain partner for each
 * vulnerable person and one planned monitoring contact. Leave parts out with `omit`.
 */
export function paperwork(input: MeldingInput, omit: Paperwork[] = []): AnyEvent[] {
  const out: AnyEvent[] = [];
  if (!omit.includes('children')) {
    for (const p of input.persons.filter((x) => x.role === 'kind')) out.push(E.childContact(p.id, { seen: true, spoken: true }));
  }
  if (!omit.includes('safetyPlan')) out.push(E.safetyPlan());
  if (!omit.includes('network')) out.push(E.informalNetwork());
  if (!omit.includes('chainPartners')) {
    for (const p of input.persons.filter((x) => x.vulnerable)) out.push(E.chainPartner(p.id));
  }
  if (!omit.includes('monitoring')) out.push(E.planMonitoring());
  return out;
}

/** A case started from `input` with its paperwork done (minus `omit`). */
export function prepared(wf: MeldingWorkflow, input: MeldingInput = baseInput(), omit: Paperwork[] = []): PersistedMelding {
  return drive(wf, wf.start(input), paperwork(input, omit));
}

/** The id of the first planned monitoring contact that has not been held. */
export function openContactId(p: PersistedMelding): string {
  const c = p.context.monitoringContacts.find((x) => x.heldAt === null);
  if (!c) throw new Error('no open monitoring contact');
  return c.id;
}

/** A current snapshot as version 5 stored it: no outcomes of an onderzoek per type of violence (version 6 added them). */
export function asV5(p: PersistedMelding): PersistedMelding {
  const { onderzoekOutcomes: _oo, proposal, ...rest } = p.context;
  const v5Proposal = proposal === null ? null : (({ outcomes: _o, ...kept }) => kept)(proposal);
  return { ...p, version: 5, context: { ...rest, proposal: v5Proposal } as unknown as PersistedMelding['context'] };
}

/** A current snapshot as version 4 stored it: no rounds, no plan van aanpak (version 5 added them), no outcomes per type (version 6). */
export function asV4(p: PersistedMelding): PersistedMelding {
  const { round: _r, roundStartedAt: _rs, onderzoekRound: _or, planVanAanpak: _pva, safetyPlanRound: _sr, informalNetworkRound: _nr, childContacts, chainPartners, ...rest } = asV5(p).context;
  const strip = <T extends { round: number; confirmed?: boolean }>({ round: _round, confirmed: _c, ...fact }: T) => fact;
  const context = {
    ...rest,
    childContacts: Object.fromEntries(Object.entries(childContacts).map(([id, c]) => [id, strip(c)])),
    chainPartners: Object.fromEntries(Object.entries(chainPartners).map(([id, c]) => [id, strip(c)])),
  };
  return { ...p, version: 4, context: context as unknown as PersistedMelding['context'] };
}
