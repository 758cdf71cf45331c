/**
 * One synthetic case, driven event by event through the real melding machine and deadline policy from its receipt
 * to the clock's now: assessment, onderzoek, handover, monitoring and closure, with the records the guards demand.
 */
import { formatLocalDate, parseLocalDate, type DayNumber } from '../../../workflows/calendar/local-date';
import type { PlannedDeadline } from '../../../workflows/deadlines/deadline-policy';
import {
  ageOn,
  applyEvent,
  eventReasons,
  isFinalState,
  MELDING_MACHINE_ID,
  MELDING_MACHINE_VERSION,
  monitoringFollowsHandover,
  routeForConclusion,
  routeForDecision,
  DISCIPLINES,
  type Actor,
  type CasePerson,
  type MeldingEvent,
  type MeldingEventType,
  type MeldingState,
  type PersistedMelding,
  type Reason,
} from '../../../workflows/melding';
import { isHouseholdRole, type MelderSector, type PersonRole, type SafetyOutcome, type ViolenceType } from '../../../workflows/reference';
import { commandEffects, registrationEffects } from '../../../workflows/effects/command-effects';
import { qualityFactsColumns } from '../../../src/reporting/quality.repository';
import type { CheckOutcome } from '../../../db/schema';
import type { SimulationRun, SyntheticStaff } from './run';
import {
  ACUTE_ASSESSMENT_DAYS,
  ACUTE_ONDERZOEK_WAIT_DAYS,
  ASSESSMENT_DAYS,
  DAY,
  DECISIONS_ACUTE,
  DECISIONS_AGAIN,
  DECISIONS_FIRST,
  FOLLOW_UPS,
  HOUR,
  MINUTE,
  ONDERZOEK_WAIT_DAYS,
  safetyForConclusion,
  safetyForDecision,
  SECTORS,
  TYPE_COUNT,
  VIOLENCE_BY_HOUSEHOLD,
  type Family,
  type Member,
} from './distributions';
import { chance, intBetween, pick, uuidV7, type Rng } from './prng';
import type {
  SyntheticCase,
  SyntheticCaseRow,
  SyntheticDeadlineRow,
  SyntheticEventRow,
  SyntheticMelderRow,
  SyntheticMonitoringContactRow,
  SyntheticPersonRow,
  SyntheticPlanFactsRow,
  SyntheticQualityFactsRow,
  SyntheticStatePeriodRow,
} from './rows';
import * as words from './vocabulary';

/** The events every open state accepts without leaving it (the machine's `records`). */
const RECORD_EVENTS: ReadonlySet<MeldingEventType> = new Set<MeldingEventType>([
  'NOTE_ADDED',
  'PERSON_ADDED',
  'ACUTE_ACTION_STARTED',
  'CHILD_CONTACT_RECORDED',
  'SAFETY_PLAN_RECORDED',
  'CHAIN_PARTNER_RECORDED',
  'INFORMAL_NETWORK_RECORDED',
  'FIRST_CONTACT_INFORMATION_RECORDED',
  'VERTROUWENSPERSOON_INFORMATION_RECORDED',
  'MEMBER_SAFETY_ASSESSED',
  'MONITORING_CONTACT_PLANNED',
  'MELDER_FEEDBACK_GIVEN',
]);

/** Signals the simulation reached the clock's now: the case stays where it is. */
class ReachedNow extends Error {}
/** Thrown (one instance, no stack per case) when the next event would lie after now; caught in `run`. */
const REACHED_NOW = new ReachedNow('the simulation reached the clock\'s now');


interface DeadlineRecord {
  id: string;
  kind: string;
  key: string;
  rule: string;
  status: 'open' | 'met' | 'cancelled';
  opened: number;
  due: number;
  warn: number;
  met: number | null;
  cancelled: number | null;
  inspectionDue: number | null;
}

interface Scheduled {
  at: number;
  run: () => void;
}

type Payload = Record<string, unknown>;

export class CaseSimulation {
  private readonly id: string;
  /** The melding's types of violence, as registered (the conclusion of an onderzoek gives each an outcome). */
  private types: ViolenceType[] = [];
  private readonly receivedMs: number;
  private readonly registeredMs: number;
  private readonly family: Family;
  private readonly reReport: boolean;
  private readonly gemeente: string;
  private readonly staff: SyntheticStaff;
  private readonly worker: Actor;
  private readonly registrar: Actor;
  private readonly acute: boolean;
  private readonly professional: boolean;
  private readonly anonymous: boolean;
  /** False for an anonymous melder: no feedback can be given. */
  private readonly reachable: boolean;
  private snapshot!: PersistedMelding;
  private cursor: number;
  private readonly persons: SyntheticPersonRow[] = [];
  private readonly events: SyntheticEventRow[] = [];
  /** The outcome of the melding's own veiligheidsbeoordeling, as the first DECISION_APPROVED decided it. */
  private assessedSafety: SafetyOutcome | null = null;
  /** When the case was closed (the effects of its last event), else null. */
  private closedAt: string | null = null;
  private readonly deadlines: DeadlineRecord[] = [];
  private readonly qualityFacts: SyntheticQualityFactsRow[] = [];
  private readonly planFacts: SyntheticPlanFactsRow[] = [];
  private readonly timelineAt: number[] = [];
  private readonly timelineState: MeldingState[] = [];
  private pending: Scheduled[] = [];
  private monitoringTarget = 0;
  private readonly verify: boolean;

  constructor(
    private readonly g: SimulationRun,
    private readonly index: number,
    private readonly rng: Rng,
  ) {
    this.verify = g.verifyEvery > 0 && index % g.verifyEvery === 0;
    this.receivedMs = g.receivedAt(index);
    this.acute = chance(rng, 0.05);
    this.professional = chance(rng, 0.7);
    this.anonymous = !this.professional && chance(rng, 0.25);
    this.reachable = !this.anonymous;
    // A re-report finds an earlier case's family again (and, through their BSNs, the engine flags it).
    const root = g.familyRoot(index);
    // The earlier case must have been registered first: registration follows receipt within days, so a week apart.
    const reported = root !== index && g.receivedAt(root) < this.receivedMs - 7 * DAY ? root : index;
    this.family = g.family(reported);
    this.reReport = reported !== index && this.family.members.some((m) => m.bsn !== null);
    this.gemeente = this.family.gemeente;
    this.staff = g.teams.get(this.gemeente)!;
    this.worker = pick(rng, this.staff.medewerkers);
    this.registrar = chance(rng, 0.6) ? this.worker : pick(rng, this.staff.medewerkers);
    this.registeredMs = this.registrationMoment();
    this.cursor = this.registeredMs;
    this.id = uuidV7(this.registeredMs, rng);
  }

