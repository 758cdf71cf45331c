/**
 * Built-in words for synthetic meldingen: names made of Dutch-sounding syllables (never a list of real people),
 * fictitious contact addresses under the reserved `.example` domain, and short standard phrases for the free text.
 * Free text never contains a name.
 */
import type { ViolenceType } from '../../../workflows/reference';
import { pick, type Rng } from './prng';

const FIRST_START = ['Ma', 'Jo', 'Ri', 'An', 'El', 'Da', 'Li', 'Sa', 'Ro', 'Fe', 'Ti', 'No', 'Be', 'Ka', 'Wi', 'He', 'Lo', 'Ju', 'Mi', 'Ni', 'Ar', 'Ed', 'Is', 'Ot'];
const FIRST_END = ['rijn', 'ske', 'lle', 'nte', 'dy', 'ra', 'mke', 'jn', 'tje', 'lena', 'nus', 'ke', 'rt', 'mon', 'bert', 'ne', 'ssa', 'ndra', 'rik', 'sje', 'ko', 'lie'];
const SURNAME_PREFIX = ['', '', '', '', 'van ', 'de ', 'van der ', 'ter ', 'van den ', 'te '];
const SURNAME_START = ['Wes', 'Hol', 'Kam', 'Ber', 'Dij', 'Vel', 'Bos', 'Mee', 'Lin', 'Hoe', 'Ste', 'Brou', 'Kle', 'Roo', 'Haa', 'Zan', 'Gel', 'Wol', 'Rek', 'Tol'];
const SURNAME_END = ['kamp', 'veld', 'man', 'ink', 'hof', 'beek', 'huis', 'stra', 'ing', 'ema', 'dorp', 'weg', 'sen', 'ker', 'horst', 'lo'];

export function firstName(rng: Rng): string {
  return pick(rng, FIRST_START) + pick(rng, FIRST_END);
}

export function surname(rng: Rng): string {
  const prefix = pick(rng, SURNAME_PREFIX);
  const root = pick(rng, SURNAME_START) + pick(rng, SURNAME_END);
  return prefix + root;
}

