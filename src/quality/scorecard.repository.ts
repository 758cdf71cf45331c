import type { Insertable } from 'kysely';
import type { QualityExpectationRecordRow, QualityExpectationRecordTable } from '../../db/schema';
import type { Executor } from '../../db/executor';

/** All SQL about managers' records of the Inspectie's expectations (statuses and norms, append-only). */
export const scorecardRepository = {
  async insert(db: Executor, row: Insertable<QualityExpectationRecordTable>): Promise<QualityExpectationRecordRow> {
    return db.insertInto('quality_expectation_records').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Every record set up to a moment, oldest first: the latest of each kind is what holds at that moment. */
  async recordsUntil(db: Executor, until: Date): Promise<QualityExpectationRecordRow[]> {
    return db.selectFrom('quality_expectation_records').selectAll().where('set_at', '<', until).orderBy('set_at').orderBy('id').execute();
  },

  /** Which of these cases belong to one of these teams. */
  async casesOfTeams(db: Executor, caseIds: string[], teams: string[]): Promise<string[]> {
    if (caseIds.length === 0 || teams.length === 0) return [];
    return (await db.selectFrom('cases').select('id').where('id', 'in', caseIds).where('team_id', 'in', teams).execute()).map((r) => r.id);
  },

  async history(db: Executor, expectationId: string): Promise<QualityExpectationRecordRow[]> {
    return db.selectFrom('quality_expectation_records').selectAll().where('expectation_id', '=', expectationId).orderBy('set_at').orderBy('id').execute();
  },
};
