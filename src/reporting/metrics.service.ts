import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { protectShare, protectStatistic, protectTable, type DisclosureSettings, type ProtectedTable } from '../../workflows/reporting/disclosure';
import { ONDERZOEK_OUTCOMES, type OnderzoekOutcome, type VtRegion } from '../../workflows/reference';
import type { Principal } from '../auth/principal';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { sortedValues, type Histograms, type MonthCounts } from '../../workflows/reporting/month-counts';
import { composeCounts, parsePeriod, periodsBetween, type Period } from '../../workflows/reporting/periods';
import { detailLevelFor, groupsOf, GROUP_LABELS, type Breakdown, type DetailLevel } from '../../workflows/reporting/report-plan';
import { add, FIGURES, groupKeys, id, protectRegionTable, REGION, type Cells } from './region-table';
import { metricsRepository as repo } from './metrics.repository';
import { authorize } from '../auth/permissions';

export const LNVT_NORMS = { assessedWithinTerm: 0.9, onderzoekenWithinTerm: 0.8 } as const;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export interface MetricsQuery {
  gemeente?: string;
  /** Period ids of one kind: 'YYYY-MM', 'YYYY-Qn', 'YYYY-Hn' or 'YYYY'. */
  from: string;
  to: string;
}

/** Figures measured at the end of a period (waiting lists, open onderzoeken), not summed over its months. */
const isStock = (cell: string) => cell.startsWith('waiting') || cell.startsWith('onderzoekOpen');

/** 'YYYY-MM' moved by n months (n may be negative). */
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 'YYYY-MM' → the first day of the next month, 'YYYY-MM-DD'. */
function nextMonthStart(month: string): string {
  return `${addMonths(month, 1)}-01`;
}

/**
 * Waiting lists and case mix for municipalities (seed 001: "geen overzicht van type en ernst … wachtlijsten").
 * Every figure is computed for the whole region and passes disclosure control on that full table, so each caller
 * sees a consistent subset and no hidden cell can be derived from a total; months are the finest grain and a range
 * is returned month by month (never summed), so overlapping queries cannot be differenced.
 */

export class MetricsService {
  constructor(private readonly o: { db: Database; clock: Clock; calendar: AwtCalendar; region: VtRegion; disclosure: DisclosureSettings }) {}

  /** A gemeente token sees its own gemeente; the centrumgemeente every gemeente of its region; always with regional totals. */
  authorise(p: Principal, requested: string | undefined): string {
    authorize(p, 'municipal-figures.read');
    const codes = this.o.region.gemeenten.map((g) => g.code);
    if (p.role === 'gemeente') {
      const own = p.gemeente!;
      const target = requested ?? own;
      if (!codes.includes(target)) throw validationError([{ field: 'gemeente', rule: `must be a gemeente of region ${this.o.region.name}` }]);
      if (target !== own && own !== this.o.region.centrumgemeente) throw new AppError('AUTH.FORBIDDEN', `a token for ${own} may not see the figures of ${target}`);
      return target;
    }
    // Any other role holding the permission (manager, beheerder) names the gemeente.
    if (!requested) throw validationError([{ field: 'gemeente', rule: 'is required for your role' }]);
    if (!codes.includes(requested)) throw validationError([{ field: 'gemeente', rule: `must be a gemeente of region ${this.o.region.name}` }]);
    return requested;
  }

  async wachtlijst(p: Principal, q: MetricsQuery) {
    const gemeente = this.authorise(p, q.gemeente);
    const periods = this.periods(q.from, q.to);
    const current = this.currentMonth();
    const months = [...new Set(periods.flatMap((pe) => pe.months))].filter((m) => m <= current);
    const cached = await repo.storedMonths(this.o.db, months);
    const counted = new Map<string, MonthCounts>();
    for (const month of months) counted.set(month, await this.monthCounts(month, cached));
    const results = periods.map((period) => this.publishPeriod(period, counted, gemeente));
    const trend = await this.trend(months, gemeente);
    return {
      region: { id: this.o.region.id, name: this.o.region.name },
      gemeente,
      period: periods[0]!.kind,
      disclosure: {
        rules: [
          `counts are rounded to multiples of ${this.o.disclosure.roundTo}`,
          `counts under ${this.o.disclosure.minCount} (including 0) are suppressed and shown as suppressed, never as 0`,
          'secondary suppression: where one figure of a total would be hidden, another is hidden too',
          'shares are computed from unrounded counts and hidden with their counts',
          "fixed periods only (month, quarter, half-year, year), each rounded and suppressed on its own counts; ranges are given period by period, never summed",
          "a gemeente's figures use the categories of its report plan, fixed by its number of inhabitants and the same in every period (gemeenteCategories)",
        ],
        ...this.o.disclosure,
      },
      /** The categories of the region's figures (every category; not yet assessed counts with no unsafety found, see the docs). */
      categories: { violenceTypes: groupsOf('fijn', 'violence'), severities: groupsOf('fijn', 'severity'), melderTypes: groupsOf('fijn', 'melder'), reports: groupsOf('fijn', 'report') },
      /** The categories of the gemeente's own figures (its report plan, by inhabitants; the same in every period kind), with labels of the groups. */
      gemeenteCategories: this.gemeenteCategories(gemeente),
      norms: LNVT_NORMS,
      periods: results,
      /** The same figures under their former name, for month queries. */
      months: results.filter((r) => r.kind === 'month').map(({ period, kind: _kind, firstMonth: _f, lastMonth: _l, ...rest }) => ({ month: period, ...rest })),
      trend,
    };
  }

