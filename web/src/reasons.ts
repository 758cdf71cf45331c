/**
 * Dutch wording of the reasons the API gives (blocked events, guard refusals, what a case waits for) and of the
 * field rules in its 400 errors. The API's reason codes are stable; numbers (which child, how many contacts) are
 * read from its message. An unknown code shows the API's own message, so nothing is hidden.
 */
const PROPOSAL_KIND: Record<string, string> = { besluit: 'besluit', conclusie: 'conclusie van het onderzoek', afsluiting: 'afsluiting' };

function childLabel(message: string): string {
  const m = /child (\d+) \((?:age (\d+)|age unknown)\)/.exec(message);
  if (!m) return 'een kind';
  return m[2] !== undefined ? `kind ${m[1]} (${m[2]} jaar)` : `kind ${m[1]} (leeftijd onbekend)`;
}

const kindOf = (message: string): string => {
  const m = /\b(besluit|conclusie|afsluiting)\b/.exec(message);
  return m?.[1] ? (PROPOSAL_KIND[m[1]] ?? m[1]) : 'voorstel';
};

export interface ReasonContext {
  /** The caller may approve the pending proposal (a waits-for entry then reads "bij u"). */
  mayApprove?: boolean;
}

export function reasonText(reason: { code: string; message: string }, context: ReasonContext = {}): string {
  const m = reason.message;
  switch (reason.code) {
    case 'CHILD_NOT_SEEN':
      return `${childLabel(m)} nog niet gezien, en geen reden vastgelegd`;
    case 'CHILD_NOT_SPOKEN':
      return `${childLabel(m)} nog niet gesproken, en geen reden vastgelegd`;
    case 'CHAIN_PARTNER_MISSING': {
      const n = /person (\d+)/.exec(m)?.[1];
      return `kwetsbare persoon ${n ?? ''} heeft geen ketenpartner, en geen reden waarom niet`.replace('  ', ' ');
    }
    case 'INFORMAL_NETWORK_MISSING':
      return 'informeel netwerk niet vastgelegd: wie betrokken is, of waarom niemand';
    case 'SAFETY_PLAN_MISSING':
      return `${/acute/.test(m) ? 'acute' : 'structurele'} onveiligheid vastgesteld, maar geen veiligheidsplan vastgelegd`;
    case 'MONITORING_NOT_PLANNED':
      return 'geen monitoringscontact gepland (met wie en wanneer)';
    case 'MONITORING_CONTACTS_OPEN': {
      const n = Number(/(\d+) planned/.exec(m)?.[1] ?? '1');
      return n === 1 ? '1 gepland monitoringscontact nog niet gehouden' : `${n} geplande monitoringscontacten nog niet gehouden`;
    }
    case 'MONITORING_NOT_HELD':
      return 'nog geen monitoringscontact gehouden';
    case 'MONITORING_NOT_SAFE':
      return /choose/.test(m)
        ? 'de afgesproken stappen zijn niet uitgevoerd of het geweld is niet gestopt: kies herbeoordeling of onderzoek'
        : 'bij het laatste monitoringscontact was het geweld niet gestopt of de veiligheid niet hersteld';
    case 'FEEDBACK_MISSING':
      return /onderzoek/.test(m) ? 'melder nog niet teruggekoppeld na het onderzoek' : 'melder nog niet teruggekoppeld na de veiligheidsbeoordeling';
    case 'NO_PROPOSAL':
      return `er ligt geen voorstel (${kindOf(m)}) om over te beslissen`;
    case 'FOUR_EYES':
      return `u heeft dit voorstel (${kindOf(m)}) zelf gedaan: een tweede professional moet het goedkeuren (vier ogen)`;
    case 'APPROVER_NOT_ALLOWED':
      return `alleen ${/only (.*) may approve/.exec(m)?.[1] ?? 'aangewezen rollen'} mogen dit voorstel (${kindOf(m)}) goedkeuren (vier ogen)`;
    case 'PLAN_VAN_AANPAK_MISSING':
      return 'een onderzoek start met een plan van aanpak (intercollegiaal of multidisciplinair), of een reden waarom er geen is';
    case 'PLAN_FOUR_EYES':
      return 'een intercollegiaal plan van aanpak wordt goedgekeurd door een tweede professional, niet door uzelf';
    case 'NOTHING_TO_CONFIRM':
      return 'er is in een eerdere ronde niets vastgelegd om te bevestigen';
    case 'ALREADY_CURRENT':
      return 'dit is al vastgelegd in de huidige ronde';
    case 'NOT_ACUTE':
      return 'deze melding is niet als acuut gevaar geregistreerd';
    case 'ALREADY_RECORDED':
      return /monitoring/.test(m) ? 'dit monitoringscontact is al vastgelegd' : 'de acute actie is al vastgelegd';
    case 'UNKNOWN_CHILD':
      return 'de gekozen persoon is geen kind in deze zaak';
    case 'UNKNOWN_PERSON':
      return 'de gekozen persoon hoort niet bij deze zaak';
    case 'UNKNOWN_CONTACT':
      return 'het gekozen monitoringscontact is niet gepland in deze zaak';
    case 'EMPTY_CONTACT':
      return 'leg vast dat het kind is gezien of gesproken, of waarom niet';
    case 'MELDER_UNREACHABLE':
      return 'de melder is anoniem of niet bereikbaar';
    case 'TOO_EARLY':
      return /onderzoek/.test(m) ? 'er is nog geen afgerond onderzoek' : 'er is nog geen besluit na de veiligheidsbeoordeling';
    case 'DECISION_CONTRADICTS_SAFETY':
      return 'VT-01-03 (geen vervolgstappen) kan niet als er onveiligheid is vastgesteld';
    case 'EVENT_NOT_ALLOWED':
      return 'deze stap kan niet in de huidige fase van de zaak';
    case 'NO_TRANSITION':
      return 'deze stap verandert niets aan de zaak';
    case 'ROLE':
      return 'uw rol verandert geen zaken';
    // What a case waits for (GET /v1/workspace).
    case 'ACUTE_ACTION_MISSING':
      return 'acuut gevaar: acute actie nog niet vastgelegd';
    case 'ASSESSMENT_OPEN':
      return 'veiligheidsbeoordeling: besluit nog niet voorgesteld';
    case 'PROPOSAL_PENDING':
      return context.mayApprove ? `${kindOf(m)} wacht op uw goedkeuring` : `${kindOf(m)} ter goedkeuring bij een collega`;
    case 'ONDERZOEK_NOT_STARTED':
      return 'onderzoek besloten, nog niet gestart';
    case 'CONCLUSION_OPEN':
      return 'onderzoek loopt: conclusie nog niet voorgesteld';
    case 'HANDOVER_UNCONFIRMED':
      return 'overdracht nog niet bevestigd door de ontvangende partij';
    case 'CLOSURE_NOT_PROPOSED':
      return 'afsluiting nog niet voorgesteld';
    default:
      return m;
  }
}

