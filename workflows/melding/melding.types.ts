import type { DecisionCode, OnderzoekOutcome, PersonRole, SafetyOutcome, ViolenceType } from '../reference';

/** Staff roles that act on cases; gemeente and beheerder never send case events. */
export type ActorRole = 'medewerker' | 'teamleider' | 'manager' | 'gemeente' | 'beheerder';

export interface Actor {
  id: string;
  role: ActorRole;
  /** The professional's discipline, when the identity provider names one (token claim `discipline`). */
  discipline?: string;
}

/** What the machine needs to know about a person. Names and BSNs never enter the machine. */
export interface CasePerson {
  id: string;
  role: PersonRole;
  /** 'YYYY-MM-DD', or null when unknown. */
  birthDate: string | null;
  vulnerable: boolean;
}

export interface ChildContact {
  seen: boolean;
  spoken: boolean;
  reasonNotSeen: boolean;
  reasonNotSpoken: boolean;
  at: string;
  /** The round the contact was recorded in (or confirmed for: `confirmed`). */
  round: number;
  /** Recorded in an earlier round and explicitly confirmed to still hold in `round` (FACT_CONFIRMED_STILL_VALID). */
  confirmed?: boolean;
}

/** A fact that belongs to a round: when it was recorded and in (or for) which round. */
export interface RoundFact {
  at: string;
  round: number;
  confirmed?: boolean;
}

/** The plan van aanpak of the current onderzoek (Handelingsprotocol; inspection expectation 7). */
export interface PlanVanAanpak {
  /** null: the onderzoek started without a plan, for the recorded reason. */
  kind: 'intercollegiaal' | 'multidisciplinair' | null;
  at: string;
  drawnUpBy: string;
  /** Intercollegiaal: the second professional who approved it. */
  approvedBy: string | null;
  /** Multidisciplinair: the disciplines that drew it up. */
  disciplines: string[];
  /** A plan made either way: multidisciplinair with named disciplines, or approved by someone else than who drew it up. */
  made: boolean;
  /** No plan, with a recorded reason. */
  reasonNoPlan: boolean;
  round: number;
}

/** A duty towards one person (art. 4.1.8, art. 4.2.4): met (`given`) or a recorded reason why not (`given: false`). */
export interface PersonDuty {
  at: string;
  given: boolean;
}

/** The safety of one member of the household: the outcome, or null when a reason why it could not be assessed was recorded. */
export interface MemberSafety {
  at: string;
  safety: SafetyOutcome | null;
}

/** The outcome of an onderzoek per type of violence registered on the melding. */
export type OnderzoekOutcomes = Partial<Record<ViolenceType, OnderzoekOutcome>>;

export const PROPOSAL_KINDS = ['besluit', 'conclusie', 'afsluiting'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const CONCLUSION_FOLLOW_UPS = ['overdracht', 'voorwaarden_en_vervolg', 'raad_voor_de_kinderbescherming', 'afsluiten'] as const;
export type ConclusionFollowUp = (typeof CONCLUSION_FOLLOW_UPS)[number];

export interface Proposal {
  kind: ProposalKind;
  by: string;
  at: string;
  /** Decision code for a besluit; follow-up for a conclusie. */
  decisionCode: DecisionCode | null;
  followUp: ConclusionFollowUp | null;
  safety: SafetyOutcome | null;
  /** A conclusie: the outcome per type of violence (since v6; null for a proposal made under v5, which recorded none). */
  outcomes: OnderzoekOutcomes | null;
  /** The state a rejected proposal returns to. */
  returnTo: string;
}

export interface MonitoringContact {
  id: string;
  plannedFor: string;
  heldAt: string | null;
  positive: boolean | null;
}

export interface Handover {
  withConditions: boolean;
  toRaad: boolean;
  at: string;
  confirmedAt: string | null;
}

/**
 * Everything the guards decide on. Only facts and references: free text (notes, plans, rationales) lives in
 * the case history, so the snapshot stays small and retention can strip text without touching the machine.
 */
export interface MeldingContext {
  caseId: string;
  receivedAt: string;
  /** Acute unsafety was judged at receipt, or established later (at the assessment, in an onderzoek, in monitoring). */
  acuteDanger: boolean;
  /** How many times acute unsafety was established: each time opens an acute term (`acuut`, `acuut-2`, …). */
  acuteCount: number;
  /** When acute unsafety was last established (receipt for an acute melding). */
  acuteEstablishedAt: string | null;
  /** When the action on the last acute unsafety started; null while it waits. */
  acuteActionStartedAt: string | null;
  /** False when the melder is anonymous or cannot be reached: no feedback can be given. */
  melderReachable: boolean;
  persons: CasePerson[];
  safety: SafetyOutcome | null;
  decision: { code: DecisionCode; approvedAt: string; proposedBy: string; approvedBy: string } | null;
  proposal: Proposal | null;
  safetyPlanAt: string | null;
  /** The round the last safety plan was recorded in (or confirmed for); null when none. */
  safetyPlanRound: number | null;
  childContacts: Record<string, ChildContact>;
  /** `partner`: a chain partner was named (true) or a reason why none (false); null when carried over from v2, which did not say. */
  chainPartners: Record<string, RoundFact & { partner: boolean | null }>;
  informalNetworkAt: string | null;
  /** Per person: informed at the first contact (Uitvoeringsbesluit Wmo 2015 art. 4.1.8), or why not. Since v4. */
  firstContactInformation: Record<string, PersonDuty>;
  /** Per person: told about the vertrouwenspersoon (art. 4.2.4), or why not. Since v4. */
  vertrouwenspersoonInformation: Record<string, PersonDuty>;
  /** Per member of the household: the safety as last assessed, or why it could not be. Since v4. */
  memberSafety: Record<string, MemberSafety>;
  /** Who was involved (true) or why nobody (false); null when not recorded, or carried over from v2, which did not say. */
  informalNetworkInvolved: boolean | null;
  /** The round the informal network was last recorded in (or confirmed for); null when never. */
  informalNetworkRound: number | null;
  /**
   * The round the case is in: 1 from receipt; a herbeoordeling, a return from monitoring or a new onderzoek starts
   * the next. Guards read only facts of this round (or facts of earlier rounds explicitly confirmed for it).
   */
  round: number;
  roundStartedAt: string;
  /** The round in which the last onderzoek was decided; null before any. A second onderzoek in a round starts a new one. */
  onderzoekRound: number | null;
  /** The plan van aanpak of the current onderzoek; null until it starts. */
  planVanAanpak: PlanVanAanpak | null;
  onderzoekCount: number;
  /** When staff started the current onderzoek (ONDERZOEK_STARTED); null while it waits in wacht_op_onderzoek. */
  onderzoekStartedAt: string | null;
  /** The outcome per type of violence of the last concluded onderzoek; null before any, or when it was concluded before v6. */
  onderzoekOutcomes: OnderzoekOutcomes | null;
  assessmentCount: number;
  assessmentStartedAt: string;
  handover: Handover | null;
  monitoringContacts: MonitoringContact[];
  feedback: { naBeoordeling: string | null; naOnderzoek: string | null };
  closedAt: string | null;
}

export interface MeldingInput {
  caseId: string;
  receivedAt: string;
  acuteDanger: boolean;
  melderReachable: boolean;
  persons: CasePerson[];
}

export interface Reason {
  /** Stable machine-readable code, e.g. 'CHILD_NOT_SPOKEN'. */
  code: string;
  message: string;
}
