import { assign, setup } from 'xstate';
import { applyEvent, initialContext } from './melding.context';
import type { MeldingEvent } from './melding.events';
import { eventReasons, monitoringFollowsHandover, routeForConclusion, routeForDecision, type MeldingRuleSettings, type Route } from './melding.rules';
import type { MeldingContext, MeldingInput } from './melding.types';

export const MELDING_MACHINE_ID = 'melding';
/** Bump when states or context change shape, and teach `migrateSnapshot` the step from the previous version. */
export const MELDING_MACHINE_VERSION = 6;

export const OPEN_STATES = [
  'veiligheidsbeoordeling',
  'besluit_ter_goedkeuring',
  'wacht_op_onderzoek',
  'onderzoek',
  'conclusie_ter_goedkeuring',
  'overdracht',
  'monitoring',
  'afronding',
  'afsluiting_ter_goedkeuring',
] as const;
export const FINAL_STATES = ['afgesloten', 'niet_ontvankelijk', 'doorverwezen'] as const;
export type OpenState = (typeof OPEN_STATES)[number];
export type FinalState = (typeof FINAL_STATES)[number];
export type MeldingState = OpenState | FinalState;
export const MELDING_STATES: readonly MeldingState[] = [...OPEN_STATES, ...FINAL_STATES];

type StateParams = { state: OpenState };
type RouteParams = { state: OpenState; to: Route['to'] };

function approvedRoute(ctx: MeldingContext, event: MeldingEvent): Route | null {
  if (event.type === 'DECISION_APPROVED' && ctx.proposal?.decisionCode) return routeForDecision(ctx.proposal.decisionCode);
  if (event.type === 'ONDERZOEK_CONCLUSION_APPROVED' && ctx.proposal?.followUp) return routeForConclusion(ctx.proposal.followUp);
  return null;
}

/**
 * The lifecycle of a melding under the Handelingsprotocol Veilig Thuis 2019: safety assessment, a decision with
 * its VNG/CBS code approved by a second professional, then onderzoek (waiting until staff start it), overdracht (with or without conditions and
 * monitoring) or closure. Pure: time, ids and actors arrive in the events; stepped with xstate's `transition()`.
 */
