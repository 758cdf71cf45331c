/**
 * Disclosure control: primary suppression (< minCount, 0 included), rounding to multiples of roundTo, secondary
 * suppression over additive relations, shares from raw counts, statistics hidden with their cell. Expected results of
 * the fixed examples are worked out by hand; the property tests run over generated tables from a seeded PRNG.
 */
import {
  DEFAULT_DISCLOSURE,
  protectShare,
  protectStatistic,
  protectTable,
  type CountTable,
  type DisclosureSettings,
  type ProtectedTable,
  type PublishedCount,
} from '../../workflows/reporting/disclosure';

/** mulberry32: small deterministic PRNG, floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Relation = CountTable['relations'][number];

/** One row of single cells, as { id: count }, with total 'total'. */
function oneDimensional(parts: Record<string, number>): CountTable {
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { cells: new Map([...Object.entries(parts), ['total', total]]), relations: [{ total: 'total', parts: Object.keys(parts) }] };
}

/**
 * gemeente × category table: inner cells 'g|c', row totals 'g|*', column totals '*|c', grand total '*|*'. Relations:
 * every row, every column, and the grand total as the sum of the row totals and as the sum of the column totals.
 */
function twoDimensional(grid: Record<string, Record<string, number>>): CountTable {
  const rows = Object.keys(grid);
  const cols = Object.keys(grid[rows[0]!]!);
  const cells = new Map<string, number>();
  const relations: Relation[] = [];
  let grand = 0;
  for (const g of rows) {
    let rowTotal = 0;
    for (const c of cols) {
      const v = grid[g]![c]!;
      cells.set(`${g}|${c}`, v);
      rowTotal += v;
    }
    cells.set(`${g}|*`, rowTotal);
    grand += rowTotal;
    relations.push({ total: `${g}|*`, parts: cols.map((c) => `${g}|${c}`) });
  }
  for (const c of cols) {
    cells.set(`*|${c}`, rows.reduce((sum, g) => sum + grid[g]![c]!, 0));
    relations.push({ total: `*|${c}`, parts: rows.map((g) => `${g}|${c}`) });
  }
  cells.set('*|*', grand);
  relations.push({ total: '*|*', parts: rows.map((g) => `${g}|*`) });
  relations.push({ total: '*|*', parts: cols.map((c) => `*|${c}`) });
  return { cells, relations };
}

function randomGrid(rnd: () => number, rows: number, cols: number, smallShare: number): Record<string, Record<string, number>> {
  const grid: Record<string, Record<string, number>> = {};
  for (let r = 0; r < rows; r++) {
    const row: Record<string, number> = {};
    for (let c = 0; c < cols; c++) {
      row[`cat${c}`] = rnd() < smallShare ? Math.floor(rnd() * 10) : 10 + Math.floor(rnd() * 150);
    }
    grid[`GM${String(r).padStart(4, '0')}`] = row;
  }
  return grid;
}

const suppressedIds = (p: ProtectedTable): string[] => [...p.counts].filter(([, c]) => c.suppressed).map(([id]) => id);
const published = (value: number): PublishedCount => ({ value, suppressed: false });
const primary: PublishedCount = { value: null, suppressed: true, reason: 'primary' };
const secondary: PublishedCount = { value: null, suppressed: true, reason: 'secondary' };

/** A single cell with no relations, protected on its own. */
function single(raw: number, settings?: DisclosureSettings): PublishedCount {
  return protectTable({ cells: new Map([['x', raw]]), relations: [] }, settings).counts.get('x')!;
}

/**
 * The attacker: knows every published cell's RAW value (worst case: as if unrounded) and the relations; whenever a
 * relation has exactly one unknown member, it solves for it, and keeps going with what it learned. Returns the hidden
 * cells it recovered.
 */
function attack(table: CountTable, p: ProtectedTable): Map<string, number> {
  const known = new Map<string, number>();
  for (const [id, raw] of table.cells) if (!p.isSuppressed(id)) known.set(id, raw);
  const recovered = new Map<string, number>();
  for (let progress = true; progress; ) {
    progress = false;
    for (const { total, parts } of table.relations) {
      const unknown = [total, ...parts].filter((id) => !known.has(id));
      if (unknown.length !== 1) continue;
      const hidden = unknown[0]!;
      const partsKnown = parts.filter((id) => id !== hidden).reduce((sum, id) => sum + known.get(id)!, 0);
      const value = hidden === total ? partsKnown : known.get(total)! - partsKnown;
      known.set(hidden, value);
      recovered.set(hidden, value);
      progress = true;
    }
  }
  return recovered;
}

