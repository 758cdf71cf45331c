import { formatLocalDate } from '../calendar/local-date';
import { zoneDays } from '../calendar/zone';
import { HOUSEHOLD_ROLES, isHouseholdRole, type DecisionCode, type SafetyOutcome } from '../reference';
import { contactPositive, type MeldingEvent, type MeldingEventOf, type MeldingEventType } from './melding.events';
import type { Actor, ConclusionFollowUp, MeldingContext, ProposalKind, Reason } from './melding.types';

/** Settings the inspection rules depend on (docs/domain.md: "Requirements that the inspection checks"). */
export interface MeldingRuleSettings {
  /** Children are always seen, and spoken with from this age. */
  childSpokenFromAge: number;
  /** Decision, onderzoek conclusion and closure need a second professional. */
  fourEyes: boolean;
  /**
   * Who may be that second professional: roles and/or disciplines (an approver qualifies when their role or their
   * token's discipline is listed). Unset: anyone who may send case events. Setting FOUR_EYES_APPROVERS.
   */
  approvers?: readonly string[];
}

export type Route =
  | { to: 'onderzoek' }
  | { to: 'overdracht'; withConditions: boolean; toRaad: boolean }
  | { to: 'afronding' }
  | { to: 'niet_ontvankelijk' }
  | { to: 'doorverwezen' };

export function routeForDecision(code: DecisionCode): Route {
  switch (code) {
    case 'VT-01-01':
      return { to: 'onderzoek' };
    case 'VT-01-02':
    case 'VT-02':
      return { to: 'overdracht', withConditions: false, toRaad: false };
    case 'VT-01-04':
      return { to: 'overdracht', withConditions: true, toRaad: false };
    case 'VT-01-03':
    case 'VT-03':
      return { to: 'afronding' };
    case 'VT-00':
      return { to: 'niet_ontvankelijk' };
    case 'VT-99':
      return { to: 'doorverwezen' };
  }
}

export function routeForConclusion(followUp: ConclusionFollowUp): Route {
  switch (followUp) {
    case 'overdracht':
      return { to: 'overdracht', withConditions: false, toRaad: false };
    case 'voorwaarden_en_vervolg':
      return { to: 'overdracht', withConditions: true, toRaad: false };
    case 'raad_voor_de_kinderbescherming':
      return { to: 'overdracht', withConditions: false, toRaad: true };
    case 'afsluiten':
      return { to: 'afronding' };
  }
}

/** After a handover VT keeps monitoring when it set conditions or when there is unsafety, unless the Raad takes over. */
export function monitoringFollowsHandover(withConditions: boolean, toRaad: boolean, safety: SafetyOutcome | null): boolean {
  return !toRaad && (withConditions || (safety !== null && safety !== 'geen'));
}

const reason = (code: string, message: string): Reason => ({ code, message });

const amsterdam = zoneDays('Europe/Amsterdam');