  private gemeenteCategories(gemeente: string) {
    const level = detailLevelFor(this.o.region.gemeenten.find((g) => g.code === gemeente)?.inhabitants);
    const groups = (b: Breakdown) => groupsOf(level, b);
    const all = [...groups('violence'), ...groups('severity'), ...groups('melder'), ...groups('report')];
    return {
      detail: level,
      violenceTypes: groups('violence'),
      severities: groups('severity'),
      melderTypes: groups('melder'),
      reports: groups('report'),
      groupLabels: Object.fromEntries(all.filter((g) => g in GROUP_LABELS).map((g) => [g, GROUP_LABELS[g]!])),
    };
  }

  /** Nightly: counts the complete months of the last three years not yet kept, so no municipality waits for them. */
  async countCompleteMonths(back = 36): Promise<number> {
    const current = this.currentMonth();
    const months = Array.from({ length: back }, (_, i) => addMonths(current, -(i + 1)));
    const kept = await repo.storedMonths(this.o.db, months);
    let counted = 0;
    for (const month of months.filter((mo) => !kept.has(mo))) {
      const { from, to } = this.bounds(month);
      const generation = await repo.generation(this.o.db);
      await repo.storeMonth(this.o.db, month, to, this.o.clock.now(), await this.count(from, to), generation);
      counted += 1;
    }
    return counted;
  }

  private currentMonth(): string {
    return this.o.calendar.localDate(this.o.clock.now()).slice(0, 7);
  }

  private periods(fromId: string, toId: string): Period[] {
    const from = parsePeriod(fromId);
    const to = parsePeriod(toId);
    if (!from) throw validationError([{ field: 'from', rule: 'must be a period: YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY' }]);
    if (!to) throw validationError([{ field: 'to', rule: 'must be a period: YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY' }]);
    if (from.kind !== to.kind) throw validationError([{ field: 'to', rule: `must be a period of the same kind as from (${from.kind})` }]);
    if (from.months[0]! > to.months[0]!) throw validationError([{ field: 'to', rule: 'must not be before from' }]);
    if (to.months[0]! > this.currentMonth()) throw validationError([{ field: 'to', rule: 'must not be a period in the future' }]);
    const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
    if (index(to.months[to.months.length - 1]!) - index(from.months[0]!) + 1 > 36) throw validationError([{ field: 'from', rule: 'a range covers at most 36 months' }]);
    return periodsBetween(from, to);
  }

  private bounds(month: string) {
    const next = nextMonthStart(month);
    const from = this.o.calendar.startOfLocalDay(`${month}-01`);
    const end = this.o.calendar.startOfLocalDay(next);
    const now = this.o.clock.now();
    return { from, to: end < now ? end : now, complete: end <= now };
  }

  /** One month's raw counts: counted live, or for a complete month read from `metrics_monthly` once counted. */
  private async monthCounts(month: string, cached: Map<string, MonthCounts>): Promise<MonthCounts> {
    const { from, to, complete } = this.bounds(month);
    let counts = complete ? cached.get(month) : undefined;
    if (!counts) {
      const generation = await repo.generation(this.o.db);
      counts = await this.count(from, to);
      if (complete) await repo.storeMonth(this.o.db, month, to, this.o.clock.now(), counts, generation);
    }
    return counts;
  }

