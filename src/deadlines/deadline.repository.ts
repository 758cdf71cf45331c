import { sql, type Insertable, type Transaction } from 'kysely';
import type { AlertDeliveryRow, AlertLevel, AlertRow, CaseRow, DB, DeadlineAdjustmentTable, DeadlineRow, DeliveryChannel, TeamAlertChannelRow } from '../../db/schema';
import type { Executor } from '../../db/executor';

export interface AlertListFilter {
  teams: string[] | 'all';
  levels?: AlertLevel[];
  status?: 'open' | 'acknowledged';
  limit: number;
  beforeSeq?: number;
}

/**
 * What firing one level did: raised the alert (with its deliveries), or marked a warning that came after the term had
 * ended (no alert: the breach says it all), or nothing (met, cancelled, already fired, not yet due).
 */
type LateWarning = { caseId: string; kind: string; dueAt: Date };
/** `skippedWarning`: the breach also closed a warning that was never handled. */
export type FireResult = { alert: AlertRow; deliveryIds: string[]; skippedWarning?: LateWarning } | { lateWarning: LateWarning } | undefined;
/** Locks the subject of a deadline or alert, a case or a plan item: always the first lock of the transaction. */
async function lockSubject(trx: Transaction<DB>, ref: { case_id: string | null; plan_item_id: string | null }, mode: 'update' | 'key share'): Promise<{ team_id: string } | undefined> {
  if (ref.case_id) {
    const q = trx.selectFrom('cases').select('team_id').where('id', '=', ref.case_id);
    return (mode === 'update' ? q.forUpdate() : q.forKeyShare()).executeTakeFirst();
  }
  if (!ref.plan_item_id) return undefined;
  const q = trx.selectFrom('quality_plan_items').select('team_id').where('id', '=', ref.plan_item_id);
  return (mode === 'update' ? q.forUpdate() : q.forKeyShare()).executeTakeFirst();
}

