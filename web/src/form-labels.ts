/**
 * Dutch words for what the generated forms show: field names, enum values and the actions (event types). Typed
 * against the server's unions, so a new code is a compile error here; a field the machine adds later still renders,
 * labelled by its schema description or its name until a label is added.
 */
import type { MeldingEventType } from '../../workflows/melding';
import type { DecisionCode, PersonRole, SafetyOutcome, Vulnerability } from '../../workflows/reference';

export const ACTION_LABELS: Record<MeldingEventType, string> = {
  NOTE_ADDED: 'Notitie toevoegen',
  PERSON_ADDED: 'Persoon toevoegen',
  ACUTE_ACTION_STARTED: 'Acute actie vastleggen',
  ACUTE_UNSAFETY_ESTABLISHED: 'Acute onveiligheid vaststellen',
  CHILD_CONTACT_RECORDED: 'Contact met kind vastleggen',
  SAFETY_PLAN_RECORDED: 'Veiligheidsplan vastleggen',
  CHAIN_PARTNER_RECORDED: 'Ketenpartner vastleggen',
  INFORMAL_NETWORK_RECORDED: 'Informeel netwerk vastleggen',
  FIRST_CONTACT_INFORMATION_RECORDED: 'Informatie eerste contact vastleggen',
  VERTROUWENSPERSOON_INFORMATION_RECORDED: 'Vertrouwenspersoon bekendgemaakt vastleggen',
  MEMBER_SAFETY_ASSESSED: 'Veiligheid gezinslid vastleggen',
  FACT_CONFIRMED_STILL_VALID: 'Bevestigen dat eerder vastgelegde gegevens nog gelden',
  MONITORING_CONTACT_PLANNED: 'Monitoringscontact plannen',
  MONITORING_CONTACT_HELD: 'Monitoringscontact vastleggen',
  MELDER_FEEDBACK_GIVEN: 'Terugkoppeling aan melder vastleggen',
  DECISION_PROPOSED: 'Besluit voorstellen',
  DECISION_APPROVED: 'Besluit goedkeuren',
  DECISION_REJECTED: 'Besluit afwijzen',
  ONDERZOEK_STARTED: 'Onderzoek starten',
  ONDERZOEK_CONCLUSION_PROPOSED: 'Conclusie onderzoek voorstellen',
  ONDERZOEK_CONCLUSION_APPROVED: 'Conclusie onderzoek goedkeuren',
  ONDERZOEK_CONCLUSION_REJECTED: 'Conclusie onderzoek afwijzen',
  HANDOVER_CONFIRMED: 'Overdracht bevestigd vastleggen',
  CLOSURE_PROPOSED: 'Afsluiting voorstellen',
  CLOSURE_APPROVED: 'Afsluiting goedkeuren',
  CLOSURE_REJECTED: 'Afsluiting afwijzen',
};

export function actionLabel(type: string): string {
  return (ACTION_LABELS as Record<string, string>)[type] ?? type;
}

export const FIELD_LABELS: Record<string, string> = {
  text: 'Notitie',
  person: 'Persoon',
  role: 'Rol',
  name: 'Naam',
  birthDate: 'Geboortedatum',
  bsn: 'BSN',
  vulnerabilities: 'Kwetsbaarheid',
  description: 'Omschrijving',
  personId: 'Persoon',
  contactDate: 'Datum contact',
  seen: 'Gezien',
  spoken: 'Gesproken',
  reasonNotSeen: 'Reden niet gezien',
  reasonNotSpoken: 'Reden niet gesproken',
  summary: 'Samenvatting',
  partner: 'Ketenpartner',
  reasonNone: 'Reden waarom niet',
  involved: 'Wie is betrokken',
  with: 'Met wie',
  plannedFor: 'Gepland op',
  contactId: 'Monitoringscontact',
  stepsCarriedOut: 'Afgesproken stappen uitgevoerd',
  violenceStopped: 'Geweld gestopt',
  safetyRestored: 'Veiligheid hersteld',
  followUp: 'Vervolg',
  moment: 'Moment',
  safety: 'Uitkomst veiligheidsbeoordeling',
  code: 'Besluit',
  rationale: 'Onderbouwing',
  comment: 'Opmerking',
  reason: 'Reden',
  conclusion: 'Conclusie',
  outcomes: 'Uitkomst per soort geweld (één voor elke geregistreerde soort)',
  confirmedBy: 'Bevestigd door (ontvangende partij)',
  givenOn: 'Gegeven op',
  reasonNotGiven: 'Reden waarom niet (bijv. geen contact mogelijk, gevaar)',
  reasonNotAssessed: 'Reden waarom niet beoordeeld',
  planVanAanpak: 'Plan van aanpak',
  kind: 'Wijze van opstellen',
  approvedBy: 'Goedgekeurd door (tweede professional, intercollegiaal)',
  disciplines: 'Disciplines (multidisciplinair)',
  reasonNoPlan: 'Reden waarom er (nog) geen plan van aanpak is',
  fact: 'Wat geldt nog',
};

