import { protectTable } from '../../workflows/reporting/disclosure';
import { detailLevelFor, groupsOf, nesting, PLANS, type Breakdown } from '../../workflows/reporting/report-plan';
import { IJSSELLAND } from '../../workflows/reference';

const BREAKDOWNS: Breakdown[] = ['violence', 'severity', 'melder', 'report'];

describe('report plan: the detail of a gemeente report', () => {
  it('every plan partitions the fine categories, and the coarser plan nests the finer', () => {
    for (const b of BREAKDOWNS) {
      const fine = PLANS.fijn[b].flatMap(([, m]) => m).sort();
      for (const level of ['uitgebreid', 'beknopt'] as const) {
        const members = PLANS[level][b].flatMap(([, m]) => m).sort();
        expect(members).toEqual(fine);
        expect(new Set(groupsOf(level, b)).size).toBe(groupsOf(level, b).length);
      }
      expect(() => nesting('beknopt', 'uitgebreid', b)).not.toThrow();
      expect(() => nesting('uitgebreid', 'fijn', b)).not.toThrow();
    }
    expect(nesting('beknopt', 'uitgebreid', 'severity')).toEqual([
      { group: 'onveilig', parts: ['acuut', 'structureel'] },
      { group: 'geen_of_onbeoordeeld', parts: ['geen_of_onbeoordeeld'] },
    ]);
  });

  it('is fixed by inhabitants, not by the counts: in IJsselland Zwolle and Deventer get the finer plan', () => {
    const finer = IJSSELLAND.gemeenten.filter((g) => detailLevelFor(g.inhabitants) === 'uitgebreid').map((g) => g.name);
    expect(finer.sort()).toEqual(['Deventer', 'Zwolle']);
    expect(detailLevelFor(undefined)).toBe('beknopt');
  });
});

describe('secondary suppression: the least informative complement', () => {
  // region = A + B + REST; A is small (primary). Without `unshown` the smallest other part (B) is hidden; with REST
  // never shown, REST is taken and B stays published.
  const cells = new Map([['region', 60], ['A', 4], ['B', 20], ['REST', 36]]);
  const relations = [{ total: 'region', parts: ['A', 'B', 'REST'] }];

  it('takes the smallest part when every cell is shown', () => {
    const t = protectTable({ cells, relations });
    expect(t.isSuppressed('A')).toBe(true);
    expect(t.isSuppressed('B')).toBe(true);
    expect(t.isSuppressed('REST')).toBe(false);
  });

  it('takes a never-shown cell first, and the relation still has two hidden members', () => {
    const t = protectTable({ cells, relations, unshown: new Set(['REST']) });
    expect(t.isSuppressed('A')).toBe(true);
    expect(t.isSuppressed('REST')).toBe(true);
    expect(t.counts.get('B')).toEqual({ value: 20, suppressed: false });
    expect(t.counts.get('region')).toEqual({ value: 60, suppressed: false });
  });

  it('hides a never-shown total before a shown part, and then one more part, since the total is derivable', () => {
    // coarse (never shown) = x + y; x primary. Hiding coarse leaves (coarse, x) hidden: two members, stable.
    const t = protectTable({ cells: new Map([['coarse', 30], ['x', 5], ['y', 25]]), relations: [{ total: 'coarse', parts: ['x', 'y'] }], unshown: new Set(['coarse']) });
    expect(t.isSuppressed('x')).toBe(true);
    expect(t.isSuppressed('coarse')).toBe(true);
    expect(t.isSuppressed('y')).toBe(false);
  });
});
