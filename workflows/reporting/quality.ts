import { ageOn, monitoringFollowsHandover, type MeldingRuleSettings } from '../melding/melding.rules';
import type { MeldingContext } from '../melding/melding.types';
import { isHouseholdRole } from '../reference';

/** A melding that left Veilig Thuis' hands (handed over or closed), as it stood at that moment. */
export interface LeavingCase {
  caseId: string;
  context: MeldingContext;
  leftAt: string;
  /** Proposer and approver of the closure, when it was closed. */
  closure: { proposedBy: string; approvedBy: string } | null;
}

/**
 * What the inspection asks of one melding that left VT, as counts: how many children, how many of them seen, how
 * many not seen for a recorded reason … . A reason is a justified exception and never counts as met; what is neither
 * met nor justified is missing. Anonymised (no person, no text), so it is stored per leaving and kept after the dossier
 * is destroyed; the quality report sums these rows instead of reading every case's snapshot.
 */
export interface LeavingFacts {
  /** The round the melding left VT in: only facts of that round (or confirmed for it) count. */
  round: number;
  unsafe: boolean;
  safetyPlan: boolean;
  children: number;
  childrenSeen: number;
  /** Not seen, with a recorded reason. */
  childrenSeenJustified: number;
  /** Children who must be spoken with: from the configured age, or of unknown age. Younger children are only seen. */
  childrenToSpeak: number;
  /** Of those, spoken with. */
  childrenSpoken: number;
  /** Of those, not spoken with for a recorded reason. */
  childrenSpokenJustified: number;
  decided: boolean;
  decisionFourEyes: boolean;
  closed: boolean;
  closureFourEyes: boolean;
  vulnerable: number;
  /** Vulnerable persons with a named chain partner. */
  vulnerableWithChainPartner: number;
  /** Vulnerable persons with a recorded reason why no chain partner (or a record that did not say which, from v2). */
  vulnerableChainPartnerJustified: number;
  /** The informal network was involved (someone named). */
  informalNetwork: boolean;
  /** A reason why nobody of the informal network was involved was recorded instead. */
  informalNetworkJustified: boolean;
  /** VT monitors after this handover (conditions set, or unsafety), so it must have decided with whom and when. */
  monitoringFollows: boolean;
  monitoringPlanned: boolean;
  /** Persons on the case (the betrokkenen of Uitvoeringsbesluit Wmo 2015 art. 4.1.8 lid 1 whom the case names). */
  betrokkenen: number;
  /** Of those, informed at the first contact (art. 4.1.8 lid 2). */
  firstContactInformed: number;
  /** Of those, not informed for a recorded reason (no contact possible, danger). */
  firstContactJustified: number;
  /** Of those, told about the vertrouwenspersoon (art. 4.2.4). */
  vertrouwenspersoonKnown: number;
  vertrouwenspersoonJustified: number;
  /** Members of the household (by role: see `HOUSEHOLD_ROLES`). */
  householdMembers: number;
  /** Of those, whose safety was assessed (an outcome recorded for them). */
  householdSafetyAssessed: number;
  /** Of those, whose safety could not be assessed, for a recorded reason. */
  householdSafetyJustified: number;
}

/** Events after which a melding has left VT's hands: a handover or a closure, each approved by a second professional. */
export function leavesVt(eventType: string, toState: string): boolean {
  return ['DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED'].includes(eventType) && (toState === 'overdracht' || toState === 'afgesloten');
}

