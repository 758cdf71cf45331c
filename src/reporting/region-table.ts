/**
 * The table of the whole region that every published figure of one period passes, with the relations between its
 * cells: which figures each scope holds (by its report plan), how they add up, and which are never shown.
 * Pure: counts in, protected counts out (workflows/reporting/disclosure.ts does the rounding and suppression).
 */
import { protectTable, type DisclosureSettings, type ProtectedTable } from '../../workflows/reporting/disclosure';
import type { MonthCounts } from '../../workflows/reporting/month-counts';
import { MELDER_SECTORS, ONDERZOEK_OUTCOMES, SAFETY_OUTCOMES, VIOLENCE_TYPES, type VtRegion } from '../../workflows/reference';
import { detailLevelFor, groupsOf, nesting, PLANS, type Breakdown, type DetailLevel } from '../../workflows/reporting/report-plan';

export const SEVERITIES = [...SAFETY_OUTCOMES, 'onbeoordeeld'] as const;
export const MELDER_TYPES = [...MELDER_SECTORS, 'niet_professioneel'] as const;
/** CBS: first melding, hermelding (known from a closed case), vervolgmelding (added to an open case). */
export const REPORT_KINDS = ['eerste', 'hermelding', 'vervolgmelding'] as const;
export const REGION = 'REGIO';

/** Raw counts of one month: cell id → count. Cell ids are `${figure}|${scope}` with scope a gemeente code or REGIO. */
export type Cells = Map<string, number>;
export const id = (figure: string, scope: string) => `${figure}|${scope}`;
export const add = (cells: Cells, figure: string, scope: string, n: number) => cells.set(id(figure, scope), (cells.get(id(figure, scope)) ?? 0) + n);

/** Figures of one month, for each scope (gemeente code or REGIO): `${figure}|${scope}`. */
export const FIGURES = [
  'received',
  ...SEVERITIES.map((s) => `severity.${s}`),
  ...MELDER_TYPES.map((m) => `melder.${m}`),
  ...REPORT_KINDS.map((r) => `report.${r}`),
  ...VIOLENCE_TYPES.map((t) => `violence.${t}`),
  ...VIOLENCE_TYPES.flatMap((t) => SEVERITIES.map((s) => `cross.${t}.${s}`)),
  'adviezen',
  ...VIOLENCE_TYPES.map((t) => `advies.${t}`),
  // Onderzoeken concluded in the period (approved): per type of violence the conclusion gave an outcome for, and
  // crossed with that outcome (art. 4.3.2 h). A conclusion with several types counts under each.
  ...VIOLENCE_TYPES.map((t) => `concluded.${t}`),
  ...VIOLENCE_TYPES.flatMap((t) => ONDERZOEK_OUTCOMES.map((o) => `outcome.${t}.${o}`)),
  'waiting',
  'waiting.pastTerm',
  'waiting.inTerm',
  'waitingOnderzoek',
  'waitingOnderzoek.pastTerm',
  'waitingOnderzoek.inTerm',
  'onderzoekOpen',
  'onderzoekOpen.pastTerm',
  'onderzoekOpen.inTerm',
  'assessed',
  'assessed.inTime',
  'assessed.late',
  'onderzoekDone',
  'onderzoekDone.inTime',
  'onderzoekDone.late',
  // Onderzoek terms counted in the period they were decided (met in time, or failing when their end passed): the
  // statutory term (lid 2, from the decision) and the inspection's ten weeks from receipt.
  'onderzoekTerm',
  'onderzoekTerm.inTime',
  'onderzoekTerm.failing',
  'onderzoekReceipt',
  'onderzoekReceipt.inTime',
  'onderzoekReceipt.failing',
  'handovers',
  'handoverConfirmations',
];

/** The figures that are no breakdown: the same cell at every detail. */
const BASE_FIGURES = FIGURES.filter((f) => !/^(severity|melder|report|violence|cross|advies|concluded|outcome)\./.test(f));

