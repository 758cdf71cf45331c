import { sql, type Transaction } from 'kysely';
import type { CaseRow, DB, NewRetentionDestruction } from '../../db/schema';
import type { Executor } from '../../db/executor';

export type DueCase = Pick<CaseRow, 'id' | 'team_id' | 'version' | 'state' | 'snapshot' | 'destroy_on' | 'retention_rule' | 'closed_at'>;

/** All SQL of retention: destruction dates, legal holds, and the destruction of a dossier. */
export const retentionRepository = {
  /** Closed cases without a destruction date (closed before retention existed, or bulk-seeded), locked, skipping busy rows. */
  async lockUndated(trx: Transaction<DB>, limit: number) {
    return trx
      .selectFrom('cases')
      .select(['id', 'snapshot', 'closed_at'])
      .where('closed_at', 'is not', null)
      .where('destroy_on', 'is', null)
      .where('destroyed_at', 'is', null)
      .orderBy('closed_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },

  async setDestructionDate(db: Executor, caseId: string, destroyOn: string, rule: 'closure_term' | 'youngest_child'): Promise<void> {
    await db.updateTable('cases').set({ destroy_on: destroyOn, retention_rule: rule }).where('id', '=', caseId).execute();
  },

  /**
   * Due dossiers, locked: several workers each take their own (SKIP LOCKED), and a case someone is changing is
   * left for the next run. The hold is re-checked under the lock, so a hold set a moment ago wins.
   */
  async lockDue(trx: Transaction<DB>, today: string, limit: number): Promise<DueCase[]> {
    return trx
      .selectFrom('cases')
      .select(['id', 'team_id', 'version', 'state', 'snapshot', 'destroy_on', 'retention_rule', 'closed_at'])
      .where('destroy_on', '<=', today)
      .where('destroyed_at', 'is', null)
      .where('legal_hold_since', 'is', null)
      .where('closed_at', 'is not', null)
      .orderBy('destroy_on')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },

  /** Declares this transaction the retention destruction: the one writer case_events' trigger lets redact payloads. */
  async enterDestruction(trx: Transaction<DB>): Promise<void> {
    await sql`select set_config('vt.retention_destruction', 'on', true)`.execute(trx);
  },


  async deletePersons(trx: Transaction<DB>, caseId: string): Promise<number> {
    const r = await trx.deleteFrom('persons').where('case_id', '=', caseId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async deleteMelder(trx: Transaction<DB>, caseId: string): Promise<number> {
    const r = await trx.deleteFrom('melders').where('case_id', '=', caseId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async events(trx: Transaction<DB>, caseId: string) {
    return trx.selectFrom('case_events').select(['id', 'type', 'payload']).where('case_id', '=', caseId).orderBy('seq').execute();
  },

  async setEventPayload(trx: Transaction<DB>, eventId: string, payload: Record<string, unknown>): Promise<void> {
    await trx.updateTable('case_events').set({ payload: JSON.stringify(payload) }).where('id', '=', eventId).execute();
  },

  /** Free text elsewhere in the dossier: reasons of deadline adjustments, the summary of a converted advies. */
  async clearOtherText(trx: Transaction<DB>, caseId: string): Promise<number> {
    const adjustments = await trx
      .updateTable('deadline_adjustments')
      .set({ reason: '' })
      .where('deadline_id', 'in', (eb) => eb.selectFrom('deadlines').select('id').where('case_id', '=', caseId))
      .where('reason', '<>', '')
      .executeTakeFirst();
    const adviezen = await trx.updateTable('adviezen').set({ summary: '' }).where('converted_case_id', '=', caseId).where('summary', '<>', '').executeTakeFirst();
    return Number(adjustments.numUpdatedRows) + Number(adviezen.numUpdatedRows);
  },

  async recordDestruction(trx: Transaction<DB>, row: NewRetentionDestruction): Promise<void> {
    await trx.insertInto('retention_destructions').values(row).execute();
  },


  async find(db: Executor, caseId: string) {
    return db
      .selectFrom('cases')
      .select(['id', 'team_id', 'version', 'state', 'closed_at', 'destroy_on', 'retention_rule', 'legal_hold_since', 'legal_hold_by', 'legal_hold_reason', 'destroyed_at'])
      .where('id', '=', caseId)
      .executeTakeFirst();
  },


  async destruction(db: Executor, caseId: string) {
    return db.selectFrom('retention_destructions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  },
};