/** 'van der Holkamp' → 'vanderholkamp', for a fictitious e-mail address. */
export function mailbox(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

const SUMMARY: Record<ViolenceType, readonly string[]> = {
  kindermishandeling: [
    'Zorgen over de veiligheid en verzorging van de kinderen in het gezin.',
    'Kind vertelt op school over slaan door een ouder; blauwe plekken gezien.',
    'Signalen van emotionele verwaarlozing en herhaalde afwezigheid op school.',
    'Kinderen getuige van ernstige ruzies tussen de ouders.',
  ],
  partnergeweld: [
    'Politie ter plaatse geweest na melding van huiselijk geweld tussen partners.',
    'Herhaald fysiek geweld tussen (ex-)partners; dreiging na de scheiding.',
    'Partner voelt zich onveilig thuis; controlerend gedrag en bedreigingen.',
  ],
  geweld_tegen_ouders: ['Geweld van een jongere tegen een ouder; ouder durft niet meer naar huis.', 'Escalaties tussen ouder en puber met vernielingen in huis.'],
  ouderenmishandeling: ['Vermoeden van financiele uitbuiting van een kwetsbare oudere.', 'Oudere wordt verwaarloosd door de mantelzorger; zorgen bij de thuiszorg.'],
  huiselijk_geweld_overig: ['Geweld tussen volwassen gezinsleden; buren horen regelmatig geschreeuw.', 'Bedreiging binnen de familie na een conflict over de woning.'],
  andere_problematiek: ['Zorgen over de thuissituatie zonder duidelijke signalen van geweld.', 'Vervuilde woning en zorgmijding; zorgen over de veiligheid.'],
  onbekend: ['Anonieme zorgen over de situatie thuis; aard van het geweld nog onbekend.'],
};

export function summaryFor(rng: Rng, type: ViolenceType): string {
  return pick(rng, SUMMARY[type]);
}

export const NOTES = [
  'Telefonisch contact gehad met de melder ter aanvulling van de melding.',
  'Informatie opgevraagd bij de huisarts.',
  'Gesprek gevoerd met de school over het welzijn van het kind.',
  'Huisbezoek afgelegd; situatie in kaart gebracht.',
  'Overleg gehad met de gedragswetenschapper.',
  'Informatie ontvangen van de politie over eerdere incidenten.',
  'Gesprek met beide ouders over de zorgen.',
  'Afspraak gemaakt voor een vervolggesprek.',
] as const;

/** Notes made while a decided onderzoek waits for an onderzoeker (wacht_op_onderzoek). */
export const WAITING_NOTES = [
  'Onderzoek op de wachtlijst geplaatst; wacht op een beschikbare onderzoeker.',
  'Melder gebeld: onderzoek is besloten maar nog niet gestart.',
  'Wachtlijst besproken in het teamoverleg; prioriteit ongewijzigd.',
  'Contact met het lokale team over de wachttijd tot het onderzoek.',
] as const;

/** Plans van aanpak an onderzoek starts with. */
export const PLANS_VAN_AANPAK = [
  'Huisbezoek, gesprekken met ouders en kinderen, informatie bij school en huisarts.',
  'Gesprekken met beide ouders afzonderlijk, kind spreken op school, wijkteam raadplegen.',
  'Eerst veiligheid borgen; daarna huisbezoek en gesprekken met het netwerk.',
  'Informatie bij politie en jeugdarts, huisbezoek, kinderen zien en spreken.',
] as const;

/** Why an onderzoek started without a plan van aanpak. */
export const REASONS_NO_PLAN = [
  'Acute situatie: onderzoek direct gestart, plan van aanpak volgt.',
  'Spoedoverleg met politie; plan van aanpak wordt na het eerste huisbezoek opgesteld.',
] as const;

/** Why a fact of an earlier round still holds in this one. */
export const STILL_VALID_REASONS = [
  'Bij het monitoringscontact opnieuw besproken: ongewijzigd.',
  'Bij huisbezoek nagegaan: de afspraken gelden nog.',
  'Met ouders doorgenomen; niets veranderd sinds de vorige ronde.',
] as const;

/** Optional comments on ONDERZOEK_STARTED. */
export const ONDERZOEK_START_COMMENTS = [
  'Onderzoeker toegewezen; eerste huisbezoek gepland.',
  'Gestart na de wachtlijst.',
  'Met voorrang gestart vanwege de zorgen.',
  'Onderzoek overgenomen door een collega.',
] as const;

export const SAFETY_PLANS = [
  'Afspraken gemaakt over een time-out bij oplopende spanning; ouders bellen hulpverlening bij escalatie.',
  'Kinderen verblijven tijdelijk bij familie; contact met de pleger alleen onder toezicht.',
  'Pleger verlaat de woning tijdelijk; dagelijks contact met het netwerk.',
  'Afspraken over veiligheid thuis vastgelegd en ondertekend door beide ouders.',
] as const;

export const RATIONALES = [
  'Uitkomst veiligheidsbeoordeling besproken in het multidisciplinair overleg.',
  'Besluit genomen op basis van de verzamelde informatie en de gesprekken.',
  'Intercollegiaal afgestemd met de gedragswetenschapper.',
] as const;

export const CONCLUSIONS = [
  'Onderzoek afgerond; conclusies en vervolg besproken met het gezin.',
  'Onderzoek bevestigt de zorgen; vervolg belegd bij passende hulp.',
  'Onderzoek laat zien dat de veiligheid voldoende geborgd is.',
] as const;

export const CHAIN_PARTNERS = ['thuiszorgorganisatie', 'casemanager dementie', 'begeleider MEE', 'ambulante ggz', 'zorgaanbieder gehandicaptenzorg', 'wijkverpleging'] as const;

export const INFORMAL_NETWORK = ['grootouders', 'een tante', 'buren', 'vrienden van de ouders', 'een oom', 'de kerkgemeenschap'] as const;

/** Why a duty towards a person could not be done (art. 4.1.8, 4.2.4) or their safety not assessed. */
export const NO_CONTACT_REASONS = [
  'geen contact mogelijk: betrokkene niet bereikbaar',
  'gevaar: contact zou de veiligheid van het kind of de melder in gevaar brengen',
  'betrokkene verblijft in het buitenland',
] as const;

export const NO_NETWORK_REASONS = ['betrokkenen willen het netwerk niet inschakelen', 'er is geen bruikbaar netwerk in de buurt'] as const;

export const MONITORING_WITH = ['het lokale team', 'de ouders', 'de school', 'de huisarts', 'de jeugdbeschermer', 'het wijkteam'] as const;

export const ACUTE_ACTIONS = [
  'Crisisdienst ingeschakeld en ter plaatse gegaan met de politie.',
  'Tijdelijk huisverbod voorbereid met de politie.',
  'Kinderen in overleg tijdelijk elders ondergebracht.',
] as const;