describe('primary suppression and rounding (defaults: multiples of 5, cells under 10 suppressed)', () => {
  it('the defaults are roundTo 5 and minCount 10', () => {
    expect(DEFAULT_DISCLOSURE).toEqual({ roundTo: 5, minCount: 10 });
  });

  it.each([
    [10, 10],
    [11, 10],
    [12, 10],
    [13, 15],
    [14, 15],
    [15, 15],
    [47, 45],
    [48, 50],
    [100, 100],
    [1234, 1235],
  ])('a raw %i is published as %i', (raw, value) => {
    expect(single(raw)).toEqual(published(value));
  });

  it.each([1, 5, 9])('a raw %i is suppressed (primary), with no value', (raw) => {
    expect(single(raw)).toEqual(primary);
  });

  it('a 0 is a small cell: suppressed, never shown as 0', () => {
    const p = protectTable({ cells: new Map([['zero', 0], ['big', 40]]), relations: [] });
    expect(p.counts.get('zero')).toEqual(primary);
    expect(p.isSuppressed('zero')).toBe(true);
    expect(p.counts.get('big')).toEqual(published(40));
    expect(p.isSuppressed('big')).toBe(false);
  });

  it.each<[DisclosureSettings]>([[DEFAULT_DISCLOSURE], [{ roundTo: 10, minCount: 20 }], [{ roundTo: 3, minCount: 6 }], [{ roundTo: 5, minCount: 13 }]])(
    'no published count is below minCount or off a multiple of roundTo (raw 0..500, %j)',
    (settings) => {
      for (let raw = 0; raw <= 500; raw++) {
        const c = single(raw, settings);
        if (raw < settings.minCount) {
          expect(c).toEqual(primary);
        } else {
          expect(c.suppressed).toBe(false);
          expect(c.value! % settings.roundTo).toBe(0);
          expect(c.value!).toBeGreaterThanOrEqual(settings.minCount);
          expect(Math.abs(c.value! - raw)).toBeLessThanOrEqual(settings.roundTo / 2);
        }
      }
    },
  );
});