  run(): SyntheticCase {
    const g = this.g;
    const rng = this.rng;
    const receivedIso = new Date(this.receivedMs).toISOString();
    const registeredIso = new Date(this.registeredMs).toISOString();

    // Violence types follow the household; 'onbekend' only on its own.
    const typeCount = TYPE_COUNT.pick(rng);
    const types: ViolenceType[] = [];
    for (let attempt = 0; types.length < typeCount && attempt < 12; attempt++) {
      const t = VIOLENCE_BY_HOUSEHOLD[this.family.household].pick(rng);
      if (types.includes(t) || (t === 'onbekend' && typeCount > 1)) continue;
      types.push(t);
    }
    if (types.length === 0) types.push('onbekend');
    this.types = types;

    // The melder: mostly professionals; a private melder may stay anonymous (then no feedback can be given).
    const professional = this.professional;
    const sector = professional ? SECTORS.pick(rng) : null;
    const anonymous = this.anonymous;
    const melderName = anonymous ? null : `${words.firstName(rng)} ${words.surname(rng)}`;
    const melder: SyntheticMelderRow = {
      case_id: this.id,
      name: melderName,
      contact: melderName === null ? null : `${words.mailbox(melderName)}@${sector ?? 'melder'}.example`,
      shielded: professional ? chance(rng, 0.1) : chance(rng, 0.6),
      anonymous,
    };

    const receivedDate = formatLocalDate(g.dayOf(this.receivedMs));
    for (const m of this.family.members) this.addPersonRow(m, receivedDate, registeredIso, types);

    this.snapshot = g.workflow.start({
      caseId: this.id,
      receivedAt: receivedIso,
      acuteDanger: this.acute,
      melderReachable: this.reachable,
      persons: this.persons.map(toCasePerson),
    });
    const registration = registrationEffects({ melding: this.snapshot, policy: g.policy, acuteDanger: this.acute, gemeente: this.gemeente, violenceTypes: types, personIds: this.persons.map((p) => p.id), adviesId: null });
    this.openDeadlines(registration.deadlines, this.registeredMs);
    const registered = registration.history;
    this.events.push({ id: uuidV7(this.registeredMs, rng), case_id: this.id, seq: 1, type: registered.type, actor_id: this.registrar.id, actor_role: this.registrar.role, at: registeredIso, from_state: null, to_state: registered.toState, payload: registered.payload, round: registered.round });
    this.timelineAt.push(this.registeredMs);
    this.timelineState.push(this.snapshot.state);

    try {
      this.drive();
    } catch (error) {
      if (error !== REACHED_NOW) throw error;
      // What was due before now (feedback to the melder) still happened.
      try {
        this.flushPending(g.nowMs);
      } catch (late) {
        if (late !== REACHED_NOW) throw late;
      }
    }
    return this.result(types, professional, sector, melder);
  }

  private registrationMoment(): number {
    const g = this.g;
    const r = this.receivedMs;
    let ms: number;
    if (this.acute) ms = r + intBetween(this.rng, 5, 40) * MINUTE;
    else {
      const day = g.dayOf(r);
      const minute = (r - g.zone.startOfDayMs(day)) / MINUTE;
      const werkdag = g.calendar.isWerkdag(formatLocalDate(day));
      if (werkdag && minute >= 8 * 60 && minute < 17 * 60) ms = r + intBetween(this.rng, 10, 180) * MINUTE;
      else ms = g.officeTime(werkdag && minute < 8 * 60 ? day : g.werkdagAfter(day, 1), () => this.rng() * 0.3);
    }
    return Math.max(r, Math.min(ms, g.nowMs));
  }

  private addPersonRow(m: Member, onDate: string, createdIso: string, types: readonly ViolenceType[]): SyntheticPersonRow {
    const age = ageOn(m.birthDate, `${onDate}T12:00:00.000Z`);
    const role = this.roleOf(m, age, types);
    const row: SyntheticPersonRow = {
      id: uuidV7(Date.parse(createdIso), this.rng),
      case_id: this.id,
      ordinal: this.persons.length + 1,
      role,
      name: m.name,
      birth_date: m.birthDate,
      bsn: m.bsn,
      vulnerabilities: m.vulnerabilities,
      created_at: createdIso,
    };
    this.persons.push(row);
    return row;
  }

  private roleOf(m: Member, age: number, types: readonly ViolenceType[]): PersonRole {
    if (m.kind === 'child') return age < 18 ? 'kind' : 'overig';
    if (m.kind === 'elder') return 'oudere';
    switch (this.family.household) {
      case 'gezin':
      case 'eenouder':
        return 'ouder';
      case 'stel':
        return 'partner';
      case 'ex':
        return 'ex_partner';
      case 'oudere':
        return types.includes('ouderenmishandeling') && chance(this.rng, 0.5) ? 'pleger' : 'overig';
      case 'alleen':
        return 'overig';
    }
  }

  // -- the path ------------------------------------------------------------------------------------------------

  private drive(): void {
    const g = this.g;
    if (this.acute) {
      const late = chance(this.rng, 0.06);
      const minutes = late ? intBetween(this.rng, g.settings.deadlines.acuteMinutes + 5, g.settings.deadlines.acuteMinutes * 2.5) : intBetween(this.rng, 20, Math.max(21, g.settings.deadlines.acuteMinutes - 30));
      this.send('ACUTE_ACTION_STARTED', { description: pick(this.rng, words.ACUTE_ACTIONS) }, Math.max(this.receivedMs + minutes * MINUTE, this.cursor + 5 * MINUTE), this.worker);
    }
    for (let guard = 0; guard < 40; guard++) {
      const state = this.snapshot.state;
      if (isFinalState(state)) return;
      switch (state) {
        case 'veiligheidsbeoordeling':
          this.assessment();
          break;
        case 'wacht_op_onderzoek':
          this.waitForOnderzoek();
          break;
        case 'onderzoek':
          this.onderzoek();
          break;
        case 'overdracht':
          this.handover();
          break;
        case 'monitoring':
          this.monitoring();
          break;
        case 'afronding':
          this.closure();
          break;
        default:
          throw new Error(`synthetic case ${this.index}: no path from state ${state}`);
      }
    }
    throw new Error(`synthetic case ${this.index}: path did not end`);
  }

