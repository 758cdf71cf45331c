import { EXPECTATIONS, FIGURES_PENDING, type Expectation, type FigureId } from './expectations';

/** One figure as the scorecard reads it: how many met the requirement of how many it applies to, and who fell short. */
export interface FigureReading {
  met: number;
  total: number;
  casesFallingShort: string[];
  casesFallingShortTruncated: boolean;
}

export const EXPECTATION_STATUSES = ['met', 'not_met', 'not_measurable'] as const;
export type ExpectationStatus = (typeof EXPECTATION_STATUSES)[number];

/** A manager's judgement of an organisational expectation, with the evidence it rests on. */
export interface OrganisationalStatus {
  status: 'met' | 'not_met';
  evidence: string;
  setBy: string;
  setAt: string;
}

export interface EvaluatedFigure {
  figure: FigureId;
  met: number;
  total: number;
  share: number | null;
  norm: number;
  status: ExpectationStatus;
  /** Why it cannot be measured, when it cannot. */
  reason?: string;
  casesFallingShort: string[];
  casesFallingShortTruncated: boolean;
}

export interface EvaluatedExpectation {
  id: string;
  kind: Expectation['kind'];
  theme: Expectation['theme'];
  text: string;
  definition: string;
  source: string;
  failedIn2017: boolean;
  status: ExpectationStatus;
  reason?: string;
  figures: EvaluatedFigure[];
  organisational: OrganisationalStatus | null;
}

export interface Headline {
  met: number;
  notMet: number;
  notMeasurable: number;
  total: number;
  /** As the inspection words it: "voldoet aan 7 van 19 verwachtingen". */
  text: string;
}

export interface ScorecardInput {
  /** The reading of a figure for the period, or undefined when no report computes it. */
  figure: (id: FigureId) => FigureReading | undefined;
  /** Norms set by a manager, per expectation and figure, replacing the catalogue's defaults. */
  norms: ReadonlyMap<string, number>;
  organisational: ReadonlyMap<string, OrganisationalStatus>;
}

export const normKey = (expectationId: string, figure: FigureId) => `${expectationId}/${figure}`;

function evaluateFigure(expectationId: string, f: { figure: FigureId; norm: number }, input: ScorecardInput): EvaluatedFigure {
  const norm = input.norms.get(normKey(expectationId, f.figure)) ?? f.norm;
  const r = input.figure(f.figure);
  if (!r) {
    const reason = FIGURES_PENDING[f.figure] ?? 'no report computes this figure';
    return { figure: f.figure, met: 0, total: 0, share: null, norm, status: 'not_measurable', reason, casesFallingShort: [], casesFallingShortTruncated: false };
  }
  const share = r.total === 0 ? null : Math.round((r.met / r.total) * 1000) / 1000;
  const base = { figure: f.figure, met: r.met, total: r.total, share, norm, casesFallingShort: r.casesFallingShort, casesFallingShortTruncated: r.casesFallingShortTruncated };
  if (r.total === 0) return { ...base, status: 'not_measurable', reason: 'no case in the period to which it applies' };
  // Compared on raw counts, not the rounded share: 899 of 1000 does not reach 90 %.
  return { ...base, status: r.met >= norm * r.total - 1e-9 ? 'met' : 'not_met' };
}

function combine(statuses: ExpectationStatus[]): ExpectationStatus {
  if (statuses.includes('not_met')) return 'not_met';
  if (statuses.includes('not_measurable')) return 'not_measurable';
  return 'met';
}

export function evaluateExpectation(e: Expectation, input: ScorecardInput): EvaluatedExpectation {
  const base = { id: e.id, kind: e.kind, theme: e.theme, text: e.text, definition: e.definition, source: e.source, failedIn2017: e.failedIn2017 };
  if (e.kind === 'organisational') {
    const o = input.organisational.get(e.id) ?? null;
    if (!o) return { ...base, status: 'not_measurable', reason: 'no status recorded by a manager', figures: [], organisational: null };
    return { ...base, status: o.status, figures: [], organisational: o };
  }
  const figures = e.figures.map((f) => evaluateFigure(e.id, f, input));
  const status = combine(figures.map((f) => f.status));
  const reason = status === 'not_measurable' ? figures.find((f) => f.reason)?.reason : undefined;
  return { ...base, status, ...(reason ? { reason } : {}), figures, organisational: null };
}

export function headlineOf(statuses: ExpectationStatus[]): Headline {
  const met = statuses.filter((s) => s === 'met').length;
  const notMet = statuses.filter((s) => s === 'not_met').length;
  const notMeasurable = statuses.length - met - notMet;
  const text = `voldoet aan ${met} van ${statuses.length} verwachtingen` + (notMeasurable > 0 ? ` (${notMeasurable} niet meetbaar)` : '');
  return { met, notMet, notMeasurable, total: statuses.length, text };
}

export function evaluateScorecard(input: ScorecardInput, catalogue: readonly Expectation[] = EXPECTATIONS) {
  const expectations = catalogue.map((e) => evaluateExpectation(e, input));
  return { headline: headlineOf(expectations.map((e) => e.status)), expectations };
}

/** A calendar quarter as local dates, e.g. { label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' }. */
export interface Quarter {
  label: string;
  from: string;
  to: string;
}

function quarterOf(year: number, q: number): Quarter {
  const first = (q - 1) * 3 + 1;
  const lastDay = new Date(Date.UTC(year, first + 2, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { label: `${year}-Q${q}`, from: `${year}-${mm(first)}-01`, to: `${year}-${mm(first + 2)}-${mm(lastDay)}` };
}

/**
 * The quarters of the trend: every quarter from the one holding `from` to the one holding `to`, and at least the four
 * ending with `to`'s (a shorter period still shows the direction), at most `max`, the latest kept.
 */
export function trendQuarters(from: string, to: string, max = 12): Quarter[] {
  const index = (d: string) => Number(d.slice(0, 4)) * 4 + Math.floor((Number(d.slice(5, 7)) - 1) / 3);
  const last = index(to);
  const first = Math.max(Math.min(index(from), last - 3), last - max + 1);
  const out: Quarter[] = [];
  for (let i = first; i <= last; i += 1) out.push(quarterOf(Math.floor(i / 4), (i % 4) + 1));
  return out;
}
