/** Dutch interface text for the codes the API returns; typed against the server's own unions so none is missed. */
import type { CaseHistoryEventType, MeldingState } from '../../workflows/melding';
import type { SafetyOutcome, ViolenceType } from '../../workflows/reference';
import type { Role } from '../../src/auth/principal';

export const STATE_LABELS: Record<MeldingState, string> = {
  veiligheidsbeoordeling: 'Veiligheidsbeoordeling',
  besluit_ter_goedkeuring: 'Besluit ter goedkeuring',
  wacht_op_onderzoek: 'Wacht op start onderzoek',
  onderzoek: 'Onderzoek',
  conclusie_ter_goedkeuring: 'Conclusie ter goedkeuring',
  overdracht: 'Overdracht',
  monitoring: 'Monitoring',
  afronding: 'Afronding',
  afsluiting_ter_goedkeuring: 'Afsluiting ter goedkeuring',
  afgesloten: 'Afgesloten',
  niet_ontvankelijk: 'Niet ontvankelijk',
  doorverwezen: 'Doorverwezen',
};

/** One label per type of the closed list of history events (workflows/melding/case-history-events.ts). */
export const EVENT_LABELS: Record<CaseHistoryEventType, string> = {
  MELDING_REGISTERED: 'Melding geregistreerd',
  NOTE_ADDED: 'Notitie toegevoegd',
  PERSON_ADDED: 'Persoon toegevoegd',
  ACUTE_ACTION_STARTED: 'Acute actie gestart',
  ACUTE_UNSAFETY_ESTABLISHED: 'Acute onveiligheid vastgesteld',
  CHILD_CONTACT_RECORDED: 'Contact met kind vastgelegd',
  SAFETY_PLAN_RECORDED: 'Veiligheidsplan vastgelegd',
  CHAIN_PARTNER_RECORDED: 'Ketenpartner vastgelegd',
  INFORMAL_NETWORK_RECORDED: 'Informeel netwerk vastgelegd',
  FIRST_CONTACT_INFORMATION_RECORDED: 'Informatie bij eerste contact vastgelegd',
  VERTROUWENSPERSOON_INFORMATION_RECORDED: 'Vertrouwenspersoon bekendgemaakt',
  MEMBER_SAFETY_ASSESSED: 'Veiligheid gezinslid beoordeeld',
  FACT_CONFIRMED_STILL_VALID: 'Eerder vastgelegd gegeven bevestigd',
  MONITORING_CONTACT_PLANNED: 'Monitoringscontact gepland',
  MONITORING_CONTACT_HELD: 'Monitoringscontact gehouden',
  MELDER_FEEDBACK_GIVEN: 'Terugkoppeling aan melder',
  DECISION_PROPOSED: 'Besluit voorgesteld',
  DECISION_APPROVED: 'Besluit goedgekeurd',
  DECISION_REJECTED: 'Besluit afgewezen',
  ONDERZOEK_STARTED: 'Onderzoek gestart',
  ONDERZOEK_CONCLUSION_PROPOSED: 'Conclusie onderzoek voorgesteld',
  ONDERZOEK_CONCLUSION_APPROVED: 'Conclusie onderzoek goedgekeurd',
  ONDERZOEK_CONCLUSION_REJECTED: 'Conclusie onderzoek afgewezen',
  HANDOVER_CONFIRMED: 'Overdracht bevestigd',
  CLOSURE_PROPOSED: 'Afsluiting voorgesteld',
  CLOSURE_APPROVED: 'Afsluiting goedgekeurd',
  CLOSURE_REJECTED: 'Afsluiting afgewezen',
  ALERT_ACKNOWLEDGED: 'Signaal afgehandeld',
  DEADLINE_ADJUSTED: 'Termijn aangepast',
  VIOLENCE_TYPES_CORRECTED: 'Soorten geweld gecorrigeerd',
  LEGAL_HOLD_PLACED: 'Bewaarplicht (legal hold) ingesteld',
  LEGAL_HOLD_LIFTED: 'Bewaarplicht (legal hold) opgeheven',
  DOSSIER_DESTROYED: 'Dossier vernietigd',
};

export function eventLabel(type: string): string {
  return (EVENT_LABELS as Record<string, string>)[type] ?? type;
}

export function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? state;
}

export const DEADLINE_LABELS: Record<string, string> = {
  acuut: 'Acute actie',
  veiligheidsbeoordeling: 'Veiligheidsbeoordeling (5 werkdagen)',
  onderzoek_start: 'Start onderzoek (5 dagen na ontvangst)',
  onderzoek: 'Onderzoek (10 weken)',
  terugkoppeling: 'Terugkoppeling aan melder',
  overdrachtsbevestiging: 'Bevestiging overdracht',
  monitoringscontact: 'Monitoringscontact',
  verbeteractie: 'Verbeteractie (einddatum)',
  mijlpaal: 'Mijlpaal certificering',
};

export function deadlineLabel(kind: string): string {
  return DEADLINE_LABELS[kind] ?? kind;
}

export const DEADLINE_STATUS_LABELS: Record<string, string> = { open: 'open', met: 'gehaald', breached: 'overschreden', cancelled: 'vervallen' };

export const ALERT_LEVEL_LABELS: Record<'warning' | 'breach' | 'escalation' | 'acute', string> = {
  acute: 'Acute onveiligheid',
  warning: 'Waarschuwing',
  breach: 'Termijn overschreden',
  escalation: 'Escalatie',
};