  private assessment(): void {
    const g = this.g;
    const rng = this.rng;
    const ctx = this.snapshot.context;
    const again = ctx.assessmentCount > 1;
    const code = (this.acute && !again ? DECISIONS_ACUTE : again ? DECISIONS_AGAIN : DECISIONS_FIRST).pick(rng);
    const safety = safetyForDecision(rng, code, this.acute);
    const route = routeForDecision(code);

    const startDay = g.dayOf(Date.parse(ctx.assessmentStartedAt));
    const k = (this.acute && !again ? ACUTE_ASSESSMENT_DAYS : ASSESSMENT_DAYS).pick(rng);
    const decisionDay = g.werkdagAfter(startDay, k);
    let proposeAt = Math.max(g.officeTime(decisionDay, rng), this.cursor + 30 * MINUTE);
    const decideAt = () => proposeAt + intBetween(rng, 20, 300) * MINUTE;

    // What staff find out and record during the assessment, before the proposal.
    const needsAll = route.to === 'overdracht';
    const records: Array<() => void> = [];
    const at = this.spread(proposeAt);
    if (!again || needsAll) {
      for (const child of this.children()) {
        if (ctx.childContacts[child.id]?.round !== ctx.round && (needsAll || chance(rng, 0.75))) records.push(() => this.recordChild(child, at()));
      }
      for (const p of this.persons) {
        if (p.vulnerabilities.length > 0 && ctx.chainPartners[p.id]?.round !== ctx.round && (needsAll || chance(rng, 0.6))) records.push(() => this.recordChainPartner(p, at()));
      }
      if (ctx.informalNetworkAt === null && (needsAll || chance(rng, 0.6))) records.push(() => this.recordNetwork(at()));
    }
    // The duties towards each person (art. 4.1.8, art. 4.2.4) and the safety of each member of the household: mostly
    // recorded, sometimes with a reason why not, now and then forgotten (the quality figures then show them missing).
    for (const p of this.persons) {
      if (!ctx.firstContactInformation[p.id]?.given) records.push(() => this.recordDuty('FIRST_CONTACT_INFORMATION_RECORDED', p, at(), 0.9, 0.05));
      if (!ctx.vertrouwenspersoonInformation[p.id]?.given) records.push(() => this.recordDuty('VERTROUWENSPERSOON_INFORMATION_RECORDED', p, at(), 0.82, 0.06));
      if (isHouseholdRole(p.role)) records.push(() => this.recordMemberSafety(p, safety, at()));
    }
    if (safety !== 'geen' && ctx.safetyPlanAt === null && (route.to !== 'onderzoek' || chance(rng, 0.4))) records.push(() => this.recordSafetyPlan(at()));
    if (route.to === 'overdracht' && monitoringFollowsHandover(route.withConditions, route.toRaad, safety)) {
      records.push(() => this.planMonitoring(at(), decisionDay, intBetween(rng, 28, 56), route.withConditions ? intBetween(rng, 2, 4) : intBetween(rng, 1, 2)));
    }
    for (let n = intBetween(rng, 0, 2); n > 0; n--) records.push(() => this.note(at()));
    shuffle(rng, records);
    for (const record of records) record();

    const payload = { safety, code, rationale: pick(rng, words.RATIONALES) };
    const second = this.second();
    proposeAt = Math.max(proposeAt, this.cursor + 10 * MINUTE);
    this.sendSatisfied('DECISION_PROPOSED', payload, proposeAt, this.worker);
    if (chance(rng, 0.04)) {
      this.send('DECISION_REJECTED', { reason: 'Onvoldoende onderbouwd; eerst aanvullende informatie ophalen.' }, decideAt(), second);
      proposeAt = g.officeTime(g.werkdagAfter(g.dayOf(this.cursor), 1), rng);
      this.sendSatisfied('DECISION_PROPOSED', payload, proposeAt, this.worker);
    }
    this.sendSatisfied('DECISION_APPROVED', chance(rng, 0.3) ? { comment: 'Akkoord.' } : {}, decideAt(), second);
    this.scheduleFeedback('na_beoordeling');
  }

  /**
   * A decided onderzoek waits for an onderzoeker: some werkdagen (sometimes weeks) after the decision staff send
   * ONDERZOEK_STARTED, now and then noting the wait first. A start that would lie after now leaves the case waiting.
   */
  private waitForOnderzoek(): void {
    const g = this.g;
    const rng = this.rng;
    const ctx = this.snapshot.context;
    const decided = this.onderzoekTermOpened();
    const k = (ctx.safety === 'acuut' ? ACUTE_ONDERZOEK_WAIT_DAYS : ONDERZOEK_WAIT_DAYS).pick(rng);
    const startAt = Math.max(g.officeTime(g.werkdagAfter(g.dayOf(decided), k), rng), this.cursor + 30 * MINUTE);
    if (k >= 5 && chance(rng, 0.5)) this.send('NOTE_ADDED', { text: pick(rng, words.WAITING_NOTES) }, this.spread(startAt)(), this.worker);
    const starter = chance(rng, 0.25) ? pick(rng, this.staff.teamleiders) : this.worker;
    const payload = { ...this.planVanAanpak(starter), ...(chance(rng, 0.4) ? { comment: pick(rng, words.ONDERZOEK_START_COMMENTS) } : {}) };
    this.send('ONDERZOEK_STARTED', payload, Math.max(startAt, this.cursor + 10 * MINUTE), starter);
  }

  /** The plan van aanpak an onderzoek starts with: mostly multidisciplinair, often intercollegiaal, now and then none for a reason. */
  private planVanAanpak(starter: Actor): Payload {
    const rng = this.rng;
    const summary = pick(rng, words.PLANS_VAN_AANPAK);
    const r = rng();
    if (r < 0.03) return { reasonNoPlan: pick(rng, words.REASONS_NO_PLAN) };
    if (r < 0.55) {
      const disciplines = DISCIPLINES.filter((d) => d !== 'teamleider' && chance(rng, 0.4));
      return { planVanAanpak: { kind: 'multidisciplinair', summary, disciplines: disciplines.length > 0 ? disciplines : ['gedragswetenschapper'] } };
    }
    const colleagues = [...this.staff.teamleiders, ...this.staff.medewerkers].filter((m) => m.id !== starter.id);
    return { planVanAanpak: { kind: 'intercollegiaal', summary, approvedBy: pick(rng, colleagues).id } };
  }