export function leavingFacts(c: LeavingCase, settings: MeldingRuleSettings): LeavingFacts {
  const ctx = c.context;
  const children = ctx.persons.filter((p) => p.role === 'kind');
  let childrenSeen = 0;
  let childrenSeenJustified = 0;
  let childrenToSpeak = 0;
  let childrenSpoken = 0;
  let childrenSpokenJustified = 0;
  for (const p of children) {
    // No contact at all: the child counts as missing, for seen and (when of age) for spoken.
    const recorded = ctx.childContacts[p.id];
    const contact = recorded?.round === ctx.round ? recorded : undefined;
    if (contact?.seen) childrenSeen += 1;
    else if (contact?.reasonNotSeen) childrenSeenJustified += 1;
    const mustSpeak = p.birthDate === null || ageOn(p.birthDate, c.leftAt) >= settings.childSpokenFromAge;
    if (!mustSpeak) continue;
    childrenToSpeak += 1;
    if (contact?.spoken) childrenSpoken += 1;
    else if (contact?.reasonNotSpoken) childrenSpokenJustified += 1;
  }
  const vulnerable = ctx.persons.filter((p) => p.vulnerable);
  const household = ctx.persons.filter((p) => isHouseholdRole(p.role));
  const handover = ctx.handover;
  const duty = (duties: MeldingContext['firstContactInformation'], given: boolean) => ctx.persons.filter((p) => duties[p.id] !== undefined && duties[p.id]!.given === given).length;
  const partnerOf = (id: string) => (ctx.chainPartners[id]?.round === ctx.round ? ctx.chainPartners[id] : undefined);
  const network = ctx.informalNetworkAt !== null && ctx.informalNetworkRound === ctx.round;
  return {
    round: ctx.round,
    unsafe: ctx.safety === 'acuut' || ctx.safety === 'structureel',
    safetyPlan: ctx.safetyPlanAt !== null && ctx.safetyPlanRound === ctx.round,
    children: children.length,
    childrenSeen,
    childrenSeenJustified,
    childrenToSpeak,
    childrenSpoken,
    childrenSpokenJustified,
    decided: ctx.decision !== null,
    decisionFourEyes: ctx.decision !== null && ctx.decision.proposedBy !== ctx.decision.approvedBy,
    closed: c.closure !== null,
    closureFourEyes: c.closure !== null && c.closure.proposedBy !== c.closure.approvedBy,
    vulnerable: vulnerable.length,
    vulnerableWithChainPartner: vulnerable.filter((p) => partnerOf(p.id)?.partner === true).length,
    vulnerableChainPartnerJustified: vulnerable.filter((p) => partnerOf(p.id) !== undefined && partnerOf(p.id)!.partner !== true).length,
    informalNetwork: network && ctx.informalNetworkInvolved === true,
    informalNetworkJustified: network && ctx.informalNetworkInvolved !== true,
    monitoringFollows: c.closure === null && handover !== null && handover.confirmedAt === null && monitoringFollowsHandover(handover.withConditions, handover.toRaad, ctx.safety),
    monitoringPlanned: ctx.monitoringContacts.some((m) => m.heldAt === null),
    betrokkenen: ctx.persons.length,
    firstContactInformed: duty(ctx.firstContactInformation, true),
    firstContactJustified: duty(ctx.firstContactInformation, false),
    vertrouwenspersoonKnown: duty(ctx.vertrouwenspersoonInformation, true),
    vertrouwenspersoonJustified: duty(ctx.vertrouwenspersoonInformation, false),
    householdMembers: household.length,
    householdSafetyAssessed: household.filter((p) => ctx.memberSafety[p.id] !== undefined && ctx.memberSafety[p.id]!.safety !== null).length,
    householdSafetyJustified: household.filter((p) => ctx.memberSafety[p.id] !== undefined && ctx.memberSafety[p.id]!.safety === null).length,
  };
}

/** One inspection figure: met, not met with a recorded reason (justified), not met without one (missing). */
export interface QualityFigure {
  /** Cases (or children, persons, contacts, terms) the requirement applies to: met + justified + missing. */
  applicable: number;
  met: number;
  justified: number;
  missing: number;
  /** met / applicable; a reason never counts as met. */
  share: number | null;
  /** Cases behind the justified and the missing counts, for the teamleider to act on (most recent first; at most 500 each). */
  casesJustified: string[];
  casesMissing: string[];
  /** True when more cases are behind a count than are listed. */
  casesJustifiedTruncated: boolean;
  casesMissingTruncated: boolean;
}

export interface FigureCounts {
  met: number;
  justified: number;
  missing: number;
}

