import { ageOn, type MeldingRuleSettings } from '../melding/melding.rules';
import type { MeldingContext } from '../melding/melding.types';

/** A melding that left Veilig Thuis' hands (handed over or closed) in the period, with what its history says. */
export interface LeavingCase {
  caseId: string;
  context: MeldingContext;
  leftAt: string;
  /** Proposer and approver of the closure, when it was closed. */
  closure: { proposedBy: string; approvedBy: string } | null;
}

export interface QualityFigure {
  /** Cases (or children, persons) the requirement applies to. */
  applicable: number;
  met: number;
  share: number | null;
  /** Cases that fall short, for the teamleider to act on. */
  casesFallingShort: string[];
}

function figure(items: Array<{ caseId: string; ok: boolean }>): QualityFigure {
  const short = [...new Set(items.filter((i) => !i.ok).map((i) => i.caseId))];
  const met = items.filter((i) => i.ok).length;
  return { applicable: items.length, met, share: items.length === 0 ? null : Math.round((met / items.length) * 1000) / 1000, casesFallingShort: short };
}

/**
 * The inspection's expectations (seed 000) as shares over the meldingen that left VT in a period. The engine's
 * guards make most of them 100 % for cases it handled; the figures prove it and catch any case that slipped.
 */
export function qualityFigures(cases: LeavingCase[], settings: MeldingRuleSettings) {
  const unsafe = cases.filter((c) => c.context.safety === 'acuut' || c.context.safety === 'structureel');
  const children = cases.flatMap((c) =>
    c.context.persons
      .filter((p) => p.role === 'kind')
      .map((p) => {
        const contact = c.context.childContacts[p.id];
        const seen = Boolean(contact?.seen || contact?.reasonNotSeen);
        const mustSpeak = p.birthDate === null || ageOn(p.birthDate, c.leftAt) >= settings.childSpokenFromAge;
        const spoken = !mustSpeak || Boolean(contact?.spoken || contact?.reasonNotSpoken);
        return { caseId: c.caseId, seen, spoken };
      }),
  );
  const vulnerable = cases.flatMap((c) => c.context.persons.filter((p) => p.vulnerable).map((p) => ({ caseId: c.caseId, ok: Boolean(c.context.chainPartners[p.id]) })));
  const decided = cases.filter((c) => c.context.decision !== null);
  const closed = cases.filter((c) => c.closure !== null);
  return {
    safetyPlanWhereUnsafe: figure(unsafe.map((c) => ({ caseId: c.caseId, ok: c.context.safetyPlanAt !== null }))),
    childrenSeen: figure(children.map((c) => ({ caseId: c.caseId, ok: c.seen }))),
    childrenSpokenFromAge: figure(children.map((c) => ({ caseId: c.caseId, ok: c.spoken }))),
    decisionsByTwoProfessionals: figure(decided.map((c) => ({ caseId: c.caseId, ok: c.context.decision!.proposedBy !== c.context.decision!.approvedBy }))),
    closuresByTwoProfessionals: figure(closed.map((c) => ({ caseId: c.caseId, ok: c.closure!.proposedBy !== c.closure!.approvedBy }))),
    vulnerablePersonsWithChainPartner: figure(vulnerable),
    informalNetworkInvolved: figure(cases.map((c) => ({ caseId: c.caseId, ok: c.context.informalNetworkAt !== null }))),
  };
}