  /** When the current onderzoek's term opened (its decision, or the monitoring contact that called for it). */
  private onderzoekTermOpened(): number {
    const key = `onderzoek-${this.snapshot.context.onderzoekCount}`;
    const term = this.deadlines.find((d) => d.kind === 'onderzoek' && d.key === key);
    return term?.opened ?? this.cursor;
  }

  private onderzoek(): void {
    const g = this.g;
    const rng = this.rng;
    const ctx = this.snapshot.context;
    const started = Date.parse(ctx.onderzoekStartedAt ?? new Date(this.cursor).toISOString());
    // The term runs from the decision, so the wait counts against it; the work itself takes at least two weeks.
    const decided = Math.min(this.onderzoekTermOpened(), started);
    const weeks = g.settings.deadlines.onderzoekWeeks;
    const days = chance(rng, 0.78) ? intBetween(rng, 21, weeks * 7 - 2) : intBetween(rng, weeks * 7 + 1, weeks * 7 + 40);
    const end = Math.max(decided + days * DAY, started + intBetween(rng, 14, 28) * DAY);
    let proposeAt = g.officeTime(g.werkdagAfter(g.dayOf(end), 0), rng);
    const followUp = FOLLOW_UPS.pick(rng);
    const safety = safetyForConclusion(rng, followUp);
    const route = routeForConclusion(followUp);
    const at = this.spread(proposeAt);

    if (chance(rng, 0.04)) this.addPerson(at());
    const records: Array<() => void> = [];
    for (const child of this.children()) if (this.snapshot.context.childContacts[child.id]?.round !== ctx.round) records.push(() => this.recordChild(child, at()));
    for (const p of this.persons) if (p.vulnerabilities.length > 0 && ctx.chainPartners[p.id]?.round !== ctx.round) records.push(() => this.recordChainPartner(p, at()));
    if (ctx.informalNetworkAt === null) records.push(() => this.recordNetwork(at()));
    if (safety !== 'geen' && ctx.safetyPlanAt === null) records.push(() => this.recordSafetyPlan(at()));
    for (let n = intBetween(rng, 1, 3); n > 0; n--) records.push(() => this.note(at()));
    shuffle(rng, records);
    for (const record of records) record();
    if (route.to === 'overdracht' && monitoringFollowsHandover(route.withConditions, route.toRaad, safety)) {
      this.planMonitoring(at(), g.dayOf(proposeAt), intBetween(rng, 28, 56), route.withConditions ? intBetween(rng, 2, 4) : intBetween(rng, 1, 2));
    }

    // One outcome per registered type, without drawing from the generator (the rest of the seed stays as it was):
    // unsafety found confirms the suspicion; none found does not; an unknown type allows no judgement.
    const outcomeOf = (t: ViolenceType) => (t === 'onbekend' ? 'geen_oordeel_mogelijk' : safety === 'geen' ? 'niet_bevestigd' : 'bevestigd');
    const outcomes = Object.fromEntries(this.types.map((t) => [t, outcomeOf(t)]));
    const payload = { safety, followUp, outcomes, conclusion: pick(rng, words.CONCLUSIONS) };
    const second = this.second();
    proposeAt = Math.max(proposeAt, this.cursor + 10 * MINUTE);
    this.sendSatisfied('ONDERZOEK_CONCLUSION_PROPOSED', payload, proposeAt, this.worker);
    if (chance(rng, 0.05)) {
      this.send('ONDERZOEK_CONCLUSION_REJECTED', { reason: 'Conclusie sluit niet aan op de bevindingen.' }, this.cursor + intBetween(rng, 60, 600) * MINUTE, second);
      proposeAt = g.officeTime(g.werkdagAfter(g.dayOf(this.cursor), intBetween(rng, 1, 5)), rng);
      this.sendSatisfied('ONDERZOEK_CONCLUSION_PROPOSED', payload, proposeAt, this.worker);
    }
    this.sendSatisfied('ONDERZOEK_CONCLUSION_APPROVED', {}, this.cursor + intBetween(rng, 30, 1200) * MINUTE, second);
    this.scheduleFeedback('na_onderzoek');
  }

  private handover(): void {
    const g = this.g;
    const rng = this.rng;
    const handover = this.snapshot.context.handover!;
    const n = chance(rng, 0.85) ? intBetween(rng, 1, 5) : intBetween(rng, 6, 12);
    const confirmedBy = handover.toRaad ? 'Raad voor de Kinderbescherming' : pick(rng, [`lokaal team ${g.gemeenteName(this.gemeente)}`, 'wijkteam', 'jeugdhulpaanbieder', 'huisarts']);
    this.send('HANDOVER_CONFIRMED', { confirmedBy }, g.officeTime(g.werkdagAfter(g.dayOf(Date.parse(handover.at)), n), rng), this.worker);
  }

