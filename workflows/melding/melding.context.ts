import { contactPositive, type MeldingEvent, type MeldingEventOf } from './melding.events';
import { routeForConclusion, routeForDecision, type Route } from './melding.rules';
import type { MeldingContext, MeldingInput, Proposal } from './melding.types';

export function initialContext(input: MeldingInput | undefined): MeldingContext {
  // xstate's transition() rebuilds the initial context on every call, sometimes without input: keep this cheap and total.
  const receivedAt = input?.receivedAt ?? '1970-01-01T00:00:00.000Z';
  return {
    caseId: input?.caseId ?? '',
    receivedAt,
    acuteDanger: input?.acuteDanger ?? false,
    acuteCount: input?.acuteDanger ? 1 : 0,
    acuteEstablishedAt: input?.acuteDanger ? receivedAt : null,
    acuteActionStartedAt: null,
    melderReachable: input?.melderReachable ?? false,
    persons: input?.persons ?? [],
    safety: null,
    decision: null,
    proposal: null,
    safetyPlanAt: null,
    safetyPlanRound: null,
    childContacts: {},
    chainPartners: {},
    informalNetworkAt: null,
    informalNetworkInvolved: null,
    firstContactInformation: {},
    vertrouwenspersoonInformation: {},
    memberSafety: {},
    informalNetworkRound: null,
    round: 1,
    roundStartedAt: receivedAt,
    onderzoekRound: null,
    planVanAanpak: null,
    onderzoekCount: 0,
    onderzoekStartedAt: null,
    onderzoekOutcomes: null,
    assessmentCount: 1,
    assessmentStartedAt: receivedAt,
    handover: null,
    monitoringContacts: [],
    feedback: { naBeoordeling: null, naOnderzoek: null },
    closedAt: null,
  };
}

/** Once given, a duty stays met: a later reason (e.g. no contact in a later round) does not undo it. */
function recordDuty(duties: MeldingContext['firstContactInformation'], personId: string, given: boolean, at: string): MeldingContext['firstContactInformation'] {
  const prev = duties[personId];
  if (prev?.given && !given) return duties;
  return { ...duties, [personId]: { at, given } };
}

/** Acute unsafety established now: a new acute term runs from this moment. */
function establishAcute(ctx: MeldingContext, at: string): MeldingContext {
  return { ...ctx, acuteDanger: true, acuteCount: ctx.acuteCount + 1, acuteEstablishedAt: at, acuteActionStartedAt: null };
}

/** Whether acute unsafety was already established at or after `moment` (e.g. at receipt, for the first assessment). */
function acuteSince(ctx: MeldingContext, moment: string): boolean {
  return ctx.acuteEstablishedAt !== null && ctx.acuteEstablishedAt >= moment;
}

/** A new round: facts recorded before it no longer meet its guards unless confirmed for it. */
function newRound(ctx: MeldingContext, at: string): MeldingContext {
  return { ...ctx, round: ctx.round + 1, roundStartedAt: at };
}

function enterRoute(ctx: MeldingContext, route: Route, at: string): MeldingContext {
  switch (route.to) {
    case 'onderzoek': {
      // Decided now; started when staff send ONDERZOEK_STARTED (the 10-week term runs from the decision regardless).
      // A second onderzoek in the same round starts a round of its own.
      const inRound = ctx.onderzoekRound === ctx.round ? newRound(ctx, at) : ctx;
      return { ...inRound, onderzoekCount: ctx.onderzoekCount + 1, onderzoekStartedAt: null, onderzoekRound: inRound.round, planVanAanpak: null };
    }
    case 'overdracht':
      return { ...ctx, handover: { withConditions: route.withConditions, toRaad: route.toRaad, at, confirmedAt: null } };
    case 'niet_ontvankelijk':
    case 'doorverwezen':
      return { ...ctx, closedAt: at };
    case 'afronding':
      return ctx;
  }
}

/** A plan van aanpak made either way: multidisciplinair with named disciplines, or approved by a second professional. */
export function planMade(plan: MeldingEventOf<'ONDERZOEK_STARTED'>['planVanAanpak'], drawnUpBy: string): boolean {
  if (!plan) return false;
  if (plan.kind === 'multidisciplinair') return (plan.disciplines ?? []).length > 0;
  return plan.approvedBy !== undefined && plan.approvedBy !== drawnUpBy;
}

