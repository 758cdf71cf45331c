import type { AdviesRow } from '../../db/schema';
import type { Executor } from '../../db/executor';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export const adviesRepository = {
  async insert(db: Executor, row: AdviesRow): Promise<void> {
    await db.insertInto('adviezen').values(row).execute();
  },

  async find(db: Executor, id: string): Promise<AdviesRow | undefined> {
    return db.selectFrom('adviezen').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async lock(trx: Transaction<DB>, id: string): Promise<AdviesRow | undefined> {
    return trx.selectFrom('adviezen').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async markConverted(db: Executor, id: string, caseId: string): Promise<void> {
    await db.updateTable('adviezen').set({ converted_case_id: caseId }).where('id', '=', id).execute();
  },
};