  /** A period's figures: its raw counts composed from its months' raw counts, then disclosure control on those. */
  private publishPeriod(period: Period, counted: Map<string, MonthCounts>, gemeente: string) {
    const present = period.months.filter((m) => counted.has(m));
    const counts = composeCounts(present.map((m) => counted.get(m)!), isStock);
    const lastBounds = this.bounds(present[present.length - 1]!);
    const complete = present.length === period.months.length && lastBounds.complete;
    const published = this.publish(complete, lastBounds.to, counts, gemeente);
    return { period: period.id, kind: period.kind, firstMonth: period.months[0]!, lastMonth: period.months[period.months.length - 1]!, ...published };
  }

  /** The raw counts of one month for every gemeente of the region and the region itself, before disclosure control. */
  private async count(from: Date, to: Date): Promise<MonthCounts> {
    const db = this.o.db;
    const codes = this.o.region.gemeenten.map((g) => g.code);
    const [received, byType, adviezen, waiting, waitingOnderzoek, startsPastTerm, onderzoekOpen, assessed, onderzoekMet, handovers, confirmations, statutory, fromReceipt, outcomes] = await Promise.all([
      repo.received(db, from, to),
      repo.receivedByViolenceType(db, from, to),
      repo.adviezen(db, from, to),
      repo.assessmentsRunningAt(db, to),
      repo.waitingForOnderzoekAt(db, to),
      repo.startTermsPastAt(db, to),
      repo.onderzoekenRunningAt(db, to),
      repo.metIn(db, 'veiligheidsbeoordeling', from, to),
      repo.metIn(db, 'onderzoek', from, to),
      repo.openedIn(db, 'overdrachtsbevestiging', from, to),
      repo.metIn(db, 'overdrachtsbevestiging', from, to),
      repo.onderzoekTermsDecidedIn(db, 'original_due_at', from, to),
      repo.onderzoekTermsDecidedIn(db, 'inspection_due_at', from, to),
      repo.onderzoekOutcomes(db, from, to),
    ]);

    const cells: Cells = new Map();
    for (const scope of [...codes, REGION]) for (const f of FIGURES) cells.set(id(f, scope), 0);
    const both = (figure: string, g: string, n: number) => {
      add(cells, figure, g, n);
      add(cells, figure, REGION, n);
    };
    const ages: Histograms = { [REGION]: {} };
    const waits: Histograms = { [REGION]: {} };
    const count = (h: Histograms, g: string, value: number, n: number) => {
      for (const scope of [g, REGION]) {
        const bucket = (h[scope] ??= {});
        bucket[value] = (bucket[value] ?? 0) + n;
      }
    };
    // Ages in werkdagen from a local day (its first moment) to `to`: one calendar computation per distinct day.
    const ageCache = new Map<string, number>();
    const ageSince = (day: string) => {
      let age = ageCache.get(day);
      if (age === undefined) ageCache.set(day, (age = this.o.calendar.werkdagenBetween(this.o.calendar.startOfLocalDay(day), to)));
      return age;
    };
    for (const r of received) {
      both('received', r.gemeente, r.n);
      both(`severity.${r.severity}`, r.gemeente, r.n);
      both(`melder.${r.melder}`, r.gemeente, r.n);
      both(`report.${r.report_kind}`, r.gemeente, r.n);
    }
    for (const r of byType) {
      both(`violence.${r.type}`, r.gemeente, r.n);
      both(`cross.${r.type}.${r.severity}`, r.gemeente, r.n);
    }
    for (const o of outcomes) {
      both(`concluded.${o.type}`, o.gemeente, o.n);
      both(`outcome.${o.type}.${o.outcome}`, o.gemeente, o.n);
    }
    for (const a of adviezen) both(a.type === null ? 'adviezen' : `advies.${a.type}`, a.gemeente, a.n);
    for (const w of waiting) {
      both('waiting', w.gemeente, w.n);
      both(w.past_term ? 'waiting.pastTerm' : 'waiting.inTerm', w.gemeente, w.n);
      count(ages, w.gemeente, ageSince(w.received_day), w.n);
    }
    const waitingByGemeente = new Map<string, number>();
    for (const w of waitingOnderzoek) {
      both('waitingOnderzoek', w.gemeente, w.n);
      waitingByGemeente.set(w.gemeente, (waitingByGemeente.get(w.gemeente) ?? 0) + w.n);
      count(waits, w.gemeente, ageSince(w.since_day), w.n);
    }
    // Past the start term (art. 4.1.7 lid 1) from its deadline rows; a case that waited from before the term existed has none and counts as in term.
    const pastByGemeente = new Map(startsPastTerm.map((p) => [p.gemeente, p.n]));
    for (const [g, n] of waitingByGemeente) {
      const past = Math.min(n, pastByGemeente.get(g) ?? 0);
      both('waitingOnderzoek.pastTerm', g, past);
      both('waitingOnderzoek.inTerm', g, n - past);
    }
    for (const o of onderzoekOpen) {
      both('onderzoekOpen', o.gemeente, o.n);
      both(o.past_term ? 'onderzoekOpen.pastTerm' : 'onderzoekOpen.inTerm', o.gemeente, o.n);
    }
    for (const a of assessed) {
      both('assessed', a.gemeente, a.met);
      both('assessed.inTime', a.gemeente, a.in_time);
      both('assessed.late', a.gemeente, a.met - a.in_time);
    }
    for (const a of onderzoekMet) {
      both('onderzoekDone', a.gemeente, a.met);
      both('onderzoekDone.inTime', a.gemeente, a.in_time);
      both('onderzoekDone.late', a.gemeente, a.met - a.in_time);
    }
    for (const [figure, rows] of [['onderzoekTerm', statutory], ['onderzoekReceipt', fromReceipt]] as const) {
      for (const r of rows) {
        both(figure, r.gemeente, r.in_time + r.failing);
        both(`${figure}.inTime`, r.gemeente, r.in_time);
        both(`${figure}.failing`, r.gemeente, r.failing);
      }
    }
    for (const h of handovers) both('handovers', h.gemeente, h.n);
    for (const c of confirmations) both('handoverConfirmations', c.gemeente, c.met);
    return { cells: Object.fromEntries(cells), ages, waits };
  }