/** An earlier round's fact, confirmed to still hold in this round: it now belongs to this round, marked as confirmed. */
function confirmFact(ctx: MeldingContext, event: MeldingEventOf<'FACT_CONFIRMED_STILL_VALID'>): MeldingContext {
  const mark = { round: ctx.round, confirmed: true } as const;
  switch (event.fact) {
    case 'child_contact': {
      const c = ctx.childContacts[event.personId!];
      return c ? { ...ctx, childContacts: { ...ctx.childContacts, [event.personId!]: { ...c, ...mark } } } : ctx;
    }
    case 'chain_partner': {
      const c = ctx.chainPartners[event.personId!];
      return c ? { ...ctx, chainPartners: { ...ctx.chainPartners, [event.personId!]: { ...c, ...mark } } } : ctx;
    }
    case 'safety_plan':
      return { ...ctx, safetyPlanRound: ctx.round };
    case 'informal_network':
      return { ...ctx, informalNetworkRound: ctx.round };
  }
}

/**
 * The facts an accepted event adds to the case. The machine decides whether an event is accepted and where it
 * leads; this reducer only records what happened, so it is applied after the guards have passed.
 */
export function applyEvent(ctx: MeldingContext, event: MeldingEvent, returnTo: string): MeldingContext {
  const { at } = event;
  const propose = (p: Omit<Proposal, 'by' | 'at' | 'returnTo'>): MeldingContext => ({ ...ctx, proposal: { ...p, by: event.actor.id, at, returnTo } });
  switch (event.type) {
    case 'NOTE_ADDED':
      return ctx;
    case 'PERSON_ADDED':
      return { ...ctx, persons: [...ctx.persons, event.person] };
    case 'ACUTE_ACTION_STARTED':
      return { ...ctx, acuteActionStartedAt: at };
    case 'ACUTE_UNSAFETY_ESTABLISHED':
      return establishAcute(ctx, at);
    case 'CHILD_CONTACT_RECORDED': {
      // A contact of an earlier round is not carried into this one: this round's contact starts afresh.
      const recorded = ctx.childContacts[event.personId];
      const prev = recorded?.round === ctx.round ? recorded : undefined;
      const next = {
        seen: (prev?.seen ?? false) || event.seen,
        spoken: (prev?.spoken ?? false) || event.spoken,
        reasonNotSeen: (prev?.reasonNotSeen ?? false) || event.reasonNotSeen !== undefined,
        reasonNotSpoken: (prev?.reasonNotSpoken ?? false) || event.reasonNotSpoken !== undefined,
        at,
        round: ctx.round,
      };
      return { ...ctx, childContacts: { ...ctx.childContacts, [event.personId]: next } };
    }
    case 'SAFETY_PLAN_RECORDED':
      return { ...ctx, safetyPlanAt: at, safetyPlanRound: ctx.round };
    case 'CHAIN_PARTNER_RECORDED':
      return { ...ctx, chainPartners: { ...ctx.chainPartners, [event.personId]: { at, round: ctx.round, partner: event.partner !== undefined } } };
    case 'INFORMAL_NETWORK_RECORDED':
      return { ...ctx, informalNetworkAt: at, informalNetworkInvolved: event.involved !== undefined, informalNetworkRound: ctx.round };
    case 'FIRST_CONTACT_INFORMATION_RECORDED':
      return { ...ctx, firstContactInformation: recordDuty(ctx.firstContactInformation, event.personId, event.givenOn !== undefined, at) };
    case 'VERTROUWENSPERSOON_INFORMATION_RECORDED':
      return { ...ctx, vertrouwenspersoonInformation: recordDuty(ctx.vertrouwenspersoonInformation, event.personId, event.givenOn !== undefined, at) };
    case 'MEMBER_SAFETY_ASSESSED':
      // The latest assessment counts: a herbeoordeling assesses everyone again.
      return { ...ctx, memberSafety: { ...ctx.memberSafety, [event.personId]: { at, safety: event.safety ?? null } } };
    case 'FACT_CONFIRMED_STILL_VALID':
      return confirmFact(ctx, event);
    case 'MONITORING_CONTACT_PLANNED':
      return { ...ctx, monitoringContacts: [...ctx.monitoringContacts, { id: event.eventId, plannedFor: event.plannedFor, heldAt: null, positive: null }] };
    case 'MONITORING_CONTACT_HELD': {
      const positive = contactPositive(event);
      const held = { ...ctx, monitoringContacts: ctx.monitoringContacts.map((c) => (c.id === event.contactId ? { ...c, heldAt: at, positive } : c)) };
      // A return from monitoring starts a new round.
      if (event.followUp === 'herbeoordeling') return { ...newRound(held, at), assessmentCount: ctx.assessmentCount + 1, assessmentStartedAt: at };
      if (event.followUp === 'onderzoek') return enterRoute(newRound(held, at), { to: 'onderzoek' }, at);
      return held;
    }
    case 'MELDER_FEEDBACK_GIVEN':
      return { ...ctx, feedback: event.moment === 'na_beoordeling' ? { ...ctx.feedback, naBeoordeling: at } : { ...ctx.feedback, naOnderzoek: at } };
    case 'DECISION_PROPOSED':
      return propose({ kind: 'besluit', decisionCode: event.code, followUp: null, safety: event.safety, outcomes: null });
    case 'ONDERZOEK_CONCLUSION_PROPOSED':
      return propose({ kind: 'conclusie', decisionCode: null, followUp: event.followUp, safety: event.safety, outcomes: { ...event.outcomes } });
    case 'CLOSURE_PROPOSED':
      return propose({ kind: 'afsluiting', decisionCode: null, followUp: null, safety: null, outcomes: null });
    case 'DECISION_REJECTED':
    case 'ONDERZOEK_CONCLUSION_REJECTED':
    case 'CLOSURE_REJECTED':
      return { ...ctx, proposal: null };
    case 'ONDERZOEK_STARTED': {
      const plan = event.planVanAanpak;
      const planVanAanpak = {
        kind: plan?.kind ?? null,
        at,
        drawnUpBy: event.actor.id,
        approvedBy: plan?.kind === 'intercollegiaal' ? (plan.approvedBy ?? null) : null,
        disciplines: plan?.kind === 'multidisciplinair' ? [...(plan.disciplines ?? [])] : [],
        made: planMade(plan, event.actor.id),
        reasonNoPlan: plan === undefined && event.reasonNoPlan !== undefined,
        round: ctx.round,
      };
      return { ...ctx, onderzoekStartedAt: at, planVanAanpak };
    }
    case 'DECISION_APPROVED': {
      const p = ctx.proposal;
      if (!p?.decisionCode) return ctx;
      const decided: MeldingContext = {
        ...ctx,
        proposal: null,
        safety: p.safety,
        decision: { code: p.decisionCode, approvedAt: at, proposedBy: p.by, approvedBy: event.actor.id },
        // A new assessment resets the feedback owed to the melder for it.
        feedback: { ...ctx.feedback, naBeoordeling: null },
      };
      const entered = enterRoute(decided, routeForDecision(p.decisionCode), at);
      return p.safety === 'acuut' && !acuteSince(ctx, ctx.assessmentStartedAt) ? establishAcute(entered, at) : entered;
    }
    case 'ONDERZOEK_CONCLUSION_APPROVED': {
      const p = ctx.proposal;
      if (!p?.followUp) return ctx;
      const concluded: MeldingContext = { ...ctx, proposal: null, safety: p.safety, onderzoekOutcomes: p.outcomes, feedback: { ...ctx.feedback, naOnderzoek: null } };
      const entered = enterRoute(concluded, routeForConclusion(p.followUp), at);
      return p.safety === 'acuut' && !acuteSince(ctx, ctx.onderzoekStartedAt ?? ctx.assessmentStartedAt) ? establishAcute(entered, at) : entered;
    }
    case 'HANDOVER_CONFIRMED':
      return ctx.handover ? { ...ctx, handover: { ...ctx.handover, confirmedAt: at } } : ctx;
    case 'CLOSURE_APPROVED':
      return { ...ctx, proposal: null, closedAt: at };
  }
}
