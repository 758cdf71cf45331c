import { initialContext, type MeldingContext } from '../../workflows/melding';
import { sortedValues } from '../../workflows/reporting/month-counts';
import { leavesVt, leavingFacts, qualityFigures, type LeavingCase } from '../../workflows/reporting/quality';

const settings = { childSpokenFromAge: 6, fourEyes: true };
const LEFT = '2026-10-15T10:00:00.000Z';

function context(over: Partial<MeldingContext> = {}): MeldingContext {
  return {
    ...initialContext({
      caseId: 'c1',
      receivedAt: '2026-10-01T10:00:00.000Z',
      acuteDanger: false,
      melderReachable: true,
      persons: [
        { id: 'kind-8', role: 'kind', birthDate: '2018-03-01', vulnerable: false },
        { id: 'kind-3', role: 'kind', birthDate: '2023-05-01', vulnerable: false },
        { id: 'kind-onbekend', role: 'kind', birthDate: null, vulnerable: false },
        { id: 'oma', role: 'overig', birthDate: '1940-01-01', vulnerable: true },
      ],
    }),
    ...over,
  };
}

const leaving = (ctx: MeldingContext, closure: LeavingCase['closure'] = null, caseId = 'c1'): LeavingCase => ({ caseId, context: ctx, leftAt: LEFT, closure });

describe('leavesVt', () => {
  it.each([
    ['DECISION_APPROVED', 'overdracht', true],
    ['ONDERZOEK_CONCLUSION_APPROVED', 'overdracht', true],
    ['CLOSURE_APPROVED', 'afgesloten', true],
    ['DECISION_APPROVED', 'wacht_op_onderzoek', false],
    ['DECISION_APPROVED', 'niet_ontvankelijk', false],
    ['HANDOVER_CONFIRMED', 'monitoring', false],
    ['NOTE_ADDED', 'overdracht', false],
  ])('%s into %s: %s', (type, state, expected) => {
    expect(leavesVt(type, state)).toBe(expected);
  });
});

describe('leavingFacts', () => {
  it('counts children seen, and spoken from the configured age (a child of unknown age must be spoken with)', () => {
    const ctx = context({
      childContacts: {
        'kind-8': { seen: true, spoken: false, reasonNotSeen: false, reasonNotSpoken: true, at: LEFT },
        'kind-3': { seen: true, spoken: false, reasonNotSeen: false, reasonNotSpoken: false, at: LEFT },
      },
    });
    const f = leavingFacts(leaving(ctx), settings);
    expect(f).toMatchObject({ children: 3, childrenSeen: 2, childrenSpoken: 2 });
    // From age 2, the three-year-old must be spoken with too.
    expect(leavingFacts(leaving(ctx), { ...settings, childSpokenFromAge: 2 }).childrenSpoken).toBe(1);
  });

  it('records unsafety with or without a plan, four eyes, chain partners and the informal network', () => {
    const decided = context({
      safety: 'structureel',
      decision: { code: 'VT-01-02', approvedAt: LEFT, proposedBy: 'anna', approvedBy: 'anna' },
      chainPartners: { oma: { at: LEFT } },
      informalNetworkAt: LEFT,
    });
    expect(leavingFacts(leaving(decided), settings)).toMatchObject({
      unsafe: true,
      safetyPlan: false,
      decided: true,
      decisionFourEyes: false,
      closed: false,
      closureFourEyes: false,
      vulnerable: 1,
      vulnerableWithChainPartner: 1,
      informalNetwork: true,
    });
    const closed = leavingFacts(leaving(context({ safety: 'geen', safetyPlanAt: LEFT }), { proposedBy: 'anna', approvedBy: 'bram' }), settings);
    expect(closed).toMatchObject({ unsafe: false, safetyPlan: true, closed: true, closureFourEyes: true, vulnerableWithChainPartner: 0, informalNetwork: false });
  });
});

describe('qualityFigures', () => {
  it('sums the facts per figure and lists each case that falls short once', () => {
    const good = leavingFacts(
      leaving(
        context({
          safety: 'acuut',
          safetyPlanAt: LEFT,
          childContacts: Object.fromEntries(['kind-8', 'kind-3', 'kind-onbekend'].map((id) => [id, { seen: true, spoken: true, reasonNotSeen: false, reasonNotSpoken: false, at: LEFT }])),
          chainPartners: { oma: { at: LEFT } },
          informalNetworkAt: LEFT,
          decision: { code: 'VT-01-02', approvedAt: LEFT, proposedBy: 'anna', approvedBy: 'bram' },
        }),
      ),
      settings,
    );
    const poor = leavingFacts(leaving(context({ safety: 'structureel' }), { proposedBy: 'anna', approvedBy: 'anna' }, 'c2'), settings);
    const figures = qualityFigures([
      { caseId: 'c1', facts: good },
      { caseId: 'c2', facts: poor },
    ]);
    expect(figures.safetyPlanWhereUnsafe).toEqual({ applicable: 2, met: 1, share: 0.5, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
    expect(figures.childrenSeen).toEqual({ applicable: 6, met: 3, share: 0.5, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
    // c2's three-year-old need not be spoken with.
    expect(figures.childrenSpokenFromAge).toEqual({ applicable: 6, met: 4, share: 0.667, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
    expect(figures.decisionsByTwoProfessionals).toEqual({ applicable: 1, met: 1, share: 1, casesFallingShort: [], casesFallingShortTruncated: false });
    expect(figures.closuresByTwoProfessionals).toEqual({ applicable: 1, met: 0, share: 0, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
    expect(figures.vulnerablePersonsWithChainPartner).toEqual({ applicable: 2, met: 1, share: 0.5, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
    expect(figures.informalNetworkInvolved).toEqual({ applicable: 2, met: 1, share: 0.5, casesFallingShort: ['c2'], casesFallingShortTruncated: false });
  });

  it('gives no share when nothing applies', () => {
    expect(qualityFigures([]).childrenSeen).toEqual({ applicable: 0, met: 0, share: null, casesFallingShort: [], casesFallingShortTruncated: false });
  });
});

describe('sortedValues', () => {
  it('expands a histogram of werkdagen into sorted values', () => {
    expect(sortedValues({ 12: 2, 3: 1, 7: 3 })).toEqual([3, 7, 7, 7, 12, 12]);
    expect(sortedValues(undefined)).toEqual([]);
  });
});