  private monitoring(): void {
    const g = this.g;
    const rng = this.rng;
    for (;;) {
      const ctx = this.snapshot.context;
      let open = ctx.monitoringContacts.find((c) => c.heldAt === null);
      if (!open) {
        this.planMonitoring(this.cursor + intBetween(rng, 5, 60) * MINUTE, g.dayOf(this.cursor), intBetween(rng, 28, 70), Math.max(1, this.monitoringTarget));
        open = this.snapshot.context.monitoringContacts.find((c) => c.heldAt === null)!;
      }
      const plannedDay = parseLocalDate(open.plannedFor);
      const heldDay = chance(rng, 0.85) ? Math.max(g.dayOf(this.cursor), g.werkdagAfter(plannedDay - intBetween(rng, 0, 3), 0)) : g.werkdagAfter(plannedDay, intBetween(rng, 1, 6));
      const heldCount = ctx.monitoringContacts.filter((c) => c.heldAt !== null).length + 1;
      const tooManyCycles = ctx.assessmentCount >= 3 || ctx.onderzoekCount >= 2;
      const positive = tooManyCycles || chance(rng, 0.85);
      const at = Math.max(g.officeTime(heldDay, rng), this.cursor + 10 * MINUTE);
      if (positive) {
        this.send('MONITORING_CONTACT_HELD', { contactId: open.id, stepsCarriedOut: true, violenceStopped: true, safetyRestored: true, followUp: 'doorgaan' }, at, this.worker);
        if (heldCount >= this.monitoringTarget) break;
        this.planMonitoring(this.cursor + intBetween(rng, 5, 90) * MINUTE, g.dayOf(this.cursor), intBetween(rng, 42, 84), this.monitoringTarget);
      } else {
        // One question answered no (0–2), or not established at the contact (3–5), now and then with a reason why.
        const failed = intBetween(rng, 0, 5);
        const followUp = chance(rng, 0.6) ? 'herbeoordeling' : 'onderzoek';
        const answer = (i: number) => (failed % 3 !== i ? true : failed < 3 ? false : 'unknown');
        this.send(
          'MONITORING_CONTACT_HELD',
          {
            contactId: open.id,
            stepsCarriedOut: answer(0),
            violenceStopped: answer(1),
            safetyRestored: answer(2),
            ...(failed === 3 || failed === 5 ? { reasonUnknown: 'Gezin niet bereikt bij het contact.' } : {}),
            followUp,
            summary: 'Afspraken niet nagekomen; zorgen nemen toe.',
          },
          at,
          this.worker,
        );
        return;
      }
    }
    this.closure();
  }

  private closure(): void {
    const g = this.g;
    const rng = this.rng;
    const fromMonitoring = this.snapshot.state === 'monitoring';
    const proposeAt = g.officeTime(g.werkdagAfter(g.dayOf(this.cursor), fromMonitoring ? intBetween(rng, 1, 10) : intBetween(rng, 2, 15)), rng);
    const payload = { rationale: fromMonitoring ? 'Monitoring afgerond; de veiligheid is hersteld.' : 'Geen verdere bemoeienis van Veilig Thuis nodig.' };
    const second = this.second();
    this.sendSatisfied('CLOSURE_PROPOSED', payload, proposeAt, this.worker);
    if (chance(rng, 0.03)) {
      this.send('CLOSURE_REJECTED', { reason: 'Eerst het netwerk nogmaals betrekken.' }, this.cursor + intBetween(rng, 60, 600) * MINUTE, second);
      this.sendSatisfied('CLOSURE_PROPOSED', payload, g.officeTime(g.werkdagAfter(g.dayOf(this.cursor), intBetween(rng, 1, 3)), rng), this.worker);
    }
    this.sendSatisfied('CLOSURE_APPROVED', {}, this.cursor + intBetween(rng, 30, 1800) * MINUTE, second);
  }

  // -- recording events ----------------------------------------------------------------------------------------

  private children(): SyntheticPersonRow[] {
    return this.persons.filter((p) => p.role === 'kind');
  }

  /** The second professional of a proposal: mostly a teamleider, sometimes a colleague (never the proposer). */
  private second(): Actor {
    if (chance(this.rng, 0.75)) return pick(this.rng, this.staff.teamleiders);
    const others = this.staff.medewerkers.filter((m) => m.id !== this.worker.id);
    return pick(this.rng, others);
  }

  /** Successive moments between the cursor and `until` (later ones pushed past it if there are many). */
  private spread(until: number): () => number {
    return () => {
      const room = Math.max(until - this.cursor, 2 * HOUR);
      return this.cursor + Math.max(5 * MINUTE, Math.floor(this.rng() * room * 0.4));
    };
  }

  /** A contact with a child: seen, and spoken with from a little below the age the rule asks; `complete` leaves nothing owed. */
  private recordChild(child: SyntheticPersonRow, at: number, complete = false): void {
    const rng = this.rng;
    at = Math.max(at, this.cursor + MINUTE);
    const age = child.birth_date ? ageOn(child.birth_date, new Date(at).toISOString()) : 99;
    const seen = complete || chance(rng, 0.96);
    const canSpeak = age >= Math.max(0, this.g.settings.rules.childSpokenFromAge - 2);
    const spoken = seen && canSpeak && (complete || chance(rng, 0.92));
    const payload: Payload = { personId: child.id, contactDate: formatLocalDate(this.g.dayOf(at)), seen, spoken };
    if (!seen) payload.reasonNotSeen = 'Kind was niet bereikbaar.';
    if (!spoken && age >= this.g.settings.rules.childSpokenFromAge) payload.reasonNotSpoken = 'Professionele afweging: gesprek niet in het belang van het kind.';
    this.send('CHILD_CONTACT_RECORDED', payload, at, this.worker);
  }

  private recordChainPartner(p: SyntheticPersonRow, at: number): void {
    const payload = chance(this.rng, 0.85) ? { personId: p.id, partner: pick(this.rng, words.CHAIN_PARTNERS) } : { personId: p.id, reasonNone: 'Betrokkene weigert contact met een ketenpartner.' };
    this.send('CHAIN_PARTNER_RECORDED', payload, at, this.worker);
  }

  private recordNetwork(at: number): void {
    const payload = chance(this.rng, 0.8) ? { involved: pick(this.rng, words.INFORMAL_NETWORK) } : { reasonNone: pick(this.rng, words.NO_NETWORK_REASONS) };
    this.send('INFORMAL_NETWORK_RECORDED', payload, at, this.worker);
  }

  /** A duty towards a person: given (`pGiven`), not given for a recorded reason (`pReason`), else not recorded at all. */
  private recordDuty(type: 'FIRST_CONTACT_INFORMATION_RECORDED' | 'VERTROUWENSPERSOON_INFORMATION_RECORDED', p: SyntheticPersonRow, at: number, pGiven: number, pReason: number): void {
    const r = this.rng();
    if (r >= pGiven + pReason) return;
    at = Math.max(at, this.cursor + MINUTE);
    const payload = r < pGiven ? { personId: p.id, givenOn: formatLocalDate(this.g.dayOf(at)) } : { personId: p.id, reasonNotGiven: pick(this.rng, words.NO_CONTACT_REASONS) };
    this.send(type, payload, at, this.worker);
  }

