import { sql } from 'kysely';
import type { AuditLogRow, CaseEventRow, CaseRow, PersonRow } from '../../db/schema';
import type { Executor } from '../../db/executor';

/** The SQL behind a data subject's access request: one person, their case, the events and accesses that name them. */
export const personExportRepository = {
  async caseAndPerson(db: Executor, caseId: string, personId: string): Promise<{ case: CaseRow; person: PersonRow } | undefined> {
    const c = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!c) return undefined;
    const person = await db.selectFrom('persons').selectAll().where('id', '=', personId).where('case_id', '=', caseId).executeTakeFirst();
    return person ? { case: c, person } : undefined;
  },

  /** The case's events whose payload names this person (registration lists every person's id). */
  async eventsNaming(db: Executor, caseId: string, personId: string): Promise<CaseEventRow[]> {
    return db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .where((eb) =>
        eb.or([
          eb(sql`payload->>'personId'`, '=', personId),
          eb(sql`payload->'persons'`, '@>', sql`${JSON.stringify([personId])}::jsonb`),
        ]),
      )
      .orderBy('seq')
      .execute();
  },

  /** How many of the case's events are left out, by type (those that do not name this person). */
  async otherEventCounts(db: Executor, caseId: string, shownIds: string[]): Promise<Array<{ type: string; n: number }>> {
    let q = db.selectFrom('case_events').select(['type', sql<number>`count(*)::int`.as('n')]).where('case_id', '=', caseId);
    if (shownIds.length > 0) q = q.where('id', 'not in', shownIds);
    return q.groupBy('type').orderBy('type').execute();
  },

  /** Other cases on which a person with the same BSN appears (a re-report, or an earlier one). */
  async otherCasesWithBsn(db: Executor, bsn: string, caseId: string): Promise<string[]> {
    const rows = await db.selectFrom('persons').select('case_id').distinct().where('bsn', '=', bsn).where('case_id', '!=', caseId).orderBy('case_id').execute();
    return rows.map((r) => r.case_id);
  },

  /** Every recorded access to the case or to this person, oldest first. */
  async accesses(db: Executor, caseId: string, personId: string): Promise<AuditLogRow[]> {
    return db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('case_id', '=', caseId), eb('person_id', '=', personId)]))
      .orderBy('seq')
      .execute();
  },
};
