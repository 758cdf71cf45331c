import type { Insertable, Transaction } from 'kysely';
import type { DB, DeadlineRow, NewDeadline, QualityPlanItemEventRow, QualityPlanItemEventTable, QualityPlanItemRow, QualityPlanItemTable } from '../../db/schema';
import type { Executor } from '../../db/executor';

/** All SQL about the improvement plan and the certification track: items, their history and their deadlines. */
export const planRepository = {
  async insertItem(db: Executor, row: Insertable<QualityPlanItemTable>): Promise<QualityPlanItemRow> {
    return db.insertInto('quality_plan_items').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** The item, locked for a change: the first lock of the transaction (lock order: plan item, deadline, alert, audit). */
  async lockItem(trx: Transaction<DB>, id: string): Promise<QualityPlanItemRow | undefined> {
    return trx.selectFrom('quality_plan_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async updateItem(trx: Transaction<DB>, id: string, version: number, changes: Partial<Pick<QualityPlanItemRow, 'status' | 'due_on' | 'done_on' | 'updated_at'>>): Promise<QualityPlanItemRow> {
    return trx.updateTable('quality_plan_items').set({ ...changes, version: version + 1 }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirstOrThrow();
  },

  async appendEvent(db: Executor, row: Insertable<QualityPlanItemEventTable>): Promise<void> {
    await db.insertInto('quality_plan_item_events').values(row).execute();
  },

  /** An alert on the item acknowledged: appended to its history without a change of status (the item is locked). */
  async appendAcknowledgement(trx: Transaction<DB>, a: { id: string; itemId: string; actorId: string; actorRole: string; at: Date; payload: Record<string, unknown> }): Promise<void> {
    const item = await trx.selectFrom('quality_plan_items').select('status').where('id', '=', a.itemId).executeTakeFirstOrThrow();
    const n = await trx.selectFrom('quality_plan_item_events').select((eb) => eb.fn.countAll<number>().as('n')).where('item_id', '=', a.itemId).executeTakeFirstOrThrow();
    await trx
      .insertInto('quality_plan_item_events')
      .values({ id: a.id, item_id: a.itemId, seq: Number(n.n) + 1, type: 'ALERT_ACKNOWLEDGED', actor_id: a.actorId, actor_role: a.actorRole, at: a.at, from_status: item.status, to_status: item.status, note: null, payload: JSON.stringify(a.payload) })
      .execute();
  },

  async findItem(db: Executor, id: string): Promise<QualityPlanItemRow | undefined> {
    return db.selectFrom('quality_plan_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async items(db: Executor): Promise<QualityPlanItemRow[]> {
    return db.selectFrom('quality_plan_items').selectAll().orderBy('due_on').orderBy('id').execute();
  },

  async events(db: Executor, itemId: string): Promise<QualityPlanItemEventRow[]> {
    return db.selectFrom('quality_plan_item_events').selectAll().where('item_id', '=', itemId).orderBy('seq').execute();
  },

  async insertDeadline(db: Executor, row: NewDeadline): Promise<DeadlineRow> {
    return db.insertInto('deadlines').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** The item's deadline that is still running (open, or breached and not yet met): at most one per item. */
  async currentDeadline(db: Executor, itemId: string): Promise<DeadlineRow | undefined> {
    return db
      .selectFrom('deadlines')
      .selectAll()
      .where('plan_item_id', '=', itemId)
      .where('status', 'in', ['open', 'breached'])
      .where('met_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  },

  /** Met (a breached term too: it is met late, and met_at after the due moment says so) or cancelled. */
  async closeDeadline(db: Executor, id: string, how: 'met' | 'cancelled', at: Date): Promise<DeadlineRow> {
    const changes = how === 'met' ? { status: 'met' as const, met_at: at } : { status: 'cancelled' as const, cancelled_at: at };
    return db.updateTable('deadlines').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async deadlinesOfItems(db: Executor, itemIds: string[]): Promise<DeadlineRow[]> {
    if (itemIds.length === 0) return [];
    return db.selectFrom('deadlines').selectAll().where('plan_item_id', 'in', itemIds).orderBy('opened_at').execute();
  },
};
