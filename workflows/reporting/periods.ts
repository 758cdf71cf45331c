import type { Histograms, MonthCounts } from './month-counts';

/**
 * Fixed reporting periods: calendar months, quarters, half-years (CBS publishes Veilig Thuis figures per gemeente per
 * half-year) and years. Never rolling windows: every published period is one of a fixed, nested set, so no two
 * published figures cover spans that differ by a few days (see docs/municipal-reporting.md).
 */
export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  /** '2026-05', '2026-Q2', '2026-H1', '2026'. */
  id: string;
  /** Its months, 'YYYY-MM', in order. */
  months: string[];
}

const MONTHS_PER: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, year: 12 };
const PATTERNS: Array<[PeriodKind, RegExp]> = [
  ['month', /^(\d{4})-(0[1-9]|1[0-2])$/],
  ['quarter', /^(\d{4})-Q([1-4])$/],
  ['half', /^(\d{4})-H([12])$/],
  ['year', /^(\d{4})$/],
];
export const PERIOD_ID_PATTERN = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/;

const month = (year: number, index0: number) => `${year}-${String(index0 + 1).padStart(2, '0')}`;

function periodOf(kind: PeriodKind, year: number, ordinal: number): Period {
  const n = MONTHS_PER[kind];
  const first = (ordinal - 1) * n;
  const id = kind === 'month' ? month(year, first) : kind === 'quarter' ? `${year}-Q${ordinal}` : kind === 'half' ? `${year}-H${ordinal}` : String(year);
  return { kind, id, months: Array.from({ length: n }, (_, i) => month(year, first + i)) };
}

/** The period a period id names, or null when it names none. */
export function parsePeriod(id: string): Period | null {
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(id);
    if (m) return periodOf(kind, Number(m[1]), kind === 'year' ? 1 : Number(m[2]));
  }
  return null;
}

/** The period of `kind` that holds month 'YYYY-MM'. */
export function periodContaining(kind: PeriodKind, monthId: string): Period {
  const [y, m] = monthId.split('-').map(Number) as [number, number];
  return periodOf(kind, y, Math.floor((m - 1) / MONTHS_PER[kind]) + 1);
}

/** The periods from `from` to `to` inclusive (both of one kind), in order. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; ; ) {
    out.push(p);
    if (p.id === to.id || out.length > 1000) break;
    const last = p.months[p.months.length - 1]!;
    const [y, m] = last.split('-').map(Number) as [number, number];
    p = periodContaining(from.kind, m === 12 ? `${y + 1}-01` : month(y, m));
  }
  return out;
}

/**
 * The raw counts of a period composed from the raw counts of its months (before any rounding or suppression, which are
 * applied to the period's own counts afterwards). Flows (meldingen received, terms met, handovers…) add up over the
 * months, since each is counted in the one month it happened; stocks (waiting at the period's end, open onderzoeken)
 * and their age histograms are the last month's, measured at the period's end.
 */
export function composeCounts(months: MonthCounts[], isStock: (cell: string) => boolean): MonthCounts {
  if (months.length === 0) return { cells: {}, ages: {}, waits: {} };
  const last = months[months.length - 1]!;
  const cells: Record<string, number> = {};
  for (const m of months) {
    for (const [cell, n] of Object.entries(m.cells)) {
      if (isStock(cell)) continue;
      cells[cell] = (cells[cell] ?? 0) + n;
    }
  }
  for (const [cell, n] of Object.entries(last.cells)) if (isStock(cell)) cells[cell] = n;
  const copy = (h: Histograms): Histograms => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, { ...v }]));
  return { cells, ages: copy(last.ages), waits: copy(last.waits) };
}