  /** A member of the household: their safety as assessed (mostly the case's outcome), now and then a reason, rarely nothing. */
  private recordMemberSafety(p: SyntheticPersonRow, caseSafety: SafetyOutcome, at: number): void {
    const r = this.rng();
    if (r >= 0.97) return;
    at = Math.max(at, this.cursor + MINUTE);
    const safety: SafetyOutcome = caseSafety !== 'geen' && chance(this.rng, 0.3) ? 'geen' : caseSafety;
    const payload = r < 0.94 ? { personId: p.id, safety } : { personId: p.id, reasonNotAssessed: pick(this.rng, words.NO_CONTACT_REASONS) };
    this.send('MEMBER_SAFETY_ASSESSED', payload, at, this.worker);
  }

  private recordSafetyPlan(at: number): void {
    this.send('SAFETY_PLAN_RECORDED', { summary: pick(this.rng, words.SAFETY_PLANS) }, at, this.worker);
  }

  private note(at: number): void {
    this.send('NOTE_ADDED', { text: pick(this.rng, words.NOTES) }, at, this.worker);
  }

  private planMonitoring(at: number, fromDay: DayNumber, afterDays: number, target: number): void {
    this.monitoringTarget = Math.max(this.monitoringTarget, target);
    const plannedDay = this.g.werkdagAfter(Math.max(fromDay, this.g.dayOf(Math.max(at, this.cursor))) + afterDays, 0);
    this.send('MONITORING_CONTACT_PLANNED', { with: pick(this.rng, words.MONITORING_WITH), plannedFor: formatLocalDate(plannedDay) }, at, this.worker);
  }

  private addPerson(at: number): void {
    const rng = this.rng;
    at = Math.max(at, this.cursor + MINUTE);
    const child = chance(rng, 0.6);
    const atIso = new Date(at).toISOString();
    const ageDays = Math.floor((child ? rng() * 17 : 18 + rng() * 50) * 365.25) + 20;
    const member: Member = {
      kind: child ? 'child' : 'adult',
      name: `${words.firstName(rng)} ${words.surname(rng)}`,
      birthDate: formatLocalDate(this.g.dayOf(at) - ageDays),
      bsn: null,
      vulnerabilities: [],
    };
    const row: SyntheticPersonRow = {
      id: uuidV7(at, rng),
      case_id: this.id,
      ordinal: this.persons.length + 1,
      role: child ? 'kind' : 'overig',
      name: member.name,
      birth_date: member.birthDate,
      bsn: null,
      vulnerabilities: [],
      created_at: atIso,
    };
    // The engine writes the person row first and sends the machine its view; the history keeps id and role only.
    this.send('PERSON_ADDED', { personId: row.id, role: row.role }, at, this.worker, { person: toCasePerson(row) }, () => this.persons.push(row));
  }

  /** Feedback to the melder a few werkdagen after a decision or conclusion, sent when the case reaches that moment. */
  private scheduleFeedback(moment: 'na_beoordeling' | 'na_onderzoek'): void {
    if (!this.reachable || isFinalState(this.snapshot.state)) return;
    const n = chance(this.rng, 0.9) ? intBetween(this.rng, 1, 4) : intBetween(this.rng, 6, 9);
    const at = this.g.officeTime(this.g.werkdagAfter(this.g.dayOf(this.cursor), n), this.rng);
    this.pending.push({ at, run: () => this.giveFeedback(moment, at) });
  }

  private giveFeedback(moment: 'na_beoordeling' | 'na_onderzoek', at: number): void {
    const ctx = this.snapshot.context;
    if (isFinalState(this.snapshot.state)) return;
    if (moment === 'na_beoordeling' ? ctx.feedback.naBeoordeling !== null : ctx.feedback.naOnderzoek !== null) return;
    // Not possible in this state (e.g. a new onderzoek began): the guards of closure ask for it later.
    this.trySend('MELDER_FEEDBACK_GIVEN', { moment }, at, this.worker, true);
  }

  private flushPending(until: number): void {
    for (;;) {
      const due = this.pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.pending = this.pending.filter((p) => p !== due);
      if (due.at <= this.cursor) continue; // overtaken (e.g. closed already); the guard loop records what is owed
      due.run();
    }
  }

  // -- stepping the machine ------------------------------------------------------------------------------------

  /**
   * Sends an event the way the engine applies a command: step the machine, apply the deadline policy (meet, open,
   * cancel on a final state), append the history row. Refuses to go past the clock's now.
   */
  private send(type: MeldingEventType, payload: Payload, atWanted: number, actor: Actor, machinePayload?: Payload, beforeStep?: () => void): void {
    this.trySend(type, payload, atWanted, actor, false, machinePayload, beforeStep);
  }

  /** Like `send`; when `tolerate` is set, a guard that blocks the event returns its reasons and nothing is written. */
  private trySend(type: MeldingEventType, payload: Payload, atWanted: number, actor: Actor, tolerate: boolean, machinePayload?: Payload, beforeStep?: () => void): Reason[] | null {
    let at = Math.max(atWanted, this.cursor + MINUTE);
    if (this.pending.length > 0 && this.pending.some((p) => p.at < at)) {
      this.flushPending(at - 1);
      at = Math.max(at, this.cursor + MINUTE);
    }
    if (at > this.g.nowMs) throw REACHED_NOW;
    const atIso = new Date(at).toISOString();
    const eventId = uuidV7(at, this.rng);
    const event = { ...(machinePayload ?? payload), type, eventId, at: atIso, actor } as unknown as MeldingEvent;
    const before = this.snapshot;
    const after = this.step(before, event, tolerate);
    if (Array.isArray(after)) return after;
    beforeStep?.();
    const effects = commandEffects({ before, after, event, historyPayload: payload, assessed: this.assessedSafety !== null, policy: this.g.policy, rules: this.g.settings.rules });
    const changes = effects.deadlines;
    for (const ref of changes.meet) {
      for (const d of this.deadlines) {
        if (d.status === 'open' && d.kind === ref.kind && d.key === ref.key) {
          d.status = 'met';
          d.met = at;
        }
      }
    }
    this.openDeadlines(changes.open, at);
    if (changes.cancelAllOpen) {
      for (const d of this.deadlines) {
        if (d.status === 'open') {
          d.status = 'cancelled';
          d.cancelled = at;
        }
      }
    }
    if (effects.assessedSafety !== undefined) this.assessedSafety = effects.assessedSafety;
    const seq = this.events.length + 1;
    const h = effects.history;
    this.events.push({ id: eventId, case_id: this.id, seq, type: h.type, actor_id: actor.id, actor_role: actor.role, at: atIso, from_state: h.fromState, to_state: h.toState, payload: h.payload, round: h.round });
    const plan = effects.planFacts;
    if (plan) this.planFacts.push({ case_id: this.id, seq, team_id: this.staff.teamId, started_at: plan.startedAt, round: plan.round, plan_kind: plan.kind, made: plan.made, reason_no_plan: plan.reasonNoPlan });
    const quality = effects.qualityFacts;
    if (quality) {
      this.qualityFacts.push({ case_id: this.id, seq, team_id: this.staff.teamId, left_at: quality.leftAt, to_state: quality.toState, round: quality.facts.round, ...qualityFactsColumns(quality.facts) });
    }
    if (effects.stateChanged) {
      this.timelineAt.push(at);
      this.timelineState.push(after.state);
    }
    this.closedAt = effects.closedAt;
    this.snapshot = after;
    this.cursor = at;
    return null;
  }

