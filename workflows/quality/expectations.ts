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
export type FigureId =
  | 'safetyPlanWhereUnsafe'
  | 'childrenSeen'
  | 'childrenSpokenFromAge'
  | 'decisionsByTwoProfessionals'
  | 'closuresByTwoProfessionals'
  | 'vulnerablePersonsWithChainPartner'
  | 'informalNetworkInvolved'
  | 'assessmentsWithinTerm'
  | 'onderzoekenWithinTerm'
  | 'monitoringContactsOnTime'
  | 'monitoringCheckedViolenceStopped'
  | 'onderzoekenStartedWithinTerm'
  | 'safetyAssessedPerHouseholdMember'
  | 'informationGivenAtFirstContact'
  | 'vertrouwenspersoonMadeKnown';

/**
 * Figures an expectation names that no report computes yet: such an expectation is "not measurable", and says why.
 * Empty since the melding machine records the per-person duties (v4); kept for the next expectation the engine
 * cannot yet measure.
 */
export const FIGURES_PENDING: Partial<Record<FigureId, string>> = {};

export type ExpectationTheme = 'veiligheid' | 'kinderen' | 'samenwerking' | 'monitoring' | 'termijnen' | 'besluitvorming' | 'rechten' | 'organisatie';

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

export const EXPECTATIONS: readonly Expectation[] = [
  {
    id: 'veiligheidsplan',
    kind: 'measured',
    theme: 'veiligheid',
    text: 'Veilig Thuis draagt zorg voor het opstellen van een veiligheidsplan in alle meldingen waar sprake is van onveiligheid.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the meldingen that left Veilig Thuis (handed over or closed) with acute or structural unsafety, the share with a veiligheidsplan recorded.',
    figures: [{ figure: 'safetyPlanWhereUnsafe', norm: NORM_ALL }],
  },
  {
    id: 'ketenpartners-kwetsbaren',
    kind: 'measured',
    theme: 'samenwerking',
    text: 'Veilig Thuis werkt aantoonbaar samen met ketenpartners op het gebied van ouderen, (licht)verstandelijk beperkte mensen, lichamelijk gehandicapten of anderszins kwetsbare mensen.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the vulnerable persons on meldingen that left Veilig Thuis, the share with a chain partner (or a recorded reason why none) recorded.',
    figures: [{ figure: 'vulnerablePersonsWithChainPartner', norm: NORM_ALL }],
  },
  {
    id: 'monitoring-met-wie-wanneer',
    kind: 'measured',
    theme: 'monitoring',
    text: 'Veilig Thuis bepaalt aan de hand van de melding met wie en wanneer contacten in het kader van monitoring worden gelegd.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Monitoring contacts are planned per case (with whom, when) before a monitored handover; measured as the share of planned contacts held within their term.',
    figures: [{ figure: 'monitoringContactsOnTime', norm: 0.9 }],
  },
  {
    id: 'monitoring-stappen-uitgevoerd',
    kind: 'measured',
    theme: 'monitoring',
    text: 'Veilig Thuis gaat bij de betrokken professionals en/of de betrokken gezinsleden na of de stappen die naar aanleiding van een melding in gang zijn gezet daadwerkelijk worden uitgevoerd.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the monitoring contacts held, the share that recorded whether the agreed steps were carried out.',
    figures: [{ figure: 'monitoringCheckedViolenceStopped', norm: NORM_ALL }],
  },
  {
    id: 'monitoring-geweld-gestopt',
    kind: 'measured',
    theme: 'monitoring',
    text: 'Veilig Thuis gaat na of de stappen leiden tot het stoppen van het geweld en tot herstel van de veiligheid.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the monitoring contacts held, the share that recorded whether the violence stopped and safety returned.',
    figures: [{ figure: 'monitoringCheckedViolenceStopped', norm: NORM_ALL }],
  },
  {
    id: 'termijnen-vijf-dagen-tien-weken',
    kind: 'measured',
    theme: 'termijnen',
    text: 'Veilig Thuis rondt onderzoeken binnen vijf dagen en tien weken na ontvangst van de melding af.',
    source: `${INSPECTIE}; Uitvoeringsbesluit Wmo 2015 art. 4.1.7; LNVT normen 2019`,
    failedIn2017: true,
    definition: 'The share of safety assessments met within 5 werkdagen of receipt (LNVT: 90 %) and of onderzoeken met within 10 weeks (LNVT: 80 %), against the original, statutory term.',
    figures: [
      { figure: 'assessmentsWithinTerm', norm: 0.9 },
      { figure: 'onderzoekenWithinTerm', norm: 0.8 },
    ],
  },
  {
    id: 'plan-van-aanpak-intercollegiaal',
    kind: 'measured',
    theme: 'besluitvorming',
    text: 'Het plan van aanpak wordt intercollegiaal of multidisciplinair opgesteld.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'The share of decisions after the safety assessment, and of closures, proposed by one professional and approved by another (four eyes).',
    figures: [
      { figure: 'decisionsByTwoProfessionals', norm: NORM_ALL },
      { figure: 'closuresByTwoProfessionals', norm: NORM_ALL },
    ],
  },
  {
    id: 'kinderen-gezien-gesproken',
    kind: 'measured',
    theme: 'kinderen',
    text: 'Kinderen worden altijd gezien en gesproken door Veilig Thuis, gesproken in ieder geval wanneer zij zes jaar of ouder zijn.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the children on meldingen that left Veilig Thuis, the share seen, and the share spoken with from the configured age (each or with a recorded reason).',
    figures: [
      { figure: 'childrenSeen', norm: NORM_ALL },
      { figure: 'childrenSpokenFromAge', norm: NORM_ALL },
    ],
  },
  {
    id: 'informeel-netwerk',
    kind: 'measured',
    theme: 'samenwerking',
    text: 'Veilig Thuis betrekt waar mogelijk het informele netwerk van de direct betrokkenen bij het huiselijk geweld, de (kinder)mishandeling of de ouderenmishandeling.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'Of the meldingen that left Veilig Thuis, the share with the informal network involved (or a recorded reason why not).',
    figures: [{ figure: 'informalNetworkInvolved', norm: 0.9 }],
  },
  {
    id: 'tijdpad-certificaat',
    kind: 'organisational',
    theme: 'organisatie',
    text: 'Veilig Thuis heeft een tijdpad tot het behalen van het certificaat voor systematisch kwaliteitsmanagement.',
    source: INSPECTIE,
    failedIn2017: true,
    definition: 'A certification track (HKZ or ISO 9001) with a planned date for every milestone up to the certificate; the manager records it, with the track as evidence.',
  },
  {
    id: 'onderzoek-gestart-vijf-dagen',
    kind: 'measured',
    theme: 'termijnen',
    text: 'Veilig Thuis start een onderzoek binnen vijf dagen nadat is vastgesteld dat een onderzoek moet plaatsvinden.',
    source: 'Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1',
    failedIn2017: false,
    definition: 'The share of onderzoeken started within five days of the decision to investigate.',
    figures: [{ figure: 'onderzoekenStartedWithinTerm', norm: 0.9 }],
  },
  {
    id: 'veiligheid-ieder-gezinslid',
    kind: 'measured',
    theme: 'veiligheid',
    text: 'Veilig Thuis beoordeelt de veiligheid van ieder lid van het huishouden.',
    source: `${INSPECTIE}; Handelingsprotocol Veilig Thuis 2019`,
    failedIn2017: false,
    definition:
      'Of the members of the household (kind, ouder, partner, oudere, pleger) on meldingen that left Veilig Thuis, the share whose safety was assessed (MEMBER_SAFETY_ASSESSED with an outcome); a recorded reason why it could not be is justified, not met.',
    figures: [{ figure: 'safetyAssessedPerHouseholdMember', norm: NORM_ALL }],
  },
  {
    id: 'informatie-eerste-contact',
    kind: 'measured',
    theme: 'rechten',
    text: 'Veilig Thuis informeert iedere betrokkene bij het eerste contact over de werkwijze, de verwerking van persoonsgegevens, het inzagerecht en de klachtenregeling.',
    source: 'Uitvoeringsbesluit Wmo 2015 art. 4.1.8',
    failedIn2017: false,
    definition:
      'Of the persons on meldingen that left Veilig Thuis, the share informed at the first contact about the procedure, the processing of personal data, the right of inspection and the complaints procedure (art. 4.1.8 lid 2); a recorded reason why not (no contact possible, danger) is justified, not met.',
    figures: [{ figure: 'informationGivenAtFirstContact', norm: NORM_ALL }],
  },
  {
    id: 'vertrouwenspersoon-bekend',
    kind: 'measured',
    theme: 'rechten',
    text: 'Veilig Thuis maakt de betrokkenen tijdig bekend met de mogelijkheid van een vertrouwenspersoon.',
    source: 'Uitvoeringsbesluit Wmo 2015 art. 4.2.4',
    failedIn2017: false,
    definition:
      'Of the persons on meldingen that left Veilig Thuis, the share told about the vertrouwenspersoon (what they do, where and when reachable); a recorded reason why not is justified, not met.',
    figures: [{ figure: 'vertrouwenspersoonMadeKnown', norm: NORM_ALL }],
  },
  {
    id: 'bereikbaar-24-7',
    kind: 'organisational',
    theme: 'organisatie',
    text: 'Veilig Thuis is 24 uur per dag, 7 dagen per week bereikbaar en kan in acute situaties direct handelen.',
    source: INSPECTIE,
    failedIn2017: false,
    definition: 'The rota and the out-of-hours arrangement (crisisdienst), with a test call, recorded by the manager.',
  },
  {
    id: 'vertrouwensarts',
    kind: 'organisational',
    theme: 'organisatie',
    text: 'Veilig Thuis heeft een vertrouwensarts die betrokken wordt bij de beoordeling van meldingen waar dat nodig is.',
    source: INSPECTIE,
    failedIn2017: false,
    definition: 'The vertrouwensarts appointed and the consultation arrangement, recorded by the manager.',
  },
  {
    id: 'deskundigheid-registratie',
    kind: 'organisational',
    theme: 'organisatie',
    text: 'De medewerkers van Veilig Thuis zijn deskundig en geregistreerd (SKJ of BIG).',
    source: INSPECTIE,
    failedIn2017: false,
    definition: 'The register check of every professional (SKJ, BIG) at a date, recorded by the manager.',
  },
  {
    id: 'klachtenregeling',
    kind: 'organisational',
    theme: 'rechten',
    text: 'Veilig Thuis heeft een klachtenregeling en maakt die bekend aan de betrokkenen.',
    source: `${INSPECTIE}; Wmo 2015 art. 4.2.1`,
    failedIn2017: false,
    definition: 'The complaints procedure as adopted and published, recorded by the manager.',
  },
  {
    id: 'privacyreglement',
    kind: 'organisational',
    theme: 'rechten',
    text: 'Veilig Thuis heeft een privacyreglement en handelt daarnaar.',
    source: `${INSPECTIE}; AVG`,
    failedIn2017: false,
    definition: 'The privacy regulation as adopted, and the audit trail verified (npm run audit:verify), recorded by the manager.',
  },
];

export const EXPECTATION_IDS = EXPECTATIONS.map((e) => e.id);

export function expectationById(id: string): Expectation | undefined {
  return EXPECTATIONS.find((e) => e.id === id);
}
