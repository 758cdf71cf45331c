import type { AwtCalendar } from '../calendar/awt-calendar';
import type { DeadlineChanges, DeadlinePolicy, PlannedDeadline } from '../deadlines/deadline-policy';
import { isFinalState, type MeldingEvent, type PlanVanAanpak, type MeldingEventType, type MeldingRuleSettings, type MeldingState, type PersistedMelding } from '../melding';
import type { SafetyOutcome } from '../reference';
import { leavesVt, leavingFacts, type LeavingFacts } from '../reporting/quality';
import { destructionDate, type DestructionDate, type RetentionSettings } from '../retention/retention-policy';

/**
 * What a step of the melding machine does to a case besides its new snapshot: one function that the case engine
 * (src/cases/case.engine.ts) and the seed's simulator (tools/seed/synthetic/case-simulation.ts) both call, so the
 * simulator writes what the engine writes without a copy of its rules. Pure: time arrives in the event (`event.at`).
 */

/** The history row of a machine event (the ledger adds the case, the sequence number, the id and the time). */
export interface CommandHistory {
  type: MeldingEventType;
  fromState: MeldingState;
  toState: MeldingState;
  payload: Record<string, unknown>;
  round: number;
}

/** The plan-van-aanpak facts kept when an onderzoek starts (`case_plan_facts`, at the event's sequence number). */
export interface PlanFacts {
  startedAt: string;
  round: number;
  kind: PlanVanAanpak['kind'];
  made: PlanVanAanpak['made'];
  reasonNoPlan: PlanVanAanpak['reasonNoPlan'];
}

/** The inspection's facts about a melding as it leaves VT (`case_quality_facts`, at the event's sequence number). */
export interface QualityFactsEffect {
  leftAt: string;
  toState: MeldingState;
  facts: LeavingFacts;
}

export interface CommandEffects {
  history: CommandHistory;
  /** Deadlines to meet, to open (a deadline already there by kind and key stays as it is), and whether all open ones are cancelled. */
  deadlines: DeadlineChanges;
  /** The melding's own veiligheidsbeoordeling decided for the first time: its outcome (`assessed_safety`), else undefined. */
  assessedSafety: SafetyOutcome | null | undefined;
  /** The case is closed (a final state): when, as ISO text; else null. */
  closedAt: string | null;
  /** With `retention` given: the destruction date set in the transaction that closes the case. */
  retention: DestructionDate | null;
  qualityFacts: QualityFactsEffect | null;
  planFacts: PlanFacts | null;
  stateChanged: boolean;
}

export interface CommandEffectsInput {
  before: PersistedMelding;
  after: PersistedMelding;
  event: MeldingEvent;
  /** What the history keeps of the command (no names or BSNs: those live in persons). */
  historyPayload: Record<string, unknown>;
  /** Whether the melding's own veiligheidsbeoordeling was decided before (the case's `assessed_safety` is set). */
  assessed: boolean;
  policy: DeadlinePolicy;
  rules: MeldingRuleSettings;
  /** The destruction date is computed only when given (the seed leaves undated closed dossiers to the retention job). */
  retention?: { settings: RetentionSettings; calendar: Pick<AwtCalendar, 'localDate'> };
}

export function commandEffects(i: CommandEffectsInput): CommandEffects {
  const { before, after, event } = i;
  const ctx = after.context;
  const type = event.type;
  const closedAt = isFinalState(after.state) ? (ctx.closedAt ?? event.at) : null;
  const plan = ctx.planVanAanpak;
  return {
    history: { type, fromState: before.state, toState: after.state, payload: i.historyPayload, round: ctx.round },
    deadlines: i.policy.onTransition(before, after, event),
    assessedSafety: type === 'DECISION_APPROVED' && !i.assessed ? ctx.safety : undefined,
    closedAt,
    retention: closedAt && i.retention ? destructionDate(i.retention.calendar.localDate(new Date(closedAt)), ctx.persons, i.retention.settings) : null,
    qualityFacts: leavesVt(type, after.state) ? { leftAt: event.at, toState: after.state, facts: leavingFacts({ caseId: ctx.caseId, context: ctx, leftAt: event.at, closure: closureOf(before, after, event) }, i.rules) } : null,
    planFacts: type === 'ONDERZOEK_STARTED' && plan ? { startedAt: event.at, round: plan.round, kind: plan.kind, made: plan.made, reasonNoPlan: plan.reasonNoPlan } : null,
    stateChanged: after.state !== before.state,
  };
}

/** A closure approved by a second professional: who proposed it and who approved it. */
function closureOf(before: PersistedMelding, after: PersistedMelding, event: MeldingEvent): { proposedBy: string; approvedBy: string } | null {
  const proposedBy = before.context.proposal?.kind === 'afsluiting' ? before.context.proposal.by : null;
  return after.state === 'afgesloten' && proposedBy ? { proposedBy, approvedBy: event.actor.id } : null;
}

/** The first history row of a new melding, and the deadlines its registration opens. */
export interface RegistrationEffects {
  history: { type: 'MELDING_REGISTERED'; toState: MeldingState; round: number; payload: Record<string, unknown> };
  deadlines: PlannedDeadline[];
}

export function registrationEffects(i: {
  melding: PersistedMelding;
  policy: DeadlinePolicy;
  acuteDanger: boolean;
  gemeente: string;
  violenceTypes: readonly string[];
  personIds: readonly string[];
  adviesId: string | null;
  /** The earlier case this melding follows up, when it is a vervolgmelding. */
  vervolgmeldingOf?: string | null;
}): RegistrationEffects {
  return {
    history: {
      type: 'MELDING_REGISTERED',
      toState: i.melding.state,
      round: i.melding.context.round,
      payload: {
        acuteDanger: i.acuteDanger,
        gemeente: i.gemeente,
        violenceTypes: i.violenceTypes,
        persons: i.personIds,
        adviesId: i.adviesId,
        ...(i.vervolgmeldingOf ? { vervolgmeldingOf: i.vervolgmeldingOf } : {}),
      },
    },
    deadlines: i.policy.onRegistration(i.melding),
  };
}
