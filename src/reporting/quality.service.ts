import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { qualityFigure, type LeavingFigure, type QualityFigure } from '../../workflows/reporting/quality';
import type { Principal } from '../auth/principal';
import { AppError, validationError } from '../shared/errors';
import { qualityRepository as repo, SHORT_LIST_LIMIT, type FigureCounts } from './quality.repository';

/** A figure from its sums; the cases falling short, most recent first, each once, at most SHORT_LIST_LIMIT of them. */
function figureOf(c: FigureCounts): QualityFigure {
  return qualityFigure(Number(c.applicable), Number(c.met), [...new Set(c.short)], c.shortCount > SHORT_LIST_LIMIT);
}

/** The inspection's figures for Veilig Thuis itself, per period and team (teamleider: own teams; manager: any). */
export class QualityService {
  constructor(private readonly o: { db: Database; calendar: AwtCalendar }) {}

  async report(p: Principal, q: { from: string; to: string; team?: string }) {
    let teams: string[] | 'all';
    if (p.role === 'manager') teams = q.team ? [q.team] : 'all';
    else if (p.role === 'teamleider') {
      if (q.team && !p.teams.includes(q.team)) throw new AppError('AUTH.FORBIDDEN', `you are not teamleider of ${q.team}`);
      teams = q.team ? [q.team] : p.teams;
    } else throw new AppError('AUTH.FORBIDDEN', `role ${p.role} does not read the quality report`);
    if (q.from > q.to) throw validationError([{ field: 'to', rule: 'must not be before from' }]);
    const from = this.o.calendar.startOfLocalDay(q.from);
    const to = new Date(this.o.calendar.endOfLocalDay(q.to).getTime() + 1);

    const [leaving, assessments, starts, onderzoeken, contacts, checks] = await Promise.all([
      repo.leaving(this.o.db, teams, from, to),
      repo.termsMet(this.o.db, teams, 'veiligheidsbeoordeling', from, to),
      repo.termsMet(this.o.db, teams, 'onderzoek_start', from, to),
      repo.termsMet(this.o.db, teams, 'onderzoek', from, to),
      repo.termsMet(this.o.db, teams, 'monitoringscontact', from, to),
      repo.monitoringChecks(this.o.db, teams, from, to),
    ]);
    return {
      period: { from: q.from, to: q.to },
      teams,
      meldingenLeavingVt: leaving.count,
      figures: {
        ...(Object.fromEntries(Object.entries(leaving.figures).map(([name, c]) => [name, figureOf(c)])) as Record<LeavingFigure, QualityFigure>),
        assessmentsWithinTerm: figureOf(assessments),
        onderzoekenStartedWithinTerm: figureOf(starts),
        onderzoekenWithinTerm: figureOf(onderzoeken),
        monitoringContactsOnTime: figureOf(contacts),
        monitoringCheckedViolenceStopped: figureOf(checks),
      },
    };
  }
}
