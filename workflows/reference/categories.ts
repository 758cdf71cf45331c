/**
 * Category code lists used in Veilig Thuis registration and CBS figures.
 *
 * Each list is an `as const` tuple (the ids; snake_case ASCII), a zod enum, a
 * TypeScript type and a `Record<Type, string>` of Dutch labels. Labels are for
 * display only; ids are what is stored and exchanged.
 *
 * Pure: no I/O, no clock, no randomness.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------
// Geweldsvorm (CBS 'Veilig Thuis' figures: aard van het geweld)

export const VIOLENCE_TYPES = [
  'kindermishandeling',
  'geweld_tegen_ouders',
  'partnergeweld',
  'ouderenmishandeling',
  'huiselijk_geweld_overig',
  'andere_problematiek',
  'onbekend',
] as const;
export const violenceTypeSchema = z.enum(VIOLENCE_TYPES);
export type ViolenceType = z.infer<typeof violenceTypeSchema>;
export const VIOLENCE_TYPE_LABELS: Readonly<Record<ViolenceType, string>> = Object.freeze({
  kindermishandeling: 'kindermishandeling',
  geweld_tegen_ouders: 'geweld tegen ouders',
  partnergeweld: '(ex-)partnergeweld',
  ouderenmishandeling: 'ouderenmishandeling',
  huiselijk_geweld_overig: 'overig huiselijk geweld',
  andere_problematiek: 'andere problematiek',
  onbekend: 'onbekend',
});

// ---------------------------------------------------------------------------
// Uitkomst onderzoek per geweldsvorm (Uitvoeringsbesluit Wmo 2015 art. 4.3.2 lid 1 h: "de uitkomst van het
// onderzoek"). The CBS Veilig Thuis tables report an onderzoek's outcome as the suspicion confirmed, not confirmed,
// or no judgement possible; the terms come from the issue and could not be checked against StatLine here (see
// docs/municipal-reporting.md).

export const ONDERZOEK_OUTCOMES = ['bevestigd', 'niet_bevestigd', 'geen_oordeel_mogelijk'] as const;
export const onderzoekOutcomeSchema = z.enum(ONDERZOEK_OUTCOMES);
export type OnderzoekOutcome = z.infer<typeof onderzoekOutcomeSchema>;
export const ONDERZOEK_OUTCOME_LABELS: Readonly<Record<OnderzoekOutcome, string>> = Object.freeze({
  bevestigd: 'vermoeden bevestigd',
  niet_bevestigd: 'vermoeden niet bevestigd',
  geen_oordeel_mogelijk: 'geen oordeel mogelijk',
});

// ---------------------------------------------------------------------------
// Uitkomst veiligheidsbeoordeling

export const SAFETY_OUTCOMES = ['acuut', 'structureel', 'geen'] as const;
export const safetyOutcomeSchema = z.enum(SAFETY_OUTCOMES);
export type SafetyOutcome = z.infer<typeof safetyOutcomeSchema>;
export const SAFETY_OUTCOME_LABELS: Readonly<Record<SafetyOutcome, string>> = Object.freeze({
  acuut: 'acute onveiligheid',
  structureel: 'structurele onveiligheid',
  geen: 'geen onveiligheid',
});

// ---------------------------------------------------------------------------
// Melder: sector of a professional reporter (modelled on the melder categories
// in the CBS StatLine 'Veilig Thuis' tables; not verified against StatLine: the tables' category lists were
// not available to check, see docs/municipal-reporting.md).

export const MELDER_SECTORS = [
  'politie',
  'onderwijs',
  'huisarts',
  'ziekenhuis',
  'jeugdzorg',
  'kinderopvang',
  'gemeente_wijkteam',
  'ggz',
  'maatschappelijk_werk',
  'verslavingszorg',
  'justitie',
  'ouderenzorg',
  'gehandicaptenzorg',
  'overige_professional',
] as const;
export const melderSectorSchema = z.enum(MELDER_SECTORS);
export type MelderSector = z.infer<typeof melderSectorSchema>;
export const MELDER_SECTOR_LABELS: Readonly<Record<MelderSector, string>> = Object.freeze({
  politie: 'politie',
  onderwijs: 'onderwijs',
  huisarts: 'huisarts',
  ziekenhuis: 'ziekenhuis',
  jeugdzorg: 'jeugdzorg',
  kinderopvang: 'kinderopvang',
  gemeente_wijkteam: 'gemeente / (sociaal) wijkteam',
  ggz: 'geestelijke gezondheidszorg (ggz)',
  maatschappelijk_werk: 'maatschappelijk werk',
  verslavingszorg: 'verslavingszorg',
  justitie: 'justitie (OM, reclassering, Raad voor de Kinderbescherming)',
  ouderenzorg: 'ouderenzorg',
  gehandicaptenzorg: 'gehandicaptenzorg',
  overige_professional: 'overige professional',
});

// ---------------------------------------------------------------------------
// Rol van een betrokkene in een melding

export const PERSON_ROLES = ['kind', 'ouder', 'partner', 'ex_partner', 'oudere', 'pleger', 'overig'] as const;
export const personRoleSchema = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof personRoleSchema>;
export const PERSON_ROLE_LABELS: Readonly<Record<PersonRole, string>> = Object.freeze({
  kind: 'kind',
  ouder: 'ouder',
  partner: 'partner',
  ex_partner: 'ex-partner',
  oudere: 'oudere',
  pleger: '(vermoedelijke) pleger',
  overig: 'overige betrokkene',
});

/**
 * Roles that make a person a member of the household ("huishouden") whose safety the veiligheidsbeoordeling assesses
 * (toetsingskader: "de veiligheid van ieder lid van het huishouden"). An ex-partner and an other betrokkene live
 * elsewhere as a rule; a (suspected) pleger is counted, because the pleger usually lives in the household.
 */