describe('secondary suppression', () => {
  it('one-dimensional: one small cell gets the smallest other part suppressed too, so total − others does not give it away', () => {
    const table = oneDimensional({ fysiek: 40, psychisch: 25, seksueel: 4, verwaarlozing: 31 });
    const p = protectTable(table);
    expect(p.counts.get('seksueel')).toEqual(primary);
    expect(p.counts.get('psychisch')).toEqual(secondary);
    expect(p.counts.get('fysiek')).toEqual(published(40));
    expect(p.counts.get('verwaarlozing')).toEqual(published(30));
    expect(p.counts.get('total')).toEqual(published(100));
    expect(attack(table, p).size).toBe(0);
  });

  it('ties on the raw count are broken by id', () => {
    const p = protectTable(oneDimensional({ b: 20, a: 20, c: 3, d: 50 }));
    expect(suppressedIds(p)).toEqual(['a', 'c']);
  });

  it('a relation that already hides two members needs nothing more', () => {
    const p = protectTable(oneDimensional({ a: 3, b: 7, c: 40, d: 50 }));
    expect(suppressedIds(p)).toEqual(['a', 'b']);
    expect(p.counts.get('total')).toEqual(published(100));
  });

  it('a hidden part whose relation has no other part left hides the total', () => {
    // b is small; X = a + b then hides a; T = a (a single part) then has to hide T.
    const table: CountTable = {
      cells: new Map([['a', 50], ['b', 3], ['X', 53], ['T', 50]]),
      relations: [{ total: 'X', parts: ['a', 'b'] }, { total: 'T', parts: ['a'] }],
    };
    const p = protectTable(table);
    expect(Object.fromEntries(p.counts)).toEqual({ T: secondary, X: published(55), a: secondary, b: primary });
    expect(attack(table, p).size).toBe(0);
  });

  it('2 × 2 with margins: one small cell hides the whole inner rectangle, the margins stay published', () => {
    const table = twoDimensional({ A: { c1: 3, c2: 20 }, B: { c1: 30, c2: 40 } });
    const p = protectTable(table);
    expect(Object.fromEntries(p.counts)).toEqual({
      'A|c1': primary,
      'A|c2': secondary,
      'B|c1': secondary,
      'B|c2': secondary,
      'A|*': published(25), // 23
      'B|*': published(70),
      '*|c1': published(35), // 33
      '*|c2': published(60),
      '*|*': published(95), // 93
    });
    expect(attack(table, p).size).toBe(0);
  });

  it('3 gemeenten × 4 categories: the cascade follows rows and columns until every line hides 0 or ≥ 2 cells', () => {
    const table = twoDimensional({
      GM_A: { c1: 40, c2: 25, c3: 4, c4: 30 },
      GM_B: { c1: 12, c2: 50, c3: 20, c4: 18 },
      GM_C: { c1: 35, c2: 15, c3: 22, c4: 60 },
    });
    const p = protectTable(table);
    // A|c3 small; then B|c3 (20, column c3), B|c1 (12, row B), A|c2 (25, row A), C|c2 (15, column c2), C|c3 (22, row C),
    // C|c1 (35, column c1).
    expect(suppressedIds(p)).toEqual(['GM_A|c2', 'GM_A|c3', 'GM_B|c1', 'GM_B|c3', 'GM_C|c1', 'GM_C|c2', 'GM_C|c3']);
    expect(p.counts.get('GM_A|c3')).toEqual(primary);
    expect(p.counts.get('GM_C|c1')).toEqual(secondary);
    expect(p.counts.get('*|*')).toEqual(published(330)); // 331
    expect(attack(table, p).size).toBe(0);
  });

  describe('property: 600 generated gemeente × category tables with row, column and grand totals', () => {
    const rnd = mulberry32(0x5eed_2024);
    const cases = Array.from({ length: 600 }, (_, i) => {
      // Every third table is the 3 × 4 shape; the others 1..6 × 1..6; between 10 % and 60 % small cells.
      const rows = i % 3 === 0 ? 3 : 1 + Math.floor(rnd() * 6);
      const cols = i % 3 === 0 ? 4 : 1 + Math.floor(rnd() * 6);
      const table = twoDimensional(randomGrid(rnd, rows, cols, 0.1 + rnd() * 0.5));
      return { table, protectedTable: protectTable(table) };
    });

    it('the generator produces both small and large cells, and tables that need secondary suppression', () => {
      const all = cases.flatMap(({ table }) => [...table.cells.values()]);
      expect(all.filter((v) => v < 10).length).toBeGreaterThan(500);
      expect(all.filter((v) => v >= 10).length).toBeGreaterThan(500);
      const withSecondary = cases.filter(({ protectedTable }) => [...protectedTable.counts.values()].some((c) => c.suppressed && c.reason === 'secondary'));
      expect(withSecondary.length).toBeGreaterThan(300);
    });

    it('in every relation the number of suppressed cells is 0 or at least 2, never exactly 1', () => {
      const violations: string[] = [];
      cases.forEach(({ table, protectedTable }, i) => {
        for (const { total, parts } of table.relations) {
          const hidden = [total, ...parts].filter((id) => protectedTable.isSuppressed(id));
          if (hidden.length === 1) violations.push(`table ${i}: ${total} = ${parts.join(' + ')} hides only ${hidden[0]}`);
        }
      });
      expect(violations).toEqual([]);
    });

    it('an attacker knowing every published cell unrounded recovers no hidden cell from totals minus parts', () => {
      const recovered = cases.flatMap(({ table, protectedTable }, i) => [...attack(table, protectedTable)].map(([id, v]) => `table ${i}: ${id} = ${v}`));
      expect(recovered).toEqual([]);
    });

    it('every small cell is suppressed as primary; every published value is ≥ 10, a multiple of 5 and within 2 of the raw count', () => {
      const wrong: string[] = [];
      cases.forEach(({ table, protectedTable }, i) => {
        for (const [id, raw] of table.cells) {
          const c = protectedTable.counts.get(id);
          const ok =
            c !== undefined &&
            (raw < 10
              ? c.suppressed && c.reason === 'primary'
              : c.suppressed
                ? c.reason === 'secondary'
                : c.value >= 10 && c.value % 5 === 0 && Math.abs(c.value - raw) <= 2);
          if (!ok) wrong.push(`table ${i}: ${id} raw ${raw} published as ${JSON.stringify(c)}`);
        }
        if (protectedTable.counts.size !== table.cells.size) wrong.push(`table ${i}: ${protectedTable.counts.size} counts for ${table.cells.size} cells`);
      });
      expect(wrong).toEqual([]);
    });
  });
});