/** Whole years between a birth date and an instant: a child turns six at local midnight in Amsterdam, not in UTC. */
export function ageOn(birthDate: string, at: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const localDate = formatLocalDate(amsterdam.localDayOf(Date.parse(at)));
  const [ay, am, ad] = localDate.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

export function safetyPlanReasons(ctx: MeldingContext, safety: SafetyOutcome | null): Reason[] {
  if (safety === null || safety === 'geen' || (ctx.safetyPlanAt !== null && ctx.safetyPlanRound === ctx.round)) return [];
  const label = safety === 'acuut' ? 'acute' : 'structural';
  return [reason('SAFETY_PLAN_MISSING', `${label} unsafety was assessed but no veiligheidsplan (safety plan) has been recorded`)];
}

export function childContactReasons(ctx: MeldingContext, at: string, settings: MeldingRuleSettings): Reason[] {
  const out: Reason[] = [];
  ctx.persons
    .filter((p) => p.role === 'kind')
    .forEach((child, index) => {
      const label = child.birthDate === null ? `child ${index + 1} (age unknown)` : `child ${index + 1} (age ${ageOn(child.birthDate, at)})`;
      // Only a contact of this round (or one confirmed for it) counts.
      const recorded = ctx.childContacts[child.id];
      const contact = recorded?.round === ctx.round ? recorded : undefined;
      const mustSpeak = child.birthDate === null || ageOn(child.birthDate, at) >= settings.childSpokenFromAge;
      if (!contact || !(contact.seen || contact.reasonNotSeen)) {
        out.push(reason('CHILD_NOT_SEEN', `${label} has not been seen and no reason is recorded`));
      }
      if (mustSpeak && !(contact?.spoken || contact?.reasonNotSpoken)) {
        out.push(reason('CHILD_NOT_SPOKEN', `${label} has not been spoken with and no reason is recorded`));
      }
    });
  return out;
}

export function chainPartnerReasons(ctx: MeldingContext): Reason[] {
  return ctx.persons
    .filter((p) => p.vulnerable && ctx.chainPartners[p.id]?.round !== ctx.round)
    .map((p) =>
      reason('CHAIN_PARTNER_MISSING', `vulnerable person ${ctx.persons.indexOf(p) + 1} has no chain partner recorded, nor a reason why none`),
    );
}

export function informalNetworkReasons(ctx: MeldingContext): Reason[] {
  return ctx.informalNetworkAt === null || ctx.informalNetworkRound !== ctx.round
    ? [reason('INFORMAL_NETWORK_MISSING', 'the informal network is not recorded: record who is involved, or why nobody is')]
    : [];
}

function monitoringPlannedReasons(ctx: MeldingContext): Reason[] {
  return ctx.monitoringContacts.some((c) => c.heldAt === null)
    ? []
    : [reason('MONITORING_NOT_PLANNED', 'monitoring follows this handover: plan at least one monitoring contact (with whom and when)')];
}

function monitoringCompleteReasons(ctx: MeldingContext): Reason[] {
  const out: Reason[] = [];
  const open = ctx.monitoringContacts.filter((c) => c.heldAt === null).length;
  if (open > 0) out.push(reason('MONITORING_CONTACTS_OPEN', `${open} planned monitoring contact(s) have not been held`));
  const held = ctx.monitoringContacts.filter((c) => c.heldAt !== null).sort((a, b) => (a.heldAt! < b.heldAt! ? -1 : 1));
  const last = held[held.length - 1];
  if (!last) out.push(reason('MONITORING_NOT_HELD', 'no monitoring contact has been held'));
  else if (!last.positive) out.push(reason('MONITORING_NOT_SAFE', 'the last monitoring contact did not find the violence stopped and safety restored'));
  return out;
}

function feedbackReasons(ctx: MeldingContext): Reason[] {
  if (!ctx.melderReachable) return [];
  const out: Reason[] = [];
  if (ctx.decision && ctx.feedback.naBeoordeling === null) {
    out.push(reason('FEEDBACK_MISSING', 'the melder has not been given feedback after the safety assessment'));
  }
  if (ctx.onderzoekCount > 0 && ctx.feedback.naOnderzoek === null) {
    out.push(reason('FEEDBACK_MISSING', 'the melder has not been given feedback after the onderzoek'));
  }
  return out;
}

function fourEyesReasons(ctx: MeldingContext, kind: ProposalKind, actor: Actor, settings: MeldingRuleSettings): Reason[] {
  const proposal = ctx.proposal;
  if (!proposal || proposal.kind !== kind) return [reason('NO_PROPOSAL', `there is no ${kind} proposal to decide on`)];
  if (settings.fourEyes && proposal.by === actor.id) {
    return [reason('FOUR_EYES', `the ${kind} was proposed by you; a second professional must approve it (four eyes)`)];
  }
  if (settings.fourEyes && !mayApprove(actor, settings)) {
    return [reason('APPROVER_NOT_ALLOWED', `only ${settings.approvers!.join(', ')} may approve a ${kind} (four eyes; FOUR_EYES_APPROVERS)`)];
  }
  return [];
}

/** Whether the actor's role or discipline is one the four-eyes rule names as approver. */
export function mayApprove(actor: Actor, settings: MeldingRuleSettings): boolean {
  const approvers = settings.approvers;
  if (approvers === undefined) return true;
  return approvers.includes(actor.role) || (actor.discipline !== undefined && approvers.includes(actor.discipline));
}

const FACT_LABELS: Record<MeldingEventOf<'FACT_CONFIRMED_STILL_VALID'>['fact'], string> = {
  child_contact: 'contact with this child',
  chain_partner: 'chain partner record of this person',
  safety_plan: 'veiligheidsplan',
  informal_network: 'informal network record',
};

/** An earlier round's fact can be confirmed for this round when it exists and does not belong to this round yet. */
function confirmReasons(ctx: MeldingContext, event: MeldingEventOf<'FACT_CONFIRMED_STILL_VALID'>): Reason[] {
  let round: number | null;
  switch (event.fact) {
    case 'child_contact': {
      const person = ctx.persons.find((p) => p.id === event.personId);
      if (!person || person.role !== 'kind') return [reason('UNKNOWN_CHILD', 'personId is not a child on this case')];
      round = ctx.childContacts[person.id]?.round ?? null;
      break;
    }
    case 'chain_partner': {
      if (!ctx.persons.some((p) => p.id === event.personId)) return [reason('UNKNOWN_PERSON', 'personId is not a person on this case')];
      round = ctx.chainPartners[event.personId!]?.round ?? null;
      break;
    }
    case 'safety_plan':
      round = ctx.safetyPlanAt === null ? null : ctx.safetyPlanRound;
      break;
    case 'informal_network':
      round = ctx.informalNetworkAt === null ? null : ctx.informalNetworkRound;
      break;
  }
  if (round === null) return [reason('NOTHING_TO_CONFIRM', `no ${FACT_LABELS[event.fact]} was recorded in an earlier round`)];
  if (round === ctx.round) return [reason('ALREADY_CURRENT', `the ${FACT_LABELS[event.fact]} already belongs to round ${ctx.round}`)];
  return [];
}

/** What must hold before a melding leaves VT's hands by handover. */
export function handoverReasons(ctx: MeldingContext, route: Extract<Route, { to: 'overdracht' }>, safety: SafetyOutcome | null, at: string, settings: MeldingRuleSettings): Reason[] {
  const withPlan = { ...ctx, safety };
  return [
    ...safetyPlanReasons(withPlan, safety),
    ...childContactReasons(ctx, at, settings),
    ...chainPartnerReasons(ctx),
    ...informalNetworkReasons(ctx),
    ...(monitoringFollowsHandover(route.withConditions, route.toRaad, safety) ? monitoringPlannedReasons(ctx) : []),
  ];
}

/** What must hold before a melding is closed. */
export function closureReasons(ctx: MeldingContext, inMonitoring: boolean, at: string, settings: MeldingRuleSettings): Reason[] {
  return [
    ...safetyPlanReasons(ctx, ctx.safety),
    ...childContactReasons(ctx, at, settings),
    ...chainPartnerReasons(ctx),
    ...informalNetworkReasons(ctx),
    ...feedbackReasons(ctx),
    ...(inMonitoring ? monitoringCompleteReasons(ctx) : []),
  ];
}

function routeReasons(ctx: MeldingContext, route: Route, safety: SafetyOutcome | null, at: string, settings: MeldingRuleSettings): Reason[] {
  if (route.to === 'overdracht') return handoverReasons(ctx, route, safety, at, settings);
  if (route.to === 'afronding') return safetyPlanReasons(ctx, safety);
  return [];
}

/**
 * Reasons an event cannot be applied now, beyond the state accepting it: the rules of the Handelingsprotocol and
 * the inspection framework. Empty means allowed. Used by the machine's guards and to explain a 422.
 */
export function eventReasons(state: string, ctx: MeldingContext, event: MeldingEvent, settings: MeldingRuleSettings): Reason[] {
  switch (event.type) {
    case 'NOTE_ADDED':
    case 'PERSON_ADDED':
    case 'SAFETY_PLAN_RECORDED':
    case 'INFORMAL_NETWORK_RECORDED':
    case 'MONITORING_CONTACT_PLANNED':
    case 'HANDOVER_CONFIRMED':
    case 'DECISION_REJECTED':
    case 'ONDERZOEK_CONCLUSION_REJECTED':
    case 'CLOSURE_REJECTED':
      return [];
    case 'ONDERZOEK_STARTED':
      if (event.planVanAanpak === undefined && event.reasonNoPlan === undefined) {
        return [reason('PLAN_VAN_AANPAK_MISSING', 'an onderzoek starts with a plan van aanpak (intercollegiaal or multidisciplinair), or a recorded reason why there is none')];
      }
      if (settings.fourEyes && event.planVanAanpak?.kind === 'intercollegiaal' && event.planVanAanpak.approvedBy === event.actor.id) {
        return [reason('PLAN_FOUR_EYES', 'an intercollegiaal plan van aanpak is approved by a second professional, not by the case worker who drew it up')];
      }
      return [];
    case 'FACT_CONFIRMED_STILL_VALID':
      return confirmReasons(ctx, event);
    case 'ACUTE_ACTION_STARTED':
      if (ctx.acuteEstablishedAt === null) return [reason('NOT_ACUTE', 'no acute unsafety has been registered or established on this melding')];
      return ctx.acuteActionStartedAt ? [reason('ALREADY_RECORDED', 'the acute action has already been recorded')] : [];
    case 'ACUTE_UNSAFETY_ESTABLISHED':
      return ctx.acuteEstablishedAt !== null && ctx.acuteActionStartedAt === null
        ? [reason('ALREADY_ACUTE', 'acute unsafety is already established and its action has not started yet')]
        : [];
    case 'CHILD_CONTACT_RECORDED': {
      const person = ctx.persons.find((p) => p.id === event.personId);
      if (!person || person.role !== 'kind') return [reason('UNKNOWN_CHILD', 'personId is not a child on this case')];
      const somethingRecorded = event.seen || event.spoken || event.reasonNotSeen !== undefined || event.reasonNotSpoken !== undefined;
      return somethingRecorded ? [] : [reason('EMPTY_CONTACT', 'record that the child was seen or spoken with, or a reason why not')];
    }
    case 'CHAIN_PARTNER_RECORDED':
    case 'FIRST_CONTACT_INFORMATION_RECORDED':
    case 'VERTROUWENSPERSOON_INFORMATION_RECORDED': {
      const person = ctx.persons.find((p) => p.id === event.personId);
      return person ? [] : [reason('UNKNOWN_PERSON', 'personId is not a person on this case')];
    }
    case 'MEMBER_SAFETY_ASSESSED': {
      const person = ctx.persons.find((p) => p.id === event.personId);
      if (!person) return [reason('UNKNOWN_PERSON', 'personId is not a person on this case')];
      return isHouseholdRole(person.role) ? [] : [reason('NOT_HOUSEHOLD_MEMBER', `personId is a ${person.role}, not a member of the household (${HOUSEHOLD_ROLES.join(', ')})`)];
    }
    case 'MONITORING_CONTACT_HELD': {
      const contact = ctx.monitoringContacts.find((c) => c.id === event.contactId);
      if (!contact) return [reason('UNKNOWN_CONTACT', 'contactId is not a planned monitoring contact of this case')];
      if (contact.heldAt) return [reason('ALREADY_RECORDED', 'this monitoring contact has already been held')];
      const positive = contactPositive(event);
      return event.followUp === 'doorgaan' && !positive
        ? [reason('MONITORING_NOT_SAFE', 'the agreed steps were not carried out or the violence has not stopped (or that is not known): choose herbeoordeling or onderzoek')]
        : [];
    }
    case 'MELDER_FEEDBACK_GIVEN':
      if (!ctx.melderReachable) return [reason('MELDER_UNREACHABLE', 'the melder is anonymous or cannot be reached')];
      if (event.moment === 'na_beoordeling' && !ctx.decision) return [reason('TOO_EARLY', 'there is no decision after the safety assessment yet')];
      if (event.moment === 'na_onderzoek' && (ctx.onderzoekCount === 0 || state === 'wacht_op_onderzoek' || state === 'onderzoek' || state === 'conclusie_ter_goedkeuring')) {
        return [reason('TOO_EARLY', 'there is no concluded onderzoek yet')];
      }
      return [];
    case 'DECISION_PROPOSED': {
      if (event.code === 'VT-01-03' && event.safety !== 'geen') {
        return [reason('DECISION_CONTRADICTS_SAFETY', 'VT-01-03 (no further steps) is not possible when unsafety was assessed')];
      }
      return routeReasons(ctx, routeForDecision(event.code), event.safety, event.at, settings);
    }
    case 'DECISION_APPROVED': {
      const fourEyes = fourEyesReasons(ctx, 'besluit', event.actor, settings);
      if (fourEyes.length > 0 || !ctx.proposal?.decisionCode) return fourEyes;
      return routeReasons(ctx, routeForDecision(ctx.proposal.decisionCode), ctx.proposal.safety, event.at, settings);
    }
    case 'ONDERZOEK_CONCLUSION_PROPOSED':
      return routeReasons(ctx, routeForConclusion(event.followUp), event.safety, event.at, settings);
    case 'ONDERZOEK_CONCLUSION_APPROVED': {
      const fourEyes = fourEyesReasons(ctx, 'conclusie', event.actor, settings);
      if (fourEyes.length > 0 || !ctx.proposal?.followUp) return fourEyes;
      // A conclusion proposed under machine v5 recorded no outcome per type of violence (art. 4.3.2 h).
      if (ctx.proposal.outcomes === null) return [reason('ONDERZOEK_OUTCOMES_MISSING', 'this conclusion records no outcome per type of violence: reject it and propose it again with one outcome for every type')];
      return routeReasons(ctx, routeForConclusion(ctx.proposal.followUp), ctx.proposal.safety, event.at, settings);
    }
    case 'CLOSURE_PROPOSED':
      return closureReasons(ctx, state === 'monitoring', event.at, settings);
    case 'CLOSURE_APPROVED': {
      const fourEyes = fourEyesReasons(ctx, 'afsluiting', event.actor, settings);
      return fourEyes.length > 0 ? fourEyes : closureReasons(ctx, ctx.proposal?.returnTo === 'monitoring', event.at, settings);
    }
  }
}

/** Event types whose rules depend on who sends them; for listing what the caller may do now. */
export const ACTOR_DEPENDENT_EVENTS: ReadonlySet<MeldingEventType> = new Set(['DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED']);