  /**
   * Disclosure control over the whole region's table (`protectRegionTable`, region-table.ts), then the caller's
   * gemeente (at the detail of its report plan) and the region (every category, and at the gemeente's detail).
   */
  private publish(complete: boolean, asOf: Date, counts: MonthCounts, gemeente: string) {
    const { table, cells, levelOf } = protectRegionTable(this.o.region, counts, this.o.disclosure);
    const level = levelOf.get(gemeente)!;
    const scopeFigures = (scope: string, at: DetailLevel) => this.scopeFigures(table, cells, scope, at, sortedValues(counts.ages[scope]), sortedValues(counts.waits[scope]));
    return { complete, asOf: asOf.toISOString(), detail: level, gemeente: scopeFigures(gemeente, level), region: scopeFigures(REGION, 'fijn'), regionAtGemeenteDetail: scopeFigures(REGION, level) };
  }

  /** `ages` and `onderzoekWaits` come sorted. */
  private scopeFigures(t: ProtectedTable, raw: Cells, scope: string, level: DetailLevel, ages: number[], onderzoekWaits: number[]) {
    const count = (f: string) => t.counts.get(id(f, scope))!;
    const share = (num: string, den: string) => protectShare({ numerator: raw.get(id(num, scope))!, denominator: raw.get(id(den, scope))! }, t, { numerator: id(num, scope), denominator: id(den, scope) });
    const sorted = ages;
    const waits = onderzoekWaits;
    const byGroup = (prefix: string, b: Breakdown) => Object.fromEntries(groupKeys(level, b).map(([g, key]) => [g, count(`${prefix}.${key}`)]));
    return {
      received: count('received'),
      byViolenceType: byGroup('violence', 'violence'),
      bySeverity: byGroup('severity', 'severity'),
      byMelderType: byGroup('melder', 'melder'),
      byReport: byGroup('report', 'report'),
      /** Meldingen by type of violence × severity as assessed (a melding with several types counts under each). */
      byViolenceTypeAndSeverity: Object.fromEntries(groupKeys(level, 'violence').map(([v, vKey]) => [v, Object.fromEntries(groupKeys(level, 'severity').map(([s, sKey]) => [s, count(`cross.${vKey}.${sKey}`)]))])),
      adviezen: { count: count('adviezen'), byViolenceType: byGroup('advies', 'violence') },
      /**
       * Onderzoeken concluded in the period, per type of violence the conclusion gave an outcome for: how many, and
       * per outcome (bevestigd, niet_bevestigd, geen_oordeel_mogelijk; art. 4.3.2 h). One with several types counts
       * under each. A concluded count is the sum of its outcomes, so secondary suppression holds across them.
       */
      // A gemeente under 100,000 inhabitants reads them in the region's figures at its detail, as the onderzoek terms.
      onderzoekOutcomes: scope !== REGION && level === 'beknopt' ? null : Object.fromEntries(
        groupKeys(level, 'violence').map(([v, vKey]) => [v, { concluded: count(`concluded.${vKey}`), ...(Object.fromEntries(ONDERZOEK_OUTCOMES.map((o) => [o, count(`outcome.${vKey}.${o}`)])) as Record<OnderzoekOutcome, ReturnType<typeof count>>) }]),
      ),
      waitingForAssessment: {
        count: count('waiting'),
        pastTerm: count('waiting.pastTerm'),
        ageWerkdagenP50: protectStatistic(percentile(sorted, 0.5), t, id('waiting', scope)),
        ageWerkdagenP90: protectStatistic(percentile(sorted, 0.9), t, id('waiting', scope)),
      },
      waitingForOnderzoekStart: {
        count: count('waitingOnderzoek'),
        pastTerm: count('waitingOnderzoek.pastTerm'),
        waitedWerkdagenP50: protectStatistic(percentile(waits, 0.5), t, id('waitingOnderzoek', scope)),
        waitedWerkdagenP90: protectStatistic(percentile(waits, 0.9), t, id('waitingOnderzoek', scope)),
      },
      openOnderzoeken: { count: count('onderzoekOpen'), pastTerm: count('onderzoekOpen.pastTerm') },
      assessedWithinTerm: { assessed: count('assessed'), withinTerm: count('assessed.inTime'), share: share('assessed.inTime', 'assessed'), norm: LNVT_NORMS.assessedWithinTerm },
      onderzoekenWithinTerm: { finished: count('onderzoekDone'), withinTerm: count('onderzoekDone.inTime'), share: share('onderzoekDone.inTime', 'onderzoekDone'), norm: LNVT_NORMS.onderzoekenWithinTerm },
      /**
       * Onderzoek terms decided in the period, running ones included: met in time in the period they were met,
       * failing in the period their end passed (still running, late, or cancelled after it). Statutory: ten weeks
       * from the decision (art. 4.1.7 lid 2); fromReceipt: the inspection's ten weeks from receipt of the melding.
       */
      // A gemeente under 100,000 inhabitants has a handful of onderzoeken whose ten weeks end in a half-year: split
      // two ways into within term and failing, nearly every cell would be under 10 and hidden (and would hide others
      // through secondary suppression). It reads both measures in the region's figures at its detail instead.
      onderzoekTerms: scope !== REGION && level === 'beknopt' ? null : {
        statutory: { counted: count('onderzoekTerm'), withinTerm: count('onderzoekTerm.inTime'), failing: count('onderzoekTerm.failing'), share: share('onderzoekTerm.inTime', 'onderzoekTerm'), norm: LNVT_NORMS.onderzoekenWithinTerm },
        fromReceipt: { counted: count('onderzoekReceipt'), withinTerm: count('onderzoekReceipt.inTime'), failing: count('onderzoekReceipt.failing'), share: share('onderzoekReceipt.inTime', 'onderzoekReceipt'), norm: LNVT_NORMS.onderzoekenWithinTerm },
      },
      handovers: count('handovers'),
      handoverConfirmations: count('handoverConfirmations'),
    };
  }

