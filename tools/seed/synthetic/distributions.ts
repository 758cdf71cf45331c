/**
 * The distributions of the synthetic world: how often each kind of melder, household, type of violence, decision and
 * delay occurs, and the families a melding concerns. Weights are plausible, not measured (no public source gives them).
 */
import type { DecisionCode, MelderSector, SafetyOutcome, ViolenceType, Vulnerability } from '../../../workflows/reference';
import type { ConclusionFollowUp } from '../../../workflows/melding';
import { Weighted, type Rng } from './prng';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Inhabitants (CBS, 1 January 2024, rounded) of the built-in region's gemeenten; others weigh the same. */
export const POPULATION: Readonly<Record<string, number>> = {
  GM0148: 29_000, // Dalfsen
  GM0150: 102_000, // Deventer
  GM0160: 62_000, // Hardenberg
  GM0166: 55_000, // Kampen
  GM1773: 18_600, // Olst-Wijhe
  GM0175: 18_600, // Ommen
  GM0177: 38_500, // Raalte
  GM0180: 17_900, // Staphorst
  GM1708: 44_900, // Steenwijkerland
  GM1896: 23_400, // Zwartewaterland
  GM0193: 132_000, // Zwolle
};
export const DEFAULT_POPULATION = 40_000;

export const SECTORS = new Weighted<MelderSector>([
  ['politie', 40],
  ['onderwijs', 8],
  ['huisarts', 5],
  ['ziekenhuis', 4],
  ['jeugdzorg', 8],
  ['kinderopvang', 2],
  ['gemeente_wijkteam', 10],
  ['ggz', 5],
  ['maatschappelijk_werk', 6],
  ['verslavingszorg', 2],
  ['justitie', 4],
  ['ouderenzorg', 3],
  ['gehandicaptenzorg', 1],
  ['overige_professional', 2],
]);

export type Household = 'gezin' | 'eenouder' | 'stel' | 'ex' | 'oudere' | 'alleen';
export const HOUSEHOLDS = new Weighted<Household>([
  ['gezin', 45],
  ['eenouder', 15],
  ['stel', 20],
  ['ex', 8],
  ['oudere', 8],
  ['alleen', 4],
]);

export const VIOLENCE_BY_HOUSEHOLD: Record<Household, Weighted<ViolenceType>> = {
  gezin: new Weighted([['kindermishandeling', 55], ['partnergeweld', 30], ['geweld_tegen_ouders', 4], ['huiselijk_geweld_overig', 6], ['andere_problematiek', 4], ['onbekend', 1]]),
  eenouder: new Weighted([['kindermishandeling', 65], ['geweld_tegen_ouders', 10], ['huiselijk_geweld_overig', 10], ['andere_problematiek', 12], ['onbekend', 3]]),
  stel: new Weighted([['partnergeweld', 80], ['huiselijk_geweld_overig', 10], ['andere_problematiek', 7], ['onbekend', 3]]),
  ex: new Weighted([['partnergeweld', 70], ['kindermishandeling', 20], ['huiselijk_geweld_overig', 6], ['onbekend', 4]]),
  oudere: new Weighted([['ouderenmishandeling', 80], ['huiselijk_geweld_overig', 10], ['andere_problematiek', 8], ['onbekend', 2]]),
  alleen: new Weighted([['andere_problematiek', 60], ['huiselijk_geweld_overig', 30], ['onbekend', 10]]),
};
export const TYPE_COUNT = new Weighted<number>([[1, 65], [2, 27], [3, 8]]);

export const DECISIONS_FIRST = new Weighted<DecisionCode>([
  ['VT-01-01', 30],
  ['VT-01-02', 35],
  ['VT-01-03', 15],
  ['VT-01-04', 10],
  ['VT-00', 3],
  ['VT-03', 4],
  ['VT-99', 3],
]);
export const DECISIONS_ACUTE = new Weighted<DecisionCode>([['VT-01-01', 45], ['VT-01-02', 20], ['VT-01-04', 25], ['VT-01-03', 5], ['VT-03', 5]]);
export const DECISIONS_AGAIN = new Weighted<DecisionCode>([['VT-01-01', 40], ['VT-01-02', 30], ['VT-01-04', 20], ['VT-01-03', 5], ['VT-03', 5]]);

/** Werkdagen after receipt on which the decision is approved: 85 % within the statutory 5. */
export const ASSESSMENT_DAYS = new Weighted<number>([
  [1, 12],
  [2, 20],
  [3, 22],
  [4, 18],
  [5, 13],
  [6, 6],
  [7, 4],
  [8, 2],
  [9, 1.5],
  [10, 1],
  [12, 0.5],
]);
export const ACUTE_ASSESSMENT_DAYS = new Weighted<number>([[0, 40], [1, 40], [2, 20]]);

/**
 * Werkdagen a decided onderzoek waits in wacht_op_onderzoek before staff start it: mostly within three weeks, a tail of
 * long waits (the waiting lists gemeenten ask about). Acute unsafety is started at once or within two werkdagen.
 */
export const ONDERZOEK_WAIT_DAYS = new Weighted<number>([
  [0, 8],
  [1, 10],
  [2, 10],
  [3, 9],
  [4, 8],
  [5, 8],
  [7, 10],
  [10, 10],
  [13, 8],
  [15, 6],
  [20, 6],
  [25, 4],
  [35, 2],
  [45, 1],
]);
export const ACUTE_ONDERZOEK_WAIT_DAYS = new Weighted<number>([[0, 60], [1, 30], [2, 10]]);

export const FOLLOW_UPS = new Weighted<ConclusionFollowUp>([
  ['afsluiten', 35],
  ['overdracht', 30],
  ['voorwaarden_en_vervolg', 20],
  ['raad_voor_de_kinderbescherming', 15],
]);

export function safetyForDecision(rng: Rng, code: DecisionCode, acute: boolean): SafetyOutcome {
  const x = rng();
  switch (code) {
    case 'VT-01-01':
      return acute ? (x < 0.5 ? 'acuut' : 'structureel') : x < 0.1 ? 'acuut' : x < 0.75 ? 'structureel' : 'geen';
    case 'VT-01-02':
    case 'VT-02':
      return x < 0.6 ? 'structureel' : 'geen';
    case 'VT-01-04':
      return x < (acute ? 0.5 : 0.15) ? 'acuut' : 'structureel';
    case 'VT-03':
      return x < 0.7 ? 'geen' : 'structureel';
    case 'VT-01-03':
    case 'VT-00':
    case 'VT-99':
      return 'geen';
  }
}

export function safetyForConclusion(rng: Rng, followUp: ConclusionFollowUp): SafetyOutcome {
  const x = rng();
  switch (followUp) {
    case 'afsluiten':
      return x < 0.6 ? 'geen' : 'structureel';
    case 'overdracht':
      return x < 0.6 ? 'structureel' : 'geen';
    case 'voorwaarden_en_vervolg':
      return x < 0.15 ? 'acuut' : 'structureel';
    case 'raad_voor_de_kinderbescherming':
      return x < 0.3 ? 'acuut' : 'structureel';
  }
}

// ---------------------------------------------------------------------------
// Families (a re-report finds the same people again)

export interface Member {
  kind: 'adult' | 'child' | 'elder';
  name: string;
  birthDate: string;
  bsn: string | null;
  vulnerabilities: Vulnerability[];
}

export interface Family {
  gemeente: string;
  household: Household;
  members: Member[];
}

export const ADULT_VULNERABILITIES: readonly Vulnerability[] = ['licht_verstandelijke_beperking', 'lichamelijke_beperking', 'psychiatrische_problematiek', 'anders_kwetsbaar'];