describe('shares: computed from raw counts before rounding, suppressed with their cells', () => {
  const cells = { numerator: 'inTime', denominator: 'assessed' };

  it('9 of 11 assessed in time is 0.818 (not 10 of 10 = 1 from the rounded counts) when both cells are published', () => {
    const p = protectTable({ cells: new Map([['inTime', 9], ['assessed', 11]]), relations: [] }, { roundTo: 5, minCount: 5 });
    expect(p.counts.get('inTime')).toEqual(published(10));
    expect(p.counts.get('assessed')).toEqual(published(10));
    expect(protectShare({ numerator: 9, denominator: 11 }, p, cells)).toEqual({ value: 0.818, suppressed: false });
  });

  it('12 of 13 is 0.923, not 10 of 15', () => {
    const p = protectTable({ cells: new Map([['inTime', 12], ['assessed', 13]]), relations: [] });
    expect(protectShare({ numerator: 12, denominator: 13 }, p, cells)).toEqual({ value: 0.923, suppressed: false });
  });

  it('with the defaults, 9 of 11 is suppressed with its numerator cell', () => {
    const p = protectTable({ cells: new Map([['inTime', 9], ['assessed', 11]]), relations: [] });
    expect(protectShare({ numerator: 9, denominator: 11 }, p, cells)).toEqual({ value: null, suppressed: true, reason: 'primary' });
  });

  it('a share over a secondarily suppressed cell is suppressed as secondary', () => {
    const p = protectTable(oneDimensional({ fysiek: 40, psychisch: 25, seksueel: 4 }));
    expect(protectShare({ numerator: 25, denominator: 69 }, p, { numerator: 'psychisch', denominator: 'total' })).toEqual({
      value: null,
      suppressed: true,
      reason: 'secondary',
    });
    expect(protectShare({ numerator: 40, denominator: 69 }, p, { numerator: 'fysiek', denominator: 'total' })).toEqual({ value: 0.58, suppressed: false });
  });

  it('rejects impossible shares and unknown cells', () => {
    const p = protectTable({ cells: new Map([['inTime', 12], ['assessed', 13]]), relations: [] });
    expect(() => protectShare({ numerator: 14, denominator: 13 }, p, cells)).toThrow(/numerator <= denominator/);
    expect(() => protectShare({ numerator: 1, denominator: 13 }, p, { numerator: 'nope', denominator: 'assessed' })).toThrow(/"nope"/);
  });
});

describe('statistics are shown only when the cell they describe is published', () => {
  const p = protectTable(oneDimensional({ fysiek: 40, psychisch: 25, seksueel: 4 }));

  it('hides the median age of a primary and of a secondary suppressed cell', () => {
    expect(protectStatistic(7, p, 'seksueel')).toEqual({ value: null, suppressed: true });
    expect(protectStatistic(11, p, 'psychisch')).toEqual({ value: null, suppressed: true });
  });

  it('shows the median age of a published cell, and a missing statistic as null', () => {
    expect(protectStatistic(9, p, 'fysiek')).toEqual({ value: 9, suppressed: false });
    expect(protectStatistic(null, p, 'fysiek')).toEqual({ value: null, suppressed: false });
  });

  it('throws for a cell that is not in the table', () => {
    expect(() => protectStatistic(9, p, 'onbekend')).toThrow(/"onbekend"/);
  });
});

