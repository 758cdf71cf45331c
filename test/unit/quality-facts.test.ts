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
  it('counts children seen, and spoken from the configured age; a reason is justified, never met', () => {
    const ctx = context({
      childContacts: {
        'kind-8': { seen: true, spoken: false, reasonNotSeen: false, reasonNotSpoken: true, at: LEFT, round: 1 },
        'kind-3': { seen: false, spoken: false, reasonNotSeen: true, reasonNotSpoken: false, at: LEFT, round: 1 },
      },
    });
    const f = leavingFacts(leaving(ctx), settings);
    // The three-year-old is only seen (here: not, for a reason); the child of unknown age must be spoken with but has no contact.
    expect(f).toMatchObject({ children: 3, childrenSeen: 1, childrenSeenJustified: 1, childrenToSpeak: 2, childrenSpoken: 0, childrenSpokenJustified: 1 });
    // From age 2, the three-year-old must be spoken with too: one more child to speak, missing.
    expect(leavingFacts(leaving(ctx), { ...settings, childSpokenFromAge: 2 })).toMatchObject({ childrenToSpeak: 3, childrenSpoken: 0, childrenSpokenJustified: 1 });
  });

  it('a case with no child contact counts every child as missing', () => {
    const f = leavingFacts(leaving(context()), settings);
    const figures = qualityFigures([{ caseId: 'c1', facts: f }]);
    expect(figures.childrenSeen).toMatchObject({ applicable: 3, met: 0, justified: 0, missing: 3, share: 0, casesMissing: ['c1'] });
    expect(figures.childrenSpokenFromAge).toMatchObject({ applicable: 2, met: 0, justified: 0, missing: 2, casesMissing: ['c1'] });
  });

  it('records unsafety with or without a plan, four eyes, chain partners and the informal network, reasons apart', () => {
    const decided = context({
      safety: 'structureel',
      decision: { code: 'VT-01-02', approvedAt: LEFT, proposedBy: 'anna', approvedBy: 'anna' },
      chainPartners: { oma: { at: LEFT, round: 1, partner: true } },
      informalNetworkAt: LEFT, informalNetworkRound: 1,
      informalNetworkInvolved: true,
      handover: { withConditions: true, toRaad: false, at: LEFT, confirmedAt: null },
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
      vulnerableChainPartnerJustified: 0,
      informalNetwork: true,
      informalNetworkJustified: false,
      monitoringFollows: true,
      monitoringPlanned: false,
    });
    const reasons = context({ safety: 'geen', safetyPlanAt: LEFT, safetyPlanRound: 1, chainPartners: { oma: { at: LEFT, round: 1, partner: false } }, informalNetworkAt: LEFT, informalNetworkRound: 1, informalNetworkInvolved: false });
    const closed = leavingFacts(leaving(reasons, { proposedBy: 'anna', approvedBy: 'bram' }), settings);
    expect(closed).toMatchObject({ unsafe: false, safetyPlan: true, closed: true, closureFourEyes: true, vulnerableWithChainPartner: 0, vulnerableChainPartnerJustified: 1, informalNetwork: false, informalNetworkJustified: true, monitoringFollows: false });
    // Carried over from machine version 2, which did not say whether a partner or a reason was recorded: justified, not met.
    const unknown = leavingFacts(leaving(context({ chainPartners: { oma: { at: LEFT, round: 1, partner: null } }, informalNetworkAt: LEFT, informalNetworkRound: 1, informalNetworkInvolved: null })), settings);
    expect(unknown).toMatchObject({ vulnerableWithChainPartner: 0, vulnerableChainPartnerJustified: 1, informalNetwork: false, informalNetworkJustified: true });
  });
});

