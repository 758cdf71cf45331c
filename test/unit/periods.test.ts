import { composeCounts, parsePeriod, periodContaining, periodsBetween } from '../../workflows/reporting/periods';

describe('fixed reporting periods', () => {
  it('parses months, quarters, half-years and years into their months', () => {
    expect(parsePeriod('2026-05')).toEqual({ kind: 'month', id: '2026-05', months: ['2026-05'] });
    expect(parsePeriod('2026-Q3')?.months).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(parsePeriod('2026-H2')?.months).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(parsePeriod('2025')?.months).toHaveLength(12);
    for (const bad of ['2026-13', '2026-Q5', '2026-H3', '26', '2026-6', '2026-W01']) expect(parsePeriod(bad)).toBeNull();
  });

  it('lists a range period by period, across years', () => {
    expect(periodsBetween(parsePeriod('2024-H2')!, parsePeriod('2026-H1')!).map((p) => p.id)).toEqual(['2024-H2', '2025-H1', '2025-H2', '2026-H1']);
    expect(periodsBetween(parsePeriod('2025-11')!, parsePeriod('2026-02')!).map((p) => p.id)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodContaining('quarter', '2026-11').id).toBe('2026-Q4');
  });

  it('adds flows over the months and takes stocks and their ages from the last month', () => {
    const isStock = (c: string) => c.startsWith('waiting');
    const composed = composeCounts(
      [
        { cells: { 'received|A': 3, 'waiting|A': 4 }, ages: { A: { 2: 4 } }, waits: {} },
        { cells: { 'received|A': 5, 'waiting|A': 1 }, ages: { A: { 7: 1 } }, waits: {} },
      ],
      isStock,
    );
    expect(composed.cells).toEqual({ 'received|A': 8, 'waiting|A': 1 });
    expect(composed.ages).toEqual({ A: { 7: 1 } });
  });
});
