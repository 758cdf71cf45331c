/**
 * The detail a gemeente's report shows: which categories of each breakdown it publishes, fixed beforehand by the
 * gemeente's size (inhabitants, public CBS figures) and the same in every period kind, never chosen from the counts.
 *
 * Why: a gemeente of 18,000 inhabitants receives about 60 meldingen in a half-year. Split over seven types of violence,
 * four severities and fifteen melder sectors (and their crosses) almost every cell is under 10 and suppressed, even in
 * a year, and secondary suppression hides the rest. Its report therefore uses coarser categories (the main CBS groups),
 * each of which can be expected to hold 20 or more meldingen in a half-year; a gemeente of 100,000 or more inhabitants
 * gets the finer groups. The region's own figures keep every category. Because the plan depends only on the gemeente
 * and not on the data, publishing it reveals nothing; because it is the same in every period, a month and a half-year
 * of one gemeente are the same table at two grains.
 *
 * Every group is a union of fine categories, and the groups of the finer plan nest in those of the coarser plan, so
 * every relation between them is additive (checked by disclosure control).
 *
 * Pure: no I/O, no clock, no randomness.
 */
import { MELDER_SECTORS, SAFETY_OUTCOMES, VIOLENCE_TYPES } from '../reference';

export const SEVERITY_CATEGORIES = [...SAFETY_OUTCOMES, 'onbeoordeeld'] as const;
export const MELDER_CATEGORIES = [...MELDER_SECTORS, 'niet_professioneel'] as const;
/** CBS: first melding, hermelding (known from a closed case), vervolgmelding (added to an open case). */
export const REPORT_CATEGORIES = ['eerste', 'hermelding', 'vervolgmelding'] as const;

export type DetailLevel = 'fijn' | 'uitgebreid' | 'beknopt';
export const GROUPED_LEVELS = ['uitgebreid', 'beknopt'] as const;
export type Breakdown = 'violence' | 'severity' | 'melder' | 'report';

/** A grouping of one breakdown: group id → the fine categories it unites (in order). */
export type Grouping = ReadonlyArray<readonly [group: string, members: readonly string[]]>;

const identity = (list: readonly string[]): Grouping => list.map((c) => [c, [c]] as const);

/** Gemeenten of at least this many inhabitants get the finer plan. */
export const UITGEBREID_FROM_INHABITANTS = 100_000;

export const PLANS: Readonly<Record<DetailLevel, Readonly<Record<Breakdown, Grouping>>>> = {
  fijn: { violence: identity(VIOLENCE_TYPES), severity: [['acuut', ['acuut']], ['structureel', ['structureel']], ['geen_of_onbeoordeeld', ['geen', 'onbeoordeeld']]], melder: identity(MELDER_CATEGORIES), report: identity(REPORT_CATEGORIES) },
  uitgebreid: {
    violence: [
      ['kindermishandeling', ['kindermishandeling']],
      ['geweld_tegen_ouders', ['geweld_tegen_ouders']],
      ['partnergeweld', ['partnergeweld']],
      ['ouderenmishandeling', ['ouderenmishandeling']],
      ['huiselijk_geweld_overig', ['huiselijk_geweld_overig']],
      ['andere_problematiek_of_onbekend', ['andere_problematiek', 'onbekend']],
    ],
    severity: [
      ['acuut', ['acuut']],
      ['structureel', ['structureel']],
      ['geen_of_onbeoordeeld', ['geen', 'onbeoordeeld']],
    ],
    melder: [
      ['politie', ['politie']],
      ['zorg', ['huisarts', 'ziekenhuis', 'ggz', 'verslavingszorg', 'ouderenzorg', 'gehandicaptenzorg']],
      ['jeugd_onderwijs', ['jeugdzorg', 'onderwijs', 'kinderopvang']],
      ['sociaal_domein_justitie_overig', ['gemeente_wijkteam', 'maatschappelijk_werk', 'justitie', 'overige_professional']],
      ['niet_professioneel', ['niet_professioneel']],
    ],
    report: identity(REPORT_CATEGORIES),
  },
  beknopt: {
    violence: [
      ['kindermishandeling', ['kindermishandeling']],
      ['partnergeweld', ['partnergeweld']],
      ['overig_huiselijk_geweld', ['geweld_tegen_ouders', 'ouderenmishandeling', 'huiselijk_geweld_overig', 'andere_problematiek', 'onbekend']],
    ],
    severity: [
      ['onveilig', ['acuut', 'structureel']],
      ['geen_of_onbeoordeeld', ['geen', 'onbeoordeeld']],
    ],
    melder: [
      ['politie', ['politie']],
      ['andere_professional', MELDER_SECTORS.filter((s) => s !== 'politie')],
      ['niet_professioneel', ['niet_professioneel']],
    ],
    report: [
      ['eerste', ['eerste']],
      ['hermelding_of_vervolgmelding', ['hermelding', 'vervolgmelding']],
    ],
  },
};

/** Dutch labels of the group ids that are not fine categories themselves. */
export const GROUP_LABELS: Readonly<Record<string, string>> = Object.freeze({
  andere_problematiek_of_onbekend: 'andere problematiek of onbekend',
  overig_huiselijk_geweld: 'ander huiselijk geweld (tegen ouders, ouderen, overig, anders, onbekend)',
  geen_of_onbeoordeeld: 'geen onveiligheid of nog niet beoordeeld',
  onveilig: 'acute of structurele onveiligheid',
  zorg: 'zorg (huisarts, ziekenhuis, ggz, verslavings-, ouderen-, gehandicaptenzorg)',
  jeugd_onderwijs: 'jeugdzorg, onderwijs, kinderopvang',
  sociaal_domein_justitie_overig: 'wijkteam, maatschappelijk werk, justitie, overige professional',
  andere_professional: 'andere professional',
  hermelding_of_vervolgmelding: 'hermelding of vervolgmelding',
});

/** The plan of a gemeente of this size; without a known size the coarser one. */
export function detailLevelFor(inhabitants: number | undefined): Exclude<DetailLevel, 'fijn'> {
  return inhabitants !== undefined && inhabitants >= UITGEBREID_FROM_INHABITANTS ? 'uitgebreid' : 'beknopt';
}

export const groupsOf = (level: DetailLevel, breakdown: Breakdown): string[] => PLANS[level][breakdown].map(([g]) => g);

/** The groups of `coarse` with, for each, the groups of `fine` it is the union of (plans nest). */
export function nesting(coarse: DetailLevel, fine: DetailLevel, breakdown: Breakdown): Array<{ group: string; parts: string[] }> {
  const memberOf = new Map<string, string>();
  for (const [g, members] of PLANS[fine][breakdown]) for (const m of members) memberOf.set(m, g);
  return PLANS[coarse][breakdown].map(([group, members]) => {
    const parts = [...new Set(members.map((m) => memberOf.get(m)!))];
    for (const p of parts) {
      const inFine = PLANS[fine][breakdown].find(([g]) => g === p)![1];
      if (!inFine.every((m) => members.includes(m))) throw new Error(`report plan: ${fine} group ${p} does not nest in ${coarse} group ${group}`);
    }
    return { group, parts };
  });
}
