import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { authorize, canReadTeam } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { recordOnCase } from './case-record';
import type { DeadlineTimer } from './deadline-timer';
import { deadlineRepository as repo } from './deadline.repository';

/** Opschorting and verlenging of an open deadline (`POST /v1/deadlines/:id/adjustments`). */
export class DeadlineAdjustmentService {
  constructor(private readonly o: { db: Database; clock: Clock; calendar: AwtCalendar; timer: DeadlineTimer; warningWerkdagen: number; audit: AuditTrail; newId?: () => string }) {}

  /**
   * Records an opschorting (pause) or verlenging (extension) of an open deadline: the end moves by whole werkdagen;
   * `originalDueAt` keeps the statutory term for the reports.
   */
  async adjust(p: Principal, deadlineId: string, input: { kind: 'opschorting' | 'verlenging'; werkdagen: number; reason: string }) {
    authorize(p, 'deadline.adjust');
    const cal = this.o.calendar;
    const moved = await this.o.db.transaction().execute(async (trx) => {
      const locked = await repo.lockDeadlineRow(trx, deadlineId);
      if (!locked) throw new AppError('DEADLINE.NOT_FOUND', `deadline ${deadlineId} does not exist`);
      const { deadline: d, case: c } = locked;
      if (!canReadTeam(p, c.team_id)) throw new AppError('DEADLINE.NOT_FOUND', `deadline ${deadlineId} does not exist or is not your team's`);
      if (d.status !== 'open') throw new AppError('DEADLINE.NOT_OPEN', `deadline ${deadlineId} is ${d.status}; only an open deadline can be adjusted`);
      const now = this.o.clock.now();
      const dueAt = cal.endOfLocalDay(cal.addWerkdagen(cal.localDate(d.due_at), input.werkdagen));
      const row = await repo.moveDeadline(trx, d.id, dueAt, cal.warningMoment(dueAt, this.o.warningWerkdagen));
      await repo.insertAdjustment(trx, { id: (this.o.newId ?? randomUUID)(), deadline_id: d.id, kind: input.kind, werkdagen: input.werkdagen, reason: input.reason, by: p.sub, at: now, due_before: d.due_at, due_after: dueAt });
      const payload = { deadlineId: d.id, kind: input.kind, werkdagen: input.werkdagen, reason: input.reason, dueBefore: d.due_at.toISOString(), dueAfter: dueAt.toISOString() };
      await recordOnCase(trx, this.o, p, { caseId: c.id, at: now, type: 'DEADLINE_ADJUSTED', subjectId: d.id, payload });
      return { before: d, after: row };
    });
    // After the commit the deadline's timer moves to its new next moment (one entry per deadline: overwritten); if
    // Redis fails now the change stands and the reconciler restores the timer.
    await this.o.timer.syncDeadlines([moved.after]).catch(() => undefined);
    return moved.after;
  }
}