export const VIOLENCE_LABELS: Record<ViolenceType, string> = {
  kindermishandeling: 'Kindermishandeling',
  geweld_tegen_ouders: 'Geweld tegen ouders',
  partnergeweld: '(Ex-)partnergeweld',
  ouderenmishandeling: 'Ouderenmishandeling',
  huiselijk_geweld_overig: 'Overig huiselijk geweld',
  andere_problematiek: 'Andere problematiek',
  onbekend: 'Onbekend',
};

export const SEVERITY_LABELS: Record<SafetyOutcome | 'onbeoordeeld', string> = {
  acuut: 'Acute onveiligheid',
  structureel: 'Structurele onveiligheid',
  geen: 'Geen onveiligheid',
  onbeoordeeld: 'Nog niet beoordeeld',
};

/** CBS kinds of melding (docs/municipal-reporting.md). */
export const REPORT_LABELS: Record<'eerste' | 'hermelding' | 'vervolgmelding', string> = {
  eerste: 'Eerste melding',
  hermelding: 'Hermelding (eerdere casus afgesloten)',
  vervolgmelding: 'Vervolgmelding (bij lopende casus)',
};

export const ROLE_LABELS: Record<Role, string> = {
  medewerker: 'medewerker',
  teamleider: 'teamleider',
  manager: 'manager',
  gemeente: 'gemeente',
  beheerder: 'beheerder',
};

export const QUALITY_LABELS: Record<string, string> = {
  safetyPlanWhereUnsafe: 'Veiligheidsplan bij onveiligheid',
  childrenSeen: 'Kinderen gezien',
  childrenSpokenFromAge: 'Kinderen gesproken (vanaf de ingestelde leeftijd)',
  decisionsByTwoProfessionals: 'Besluiten door twee professionals',
  closuresByTwoProfessionals: 'Afsluitingen door twee professionals',
  vulnerablePersonsWithChainPartner: 'Kwetsbare personen met ketenpartner',
  informalNetworkInvolved: 'Informeel netwerk betrokken',
  monitoringPlanned: 'Monitoring bepaald: met wie en wanneer',
  informationGivenAtFirstContact: 'Betrokkenen geïnformeerd bij eerste contact (art. 4.1.8)',
  vertrouwenspersoonMadeKnown: 'Vertrouwenspersoon bekendgemaakt (art. 4.2.4)',
  safetyAssessedPerHouseholdMember: 'Veiligheid beoordeeld per gezinslid',
  onderzoekenWithPlanVanAanpak: 'Onderzoek met plan van aanpak (intercollegiaal of multidisciplinair)',
  assessmentsWithinTerm: 'Veiligheidsbeoordeling binnen 5 werkdagen',
  onderzoekenStartedWithinTerm: 'Onderzoek gestart binnen 5 dagen na ontvangst',
  onderzoekenWithinTerm: 'Onderzoek binnen 10 weken na het besluit (wettelijk)',
  onderzoekenWithinTenWeeksOfReceipt: 'Onderzoek binnen 10 weken na ontvangst (inspectie)',
  monitoringContactsOnTime: 'Monitoringscontacten op tijd',
  monitoringCheckedSteps: 'Monitoring: nagegaan of de stappen zijn uitgevoerd',
  monitoringCheckedViolenceStopped: 'Monitoring: nagegaan of het geweld gestopt en de veiligheid hersteld is',
};

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const date = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });
const monthName = new Intl.DateTimeFormat('nl-NL', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const formatDate = (iso: string): string => date.format(new Date(iso));
/** 'YYYY-MM' → 'nov 2026'. */
export const formatMonth = (month: string): string => monthName.format(new Date(`${month}-01T00:00:00Z`));
export const formatShare = (share: number): string => `${(share * 100).toLocaleString('nl-NL', { maximumFractionDigits: 1 })} %`;

/** Time left as the teamleider reads it, and the urgency class that colours it (never colour alone). */
export function timeLeftText(t: { werkdagenLeft: number; overdue: boolean }): { text: string; urgency: 'verlopen' | 'vandaag' | 'krap' | 'ruim' } {
  if (t.overdue) {
    const n = -t.werkdagenLeft;
    return { text: n === 0 ? 'verlopen (vandaag)' : `verlopen, ${n} werkdag${n === 1 ? '' : 'en'} geleden`, urgency: 'verlopen' };
  }
  if (t.werkdagenLeft === 0) return { text: 'vandaag', urgency: 'vandaag' };
  const text = `nog ${t.werkdagenLeft} werkdag${t.werkdagenLeft === 1 ? '' : 'en'}`;
  return { text, urgency: t.werkdagenLeft <= 2 ? 'krap' : 'ruim' };
}

/** The label of a category or of a report plan's group (docs/municipal-reporting.md): ours, else the one the API gives, else the id. */
export function categoryLabel(id: string, groupLabels: Readonly<Record<string, string>> = {}): string {
  const own = (VIOLENCE_LABELS as Record<string, string>)[id] ?? (SEVERITY_LABELS as Record<string, string>)[id] ?? (REPORT_LABELS as Record<string, string>)[id];
  const group = groupLabels[id];
  if (own !== undefined) return own;
  return group === undefined ? id.replace(/_/g, ' ') : group.charAt(0).toUpperCase() + group.slice(1);
}
