import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { qualityFigure, qualityFigures, type QualityFigure } from '../../workflows/reporting/quality';
import type { Principal } from '../auth/principal';
import { AppError, validationError } from '../shared/errors';
import { qualityRepository as repo } from './quality.repository';

function termFigure(rows: Array<{ case_id: string; ok: boolean }>): QualityFigure {
  const short = [...new Set(rows.filter((r) => !r.ok).map((r) => r.case_id))];
  return qualityFigure(rows.length, rows.filter((r) => r.ok).length, short);
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

    const [leaving, assessments, onderzoeken, contacts, checks] = await Promise.all([
      repo.leaving(this.o.db, teams, from, to),
      repo.termsMet(this.o.db, teams, 'veiligheidsbeoordeling', from, to),
      repo.termsMet(this.o.db, teams, 'onderzoek', from, to),
      repo.termsMet(this.o.db, teams, 'monitoringscontact', from, to),
      repo.monitoringChecks(this.o.db, teams, from, to),
    ]);
    return {
      period: { from: q.from, to: q.to },
      teams,
      meldingenLeavingVt: leaving.length,
      figures: {
        ...qualityFigures(leaving.map((l) => ({ caseId: l.case_id, facts: l.facts }))),
        assessmentsWithinTerm: termFigure(assessments.map((r) => ({ case_id: r.case_id, ok: r.in_time }))),
        onderzoekenWithinTerm: termFigure(onderzoeken.map((r) => ({ case_id: r.case_id, ok: r.in_time }))),
        monitoringContactsOnTime: termFigure(contacts.map((r) => ({ case_id: r.case_id, ok: r.in_time }))),
        monitoringCheckedViolenceStopped: termFigure(checks.map((r) => ({ case_id: r.case_id, ok: r.checked }))),
      },
    };
  }
}