/** All SQL about firing deadlines, alerts, their deliveries and team alert channels. */
export const deadlineRepository = {
  /**
   * The team of a deadline's subject, key-share locking the subject first (the engine's lock order: case or plan item,
   * then deadline). The subject of a deadline never changes, so reading it before the lock is safe.
   */
  async lockSubjectOfDeadline(trx: Transaction<DB>, deadlineId: string): Promise<string | undefined> {
    const ref = await trx.selectFrom('deadlines').select(['case_id', 'plan_item_id']).where('id', '=', deadlineId).executeTakeFirst();
    if (!ref) return undefined;
    return (await lockSubject(trx, ref, 'key share'))?.team_id;
  },

  /**
   * Fires one level of a deadline in a single statement: marks the deadline (only if it is still open and due), raises
   * the alert (unique per deadline and level) and queues its deliveries to the team's channels. Returns the alert
   * and delivery ids only when this call raised it.
   */
  async fire(
    trx: Transaction<DB>,
    f: { deadlineId: string; level: 'warning' | 'breach'; teamId: string; alertId: string; now: Date; escalateAt: Date | null },
  ): Promise<FireResult> {
    const mark =
      f.level === 'breach'
        ? // A breach of a deadline never warned (its warning timer lost or late) also closes the warning: the breach
          // alert says it all, and the skipped warning is logged as a late one is.
          sql`update deadlines set status = 'breached', breached_at = ${f.now}, warned_at = coalesce(warned_at, ${f.now})
              where id = ${f.deadlineId} and status = 'open' and due_at <= ${f.now}
              returning id, case_id, plan_item_id, kind, due_at, warned_at = ${f.now} as warning_skipped`
        : sql`update deadlines set warned_at = ${f.now}
              where id = ${f.deadlineId} and status = 'open' and warned_at is null and warn_at <= ${f.now}
              returning id, case_id, plan_item_id, kind, due_at, false as warning_skipped`;
    // A warning that comes after the end is pointless: the breach alert says it all.
    const alertFilter = f.level === 'warning' ? sql`where d.due_at > ${f.now}` : sql``;
    const result = await sql<Omit<AlertRow, 'id'> & { id: string | null; delivery_ids: string[]; marked_case_id: string; marked_kind: string; marked_due_at: Date; warning_skipped: boolean }>`
      with d as (${mark}),
      a as (
        insert into alerts (id, deadline_id, case_id, plan_item_id, team_id, level, deadline_kind, due_at, created_at, escalate_at)
        select ${f.alertId}, d.id, d.case_id, d.plan_item_id, ${f.teamId}, ${f.level}, d.kind, d.due_at, ${f.now}, ${f.escalateAt} from d ${alertFilter}
        on conflict (deadline_id, level, due_at) do nothing
        returning *
      ),
      targets as (
        select 'webhook' as channel, webhook_url as target from team_alert_channels where team_id = ${f.teamId} and webhook_url is not null
        union all
        select 'email', email from team_alert_channels where team_id = ${f.teamId} and email is not null
      ),
      dl as (
        insert into alert_deliveries (id, alert_id, channel, target, status, attempts, next_attempt_at, created_at, updated_at)
        select gen_random_uuid(), a.id, t.channel, t.target, 'pending', 0, ${f.now}, ${f.now}, ${f.now} from a cross join targets t
        on conflict (alert_id, channel) do nothing
        returning id
      )
      select a.*, coalesce((select json_agg(id) from dl), '[]'::json) as delivery_ids,
             d.case_id as marked_case_id, d.kind as marked_kind, d.due_at as marked_due_at, d.warning_skipped
      from d left join a on true`.execute(trx);
    const row = result.rows[0];
    if (!row) return undefined;
    const { delivery_ids, marked_case_id, marked_kind, marked_due_at, warning_skipped, id, ...alert } = row;
    const lateWarning = { caseId: marked_case_id, kind: marked_kind, dueAt: marked_due_at };
    if (id === null) return f.level === 'warning' ? { lateWarning } : undefined;
    return { alert: { ...alert, id }, deliveryIds: delivery_ids, ...(warning_skipped ? { skippedWarning: lateWarning } : {}) };
  },

  /**
   * Locks, for firing many deadlines at once, what can be locked without waiting, in the engine's order: the
   * subjects (cases, plan items; key share, by id), then the deadlines (for update, by id). Returns the deadlines
   * locked with their team; the rest (a subject or deadline held by another transaction, e.g. a change to the case
   * in flight) are left to the one-by-one path, which waits for the lock.
   */
  async lockForFiring(trx: Transaction<DB>, deadlineIds: string[]): Promise<Array<{ id: string; team_id: string }>> {
    if (deadlineIds.length === 0) return [];
    const { rows } = await sql<{ id: string; team_id: string }>`
      with refs as (select id, case_id, plan_item_id from deadlines where id = any(${deadlineIds}::uuid[])),
      subjects as (
        select r.id, c.team_id from refs r join lateral (
          select c.team_id from cases c where c.id = r.case_id for key share skip locked
        ) c on true
        union all
        select r.id, q.team_id from refs r join lateral (
          select q.team_id from quality_plan_items q where q.id = r.plan_item_id for key share skip locked
        ) q on true
      )
      select d.id, s.team_id from deadlines d join subjects s on s.id = d.id
      order by d.id for update of d skip locked`.execute(trx);
    return rows;
  },

  /**
   * Fires one level of many deadlines, locked by \`lockForFiring\`, in a single statement: the same marks, alerts
   * (unique per deadline and level) and deliveries as \`fire\`, for each deadline that is still open and due. Returns
   * what happened to each deadline it marked.
   */
  async fireMany(
    trx: Transaction<DB>,
    f: { locked: Array<{ id: string; team_id: string }>; level: 'warning' | 'breach'; now: Date; escalateAt: Date | null },
  ): Promise<Array<{ deadlineId: string; result: Exclude<FireResult, undefined> }>> {
    if (f.locked.length === 0) return [];
    const ids = f.locked.map((l) => l.id);
    const teams = f.locked.map((l) => l.team_id);
    const mark =
      f.level === 'breach'
        ? sql`update deadlines set status = 'breached', breached_at = ${f.now}, warned_at = coalesce(warned_at, ${f.now})
              where id = any(${ids}::uuid[]) and status = 'open' and due_at <= ${f.now}
              returning id, case_id, plan_item_id, kind, due_at, warned_at = ${f.now} as warning_skipped`
        : sql`update deadlines set warned_at = ${f.now}
              where id = any(${ids}::uuid[]) and status = 'open' and warned_at is null and warn_at <= ${f.now}
              returning id, case_id, plan_item_id, kind, due_at, false as warning_skipped`;
    const alertFilter = f.level === 'warning' ? sql`where d.due_at > ${f.now}` : sql``;
    const result = await sql<Omit<AlertRow, 'id'> & { id: string | null; delivery_ids: string[] | null; marked_id: string; marked_case_id: string; marked_kind: string; marked_due_at: Date; warning_skipped: boolean }>`
      with t as (select * from unnest(${ids}::uuid[], ${teams}::text[]) as t(deadline_id, team_id)),
      d as (${mark}),
      a as (
        insert into alerts (id, deadline_id, case_id, plan_item_id, team_id, level, deadline_kind, due_at, created_at, escalate_at)
        select gen_random_uuid(), d.id, d.case_id, d.plan_item_id, t.team_id, ${f.level}, d.kind, d.due_at, ${f.now}, ${f.escalateAt}
        from d join t on t.deadline_id = d.id ${alertFilter}
        order by d.id
        on conflict (deadline_id, level, due_at) do nothing
        returning *
      ),
      targets as (
        select team_id, 'webhook' as channel, webhook_url as target from team_alert_channels where team_id = any(${teams}::text[]) and webhook_url is not null
        union all
        select team_id, 'email', email from team_alert_channels where team_id = any(${teams}::text[]) and email is not null
      ),
      dl as (
        insert into alert_deliveries (id, alert_id, channel, target, status, attempts, next_attempt_at, created_at, updated_at)
        select gen_random_uuid(), a.id, tg.channel, tg.target, 'pending', 0, ${f.now}, ${f.now}, ${f.now} from a join targets tg on tg.team_id = a.team_id
        on conflict (alert_id, channel) do nothing
        returning id, alert_id
      )
      select a.*, (select json_agg(dl.id) from dl where dl.alert_id = a.id) as delivery_ids,
             d.id as marked_id, d.case_id as marked_case_id, d.kind as marked_kind, d.due_at as marked_due_at, d.warning_skipped
      from d left join a on a.deadline_id = d.id`.execute(trx);
    const out: Array<{ deadlineId: string; result: Exclude<FireResult, undefined> }> = [];
    for (const row of result.rows) {
      const { delivery_ids, marked_id, marked_case_id, marked_kind, marked_due_at, warning_skipped, id, ...alert } = row;
      const lateWarning = { caseId: marked_case_id, kind: marked_kind, dueAt: marked_due_at };
      if (id === null) {
        if (f.level === 'warning') out.push({ deadlineId: marked_id, result: { lateWarning } });
        continue;
      }
      out.push({ deadlineId: marked_id, result: { alert: { ...alert, id }, deliveryIds: delivery_ids ?? [], ...(warning_skipped ? { skippedWarning: lateWarning } : {}) } });
    }
    return out;
  },

  /** Milliseconds until the deadline's warning or breach moment, if it is still open, unhandled and not yet due; else null. */
  async unhandledMomentAhead(db: Executor, deadlineId: string, level: 'warning' | 'breach', now: Date): Promise<number | null> {
    const d = await db.selectFrom('deadlines').select(['status', 'warn_at', 'warned_at', 'due_at']).where('id', '=', deadlineId).executeTakeFirst();
    if (!d || d.status !== 'open' || (level === 'warning' && d.warned_at !== null)) return null;
    const ahead = (level === 'warning' ? d.warn_at : d.due_at).getTime() - now.getTime();
    return ahead > 0 ? ahead : null;
  },

  /** Locks a deadline and its case in the engine's order (case first); for staff changes to the deadline itself. */
  async lockDeadlineRow(trx: Transaction<DB>, id: string): Promise<{ deadline: DeadlineRow; case: CaseRow } | undefined> {
    const ref = await trx.selectFrom('deadlines').select('case_id').where('id', '=', id).executeTakeFirst();
    // A plan item's deadline moves with the item (the plan's own API), not by opschorting or verlenging.
    if (!ref?.case_id) return undefined;
    const lockedCase = await trx.selectFrom('cases').selectAll().where('id', '=', ref.case_id).forUpdate().executeTakeFirst();
    const deadline = await trx.selectFrom('deadlines').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return deadline && lockedCase ? { deadline, case: lockedCase } : undefined;
  },

  async moveDeadline(trx: Transaction<DB>, id: string, dueAt: Date, warnAt: Date): Promise<DeadlineRow> {
    return trx.updateTable('deadlines').set({ due_at: dueAt, warn_at: warnAt, warned_at: null }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async insertAdjustment(db: Executor, row: Insertable<DeadlineAdjustmentTable>): Promise<void> {
    await db.insertInto('deadline_adjustments').values(row).execute();
  },

  async adjustments(db: Executor, deadlineIds: string[]) {
    if (deadlineIds.length === 0) return [];
    return db.selectFrom('deadline_adjustments').selectAll().where('deadline_id', 'in', deadlineIds).orderBy('at').execute();
  },

  /** Inserts the alert unless one of this level exists for the deadline; returns it only when this call made it. */
  async insertAlert(db: Executor, alert: Omit<AlertRow, 'seq'>): Promise<AlertRow | undefined> {
    return db
      .insertInto('alerts')
      .values(alert)
      .onConflict((oc) => oc.columns(['deadline_id', 'level', 'due_at']).doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  /** Locks an alert after its subject (the engine's lock order: case or plan item first), for acknowledging it. */
  async lockAlert(trx: Transaction<DB>, id: string): Promise<AlertRow | undefined> {
    const ref = await trx.selectFrom('alerts').select(['case_id', 'plan_item_id']).where('id', '=', id).executeTakeFirst();
    if (!ref) return undefined;
    await lockSubject(trx, ref, 'update');
    return trx.selectFrom('alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  /** Locks a breach alert for escalation in the order case, deadline, alert, and says whether its deadline is still breached. */
  async lockBreachForEscalation(trx: Transaction<DB>, id: string): Promise<(AlertRow & { deadline_still_breached: boolean }) | undefined> {
    const ref = await trx.selectFrom('alerts').select(['case_id', 'plan_item_id', 'deadline_id']).where('id', '=', id).executeTakeFirst();
    if (!ref) return undefined;
    await lockSubject(trx, ref, 'key share');
    const deadline = await trx.selectFrom('deadlines').select(['status', 'due_at']).where('id', '=', ref.deadline_id).forKeyShare().executeTakeFirst();
    const alert = await trx.selectFrom('alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!alert) return undefined;
    return { ...alert, deadline_still_breached: deadline?.status === 'breached' && deadline.due_at.getTime() === alert.due_at.getTime() };
  },

  async findAlert(db: Executor, id: string): Promise<AlertRow | undefined> {
    return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async acknowledge(trx: Transaction<DB>, id: string, by: string, at: Date): Promise<AlertRow | undefined> {
    return trx
      .updateTable('alerts')
      .set({ acknowledged_at: at, acknowledged_by: by })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  },

  async listAlerts(db: Executor, f: AlertListFilter): Promise<AlertRow[]> {
    let q = db.selectFrom('alerts').selectAll();
    if (f.teams !== 'all') q = q.where('team_id', 'in', f.teams.length > 0 ? f.teams : ['\u0000']);
    if (f.levels && f.levels.length > 0) q = q.where('level', 'in', f.levels);
    if (f.status === 'open') q = q.where('acknowledged_at', 'is', null);
    if (f.status === 'acknowledged') q = q.where('acknowledged_at', 'is not', null);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    return q.orderBy('seq', 'desc').limit(f.limit).execute();
  },

  async alertsAfter(db: Executor, seq: number, limit: number): Promise<AlertRow[]> {
    return db.selectFrom('alerts').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  },

  async latestAlertSeq(db: Executor): Promise<number> {
    const row = await db.selectFrom('alerts').select(sql<number>`coalesce(max(seq), 0)::bigint`.as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  },

  async channels(db: Executor, teamId: string): Promise<TeamAlertChannelRow | undefined> {
    return db.selectFrom('team_alert_channels').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  },

  async upsertChannels(db: Executor, row: TeamAlertChannelRow): Promise<void> {
    await db
      .insertInto('team_alert_channels')
      .values(row)
      .onConflict((oc) =>
        oc.column('team_id').doUpdateSet({ webhook_url: row.webhook_url, webhook_secret: row.webhook_secret, email: row.email, updated_at: row.updated_at, updated_by: row.updated_by }),
      )
      .execute();
  },

  async insertDeliveries(db: Executor, rows: Array<{ id: string; alert_id: string; channel: DeliveryChannel; target: string; at: Date }>): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted = await db
      .insertInto('alert_deliveries')
      .values(rows.map((r) => ({ id: r.id, alert_id: r.alert_id, channel: r.channel, target: r.target, status: 'pending' as const, next_attempt_at: r.at, last_error: null, created_at: r.at, updated_at: r.at })))
      .onConflict((oc) => oc.columns(['alert_id', 'channel']).doNothing())
      .returning('id')
      .execute();
    return inserted.map((r) => r.id);
  },

  async lockDelivery(trx: Transaction<DB>, id: string): Promise<AlertDeliveryRow | undefined> {
    return trx.selectFrom('alert_deliveries').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
  },

  async updateDelivery(db: Executor, id: string, changes: Partial<Pick<AlertDeliveryRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'updated_at'>>): Promise<void> {
    await db.updateTable('alert_deliveries').set(changes).where('id', '=', id).execute();
  },

  async deadDeliveries(db: Executor, limit: number): Promise<AlertDeliveryRow[]> {
    return db.selectFrom('alert_deliveries').selectAll().where('status', '=', 'dead').orderBy('updated_at', 'desc').limit(limit).execute();
  },

  // What the reconciler looks for: due work not yet handled, and future work whose timer must exist.
  async dueWarnings(db: Executor, now: Date, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('deadlines').select('id').where('status', '=', 'open').where('warned_at', 'is', null).where('warn_at', '<=', now).orderBy('warn_at').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  async dueBreaches(db: Executor, now: Date, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('deadlines').select('id').where('status', '=', 'open').where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  async dueEscalations(db: Executor, now: Date, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('alerts as a')
      .select('a.id')
      .innerJoin('deadlines as d', (j) => j.onRef('d.id', '=', 'a.deadline_id').onRef('d.due_at', '=', 'a.due_at').on('d.status', '=', 'breached'))
      .where('a.level', '=', 'breach')
      .where('a.acknowledged_at', 'is', null)
      .where('a.escalate_at', '<=', now)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('alerts as e').select('e.id').whereRef('e.deadline_id', '=', 'a.deadline_id').whereRef('e.due_at', '=', 'a.due_at').where('e.level', '=', 'escalation'))))
      .orderBy('a.escalate_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },

  async dueDeliveries(db: Executor, now: Date, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('alert_deliveries').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  /** Open deadlines with their timer moments, for (re)building timers; keyset-paginated by id. */
  async openDeadlines(db: Executor, afterId: string | null, limit: number): Promise<Array<Pick<DeadlineRow, 'id' | 'due_at' | 'warn_at' | 'warned_at'>>> {
    let q = db.selectFrom('deadlines').select(['id', 'due_at', 'warn_at', 'warned_at']).where('status', '=', 'open');
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  },

  /** The timer moments of the given deadlines (any status), for scheduling what follows a handled warning. */
  async timedDeadlines(db: Executor, ids: string[]): Promise<Array<Pick<DeadlineRow, 'id' | 'status' | 'due_at' | 'warn_at' | 'warned_at'>>> {
    if (ids.length === 0) return [];
    return db.selectFrom('deadlines').select(['id', 'status', 'due_at', 'warn_at', 'warned_at']).where('id', 'in', ids).execute();
  },

  async deadlinesOfCases(db: Executor, caseIds: string[]): Promise<DeadlineRow[]> {
    if (caseIds.length === 0) return [];
    return db.selectFrom('deadlines').selectAll().where('case_id', 'in', caseIds).execute();
  },

  async pendingEscalations(db: Executor): Promise<Array<{ id: string; escalate_at: Date | null }>> {
    return db
      .selectFrom('alerts as a')
      .innerJoin('deadlines as d', (j) => j.onRef('d.id', '=', 'a.deadline_id').onRef('d.due_at', '=', 'a.due_at').on('d.status', '=', 'breached'))
      .select(['a.id', 'a.escalate_at'])
      .where('a.level', '=', 'breach')
      .where('a.acknowledged_at', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('alerts as e').select('e.id').whereRef('e.deadline_id', '=', 'a.deadline_id').whereRef('e.due_at', '=', 'a.due_at').where('e.level', '=', 'escalation'))))
      .execute();
  },

  async pendingDeliveries(db: Executor): Promise<Array<{ id: string; next_attempt_at: Date; attempts: number }>> {
    return db.selectFrom('alert_deliveries').select(['id', 'next_attempt_at', 'attempts']).where('status', '=', 'pending').execute();
  },
};