  /** The waiting list over time, from the nightly snapshot: the last snapshot of each month. */
  private async trend(months: string[], gemeente: string) {
    const codes = this.o.region.gemeenten.map((g) => g.code);
    if (months.length === 0) return [];
    const first = months[0]!;
    const last = months[months.length - 1]!;
    const rows = await repo.monthlyTrend(this.o.db, `${first}-01`, nextMonthStart(last));
    return months.map((month) => {
      const cells: Cells = new Map();
      const figures = ['waitingAssessment', 'waitingOnderzoekStart', 'inOnderzoek', 'overdue'];
      for (const scope of [...codes, REGION]) for (const f of figures) cells.set(id(f, scope), 0);
      const present = rows.filter((r) => r.month === month);
      for (const r of present) {
        const values = [['waitingAssessment', r.waiting_assessment], ['waitingOnderzoekStart', r.waiting_onderzoek], ['inOnderzoek', r.in_onderzoek], ['overdue', r.overdue]] as const;
        for (const [f, n] of values) {
          add(cells, f, r.gemeente, n);
          add(cells, f, REGION, n);
        }
      }
      const table = protectTable({ cells, relations: figures.map((f) => ({ total: id(f, REGION), parts: codes.map((g) => id(f, g)) })) }, this.o.disclosure);
      const pick = (scope: string) => Object.fromEntries(figures.map((f) => [f, table.counts.get(id(f, scope))!]));
      return { month, snapshot: present.length > 0, gemeente: pick(gemeente), region: pick(REGION) };
    });
  }
}