describe('leavingFacts per round', () => {
  it('a melding leaving in round 2 is judged on round-2 facts only: round-1 facts and contacts count as missing', () => {
    const round1 = {
      safety: 'structureel' as const,
      safetyPlanAt: LEFT,
      safetyPlanRound: 1,
      childContacts: { 'kind-8': { seen: true, spoken: true, reasonNotSeen: false, reasonNotSpoken: false, at: LEFT, round: 1 } },
      chainPartners: { oma: { at: LEFT, round: 1, partner: true } },
      informalNetworkAt: LEFT,
      informalNetworkRound: 1,
      informalNetworkInvolved: true,
    };
    expect(leavingFacts(leaving(context(round1)), settings)).toMatchObject({ round: 1, safetyPlan: true, childrenSeen: 1, vulnerableWithChainPartner: 1, informalNetwork: true });
    const f = leavingFacts(leaving(context({ ...round1, round: 2 })), settings);
    expect(f).toMatchObject({ round: 2, safetyPlan: false, childrenSeen: 0, childrenSpoken: 0, vulnerableWithChainPartner: 0, vulnerableChainPartnerJustified: 0, informalNetwork: false, informalNetworkJustified: false });
    // Confirmed for round 2, the same facts count again.
    const confirmed = context({
      ...round1,
      round: 2,
      safetyPlanRound: 2,
      informalNetworkRound: 2,
      childContacts: { 'kind-8': { ...round1.childContacts['kind-8'], round: 2, confirmed: true } },
      chainPartners: { oma: { at: LEFT, round: 2, confirmed: true, partner: true } },
    });
    expect(leavingFacts(leaving(confirmed), settings)).toMatchObject({ round: 2, safetyPlan: true, childrenSeen: 1, vulnerableWithChainPartner: 1, informalNetwork: true });
  });
});

describe('qualityFigures', () => {
  it('sums met, justified and missing per figure and lists the cases behind the last two once', () => {
    const good = leavingFacts(
      leaving(
        context({
          safety: 'acuut',
          safetyPlanAt: LEFT, safetyPlanRound: 1,
          childContacts: Object.fromEntries(['kind-8', 'kind-3', 'kind-onbekend'].map((id) => [id, { seen: true, spoken: true, reasonNotSeen: false, reasonNotSpoken: false, at: LEFT, round: 1 }])),
          chainPartners: { oma: { at: LEFT, round: 1, partner: true } },
          informalNetworkAt: LEFT, informalNetworkRound: 1,
          informalNetworkInvolved: true,
          decision: { code: 'VT-01-02', approvedAt: LEFT, proposedBy: 'anna', approvedBy: 'bram' },
        }),
      ),
      settings,
    );
    const poor = leavingFacts(
      leaving(
        context({
          safety: 'structureel',
          childContacts: { 'kind-8': { seen: true, spoken: false, reasonNotSeen: false, reasonNotSpoken: true, at: LEFT, round: 1 } },
          chainPartners: { oma: { at: LEFT, round: 1, partner: false } },
        }),
        { proposedBy: 'anna', approvedBy: 'anna' },
        'c2',
      ),
      settings,
    );
    const figures = qualityFigures([
      { caseId: 'c1', facts: good },
      { caseId: 'c2', facts: poor },
    ]);
    const figure = (met: number, justified: number, missing: number, casesJustified: string[], casesMissing: string[]) => ({
      applicable: met + justified + missing,
      met,
      justified,
      missing,
      share: Math.round((met / (met + justified + missing)) * 1000) / 1000,
      casesJustified,
      casesMissing,
      casesJustifiedTruncated: false,
      casesMissingTruncated: false,
    });
    expect(figures.safetyPlanWhereUnsafe).toEqual(figure(1, 0, 1, [], ['c2']));
    expect(figures.childrenSeen).toEqual(figure(4, 0, 2, [], ['c2']));
    // c2's three-year-old need not be spoken with; its eight-year-old was not, for a reason; the child of unknown age has no contact.
    expect(figures.childrenSpokenFromAge).toEqual(figure(2, 1, 1, ['c2'], ['c2']));
    expect(figures.decisionsByTwoProfessionals).toEqual(figure(1, 0, 0, [], []));
    expect(figures.closuresByTwoProfessionals).toEqual(figure(0, 0, 1, [], ['c2']));
    expect(figures.vulnerablePersonsWithChainPartner).toEqual(figure(1, 1, 0, ['c2'], []));
    expect(figures.informalNetworkInvolved).toEqual(figure(1, 0, 1, [], ['c2']));
  });

  it('gives no share when nothing applies', () => {
    expect(qualityFigures([]).childrenSeen).toEqual({ applicable: 0, met: 0, justified: 0, missing: 0, share: null, casesJustified: [], casesMissing: [], casesJustifiedTruncated: false, casesMissingTruncated: false });
  });
});

describe('sortedValues', () => {
  it('expands a histogram of werkdagen into sorted values', () => {
    expect(sortedValues({ 12: 2, 3: 1, 7: 3 })).toEqual([3, 7, 7, 7, 12, 12]);
    expect(sortedValues(undefined)).toEqual([]);
  });
});
