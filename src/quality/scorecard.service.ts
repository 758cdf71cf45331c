import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { QualityExpectationRecordRow } from '../../db/schema';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { expectationById, type FigureId } from '../../workflows/quality/expectations';
import { evaluateScorecard, normKey, trendQuarters, type EvaluatedExpectation, type OrganisationalStatus } from '../../workflows/quality/scorecard';
import { protectShare, protectTable, type DisclosureSettings } from '../../workflows/reporting/disclosure';
import type { VtRegion } from '../../workflows/reference/gemeenten';
import type { Principal } from '../auth/principal';
import type { QualityService } from '../reporting/quality.service';
import type { Clock } from '../shared/clock';
import { AppError, validationError } from '../shared/errors';
import { figureReading } from './scorecard-adapter';
import { scorecardRepository as repo } from './scorecard.repository';
import { authorize } from '../auth/permissions';

export interface ScorecardOptions {
  db: Database;
  clock: Clock;
  calendar: AwtCalendar;
  quality: QualityService;
  region: VtRegion;
  disclosure: DisclosureSettings;
  newId?: () => string;
}

/** What holds at a moment: the latest status and norm of each expectation recorded before it. */
function recordsAsOf(rows: QualityExpectationRecordRow[], until: Date) {
  const norms = new Map<string, number>();
  const organisational = new Map<string, OrganisationalStatus>();
  for (const r of rows) {
    if (r.set_at >= until) continue;
    if (r.kind === 'norm' && r.figure && r.norm !== null) norms.set(normKey(r.expectation_id, r.figure as FigureId), r.norm);
    if (r.kind === 'status' && r.status) organisational.set(r.expectation_id, { status: r.status, evidence: r.evidence, setBy: r.set_by, setAt: r.set_at.toISOString() });
  }
  return { norms, organisational };
}

/**
 * The Inspectie's scorecard: every catalogued expectation evaluated for a period from the quality report and the
 * managers' records, a headline as the inspection words it, and the trend per quarter. Region-wide: staff see the
 * cases falling short (a teamleider only those of their teams); gemeente tokens see aggregates under disclosure control.
 */
export class ScorecardService {
  private readonly newId: () => string;

  constructor(private readonly o: ScorecardOptions) {
    this.newId = o.newId ?? randomUUID;
  }

  private authorise(p: Principal): 'manager' | 'teamleider' | 'gemeente' {
    authorize(p, 'scorecard.read');
    if (p.role === 'manager' || p.role === 'teamleider') return p.role;
    if (p.role === 'gemeente') {
      if (!this.o.region.gemeenten.some((g) => g.code === p.gemeente)) throw new AppError('AUTH.FORBIDDEN', `gemeente ${p.gemeente ?? ''} is not of region ${this.o.region.name}`);
      return 'gemeente';
    }
    throw new AppError('AUTH.FORBIDDEN', `role ${p.role} does not read the scorecard`);
  }

  /** Evaluates every expectation over [from, to] (local dates) as the records stood at the end of the period (or now). */
  private async evaluate(from: string, to: string, rows: QualityExpectationRecordRow[]) {
    // The quality report, read for the whole region: the scorecard is the organisation's, not a team's.
    const report = await this.o.quality.report({ sub: 'scorecard', role: 'manager', teams: [], gemeente: null }, { from, to });
    const end = new Date(Math.min(this.o.calendar.endOfLocalDay(to).getTime() + 1, this.o.clock.now().getTime() + 1));
    const { norms, organisational } = recordsAsOf(rows, end);
    return evaluateScorecard({ figure: (id) => figureReading(report, id), norms, organisational });
  }

  async scorecard(p: Principal, q: { from: string; to: string }) {
    const audience = this.authorise(p);
    if (q.from > q.to) throw validationError([{ field: 'to', rule: 'must not be before from' }]);
    const rows = await repo.recordsUntil(this.o.db, new Date(this.o.clock.now().getTime() + 1));
    const card = await this.evaluate(q.from, q.to, rows);
    const trend = [];
    for (const quarter of trendQuarters(q.from, q.to)) {
      const to = quarter.to < q.to ? quarter.to : q.to;
      const { headline } = await this.evaluate(quarter.from, to, rows);
      trend.push({ quarter: quarter.label, from: quarter.from, to, headline });
    }
    const expectations =
      audience === 'gemeente' ? this.forGemeente(card.expectations) : audience === 'teamleider' ? await this.forTeams(card.expectations, p.teams) : card.expectations;
    return { period: { from: q.from, to: q.to }, region: this.o.region.id, audience, headline: card.headline, expectations, trend };
  }

