import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { qualityFigure, type LeavingFigure, type QualityFigure } from '../../workflows/reporting/quality';
import type { Principal } from '../auth/principal';
import type { Clock } from '../shared/clock';
import { validationError } from '../shared/errors';
import { qualityRepository as repo, SHORT_LIST_LIMIT, type FigureSums, type MonitoringFigure } from './quality.repository';
import { authorize, scopeOf } from '../auth/permissions';

/** A figure from its sums; the cases behind the justified and missing counts, most recent first, each once. */
function figureOf(c: FigureSums): QualityFigure {
  return qualityFigure(
    { met: Number(c.met), justified: Number(c.justified), missing: Number(c.missing) },
    { justified: [...new Set(c.casesJustified)], missing: [...new Set(c.casesMissing)] },
    { justified: c.justifiedCount > SHORT_LIST_LIMIT, missing: c.missingCount > SHORT_LIST_LIMIT },
  );
}

/** The inspection's figures for Veilig Thuis itself, per period and team (teamleider: own teams; manager: any). */
export class QualityService {
  constructor(private readonly o: { db: Database; calendar: AwtCalendar; clock: Clock }) {}

  async report(p: Principal, q: { from: string; to: string; team?: string }) {
    authorize(p, 'quality-report.read', q.team ? { team: q.team } : undefined);
    const teams: string[] | 'all' = q.team ? [q.team] : scopeOf(p, 'quality-report.read') === 'any' ? 'all' : p.teams;
    if (q.from > q.to) throw validationError([{ field: 'to', rule: 'must not be before from' }]);
    const from = this.o.calendar.startOfLocalDay(q.from);
    const to = new Date(this.o.calendar.endOfLocalDay(q.to).getTime() + 1);
    const now = this.o.clock.now();
    const term = (kind: string, due: 'original_due_at' | 'inspection_due_at' = 'original_due_at') => repo.terms(this.o.db, teams, kind, due, from, to, now);

    const [leaving, byRound, plans, assessments, starts, onderzoeken, onderzoekenFromReceipt, contacts, monitoring] = await Promise.all([
      repo.leaving(this.o.db, teams, from, to),
      repo.leavingByRound(this.o.db, teams, from, to),
      repo.plans(this.o.db, teams, from, to),
      term('veiligheidsbeoordeling'),
      term('onderzoek_start'),
      term('onderzoek'),
      term('onderzoek', 'inspection_due_at'),
      term('monitoringscontact'),
      repo.monitoring(this.o.db, teams, from, to),
    ]);
    const { outcomes, ...checks } = monitoring;
    const leavingFigures = (f: Record<LeavingFigure, FigureSums>) => Object.fromEntries(Object.entries(f).map(([name, c]) => [name, figureOf(c)])) as Record<LeavingFigure, QualityFigure>;
    return {
      period: { from: q.from, to: q.to },
      teams,
      meldingenLeavingVt: leaving.count,
      figures: {
        ...leavingFigures(leaving.figures),
        onderzoekenWithPlanVanAanpak: figureOf(plans),
        assessmentsWithinTerm: figureOf(assessments),
        onderzoekenStartedWithinTerm: figureOf(starts),
        onderzoekenWithinTerm: figureOf(onderzoeken),
        onderzoekenWithinTenWeeksOfReceipt: figureOf(onderzoekenFromReceipt),
        monitoringContactsOnTime: figureOf(contacts),
        ...(Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, figureOf(c)])) as Record<MonitoringFigure, QualityFigure>),
      },
      monitoringOutcomes: outcomes,
      /** The leaving figures per round (1: from receipt; a herbeoordeling, return from monitoring or new onderzoek starts the next). */
      rounds: byRound.map((r) => ({ round: r.round, meldingenLeavingVt: r.count, figures: leavingFigures(r.figures) })),
    };
  }
}