/** A label for a field: ours, else the schema's description, else the name spelled out ("planVanAanpak" → "plan van aanpak"). */
export function fieldLabel(name: string, description?: string): string {
  const known = FIELD_LABELS[name];
  if (known) return known;
  if (description) return description;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const ROLE_OPTIONS: Record<PersonRole, string> = {
  kind: 'kind',
  ouder: 'ouder',
  partner: 'partner',
  ex_partner: 'ex-partner',
  oudere: 'oudere',
  pleger: '(vermoedelijke) pleger',
  overig: 'overige betrokkene',
};

export const VULNERABILITY_OPTIONS: Record<Vulnerability, string> = {
  oudere: 'kwetsbare oudere',
  licht_verstandelijke_beperking: 'licht verstandelijke beperking',
  verstandelijke_beperking: 'verstandelijke beperking',
  lichamelijke_beperking: 'lichamelijke beperking',
  psychiatrische_problematiek: 'psychiatrische problematiek',
  anders_kwetsbaar: 'anderszins kwetsbaar',
};

export const DECISION_OPTIONS: Record<DecisionCode, string> = {
  'VT-00': 'VT-00 · melding niet ontvankelijk',
  'VT-01-01': 'VT-01-01 · vervolgstappen bij Veilig Thuis (onderzoek)',
  'VT-01-02': 'VT-01-02 · overdracht',
  'VT-01-03': 'VT-01-03 · geen vervolgstappen nodig',
  'VT-01-04': 'VT-01-04 · regionaal maatwerk (Voorwaarden en Vervolg)',
  'VT-02': 'VT-02 · overdracht',
  'VT-03': 'VT-03 · afsluiting zonder overdracht',
  'VT-99': 'VT-99 · onjuist geadresseerd (andere regio)',
};

export const SAFETY_OPTIONS: Record<SafetyOutcome, string> = {
  acuut: 'acute onveiligheid',
  structureel: 'structurele onveiligheid',
  geen: 'geen onveiligheid',
};

// The melder's sectors come from the server (`/dashboard/config.json` labels.melderSectors, from workflows/reference/categories.ts).

/** Enum values per field, where one value means different things in different fields. */
const ENUM_BY_FIELD: Record<string, Record<string, string>> = {
  role: ROLE_OPTIONS,
  vulnerabilities: VULNERABILITY_OPTIONS,
  code: DECISION_OPTIONS,
  safety: SAFETY_OPTIONS,
  followUp: {
    doorgaan: 'doorgaan met monitoren',
    herbeoordeling: 'opnieuw beoordelen (herbeoordeling)',
    onderzoek: 'onderzoek',
    overdracht: 'overdracht',
    voorwaarden_en_vervolg: 'Voorwaarden en Vervolg',
    raad_voor_de_kinderbescherming: 'Raad voor de Kinderbescherming',
    afsluiten: 'afsluiten',
  },
  moment: { na_beoordeling: 'na de veiligheidsbeoordeling', na_onderzoek: 'na het onderzoek' },
  kind: { intercollegiaal: 'intercollegiaal (goedgekeurd door een collega)', multidisciplinair: 'multidisciplinair (met andere disciplines)' },
  fact: { child_contact: 'contact met kind', safety_plan: 'veiligheidsplan', informal_network: 'informeel netwerk', chain_partner: 'ketenpartner' },
};

export function enumLabel(field: string, value: string | number | boolean): string {
  return ENUM_BY_FIELD[field]?.[String(value)] ?? String(value).replace(/_/g, ' ');
}