export function qualityFigure(c: FigureCounts, cases: { justified: string[]; missing: string[] }, truncated = { justified: false, missing: false }): QualityFigure {
  const applicable = c.met + c.justified + c.missing;
  return {
    applicable,
    met: c.met,
    justified: c.justified,
    missing: c.missing,
    share: applicable === 0 ? null : Math.round((c.met / applicable) * 1000) / 1000,
    casesJustified: cases.justified,
    casesMissing: cases.missing,
    casesJustifiedTruncated: truncated.justified,
    casesMissingTruncated: truncated.missing,
  };
}

const none = { met: 0, justified: 0, missing: 0 };
const yesNo = (applies: boolean, met: boolean): FigureCounts => (applies ? { met: met ? 1 : 0, justified: 0, missing: met ? 0 : 1 } : none);

/** The figures the quality report derives from leaving facts, with how each one reads them. */
export const LEAVING_FIGURES = {
  safetyPlanWhereUnsafe: (f: LeavingFacts) => yesNo(f.unsafe, f.safetyPlan),
  childrenSeen: (f: LeavingFacts) => ({ met: f.childrenSeen, justified: f.childrenSeenJustified, missing: f.children - f.childrenSeen - f.childrenSeenJustified }),
  childrenSpokenFromAge: (f: LeavingFacts) => ({ met: f.childrenSpoken, justified: f.childrenSpokenJustified, missing: f.childrenToSpeak - f.childrenSpoken - f.childrenSpokenJustified }),
  decisionsByTwoProfessionals: (f: LeavingFacts) => yesNo(f.decided, f.decisionFourEyes),
  closuresByTwoProfessionals: (f: LeavingFacts) => yesNo(f.closed, f.closureFourEyes),
  vulnerablePersonsWithChainPartner: (f: LeavingFacts) => ({
    met: f.vulnerableWithChainPartner,
    justified: f.vulnerableChainPartnerJustified,
    missing: f.vulnerable - f.vulnerableWithChainPartner - f.vulnerableChainPartnerJustified,
  }),
  informalNetworkInvolved: (f: LeavingFacts) => ({ met: f.informalNetwork ? 1 : 0, justified: f.informalNetworkJustified ? 1 : 0, missing: f.informalNetwork || f.informalNetworkJustified ? 0 : 1 }),
  monitoringPlanned: (f: LeavingFacts) => yesNo(f.monitoringFollows, f.monitoringPlanned),
  informationGivenAtFirstContact: (f: LeavingFacts) => ({ met: f.firstContactInformed, justified: f.firstContactJustified, missing: f.betrokkenen - f.firstContactInformed - f.firstContactJustified }),
  vertrouwenspersoonMadeKnown: (f: LeavingFacts) => ({ met: f.vertrouwenspersoonKnown, justified: f.vertrouwenspersoonJustified, missing: f.betrokkenen - f.vertrouwenspersoonKnown - f.vertrouwenspersoonJustified }),
  safetyAssessedPerHouseholdMember: (f: LeavingFacts) => ({
    met: f.householdSafetyAssessed,
    justified: f.householdSafetyJustified,
    missing: f.householdMembers - f.householdSafetyAssessed - f.householdSafetyJustified,
  }),
} as const satisfies Record<string, (f: LeavingFacts) => FigureCounts>;
export type LeavingFigure = keyof typeof LEAVING_FIGURES;

/**
 * The inspection's expectations (seed 000) over the meldingen that left VT in a period, each counted once as it
 * stood when it left. The engine's guards make most of them met or justified for cases it handled; the figures show
 * which, and catch any case that slipped.
 */
export function qualityFigures(cases: Array<{ caseId: string; facts: LeavingFacts }>): Record<LeavingFigure, QualityFigure> {
  const out = {} as Record<LeavingFigure, QualityFigure>;
  for (const [name, read] of Object.entries(LEAVING_FIGURES) as Array<[LeavingFigure, (f: LeavingFacts) => FigureCounts]>) {
    const sum = { met: 0, justified: 0, missing: 0 };
    const justified: string[] = [];
    const missing: string[] = [];
    for (const c of cases) {
      const r = read(c.facts);
      sum.met += r.met;
      sum.justified += r.justified;
      sum.missing += r.missing;
      if (r.justified > 0) justified.push(c.caseId);
      if (r.missing > 0) missing.push(c.caseId);
    }
    out[name] = qualityFigure(sum, { justified, missing });
  }
  return out;
}
