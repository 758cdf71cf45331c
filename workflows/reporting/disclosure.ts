/**
 * Disclosure control for the figures published to municipalities (CBS practice for Veilig Thuis figures).
 *
 * Every published figure passes through here:
 * - primary suppression: a cell whose raw count is below `minCount` (0 included) is suppressed and marked as such,
 *   never shown as 0;
 * - rounding: a published count is rounded to the nearest multiple of `roundTo` (ties up);
 * - secondary suppression: in every additive relation (total = sum of parts) the number of suppressed members is 0
 *   or at least 2, so no hidden cell equals a published total minus its published parts. When exactly one member
 *   is hidden, the least informative complement is suppressed as well: an unsuppressed part that is never shown
 *   (`unshown`) if there is one, else the total if it is never shown, else the part with the smallest raw count (ties:
 *   smallest id), or the total when no part is left; repeated until every relation is stable;
 * - shares are computed from raw counts before rounding and suppressed with their cells; statistics about a cell
 *   (e.g. a median age) are shown only when that cell is published.
 *
 * Guarantee and its limit: secondary suppression makes every relation, taken on its own, non-derivable (also when
 * derivations are chained). It does not solve the linear system of all relations together: a hidden cell that links
 * two otherwise separate groups of hidden cells in a 2-D table can be found by adding and subtracting several rows
 * and columns (with unrounded figures this happens in roughly 1-3 % of random tables of 6 x 5 and larger, none of
 * 3 x 4); rounding turns such a derivation into a range.
 *
 * Deterministic: the result depends neither on the insertion order of `cells` nor on the order of `relations` or of
 * the parts within a relation. Ids are compared by UTF-16 code units, never by locale.
 *
 * Pure: no I/O, no clock, no randomness.
 */

export interface DisclosureSettings {
  /** Published counts are multiples of this; default 5. */
  roundTo: number;
  /** Cells with a raw count below this are suppressed; default 10. */
  minCount: number;
}

export const DEFAULT_DISCLOSURE: DisclosureSettings = Object.freeze({ roundTo: 5, minCount: 10 });

type SuppressionReason = 'primary' | 'secondary';

/** A figure as published. */
export type PublishedCount = { value: number; suppressed: false } | { value: null; suppressed: true; reason: SuppressionReason };

export type PublishedShare =
  | { value: number /* 0..1, from raw counts, rounded to 3 decimals */; suppressed: false }
  | { value: null; suppressed: true; reason: SuppressionReason };

/** Raw counts keyed by cell id, and the additive relations between them: in each relation `total` = sum of `parts`. */
export interface CountTable {
  cells: ReadonlyMap<string, number>;
  relations: ReadonlyArray<{ total: string; parts: readonly string[] }>;
  /**
   * Cells that are never shown to anyone (e.g. the rest of a region as one cell): secondary suppression takes these
   * first as the complement of a hidden cell, since hiding them costs no published information. Optional.
   */
  unshown?: ReadonlySet<string>;
}

export interface ProtectedTable {
  /** Every cell of the input table, in ascending id order. */
  counts: Map<string, PublishedCount>;
  /** Whether the cell is suppressed; throws for an id that is not in the table. */
  isSuppressed(id: string): boolean;
}

/** Throws when the settings are unusable: roundTo an integer >= 1, minCount an integer >= 0, and a count at the threshold is never published below it. */
function assertSettings(settings: DisclosureSettings): void {
  const { roundTo, minCount } = settings;
  if (!Number.isSafeInteger(roundTo) || roundTo < 1) {
    throw new RangeError(`disclosure settings: roundTo must be an integer >= 1, got ${String(roundTo)}`);
  }
  if (!Number.isSafeInteger(minCount) || minCount < 0) {
    throw new RangeError(`disclosure settings: minCount must be an integer >= 0, got ${String(minCount)}`);
  }
  // Otherwise a published value could lie below the threshold and narrow the raw count down (minCount 12, roundTo 5:
  // a published 10 could only be a raw 12).
  if (roundCount(minCount, roundTo) < minCount) {
    throw new RangeError(
      `disclosure settings: minCount ${minCount} would be published as ${roundCount(minCount, roundTo)} after rounding to multiples of ${roundTo}; choose a minCount that is a multiple of roundTo`,
    );
  }
}

