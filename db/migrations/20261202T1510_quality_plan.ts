import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The improvement plan and the certification track: items (verbeteracties and mijlpalen) with their history, and
 * deadlines and alerts that belong to an item instead of a case. A deadline or alert has exactly one subject, a case
 * or a plan item (a check constraint); the uniqueness of a deadline per (subject, kind, key) and of an alert per
 * (deadline, level, end) hold for both. The trigger that copies the scope (gemeente, team, start) onto a deadline
 * copies it from the item when there is no case: the item's team receives its alerts, its gemeente is the
 * centrumgemeente that commissions Veilig Thuis.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('quality_plan_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('verbeteractie', 'mijlpaal')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('expectations', sql`text[]`, (c) => c.notNull())
    .addColumn('track', 'text')
    .addColumn('milestone', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('gemeente', 'text', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('done_on', 'date')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('gepland', 'in_uitvoering', 'gereed', 'vervallen')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('quality_plan_items_milestone', sql`(kind = 'mijlpaal') = (milestone is not null and track is not null)`)
    .execute();
  await sql`create index quality_plan_items_due_idx on quality_plan_items (due_on)`.execute(db);

  await db.schema
    .createTable('quality_plan_item_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('quality_plan_items.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('quality_plan_item_events_seq_key', ['item_id', 'seq'])
    .execute();

  await sql`
    alter table deadlines alter column case_id drop not null,
      add column plan_item_id uuid references quality_plan_items (id),
      add constraint deadlines_one_subject check (num_nonnulls(case_id, plan_item_id) = 1)`.execute(db);
  await sql`create unique index deadlines_plan_item_kind_key on deadlines (plan_item_id, kind, key) where plan_item_id is not null`.execute(db);
  await sql`
    create or replace function deadlines_copy_case_scope() returns trigger language plpgsql as $$
    begin
      if new.case_id is not null then
        select c.gemeente, c.team_id, c.received_at into new.gemeente, new.team_id, new.case_received_at from cases c where c.id = new.case_id;
      else
        select p.gemeente, p.team_id, p.created_at into new.gemeente, new.team_id, new.case_received_at from quality_plan_items p where p.id = new.plan_item_id;
      end if;
      return new;
    end $$`.execute(db);

  await sql`
    alter table alerts alter column case_id drop not null,
      add column plan_item_id uuid references quality_plan_items (id),
      add constraint alerts_one_subject check (num_nonnulls(case_id, plan_item_id) = 1)`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`delete from alert_deliveries where alert_id in (select id from alerts where plan_item_id is not null)`.execute(db);
  await sql`delete from alerts where plan_item_id is not null`.execute(db);
  await sql`alter table alerts drop constraint alerts_one_subject, drop column plan_item_id, alter column case_id set not null`.execute(db);
  await sql`delete from deadline_adjustments where deadline_id in (select id from deadlines where plan_item_id is not null)`.execute(db);
  await sql`delete from deadlines where plan_item_id is not null`.execute(db);
  await sql`
    create or replace function deadlines_copy_case_scope() returns trigger language plpgsql as $$
    begin
      select c.gemeente, c.team_id, c.received_at into new.gemeente, new.team_id, new.case_received_at from cases c where c.id = new.case_id;
      return new;
    end $$`.execute(db);
  await sql`drop index deadlines_plan_item_kind_key`.execute(db);
  await sql`alter table deadlines drop constraint deadlines_one_subject, drop column plan_item_id, alter column case_id set not null`.execute(db);
  await db.schema.dropTable('quality_plan_item_events').execute();
  await db.schema.dropTable('quality_plan_items').execute();
}