export function createMeldingMachine(settings: MeldingRuleSettings) {
  const allowed = (ctx: MeldingContext, event: MeldingEvent, state: OpenState) => eventReasons(state, ctx, event, settings).length === 0;

  const m = setup({
    // xstate's typing idiom: the assertion carries the types, it is not a cast of a value.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    types: {} as { context: MeldingContext; events: MeldingEvent; input: MeldingInput },
    guards: {
      allowed: ({ context, event }, p: StateParams) => allowed(context, event, p.state),
      approvedTo: ({ context, event }, p: RouteParams) => allowed(context, event, p.state) && approvedRoute(context, event)?.to === p.to,
      heldWith: ({ context, event }, p: StateParams & { followUp: string }) =>
        event.type === 'MONITORING_CONTACT_HELD' && event.followUp === p.followUp && allowed(context, event, p.state),
      monitoringFollows: ({ context }) =>
        context.handover !== null && monitoringFollowsHandover(context.handover.withConditions, context.handover.toRaad, context.safety),
      returnsToMonitoring: ({ context }) => context.proposal?.returnTo === 'monitoring',
    },
    actions: {
      apply: assign(({ context, event }, p: StateParams) => applyEvent(context, event, p.state)),
    },
  });

  const guard = (state: OpenState) => ({ type: 'allowed', params: { state } }) as const;
  const apply = (state: OpenState) => ({ type: 'apply', params: { state } }) as const;
  const stay = (state: OpenState) => ({ guard: guard(state), actions: apply(state) });
  const go = (state: OpenState, target: string) => ({ target, guard: guard(state), actions: apply(state) });
  const approve = (state: OpenState, routes: Array<[Route['to'], string]>) =>
    routes.map(([to, target]) => ({ target, guard: { type: 'approvedTo', params: { state, to } } as const, actions: apply(state) }));

  /** Record-keeping events, accepted in every open state. */
  const records = (state: OpenState) => ({
    NOTE_ADDED: stay(state),
    PERSON_ADDED: stay(state),
    ACUTE_ACTION_STARTED: stay(state),
    ACUTE_UNSAFETY_ESTABLISHED: stay(state),
    CHILD_CONTACT_RECORDED: stay(state),
    SAFETY_PLAN_RECORDED: stay(state),
    CHAIN_PARTNER_RECORDED: stay(state),
    INFORMAL_NETWORK_RECORDED: stay(state),
    FIRST_CONTACT_INFORMATION_RECORDED: stay(state),
    VERTROUWENSPERSOON_INFORMATION_RECORDED: stay(state),
    MEMBER_SAFETY_ASSESSED: stay(state),
    FACT_CONFIRMED_STILL_VALID: stay(state),
    MONITORING_CONTACT_PLANNED: stay(state),
    MELDER_FEEDBACK_GIVEN: stay(state),
  });

  return m.createMachine({
    id: MELDING_MACHINE_ID,
    initial: 'veiligheidsbeoordeling',
    context: ({ input }) => initialContext(input),
    states: {
      veiligheidsbeoordeling: {
        on: { ...records('veiligheidsbeoordeling'), DECISION_PROPOSED: go('veiligheidsbeoordeling', 'besluit_ter_goedkeuring') },
      },
      besluit_ter_goedkeuring: {
        on: {
          ...records('besluit_ter_goedkeuring'),
          DECISION_APPROVED: approve('besluit_ter_goedkeuring', [
            ['onderzoek', 'wacht_op_onderzoek'],
            ['overdracht', 'overdracht'],
            ['afronding', 'afronding'],
            ['niet_ontvankelijk', 'niet_ontvankelijk'],
            ['doorverwezen', 'doorverwezen'],
          ]),
          DECISION_REJECTED: go('besluit_ter_goedkeuring', 'veiligheidsbeoordeling'),
        },
      },
      // Decided but not yet started: the municipal waiting list "wachtend op start onderzoek" counts these.
      wacht_op_onderzoek: {
        on: { ...records('wacht_op_onderzoek'), ONDERZOEK_STARTED: go('wacht_op_onderzoek', 'onderzoek') },
      },
      onderzoek: {
        on: { ...records('onderzoek'), ONDERZOEK_CONCLUSION_PROPOSED: go('onderzoek', 'conclusie_ter_goedkeuring') },
      },
      conclusie_ter_goedkeuring: {
        on: {
          ...records('conclusie_ter_goedkeuring'),
          ONDERZOEK_CONCLUSION_APPROVED: approve('conclusie_ter_goedkeuring', [
            ['overdracht', 'overdracht'],
            ['afronding', 'afronding'],
          ]),
          ONDERZOEK_CONCLUSION_REJECTED: go('conclusie_ter_goedkeuring', 'onderzoek'),
        },
      },
      overdracht: {
        on: {
          ...records('overdracht'),
          HANDOVER_CONFIRMED: [
            { target: 'monitoring', guard: 'monitoringFollows', actions: apply('overdracht') },
            { target: 'afronding', actions: apply('overdracht') },
          ],
        },
      },
      monitoring: {
        on: {
          ...records('monitoring'),
          MONITORING_CONTACT_HELD: [
            { target: 'veiligheidsbeoordeling', guard: { type: 'heldWith', params: { state: 'monitoring', followUp: 'herbeoordeling' } }, actions: apply('monitoring') },
            { target: 'wacht_op_onderzoek', guard: { type: 'heldWith', params: { state: 'monitoring', followUp: 'onderzoek' } }, actions: apply('monitoring') },
            stay('monitoring'),
          ],
          CLOSURE_PROPOSED: go('monitoring', 'afsluiting_ter_goedkeuring'),
        },
      },
      afronding: {
        on: { ...records('afronding'), CLOSURE_PROPOSED: go('afronding', 'afsluiting_ter_goedkeuring') },
      },
      afsluiting_ter_goedkeuring: {
        on: {
          ...records('afsluiting_ter_goedkeuring'),
          CLOSURE_APPROVED: go('afsluiting_ter_goedkeuring', 'afgesloten'),
          CLOSURE_REJECTED: [
            { target: 'monitoring', guard: 'returnsToMonitoring', actions: apply('afsluiting_ter_goedkeuring') },
            { target: 'afronding', actions: apply('afsluiting_ter_goedkeuring') },
          ],
        },
      },
      afgesloten: { type: 'final' },
      niet_ontvankelijk: { type: 'final' },
      doorverwezen: { type: 'final' },
    },
  });
}

export type MeldingMachine = ReturnType<typeof createMeldingMachine>;