/** Nearest multiple of roundTo, ties up; integer arithmetic only. */
function roundCount(raw: number, roundTo: number): number {
  const quotient = Math.floor(raw / roundTo);
  const remainder = raw - quotient * roundTo;
  return (2 * remainder >= roundTo ? quotient + 1 : quotient) * roundTo;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An unshown cell first, then smaller raw count, then smaller id. */
function precedes(a: { id: string; raw: number; unshown: boolean }, b: { id: string; raw: number; unshown: boolean }): boolean {
  if (a.unshown !== b.unshown) return a.unshown;
  return a.raw < b.raw || (a.raw === b.raw && a.id < b.id);
}

function rawOf(cells: ReadonlyMap<string, number>, id: string): number {
  const raw = cells.get(id);
  if (raw === undefined) throw new Error(`disclosure: unknown cell id ${JSON.stringify(id)}`);
  return raw;
}

function validateTable(table: CountTable): void {
  for (const [id, raw] of table.cells) {
    if (!Number.isSafeInteger(raw) || raw < 0) {
      throw new RangeError(`disclosure: cell ${JSON.stringify(id)} must be a count (an integer >= 0), got ${String(raw)}`);
    }
  }
  table.relations.forEach((relation, index) => {
    const where = `disclosure: relation #${index} (total ${JSON.stringify(relation.total)})`;
    if (!table.cells.has(relation.total)) {
      throw new Error(`${where} references unknown cell id ${JSON.stringify(relation.total)}`);
    }
    if (relation.parts.length === 0) throw new Error(`${where} has no parts`);
    const seen = new Set<string>([relation.total]);
    let sum = 0;
    for (const part of relation.parts) {
      if (!table.cells.has(part)) throw new Error(`${where} references unknown cell id ${JSON.stringify(part)}`);
      if (seen.has(part)) throw new Error(`${where} lists cell ${JSON.stringify(part)} more than once`);
      seen.add(part);
      sum += rawOf(table.cells, part);
    }
    const total = rawOf(table.cells, relation.total);
    if (sum !== total) throw new Error(`${where} is not additive: the total is ${total} but its parts sum to ${sum}`);
  });
}

/** Applies primary suppression, secondary suppression and rounding to a whole table. */
export function protectTable(table: CountTable, settings: DisclosureSettings = DEFAULT_DISCLOSURE): ProtectedTable {
  assertSettings(settings);
  validateTable(table);
  const { cells } = table;

  const suppressed = new Map<string, SuppressionReason>();
  for (const [id, raw] of cells) {
    if (raw < settings.minCount) suppressed.set(id, 'primary');
  }

  // Secondary suppression. Each round suppresses one cell: of all relations with exactly one hidden member, the
  // candidate (that relation's smallest unsuppressed part, or its total) that comes first by raw count and id. Taking
  // the global first makes the result independent of the order of relations; every round hides a new cell, so it ends.
  // Each relation's hidden count and candidate are kept, and only the relations of the newly hidden cell are looked
  // at again, so a round costs one pass over the kept candidates rather than over every member of every relation.
  const relations = table.relations.map((relation) => ({ total: relation.total, parts: [...relation.parts] }));
  const memberships = new Map<string, number[]>();
  const hidden: number[] = relations.map((relation, index) => {
    let n = 0;
    for (const member of [relation.total, ...relation.parts]) {
      const list = memberships.get(member);
      if (list) list.push(index);
      else memberships.set(member, [index]);
      if (suppressed.has(member)) n += 1;
    }
    return n;
  });
  const unshown = table.unshown ?? new Set<string>();
  const candidateOf = (index: number): { id: string; raw: number; unshown: boolean } | undefined => {
    if (hidden[index] !== 1) return undefined;
    const relation = relations[index]!;
    let smallestPart: { id: string; raw: number; unshown: boolean } | undefined;
    for (const part of relation.parts) {
      if (suppressed.has(part)) continue;
      const candidate = { id: part, raw: rawOf(cells, part), unshown: unshown.has(part) };
      if (smallestPart === undefined || precedes(candidate, smallestPart)) smallestPart = candidate;
    }
    const total = { id: relation.total, raw: rawOf(cells, relation.total), unshown: unshown.has(relation.total) };
    if (smallestPart === undefined || (total.unshown && !smallestPart.unshown && !suppressed.has(total.id))) return total;
    return smallestPart;
  };
  const candidates = relations.map((_, index) => candidateOf(index));
  for (;;) {
    let next: { id: string; raw: number; unshown: boolean } | undefined;
    for (const candidate of candidates) if (candidate !== undefined && (next === undefined || precedes(candidate, next))) next = candidate;
    if (next === undefined) break;
    suppressed.set(next.id, 'secondary');
    const affected = memberships.get(next.id) ?? [];
    for (const index of affected) hidden[index]! += 1;
    for (const index of new Set(affected)) candidates[index] = candidateOf(index);
  }

  const counts = new Map<string, PublishedCount>();
  for (const id of [...cells.keys()].sort(byCodeUnits)) {
    const reason = suppressed.get(id);
    counts.set(
      id,
      reason === undefined
        ? { value: roundCount(rawOf(cells, id), settings.roundTo), suppressed: false }
        : { value: null, suppressed: true, reason },
    );
  }

  return {
    counts,
    isSuppressed(id: string): boolean {
      const count = counts.get(id);
      if (count === undefined) throw new Error(`disclosure: unknown cell id ${JSON.stringify(id)}`);
      return count.suppressed;
    },
  };
}

function publishedCell(table: ProtectedTable, id: string): PublishedCount {
  const count = table.counts.get(id);
  if (count === undefined) throw new Error(`disclosure: unknown cell id ${JSON.stringify(id)}`);
  return count;
}

/**
 * A share numerator/denominator of two cells of a protected table: suppressed when either cell is (reason 'primary'
 * when either cell is primary-suppressed). Computed from raw counts before rounding. A published share of 0 of 0
 * (possible only with minCount 0) has no value and is suppressed as 'primary'.
 */
export function protectShare(
  raw: { numerator: number; denominator: number },
  table: ProtectedTable,
  cells: { numerator: string; denominator: string },
): PublishedShare {
  const { numerator, denominator } = raw;
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`disclosure: a share needs counts 0 <= numerator <= denominator, got ${String(numerator)} of ${String(denominator)}`);
  }
  const numeratorCount = publishedCell(table, cells.numerator);
  const denominatorCount = publishedCell(table, cells.denominator);
  if (numeratorCount.suppressed || denominatorCount.suppressed) {
    const primary =
      (numeratorCount.suppressed && numeratorCount.reason === 'primary') || (denominatorCount.suppressed && denominatorCount.reason === 'primary');
    return { value: null, suppressed: true, reason: primary ? 'primary' : 'secondary' };
  }
  if (denominator === 0) return { value: null, suppressed: true, reason: 'primary' };
  return { value: Math.round((numerator / denominator) * 1000) / 1000, suppressed: false };
}

/** A statistic (e.g. a percentile age) shown only when the cell it describes is published. */
export function protectStatistic(value: number | null, table: ProtectedTable, cell: string): { value: number | null; suppressed: boolean } {
  if (publishedCell(table, cell).suppressed) return { value: null, suppressed: true };
  return { value, suppressed: false };
}