const PREFIX: Record<Breakdown, string> = { violence: 'violence', severity: 'severity', melder: 'melder', report: 'report' };
const prefixOf = (b: Breakdown) => PREFIX[b];
const membersOf = (level: DetailLevel, b: Breakdown, group: string): readonly string[] => PLANS[level][b].find(([g]) => g === group)![1];
/** A group's cell key: its fine category when it is one, else its members; the same members give the same cell at every detail. */
const keyOf = (level: DetailLevel, b: Breakdown, group: string): string => {
  const members = membersOf(level, b, group);
  return members.length === 1 ? members[0]! : `{${members.join('+')}}`;
};
/** [group id as published, cell key] of one breakdown at one detail. */
export const groupKeys = (level: DetailLevel, b: Breakdown): Array<[string, string]> => groupsOf(level, b).map((g) => [g, keyOf(level, b, g)]);
const groupIds = (level: DetailLevel, b: Breakdown): string[] => groupKeys(level, b).map(([, key]) => `${prefixOf(b)}.${key}`);

interface GroupedFigure {
  id: string;
  prefix: string;
  members: string[][];
}
/** Every breakdown cell of one detail, with the fine categories it sums. */
function groupedFigures(level: DetailLevel): GroupedFigure[] {
  const out: GroupedFigure[] = [];
  const v = PLANS[level].violence;
  const sev = PLANS[level].severity;
  for (const b of ['violence', 'severity', 'melder', 'report'] as const) {
    for (const [g, members] of PLANS[level][b]) out.push({ id: `${prefixOf(b)}.${keyOf(level, b, g)}`, prefix: prefixOf(b), members: [[...members]] });
  }
  for (const [g, members] of v) out.push({ id: `advies.${keyOf(level, 'violence', g)}`, prefix: 'advies', members: [[...members]] });
  for (const [g, vm] of v) for (const [s, sm] of sev) out.push({ id: `cross.${keyOf(level, 'violence', g)}.${keyOf(level, 'severity', s)}`, prefix: 'cross', members: [[...vm], [...sm]] });
  for (const [g, members] of v) out.push({ id: `concluded.${keyOf(level, 'violence', g)}`, prefix: 'concluded', members: [[...members]] });
  for (const [g, vm] of v) for (const o of ONDERZOEK_OUTCOMES) out.push({ id: `outcome.${keyOf(level, 'violence', g)}.${o}`, prefix: 'outcome', members: [[...vm], [o]] });
  return out;
}


/** The cells of the two onderzoek-term measures (statutory, and the inspection's ten weeks from receipt). */
export const ONDERZOEK_TERM_CELLS = ['onderzoekTerm', 'onderzoekTerm.inTime', 'onderzoekTerm.failing', 'onderzoekReceipt', 'onderzoekReceipt.inTime', 'onderzoekReceipt.failing'] as const;

  /**
   * Disclosure control over the whole region's table, then the caller's gemeente (at the detail of its report plan,
   * `workflows/reporting/report-plan.ts`) and the region (every category, and at the gemeente's detail for comparison).
   *
   * The table holds, per gemeente, only the cells of the plans it is reported in (a gemeente on the finer plan also
   * its coarser cells, derivable from them); the region holds every category at every detail. A region total of a
   * category that only some gemeenten publish is the sum of theirs and of one cell for the rest of the region
   * (`|REST`, never shown), so the rest is protected as one cell. Cells of one category at two details are one cell
   * (same members, same id), and every coarser group is related to the finer groups it unites.
   */
