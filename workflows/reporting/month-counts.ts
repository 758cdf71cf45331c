/** Per scope (gemeente code or REGIO), how many waiting meldingen have each age in whole werkdagen. */
export type Histograms = Record<string, Record<number, number>>;

/**
 * A month's raw municipal counts before disclosure control, cell id `${figure}|${scope}`. For a complete month they
 * are kept in `metrics_monthly` and published again through disclosure control on every call.
 */
export interface MonthCounts {
  cells: Record<string, number>;
  ages: Histograms;
  waits: Histograms;
}

/** The values of a histogram, sorted ascending, for percentiles. */
export function sortedValues(h: Record<number, number> | undefined): number[] {
  const out: number[] = [];
  for (const [value, n] of Object.entries(h ?? {}).sort((a, b) => Number(a[0]) - Number(b[0]))) for (let i = 0; i < n; i++) out.push(Number(value));
  return out;
}