export const HOUSEHOLD_ROLES: readonly PersonRole[] = ['kind', 'ouder', 'partner', 'oudere', 'pleger'];
export const isHouseholdRole = (role: PersonRole): boolean => HOUSEHOLD_ROLES.includes(role);

// ---------------------------------------------------------------------------
// Kwetsbaarheid van een betrokkene

export const VULNERABILITIES = [
  'oudere',
  'licht_verstandelijke_beperking',
  'verstandelijke_beperking',
  'lichamelijke_beperking',
  'psychiatrische_problematiek',
  'anders_kwetsbaar',
] as const;
export const vulnerabilitySchema = z.enum(VULNERABILITIES);
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;
export const VULNERABILITY_LABELS: Readonly<Record<Vulnerability, string>> = Object.freeze({
  oudere: 'kwetsbare oudere',
  licht_verstandelijke_beperking: 'licht verstandelijke beperking',
  verstandelijke_beperking: 'verstandelijke beperking',
  lichamelijke_beperking: 'lichamelijke beperking',
  psychiatrische_problematiek: 'psychiatrische problematiek',
  anders_kwetsbaar: 'anderszins kwetsbaar',
});

// ---------------------------------------------------------------------------
// Status / decision codes of the VNG 'JZV Meldingen' API (OAS v1.0,
// StatusEnum). The list includes 'VT-02' (Overdracht), which that
// specification defines next to 'VT-01-02'.

export const DECISION_CODES = ['VT-00', 'VT-01-01', 'VT-01-02', 'VT-01-03', 'VT-01-04', 'VT-02', 'VT-03', 'VT-99'] as const;
export const decisionCodeSchema = z.enum(DECISION_CODES);
export type DecisionCode = z.infer<typeof decisionCodeSchema>;
export const DECISION_CODE_LABELS: Readonly<Record<DecisionCode, string>> = Object.freeze({
  'VT-00': 'melding niet ontvankelijk',
  'VT-01-01': 'uitkomst veiligheidsbeoordeling: vervolgstappen belegd bij Veilig Thuis (onderzoek)',
  'VT-01-02': 'uitkomst veiligheidsbeoordeling: overdracht',
  'VT-01-03': 'uitkomst veiligheidsbeoordeling: geen vervolgstappen nodig',
  'VT-01-04': 'uitkomst veiligheidsbeoordeling: inzet regionaal maatwerk Veilig Thuis (bijv. Voorwaarden en Vervolg)',
  'VT-02': 'overdracht',
  'VT-03': 'afsluiting zonder overdracht',
  'VT-99': 'melding onjuist geadresseerd (andere regio)',
});
