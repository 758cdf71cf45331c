/**
 * The Inspectie's expectations of a Veilig Thuis organisation (toetsingskader of the joint inspection round of the
 * Inspectie Gezondheidszorg en Jeugd and the Inspectie Jeugdzorg, 2016–2017), as data: what each asks, how the engine
 * measures it, and the norm it is held to. Pure: no I/O.
 *
 * - `measured`: read from figures of the quality report (GET /v1/quality); met when every figure reaches its norm.
 * - `organisational`: not in case data (a certificate, a complaints procedure …); a manager sets the status with
 *   evidence, kept with its history.
 * Figures the engine does not yet produce are named anyway: the expectation then reads "not measurable" until they do.
 */

/** Figure ids of the quality report the catalogue reads (a figure no report computes makes its expectation "not measurable"). */
export const FIGURE_IDS = [
  'safetyPlanWhereUnsafe',
  'childrenSeen',
  'childrenSpokenFromAge',
  'decisionsByTwoProfessionals',
  'closuresByTwoProfessionals',
  'vulnerablePersonsWithChainPartner',
  'informalNetworkInvolved',
  'assessmentsWithinTerm',
  'onderzoekenWithinTerm',
  'monitoringContactsOnTime',
  'monitoringCheckedViolenceStopped',
  'onderzoekenStartedWithinTerm',
  'safetyAssessedPerHouseholdMember',
  'informationGivenAtFirstContact',
  'vertrouwenspersoonMadeKnown',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

/**
 * Figures an expectation names that no report computes yet: such an expectation is "not measurable", and says why.
 * Empty since the melding machine records the per-person duties (v4); kept for the next expectation the engine
 * cannot yet measure.
 */
export const FIGURES_PENDING: Partial<Record<FigureId, string>> = {};

export const EXPECTATION_THEMES = ['veiligheid', 'kinderen', 'samenwerking', 'monitoring', 'termijnen', 'besluitvorming', 'rechten', 'organisatie'] as const;
export type ExpectationTheme = (typeof EXPECTATION_THEMES)[number];

interface ExpectationBase {
  /** Stable id, used in URLs, norms and improvement actions. */
  id: string;
  theme: ExpectationTheme;
  /** The expectation as the toetsingskader words it. */
  text: string;
  /** Where it comes from. */
  source: string;
  /** One of the ten expectations Veilig Thuis IJsselland did not meet in the 2017 round. */
  failedIn2017: boolean;
}

export interface MeasuredExpectation extends ExpectationBase {
  kind: 'measured';
  /** How the figures measure it, in words. */
  definition: string;
  /** Each figure and its default norm (a share, 0..1); met when every figure reaches its norm. */
  figures: ReadonlyArray<{ figure: FigureId; norm: number }>;
}

export interface OrganisationalExpectation extends ExpectationBase {
  kind: 'organisational';
  /** What evidence a manager records to set it met. */
  definition: string;
}

export type Expectation = MeasuredExpectation | OrganisationalExpectation;

const INSPECTIE = 'Toetsingskader Veilig Thuis, Inspectie Gezondheidszorg en Jeugd / Inspectie Jeugdzorg (2016)';
const NORM_ALL = 0.95;

interface EntryOptions {
  /** Defaults to the toetsingskader. */
  source?: string;
  failedIn2017?: boolean;
}

/** A measured expectation: its figures with their default norms, as [figure, norm] pairs. */
function measured(id: string, theme: ExpectationTheme, o: EntryOptions & { figures: Array<[FigureId, number]> }, text: string, definition: string): MeasuredExpectation {
  return { id, kind: 'measured', theme, text, source: o.source ?? INSPECTIE, failedIn2017: o.failedIn2017 ?? false, definition, figures: o.figures.map(([figure, norm]) => ({ figure, norm })) };
}

/** An organisational expectation: a manager records its status with evidence. */
function organisational(id: string, theme: ExpectationTheme, o: EntryOptions, text: string, definition: string): OrganisationalExpectation {
  return { id, kind: 'organisational', theme, text, source: o.source ?? INSPECTIE, failedIn2017: o.failedIn2017 ?? false, definition };
}

/** The catalogue: id, theme, options (figures and norms, source, whether failed in 2017), the text as worded, the definition. */
export const EXPECTATIONS: readonly Expectation[] = [
  measured('veiligheidsplan', 'veiligheid', { figures: [['safetyPlanWhereUnsafe', NORM_ALL]], failedIn2017: true },
    'Veilig Thuis draagt zorg voor het opstellen van een veiligheidsplan in alle meldingen waar sprake is van onveiligheid.',
    'Of the meldingen that left Veilig Thuis (handed over or closed) with acute or structural unsafety, the share with a veiligheidsplan recorded.'),
  measured('ketenpartners-kwetsbaren', 'samenwerking', { figures: [['vulnerablePersonsWithChainPartner', NORM_ALL]], failedIn2017: true },
    'Veilig Thuis werkt aantoonbaar samen met ketenpartners op het gebied van ouderen, (licht)verstandelijk beperkte mensen, lichamelijk gehandicapten of anderszins kwetsbare mensen.',
    'Of the vulnerable persons on meldingen that left Veilig Thuis, the share with a chain partner (or a recorded reason why none) recorded.'),
  measured('monitoring-met-wie-wanneer', 'monitoring', { figures: [['monitoringContactsOnTime', 0.9]], failedIn2017: true },
    'Veilig Thuis bepaalt aan de hand van de melding met wie en wanneer contacten in het kader van monitoring worden gelegd.',
    'Monitoring contacts are planned per case (with whom, when) before a monitored handover; measured as the share of planned contacts held within their term.'),
  measured('monitoring-stappen-uitgevoerd', 'monitoring', { figures: [['monitoringCheckedViolenceStopped', NORM_ALL]], failedIn2017: true },
    'Veilig Thuis gaat bij de betrokken professionals en/of de betrokken gezinsleden na of de stappen die naar aanleiding van een melding in gang zijn gezet daadwerkelijk worden uitgevoerd.',
    'Of the monitoring contacts held, the share that recorded whether the agreed steps were carried out.'),
  measured('monitoring-geweld-gestopt', 'monitoring', { figures: [['monitoringCheckedViolenceStopped', NORM_ALL]], failedIn2017: true },
    'Veilig Thuis gaat na of de stappen leiden tot het stoppen van het geweld en tot herstel van de veiligheid.',
    'Of the monitoring contacts held, the share that recorded whether the violence stopped and safety returned.'),
  measured('termijnen-vijf-dagen-tien-weken', 'termijnen', { figures: [['assessmentsWithinTerm', 0.9], ['onderzoekenWithinTerm', 0.8]], failedIn2017: true, source: `${INSPECTIE}; Uitvoeringsbesluit Wmo 2015 art. 4.1.7; LNVT normen 2019` },
    'Veilig Thuis rondt onderzoeken binnen vijf dagen en tien weken na ontvangst van de melding af.',
    'The share of safety assessments met within 5 werkdagen of receipt (LNVT: 90 %) and of onderzoeken met within 10 weeks (LNVT: 80 %), against the original, statutory term.'),
  measured('plan-van-aanpak-intercollegiaal', 'besluitvorming', { figures: [['decisionsByTwoProfessionals', NORM_ALL], ['closuresByTwoProfessionals', NORM_ALL]], failedIn2017: true },
    'Het plan van aanpak wordt intercollegiaal of multidisciplinair opgesteld.',
    'The share of decisions after the safety assessment, and of closures, proposed by one professional and approved by another (four eyes).'),
  measured('kinderen-gezien-gesproken', 'kinderen', { figures: [['childrenSeen', NORM_ALL], ['childrenSpokenFromAge', NORM_ALL]], failedIn2017: true },
    'Kinderen worden altijd gezien en gesproken door Veilig Thuis, gesproken in ieder geval wanneer zij zes jaar of ouder zijn.',
    'Of the children on meldingen that left Veilig Thuis, the share seen, and the share spoken with from the configured age (each or with a recorded reason).'),
  measured('informeel-netwerk', 'samenwerking', { figures: [['informalNetworkInvolved', 0.9]], failedIn2017: true },
    'Veilig Thuis betrekt waar mogelijk het informele netwerk van de direct betrokkenen bij het huiselijk geweld, de (kinder)mishandeling of de ouderenmishandeling.',
    'Of the meldingen that left Veilig Thuis, the share with the informal network involved (or a recorded reason why not).'),
  organisational('tijdpad-certificaat', 'organisatie', { failedIn2017: true },
    'Veilig Thuis heeft een tijdpad tot het behalen van het certificaat voor systematisch kwaliteitsmanagement.',
    'A certification track (HKZ or ISO 9001) with a planned date for every milestone up to the certificate; the manager records it, with the track as evidence.'),
  measured('onderzoek-gestart-vijf-dagen', 'termijnen', { figures: [['onderzoekenStartedWithinTerm', 0.9]], source: 'Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1' },
    'Veilig Thuis start een onderzoek binnen vijf dagen nadat is vastgesteld dat een onderzoek moet plaatsvinden.',
    'The share of onderzoeken started within five days of the decision to investigate.'),
  measured('veiligheid-ieder-gezinslid', 'veiligheid', { figures: [['safetyAssessedPerHouseholdMember', NORM_ALL]], source: `${INSPECTIE}; Handelingsprotocol Veilig Thuis 2019` },
    'Veilig Thuis beoordeelt de veiligheid van ieder lid van het huishouden.',
    'Of the members of the household (kind, ouder, partner, oudere, pleger) on meldingen that left Veilig Thuis, the share whose safety was assessed (MEMBER_SAFETY_ASSESSED with an outcome); a recorded reason why it could not be is justified, not met.'),
  measured('informatie-eerste-contact', 'rechten', { figures: [['informationGivenAtFirstContact', NORM_ALL]], source: 'Uitvoeringsbesluit Wmo 2015 art. 4.1.8' },
    'Veilig Thuis informeert iedere betrokkene bij het eerste contact over de werkwijze, de verwerking van persoonsgegevens, het inzagerecht en de klachtenregeling.',
    'Of the persons on meldingen that left Veilig Thuis, the share informed at the first contact about the procedure, the processing of personal data, the right of inspection and the complaints procedure (art. 4.1.8 lid 2); a recorded reason why not (no contact possible, danger) is justified, not met.'),
  measured('vertrouwenspersoon-bekend', 'rechten', { figures: [['vertrouwenspersoonMadeKnown', NORM_ALL]], source: 'Uitvoeringsbesluit Wmo 2015 art. 4.2.4' },
    'Veilig Thuis maakt de betrokkenen tijdig bekend met de mogelijkheid van een vertrouwenspersoon.',
    'Of the persons on meldingen that left Veilig Thuis, the share told about the vertrouwenspersoon (what they do, where and when reachable); a recorded reason why not is justified, not met.'),
  organisational('bereikbaar-24-7', 'organisatie', {},
    'Veilig Thuis is 24 uur per dag, 7 dagen per week bereikbaar en kan in acute situaties direct handelen.',
    'The rota and the out-of-hours arrangement (crisisdienst), with a test call, recorded by the manager.'),
  organisational('vertrouwensarts', 'organisatie', {},
    'Veilig Thuis heeft een vertrouwensarts die betrokken wordt bij de beoordeling van meldingen waar dat nodig is.',
    'The vertrouwensarts appointed and the consultation arrangement, recorded by the manager.'),
  organisational('deskundigheid-registratie', 'organisatie', {},
    'De medewerkers van Veilig Thuis zijn deskundig en geregistreerd (SKJ of BIG).',
    'The register check of every professional (SKJ, BIG) at a date, recorded by the manager.'),
  organisational('klachtenregeling', 'rechten', { source: `${INSPECTIE}; Wmo 2015 art. 4.2.1` },
    'Veilig Thuis heeft een klachtenregeling en maakt die bekend aan de betrokkenen.',
    'The complaints procedure as adopted and published, recorded by the manager.'),
  organisational('privacyreglement', 'rechten', { source: `${INSPECTIE}; AVG` },
    'Veilig Thuis heeft een privacyreglement en handelt daarnaar.',
    'The privacy regulation as adopted, and the audit trail verified (npm run audit:verify), recorded by the manager.'),
];

export const EXPECTATION_IDS = EXPECTATIONS.map((e) => e.id);

export function expectationById(id: string): Expectation | undefined {
  return EXPECTATIONS.find((e) => e.id === id);
}
