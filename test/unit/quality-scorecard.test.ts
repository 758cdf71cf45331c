import { EXPECTATIONS, type FigureId } from '../../workflows/quality/expectations';
import { evaluateScorecard, normKey, trendQuarters, type FigureReading } from '../../workflows/quality/scorecard';

const reading = (met: number, total: number): FigureReading => ({ met, total, casesFallingShort: [], casesFallingShortTruncated: false });

describe('scorecard evaluation', () => {
  it('holds each figure to its norm on raw counts, and an expectation to all its figures', () => {
    const figures: Partial<Record<FigureId, FigureReading>> = { assessmentsWithinTerm: reading(899, 1000), onderzoekenWithinTerm: reading(80, 100) };
    const input = { figure: (id: FigureId) => figures[id], norms: new Map<string, number>(), organisational: new Map() };
    let e = evaluateScorecard(input).expectations.find((x) => x.id === 'termijnen-vijf-dagen-tien-weken')!;
    expect(e.figures.map((f) => f.status)).toEqual(['not_met', 'met']);
    expect(e.status).toBe('not_met');
    figures.assessmentsWithinTerm = reading(900, 1000);
    e = evaluateScorecard(input).expectations.find((x) => x.id === 'termijnen-vijf-dagen-tien-weken')!;
    expect(e.status).toBe('met');
    input.norms.set(normKey('termijnen-vijf-dagen-tien-weken', 'onderzoekenWithinTerm'), 0.81);
    expect(evaluateScorecard(input).expectations.find((x) => x.id === 'termijnen-vijf-dagen-tien-weken')!.status).toBe('not_met');
  });

  it('counts every catalogued expectation in the headline, the unmeasurable ones apart', () => {
    const card = evaluateScorecard({ figure: () => undefined, norms: new Map(), organisational: new Map([['klachtenregeling', { status: 'met' as const, evidence: 'x', setBy: 'm', setAt: '' }]]) });
    expect(card.headline).toMatchObject({ met: 1, notMet: 0, notMeasurable: EXPECTATIONS.length - 1, total: EXPECTATIONS.length });
    expect(card.headline.text).toBe(`voldoet aan 1 van ${EXPECTATIONS.length} verwachtingen (${EXPECTATIONS.length - 1} niet meetbaar)`);
    expect(EXPECTATIONS.filter((x) => x.failedIn2017)).toHaveLength(10);
    expect(new Set(EXPECTATIONS.map((x) => x.id)).size).toBe(EXPECTATIONS.length);
  });

  it('spans at least four quarters, across a year end, at most twelve', () => {
    expect(trendQuarters('2026-11-01', '2027-01-15').map((q) => q.label)).toEqual(['2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1']);
    expect(trendQuarters('2026-01-01', '2026-03-31')[3]).toEqual({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(trendQuarters('2020-01-01', '2026-12-31')).toHaveLength(12);
    expect(trendQuarters('2024-02-10', '2024-02-20')[3]).toEqual({ label: '2024-Q1', from: '2024-01-01', to: '2024-03-31' });
  });
});
