import {
  chainPartnerReasons,
  childContactReasons,
  informalNetworkReasons,
  safetyPlanReasons,
  type MeldingRuleSettings,
  type PersistedMelding,
  type Reason,
} from '../../workflows/melding';

const reason = (code: string, message: string): Reason => ({ code, message });

/**
 * What an open case waits for, as a caseworker's to-do: the step its state asks for next, then the inspection's
 * requirements still open (children seen and spoken, chain partners, informal network, safety plan), from the same
 * rule functions the machine's guards use. Codes are stable; the dashboard words them in Dutch.
 */
export function waitsFor(snapshot: PersistedMelding, at: string, settings: MeldingRuleSettings): Reason[] {
  const ctx = snapshot.context;
  const step: Reason[] = [];
  switch (snapshot.state) {
    case 'veiligheidsbeoordeling':
      if (ctx.acuteDanger && ctx.acuteActionStartedAt === null) step.push(reason('ACUTE_ACTION_MISSING', 'acute danger: the acute action has not been recorded'));
      step.push(reason('ASSESSMENT_OPEN', 'the safety assessment and its decision are not yet proposed'));
      break;
    case 'besluit_ter_goedkeuring':
    case 'conclusie_ter_goedkeuring':
    case 'afsluiting_ter_goedkeuring':
      if (ctx.proposal) step.push(reason('PROPOSAL_PENDING', `the ${ctx.proposal.kind} proposed by ${ctx.proposal.by} awaits a second professional`));
      break;
    case 'wacht_op_onderzoek':
      step.push(reason('ONDERZOEK_NOT_STARTED', 'the onderzoek was decided but has not started'));
      break;
    case 'onderzoek':
      step.push(reason('CONCLUSION_OPEN', 'the onderzoek has no proposed conclusion yet'));
      break;
    case 'overdracht':
      step.push(reason('HANDOVER_UNCONFIRMED', 'the receiving party has not confirmed the handover'));
      break;
    case 'monitoring': {
      const open = ctx.monitoringContacts.filter((c) => c.heldAt === null).length;
      step.push(
        open > 0
          ? reason('MONITORING_CONTACTS_OPEN', `${open} planned monitoring contact(s) have not been held`)
          : reason('MONITORING_NOT_PLANNED', 'no monitoring contact is planned'),
      );
      break;
    }
    case 'afronding':
      step.push(reason('CLOSURE_NOT_PROPOSED', 'closure has not been proposed'));
      break;
    default:
      return [];
  }
  return [
    ...step,
    ...childContactReasons(ctx, at, settings),
    ...chainPartnerReasons(ctx),
    ...informalNetworkReasons(ctx),
    ...safetyPlanReasons(ctx, ctx.safety),
  ];
}