  /**
   * One step of the melding machine. A record-keeping event (note, child contact, safety plan …) stays in its state
   * in every open state, and the machine then only runs its guard (`eventReasons`) and its reducer (`applyEvent`):
   * those two are called directly, which is several times cheaper than a full xstate transition. Cases picked by
   * `verifyEvery` also take the full `MeldingWorkflow.step` and must come out identical.
   */
  private step(before: PersistedMelding, event: MeldingEvent, tolerate: boolean): PersistedMelding | Reason[] {
    const g = this.g;
    if (RECORD_EVENTS.has(event.type) && !isFinalState(before.state)) {
      const reasons = eventReasons(before.state, before.context, event, g.settings.rules);
      if (reasons.length > 0) {
        if (tolerate) return reasons;
        throw this.refused(event, before, reasons);
      }
      const after: PersistedMelding = {
        machine: MELDING_MACHINE_ID,
        version: MELDING_MACHINE_VERSION,
        state: before.state,
        context: { ...before.context, ...applyEvent(before.context, event, before.state) },
      };
      if (this.verify) {
        const full = g.workflow.step(before, event);
        if (!full.ok) throw this.refused(event, before, full.reasons);
        if (JSON.stringify(full.next) !== JSON.stringify(after)) {
          throw new Error(`synthetic case ${this.index}: ${event.type} in ${before.state} differs from the machine's own step`);
        }
      }
      return after;
    }
    const result = g.workflow.step(before, event);
    if (result.ok) return result.next;
    if (tolerate && result.code === 'GUARD_BLOCKED' && !result.reasons.some((r) => r.code === 'NO_TRANSITION')) return result.reasons;
    throw this.refused(event, before, result.reasons);
  }

  private refused(event: MeldingEvent, before: PersistedMelding, reasons: Reason[]): Error {
    return new Error(`synthetic case ${this.index}: ${event.type} refused in ${before.state}: ${reasons.map((r) => r.code).join(', ')}`);
  }

