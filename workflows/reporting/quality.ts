import { ageOn, type MeldingRuleSettings } from '../melding/melding.rules';
import type { MeldingContext } from '../melding/melding.types';

/** A melding that left Veilig Thuis' hands (handed over or closed), as it stood at that moment. */
export interface LeavingCase {
  caseId: string;
  context: MeldingContext;
  leftAt: string;
  /** Proposer and approver of the closure, when it was closed. */
  closure: { proposedBy: string; approvedBy: string } | null;
}

/**
 * What the inspection asks of one melding that left VT, as counts: how many children, how many of them seen … .
 * Anonymised (no person, no text), so it is stored per leaving and kept after the dossier is destroyed; the quality
 * report sums these rows instead of reading every case's snapshot.
 */
export interface LeavingFacts {
  unsafe: boolean;
  safetyPlan: boolean;
  children: number;
  childrenSeen: number;
  /** Children spoken with, or with a reason, or younger than the age from which they must be spoken with. */
  childrenSpoken: number;
  decided: boolean;
  decisionFourEyes: boolean;
  closed: boolean;
  closureFourEyes: boolean;
  vulnerable: number;
  vulnerableWithChainPartner: number;
  informalNetwork: boolean;
}

/** Events after which a melding has left VT's hands: a handover or a closure, each approved by a second professional. */
export function leavesVt(eventType: string, toState: string): boolean {
  return ['DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED'].includes(eventType) && (toState === 'overdracht' || toState === 'afgesloten');
}

export function leavingFacts(c: LeavingCase, settings: MeldingRuleSettings): LeavingFacts {
  const ctx = c.context;
  const children = ctx.persons.filter((p) => p.role === 'kind');
  let childrenSeen = 0;
  let childrenSpoken = 0;
  for (const p of children) {
    const contact = ctx.childContacts[p.id];
    if (contact?.seen || contact?.reasonNotSeen) childrenSeen += 1;
    const mustSpeak = p.birthDate === null || ageOn(p.birthDate, c.leftAt) >= settings.childSpokenFromAge;
    if (!mustSpeak || contact?.spoken || contact?.reasonNotSpoken) childrenSpoken += 1;
  }
  const vulnerable = ctx.persons.filter((p) => p.vulnerable);
  return {
    unsafe: ctx.safety === 'acuut' || ctx.safety === 'structureel',
    safetyPlan: ctx.safetyPlanAt !== null,
    children: children.length,
    childrenSeen,
    childrenSpoken,
    decided: ctx.decision !== null,
    decisionFourEyes: ctx.decision !== null && ctx.decision.proposedBy !== ctx.decision.approvedBy,
    closed: c.closure !== null,
    closureFourEyes: c.closure !== null && c.closure.proposedBy !== c.closure.approvedBy,
    vulnerable: vulnerable.length,
    vulnerableWithChainPartner: vulnerable.filter((p) => Boolean(ctx.chainPartners[p.id])).length,
    informalNetwork: ctx.informalNetworkAt !== null,
  };
}

export interface QualityFigure {
  /** Cases (or children, persons) the requirement applies to. */
  applicable: number;
  met: number;
  share: number | null;
  /** Cases that fall short, for the teamleider to act on (most recent first; the API lists at most 500). */
  casesFallingShort: string[];
  /** True when more cases fall short than are listed. */
  casesFallingShortTruncated: boolean;
}

export function qualityFigure(applicable: number, met: number, casesFallingShort: string[], truncated = false): QualityFigure {
  return { applicable, met, share: applicable === 0 ? null : Math.round((met / applicable) * 1000) / 1000, casesFallingShort, casesFallingShortTruncated: truncated };
}

/** The figures the quality report derives from leaving facts, with how each one reads them. */
export const LEAVING_FIGURES = {
  safetyPlanWhereUnsafe: (f: LeavingFacts) => ({ applicable: f.unsafe ? 1 : 0, met: f.unsafe && f.safetyPlan ? 1 : 0 }),
  childrenSeen: (f: LeavingFacts) => ({ applicable: f.children, met: f.childrenSeen }),
  childrenSpokenFromAge: (f: LeavingFacts) => ({ applicable: f.children, met: f.childrenSpoken }),
  decisionsByTwoProfessionals: (f: LeavingFacts) => ({ applicable: f.decided ? 1 : 0, met: f.decisionFourEyes ? 1 : 0 }),
  closuresByTwoProfessionals: (f: LeavingFacts) => ({ applicable: f.closed ? 1 : 0, met: f.closureFourEyes ? 1 : 0 }),
  vulnerablePersonsWithChainPartner: (f: LeavingFacts) => ({ applicable: f.vulnerable, met: f.vulnerableWithChainPartner }),
  informalNetworkInvolved: (f: LeavingFacts) => ({ applicable: 1, met: f.informalNetwork ? 1 : 0 }),
} as const;
export type LeavingFigure = keyof typeof LEAVING_FIGURES;

/**
 * The inspection's expectations (seed 000) as shares over the meldingen that left VT in a period, each counted once
 * as it stood when it left. The engine's guards make most of them 100 % for cases it handled; the figures prove it
 * and catch any case that slipped.
 */
export function qualityFigures(cases: Array<{ caseId: string; facts: LeavingFacts }>): Record<LeavingFigure, QualityFigure> {
  const out = {} as Record<LeavingFigure, QualityFigure>;
  for (const [name, read] of Object.entries(LEAVING_FIGURES) as Array<[LeavingFigure, (f: LeavingFacts) => { applicable: number; met: number }]>) {
    let applicable = 0;
    let met = 0;
    const short: string[] = [];
    for (const c of cases) {
      const r = read(c.facts);
      applicable += r.applicable;
      met += r.met;
      if (r.met < r.applicable) short.push(c.caseId);
    }
    out[name] = qualityFigure(applicable, met, short);
  }
  return out;
}