export function protectRegionTable(region: VtRegion, counts: MonthCounts, disclosure: DisclosureSettings): { table: ProtectedTable; cells: Cells; levelOf: Map<string, DetailLevel> } {
  {
    const codes = region.gemeenten.map((g) => g.code);
    const fine: Cells = new Map(Object.entries(counts.cells));
    for (const scope of [...codes, REGION]) for (const f of FIGURES) if (!fine.has(id(f, scope))) fine.set(id(f, scope), 0);
    const levelOf = new Map(region.gemeenten.map((g) => [g.code, detailLevelFor(g.inhabitants)]));
    const levelsOf = (scope: string): DetailLevel[] =>
      scope === REGION ? ['fijn', 'uitgebreid', 'beknopt'] : levelOf.get(scope) === 'uitgebreid' ? ['uitgebreid', 'beknopt'] : ['beknopt'];

    // The figures of every scope, and each grouped cell's raw count, from the fine raw counts (every scope has them).
    const figuresOf = new Map<string, Set<string>>();
    const cells: Cells = new Map();
    // A grouped cell: the sum of the fine cells over the product of its members (members[i]: dimension i).
    const rawGrouped = (g: GroupedFigure, scope: string): number => {
      let combos: string[] = [''];
      for (const list of g.members) combos = combos.flatMap((c) => list.map((m) => (c === '' ? m : `${c}.${m}`)));
      return combos.reduce((sum, c) => sum + (fine.get(id(`${g.prefix}.${c}`, scope)) ?? 0), 0);
    };
    for (const scope of [...codes, REGION]) {
      const set = new Set<string>(BASE_FIGURES);
      for (const level of levelsOf(scope)) for (const f of groupedFigures(level)) set.add(f.id);
      figuresOf.set(scope, set);
    }
    const allGrouped = new Map<string, GroupedFigure>();
    for (const level of ['fijn', 'uitgebreid', 'beknopt'] as const) for (const f of groupedFigures(level)) allGrouped.set(f.id, f);
    const rawCell = (figure: string, scope: string): number => {
      const g = allGrouped.get(figure);
      return g ? rawGrouped(g, scope) : (fine.get(id(figure, scope)) ?? 0);
    };
    for (const [scope, set] of figuresOf) for (const f of set) cells.set(id(f, scope), rawCell(f, scope));

    const relations: Array<{ total: string; parts: string[] }> = [];
    // Never shown: the rest-of-region cells, and a finer-plan gemeente's coarser cells that are not also its own.
    const unshown = new Set<string>();
    for (const g of codes) {
      if (levelOf.get(g) !== 'uitgebreid') continue;
      const own = new Set(groupedFigures('uitgebreid').map((f) => f.id));
      for (const f of groupedFigures('beknopt')) if (!own.has(f.id)) unshown.add(id(f.id, g));
    }
    // A gemeente on the short plan does not publish the onderzoek terms nor the outcomes (see scopeFigures): its cells stay in the
    // table, so the region's totals hold, but are never shown and serve first as complements.
    for (const g of codes) {
      if (levelOf.get(g) !== 'beknopt') continue;
      for (const f of ONDERZOEK_TERM_CELLS) unshown.add(id(f, g));
      // Likewise the onderzoek outcomes per type: a handful per half-year, split by type and outcome.
      for (const f of groupedFigures('beknopt')) if (f.prefix === 'concluded' || f.prefix === 'outcome') unshown.add(id(f.id, g));
    }
    // Region total = the gemeenten that publish the figure + the rest of the region as one cell.
    for (const f of figuresOf.get(REGION)!) {
      const members = codes.filter((g) => figuresOf.get(g)!.has(f));
      if (members.length === 0) continue;
      const others = codes.filter((g) => !figuresOf.get(g)!.has(f));
      const parts = members.map((g) => id(f, g));
      if (others.length > 0) {
        cells.set(id(f, 'REST'), others.reduce((sum, g) => sum + rawCell(f, g), 0));
        unshown.add(id(f, 'REST'));
        parts.push(id(f, 'REST'));
      }
      relations.push({ total: id(f, REGION), parts });
    }
    for (const scope of [...codes, REGION]) {
      const levels = levelsOf(scope);
      for (const level of levels) {
        relations.push({ total: id('received', scope), parts: groupIds(level, 'severity').map((s) => id(s, scope)) });
        relations.push({ total: id('received', scope), parts: groupIds(level, 'melder').map((m) => id(m, scope)) });
        relations.push({ total: id('received', scope), parts: groupIds(level, 'report').map((r) => id(r, scope)) });
        for (const [, vKey] of groupKeys(level, 'violence')) {
          relations.push({ total: id(`violence.${vKey}`, scope), parts: groupKeys(level, 'severity').map(([, sKey]) => id(`cross.${vKey}.${sKey}`, scope)) });
          relations.push({ total: id(`concluded.${vKey}`, scope), parts: ONDERZOEK_OUTCOMES.map((o) => id(`outcome.${vKey}.${o}`, scope)) });
        }
      }
      // Coarser groups = the finer groups they unite.
      for (let i = 0; i + 1 < levels.length; i++) {
        const finer = levels[i]!;
        const coarser = levels[i + 1]!;
        for (const b of ['violence', 'severity', 'melder', 'report'] as const) {
          for (const n of nesting(coarser, finer, b)) {
            if (n.parts.length < 2) continue;
            relations.push({ total: id(`${prefixOf(b)}.${keyOf(coarser, b, n.group)}`, scope), parts: n.parts.map((p) => id(`${prefixOf(b)}.${keyOf(finer, b, p)}`, scope)) });
            if (b === 'violence') relations.push({ total: id(`advies.${keyOf(coarser, b, n.group)}`, scope), parts: n.parts.map((p) => id(`advies.${keyOf(finer, b, p)}`, scope)) });
            if (b === 'violence') relations.push({ total: id(`concluded.${keyOf(coarser, b, n.group)}`, scope), parts: n.parts.map((p) => id(`concluded.${keyOf(finer, b, p)}`, scope)) });
            if (b === 'violence') {
              for (const o of ONDERZOEK_OUTCOMES) relations.push({ total: id(`outcome.${keyOf(coarser, b, n.group)}.${o}`, scope), parts: n.parts.map((p) => id(`outcome.${keyOf(finer, b, p)}.${o}`, scope)) });
            }
          }
        }
        // Crossed cells: a coarse (type, severity) cell = the sum of the finer cells of its types and severities.
        const vn = nesting(coarser, finer, 'violence');
        const sn = nesting(coarser, finer, 'severity');
        for (const v of vn) for (const sv of sn) {
          const parts = v.parts.flatMap((vp) => sv.parts.map((sp) => id(`cross.${keyOf(finer, 'violence', vp)}.${keyOf(finer, 'severity', sp)}`, scope)));
          if (parts.length < 2) continue;
          relations.push({ total: id(`cross.${keyOf(coarser, 'violence', v.group)}.${keyOf(coarser, 'severity', sv.group)}`, scope), parts });
        }
      }
      relations.push({ total: id('waiting', scope), parts: [id('waiting.pastTerm', scope), id('waiting.inTerm', scope)] });
      relations.push({ total: id('waitingOnderzoek', scope), parts: [id('waitingOnderzoek.pastTerm', scope), id('waitingOnderzoek.inTerm', scope)] });
      relations.push({ total: id('onderzoekOpen', scope), parts: [id('onderzoekOpen.pastTerm', scope), id('onderzoekOpen.inTerm', scope)] });
      relations.push({ total: id('assessed', scope), parts: [id('assessed.inTime', scope), id('assessed.late', scope)] });
      relations.push({ total: id('onderzoekDone', scope), parts: [id('onderzoekDone.inTime', scope), id('onderzoekDone.late', scope)] });
      relations.push({ total: id('onderzoekTerm', scope), parts: [id('onderzoekTerm.inTime', scope), id('onderzoekTerm.failing', scope)] });
      relations.push({ total: id('onderzoekReceipt', scope), parts: [id('onderzoekReceipt.inTime', scope), id('onderzoekReceipt.failing', scope)] });
    }
    return { table: protectTable({ cells, relations, unshown }, disclosure), cells, levelOf };
  }
}