describe('determinism', () => {
  const rnd = mulberry32(7);

  it('the same input twice gives the same output', () => {
    const table = twoDimensional(randomGrid(rnd, 5, 6, 0.3));
    expect(protectTable(table).counts).toEqual(protectTable(table).counts);
  });

  it('neither the insertion order of the cells nor the order of relations or parts changes the result, including the order of the output', () => {
    for (let n = 0; n < 50; n++) {
      const table = twoDimensional(randomGrid(rnd, 2 + (n % 4), 3 + (n % 3), 0.35));
      const shuffle = <T>(list: readonly T[]): T[] => {
        const copy = [...list];
        for (let i = copy.length - 1; i > 0; i--) {
          const j = Math.floor(rnd() * (i + 1));
          [copy[i], copy[j]] = [copy[j]!, copy[i]!];
        }
        return copy;
      };
      const reordered: CountTable = {
        cells: new Map(shuffle([...table.cells])),
        relations: shuffle(table.relations).map(({ total, parts }) => ({ total, parts: shuffle(parts) })),
      };
      expect([...reordered.cells.keys()]).not.toEqual([...table.cells.keys()]);
      expect([...protectTable(reordered).counts]).toEqual([...protectTable(table).counts]);
    }
  });
});

describe('settings', () => {
  it('roundTo 10 and minCount 20 from config change the result', () => {
    const table = oneDimensional({ a: 15, b: 23, c: 44, d: 60 });
    const byDefault = protectTable(table);
    const configured = protectTable(table, { roundTo: 10, minCount: 20 });
    expect(Object.fromEntries(byDefault.counts)).toEqual({ a: published(15), b: published(25), c: published(45), d: published(60), total: published(140) });
    expect(Object.fromEntries(configured.counts)).toEqual({ a: primary, b: secondary, c: published(40), d: published(60), total: published(140) });
  });

  it.each([
    [20, 20],
    [24, 20],
    [25, 30],
    [34, 30],
    [35, 40],
    [19, null],
  ])('with roundTo 10 and minCount 20 a raw %i is published as %p (halves round up)', (raw, value) => {
    expect(single(raw, { roundTo: 10, minCount: 20 })).toEqual(value === null ? primary : published(value));
  });

  it.each<[string, DisclosureSettings, RegExp]>([
    ['roundTo 0', { roundTo: 0, minCount: 10 }, /roundTo must be an integer >= 1/],
    ['roundTo 2.5', { roundTo: 2.5, minCount: 10 }, /roundTo must be an integer >= 1/],
    ['minCount -1', { roundTo: 5, minCount: -1 }, /minCount must be an integer >= 0/],
    ['minCount NaN', { roundTo: 5, minCount: Number.NaN }, /minCount must be an integer >= 0/],
    ['minCount 12 with roundTo 5 (12 would be published as 10)', { roundTo: 5, minCount: 12 }, /minCount 12 would be published as 10/],
  ])('rejects %s', (_name, settings, message) => {
    expect(() => protectTable(oneDimensional({ a: 20, b: 30 }), settings)).toThrow(message);
  });
});

describe('invalid tables are programming errors, reported with the offending id', () => {
  it('a relation naming an unknown total or part', () => {
    const cells = new Map([['a', 20], ['b', 30], ['t', 50]]);
    expect(() => protectTable({ cells, relations: [{ total: 't', parts: ['a', 'missing'] }] })).toThrow(/unknown cell id "missing"/);
    expect(() => protectTable({ cells, relations: [{ total: 'gone', parts: ['a', 'b'] }] })).toThrow(/unknown cell id "gone"/);
  });

  it('a relation whose total is not the sum of its parts, or that lists a cell twice, or has no parts', () => {
    const cells = new Map([['a', 20], ['b', 30], ['t', 51]]);
    expect(() => protectTable({ cells, relations: [{ total: 't', parts: ['a', 'b'] }] })).toThrow(/total is 51 but its parts sum to 50/);
    expect(() => protectTable({ cells, relations: [{ total: 'a', parts: ['a'] }] })).toThrow(/lists cell "a" more than once/);
    expect(() => protectTable({ cells, relations: [{ total: 't', parts: [] }] })).toThrow(/has no parts/);
  });

  it('a count that is not a non-negative integer', () => {
    expect(() => protectTable({ cells: new Map([['a', -1]]), relations: [] })).toThrow(/cell "a" must be a count/);
    expect(() => protectTable({ cells: new Map([['a', 2.5]]), relations: [] })).toThrow(/cell "a" must be a count/);
  });

  it('isSuppressed of an id that is not in the table throws instead of answering false', () => {
    const p = protectTable(oneDimensional({ a: 20, b: 30 }));
    expect(() => p.isSuppressed('c')).toThrow(/unknown cell id "c"/);
  });
});