  /** A teamleider sees the region's figures, but only the cases of their own teams among those falling short. */
  private async forTeams(expectations: EvaluatedExpectation[], teams: string[]) {
    const all = [...new Set(expectations.flatMap((e) => e.figures.flatMap((f) => f.casesFallingShort)))];
    const own = new Set(await repo.casesOfTeams(this.o.db, all, teams));
    return expectations.map((e) => ({ ...e, figures: e.figures.map((f) => ({ ...f, casesFallingShort: f.casesFallingShort.filter((id) => own.has(id)) })) }));
  }

  /** Aggregates only: counts and shares pass disclosure control, no case ids, no evidence text, no staff names. */
  private forGemeente(expectations: EvaluatedExpectation[]) {
    const cells = new Map<string, number>();
    const relations: Array<{ total: string; parts: string[] }> = [];
    for (const e of expectations) {
      for (const f of e.figures) {
        const id = `${e.id}/${f.figure}`;
        cells.set(`${id}/total`, f.total);
        cells.set(`${id}/met`, f.met);
        cells.set(`${id}/short`, f.total - f.met);
        relations.push({ total: `${id}/total`, parts: [`${id}/met`, `${id}/short`] });
      }
    }
    const table = protectTable({ cells, relations }, this.o.disclosure);
    return expectations.map((e) => ({
      id: e.id,
      kind: e.kind,
      theme: e.theme,
      text: e.text,
      definition: e.definition,
      source: e.source,
      failedIn2017: e.failedIn2017,
      status: e.status,
      ...(e.reason ? { reason: e.reason } : {}),
      figures: e.figures.map((f) => {
        const id = `${e.id}/${f.figure}`;
        return {
          figure: f.figure,
          norm: f.norm,
          status: f.status,
          ...(f.reason ? { reason: f.reason } : {}),
          met: table.counts.get(`${id}/met`)!,
          total: table.counts.get(`${id}/total`)!,
          share: protectShare({ numerator: f.met, denominator: f.total }, table, { numerator: `${id}/met`, denominator: `${id}/total` }),
        };
      }),
      organisational: e.organisational ? { status: e.organisational.status, setAt: e.organisational.setAt } : null,
    }));
  }

  /** A manager sets the status of an organisational expectation, with the evidence it rests on. */
  async setStatus(p: Principal, id: string, input: { status: 'met' | 'not_met'; evidence: string }) {
    this.requireManager(p);
    const e = expectationById(id);
    if (!e) throw new AppError('QUALITY.NOT_FOUND', `expectation ${id} is not in the catalogue`);
    if (e.kind !== 'organisational') throw new AppError('QUALITY.STATUS_NOT_ALLOWED', `expectation ${id} is measured from case data; set its norm instead`);
    const row = await repo.insert(this.o.db, { id: this.newId(), expectation_id: id, kind: 'status', figure: null, status: input.status, norm: null, evidence: input.evidence, set_by: p.sub, set_role: p.role, set_at: this.o.clock.now() });
    return recordView(row);
  }

  /** A manager sets the norm of one figure of a measured expectation (a share, 0..1), with the reason. */
  async setNorm(p: Principal, id: string, input: { figure: string; norm: number; evidence: string }) {
    this.requireManager(p);
    const e = expectationById(id);
    if (!e) throw new AppError('QUALITY.NOT_FOUND', `expectation ${id} is not in the catalogue`);
    if (e.kind !== 'measured') throw new AppError('QUALITY.STATUS_NOT_ALLOWED', `expectation ${id} is organisational; set its status instead`);
    if (!e.figures.some((f) => f.figure === input.figure)) {
      throw validationError([{ field: 'figure', rule: `must be one of ${e.figures.map((f) => f.figure).join(', ')}` }]);
    }
    const row = await repo.insert(this.o.db, { id: this.newId(), expectation_id: id, kind: 'norm', figure: input.figure, status: null, norm: input.norm, evidence: input.evidence, set_by: p.sub, set_role: p.role, set_at: this.o.clock.now() });
    return recordView(row);
  }

  /** The catalogue entry with every status and norm ever recorded for it (staff). */
  async expectation(p: Principal, id: string) {
    authorize(p, 'expectation-records.read');
    const e = expectationById(id);
    if (!e) throw new AppError('QUALITY.NOT_FOUND', `expectation ${id} is not in the catalogue`);
    return { expectation: e, history: (await repo.history(this.o.db, id)).map(recordView) };
  }

  private requireManager(p: Principal): void {
    authorize(p, 'expectation.record');
  }
}

function recordView(r: QualityExpectationRecordRow) {
  return { id: r.id, expectationId: r.expectation_id, kind: r.kind, figure: r.figure, status: r.status, norm: r.norm, evidence: r.evidence, setBy: r.set_by, setRole: r.set_role, setAt: r.set_at.toISOString() };
}