/** The API's field rules (English, from zod and the engine) in Dutch; an unknown rule is shown as it came. */
export function ruleText(rule: string): string {
  if (/11-proef/.test(rule)) return 'Dit is geen geldig BSN (9 cijfers die voldoen aan de 11-proef).';
  if (/must not be empty|Required|expected string, received undefined/i.test(rule)) return 'Vul dit veld in.';
  const max = /at most (\d+) characters/.exec(rule);
  if (max) return `Gebruik hoogstens ${max[1]} tekens.`;
  if (/date in the form YYYY-MM-DD|must lie between/.test(rule)) return 'Vul een geldige datum in.';
  if (/in the future/.test(rule)) return 'Deze datum ligt in de toekomst.';
  if (/at least one type of violence/.test(rule)) return 'Kies ten minste één vorm van geweld.';
  if (/must not repeat/.test(rule)) return 'Kies elke vorm maar één keer.';
  if (/at least one person/.test(rule)) return 'Voeg ten minste één persoon toe.';
  if (/is required for a professional melder/.test(rule)) return 'Kies de sector van de professionele melder.';
  if (/only for a professional melder/.test(rule)) return 'Alleen een professionele melder heeft een sector.';
  if (/anonymous melder has no name/.test(rule)) return 'Een anonieme melder heeft geen naam of contactgegevens.';
  if (/CBS code of a gemeente/.test(rule)) return 'Kies een gemeente van de regio.';
  if (/give exactly one of/.test(rule)) return 'Vul precies één van beide velden in.';
  if (/must differ from the registered types/.test(rule)) return 'Dit zijn de soorten die al geregistreerd staan: kies wat er verandert.';
  if (/needs one outcome/.test(rule)) return 'Kies een uitkomst voor deze soort geweld.';
  if (/is not a type of violence registered/.test(rule)) return 'Deze soort geweld staat niet (meer) op de melding.';
  if (/case version you last saw/.test(rule)) return 'De versie van de zaak ontbreekt of is ongeldig: laad de zaak opnieuw.';
  if (/Invalid option|expected one of/i.test(rule)) return 'Maak een keuze.';
  return rule;
}