  /**
   * Sends a proposal or approval after recording whatever its guards still miss (a child who turned six during
   * monitoring, feedback not yet given): the rules the machine enforces, read from `eventReasons` itself.
   */
  private sendSatisfied(type: MeldingEventType, payload: Payload, atWanted: number, actor: Actor): void {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (this.pending.some((p) => p.at < Math.max(atWanted, this.cursor + 10 * MINUTE))) this.flushPending(Math.max(atWanted, this.cursor + 10 * MINUTE) - 1);
      const at = Math.max(atWanted, this.cursor + 10 * MINUTE);
      const blocked = this.trySend(type, payload, at, actor, true);
      if (blocked === null) return;
      this.satisfy(blocked, at);
    }
    throw new Error(`synthetic case ${this.index}: ${type} stays blocked in ${this.snapshot.state}`);
  }

  private satisfy(reasons: Reason[], before: number): void {
    const ctx = this.snapshot.context;
    const at = () => Math.min(before - MINUTE, this.cursor + intBetween(this.rng, 2, 20) * MINUTE);
    const codes = new Set(reasons.map((r) => r.code));
    for (const code of codes) {
      switch (code) {
        case 'CHILD_NOT_SEEN':
        case 'CHILD_NOT_SPOKEN':
          for (const child of this.children()) {
            const issues = this.childIssues(child, before);
            if (issues) this.recordChild(child, at(), true);
          }
          break;
        case 'CHAIN_PARTNER_MISSING':
          for (const p of this.persons) if (p.vulnerabilities.length > 0 && ctx.chainPartners[p.id]?.round !== ctx.round) this.recordChainPartner(p, at());
          break;
        case 'INFORMAL_NETWORK_MISSING':
          // In a later round staff sometimes confirm that the network recorded before still holds.
          if (ctx.informalNetworkAt !== null && chance(this.rng, 0.4)) this.confirmStillValid('informal_network', at());
          else this.recordNetwork(at());
          break;
        case 'SAFETY_PLAN_MISSING':
          if (ctx.safetyPlanAt !== null && chance(this.rng, 0.4)) this.confirmStillValid('safety_plan', at());
          else this.recordSafetyPlan(at());
          break;
        case 'FEEDBACK_MISSING':
          if (ctx.decision && ctx.feedback.naBeoordeling === null) this.send('MELDER_FEEDBACK_GIVEN', { moment: 'na_beoordeling' }, at(), this.worker);
          if (ctx.onderzoekCount > 0 && this.snapshot.context.feedback.naOnderzoek === null) this.send('MELDER_FEEDBACK_GIVEN', { moment: 'na_onderzoek' }, at(), this.worker);
          break;
        case 'MONITORING_NOT_PLANNED':
          this.planMonitoring(at(), this.g.dayOf(before), intBetween(this.rng, 28, 56), 1);
          break;
        default:
          throw new Error(`synthetic case ${this.index}: cannot satisfy ${code} in ${this.snapshot.state}`);
      }
    }
  }

  /** An earlier round's fact confirmed to still hold in this round. */
  private confirmStillValid(fact: 'safety_plan' | 'informal_network', at: number): void {
    this.send('FACT_CONFIRMED_STILL_VALID', { fact, reason: pick(this.rng, words.STILL_VALID_REASONS) }, at, this.worker);
  }

  private childIssues(child: SyntheticPersonRow, at: number): boolean {
    // Only a contact of the current round counts (machine version 4).
    const recorded = this.snapshot.context.childContacts[child.id];
    const contact = recorded?.round === this.snapshot.context.round ? recorded : undefined;
    const age = child.birth_date ? ageOn(child.birth_date, new Date(at).toISOString()) : 99;
    const seen = contact?.seen || contact?.reasonNotSeen;
    const spoken = contact?.spoken || contact?.reasonNotSpoken || age < this.g.settings.rules.childSpokenFromAge;
    return !(seen && spoken);
  }

  private openDeadlines(planned: PlannedDeadline[], at: number): void {
    for (const d of planned) {
      // insertDeadlines: on conflict (case, kind, key) do nothing.
      if (this.deadlines.some((x) => x.kind === d.kind && x.key === d.key)) continue;
      this.deadlines.push({
        id: uuidV7(at, this.rng),
        kind: d.kind,
        key: d.key,
        rule: d.rule,
        status: 'open',
        opened: at,
        due: d.dueAt.getTime(),
        warn: d.warnAt.getTime(),
        met: null,
        cancelled: null,
        inspectionDue: d.inspectionDueAt?.getTime() ?? null,
      });
    }
  }

  // -- rows ----------------------------------------------------------------------------------------------------

  private result(types: ViolenceType[], professional: boolean, sector: MelderSector | null, melder: SyntheticMelderRow): SyntheticCase {
    const now = this.g.nowMs;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const deadlines: SyntheticDeadlineRow[] = [];
    const overdue: Array<[number, number]> = [];
    let nextDue: number | null = null;
    for (const d of this.deadlines) {
      const end = d.met ?? d.cancelled ?? Infinity;
      // The workers breach a deadline at its end (or at once if it opened past it) while it is still open,
      // and warn at the warning moment if it is still open and not yet breached then.
      const fire = Math.max(d.due, d.opened);
      const breached = fire < end && fire <= now ? fire : null;
      const warnMoment = Math.max(d.warn, d.opened);
      const warned = warnMoment < end && warnMoment <= now && warnMoment < fire ? warnMoment : null;
      const status = d.status === 'open' && breached !== null ? 'breached' : d.status;
      if (d.status === 'open') nextDue = nextDue === null ? d.due : Math.min(nextDue, d.due);
      if (Math.max(d.due + 1, d.opened) < end) overdue.push([Math.max(d.due + 1, d.opened), end]);
      deadlines.push({
        id: d.id,
        case_id: this.id,
        kind: d.kind,
        key: d.key,
        rule: d.rule,
        status,
        opened_at: iso(d.opened)!,
        due_at: iso(d.due)!,
        original_due_at: iso(d.due)!,
        warn_at: iso(d.warn)!,
        warned_at: iso(warned),
        breached_at: iso(breached),
        met_at: iso(d.met),
        cancelled_at: iso(d.cancelled),
        inspection_due_at: iso(d.inspectionDue),
        gemeente: this.gemeente,
        team_id: this.staff.teamId,
        case_received_at: iso(this.receivedMs)!,
      });
    }
    const snap = this.snapshot;
    const ctx = snap.context;
    const final = isFinalState(snap.state);
    const caseRow: SyntheticCaseRow = {
      id: this.id,
      team_id: this.staff.teamId,
      gemeente: this.gemeente,
      state: snap.state,
      version: this.events.length,
      machine_version: snap.version,
      snapshot: snap,
      received_at: iso(this.receivedMs)!,
      registered_at: iso(this.registeredMs)!,
      registered_by: this.registrar.id,
      acute_danger: this.acute,
      violence_types: types,
      melder_professional: professional,
      melder_sector: sector,
      re_report: this.reReport,
      safety: ctx.safety,
      assessed_safety: this.assessedSafety,
      report_kind: this.reReport ? 'hermelding' : 'eerste',
      decision_code: ctx.decision?.code ?? null,
      summary: words.summaryFor(this.rng, types[0]!),
      next_due_at: iso(nextDue),
      closed_at: final ? this.closedAt : null,
      updated_at: iso(this.cursor)!,
      advies_id: null,
    };
    return {
      case: caseRow,
      melder,
      persons: this.persons,
      events: this.events,
      deadlines,
      statePeriods: statePeriodsOf(this.events, this.gemeente),
      monitoringContacts: monitoringContactsOf(this.events, this.staff.teamId),
      qualityFacts: this.qualityFacts,
      planFacts: this.planFacts,
      timeline: { gemeente: this.gemeente, at: this.timelineAt, state: this.timelineState, overdue, nextDueAt: nextDue },
    };
  }
}

/** The monitoring contact facts the trigger on case_events would have kept. */
function monitoringContactsOf(events: SyntheticEventRow[], teamId: string): SyntheticMonitoringContactRow[] {
  return events
    .filter((e) => e.type === 'MONITORING_CONTACT_HELD')
    .map((e) => ({
      case_id: e.case_id,
      seq: e.seq,
      team_id: teamId,
      held_at: e.at,
      checked: ['stepsCarriedOut', 'violenceStopped', 'safetyRestored'].every((k) => typeof e.payload[k] === 'boolean'),
      steps: checkOutcome(e.payload.stepsCarriedOut),
      violence_stopped: checkOutcome(e.payload.violenceStopped),
      safety_restored: checkOutcome(e.payload.safetyRestored),
      reason_unknown: 'reasonUnknown' in e.payload,
    }));
}

function checkOutcome(answer: unknown): CheckOutcome {
  return answer === true ? 'yes' : answer === false ? 'no' : 'unknown';
}

/** The periods the trigger on case_events would have kept: one per state change, closed by the next. */
function statePeriodsOf(events: SyntheticEventRow[], gemeente: string): SyntheticStatePeriodRow[] {
  const periods: SyntheticStatePeriodRow[] = [];
  for (const e of events) {
    if (e.from_state === e.to_state) continue;
    const open = periods[periods.length - 1];
    if (open) open.left_at = e.at;
    periods.push({ case_id: e.case_id, seq: e.seq, state: e.to_state, gemeente, entered_at: e.at, left_at: null });
  }
  return periods;
}

function toCasePerson(row: SyntheticPersonRow): CasePerson {
  return { id: row.id, role: row.role, birthDate: row.birth_date, vulnerable: row.vulnerabilities.length > 0 };
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
