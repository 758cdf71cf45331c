import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Retention and destruction (issue 5): each closed case gets its destruction date; a legal hold stops destruction;
 * the nightly job destroys due dossiers and writes a destruction record.
 *
 * case_events stays append-only with one controlled exception: inside a transaction that declared itself the
 * retention destruction (`set_config('vt.retention_destruction', 'on', true)`), an UPDATE may change the payload
 * (and nothing else) of events of a case already marked destroyed. DELETE is always refused.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('destroy_on', 'date')
    .addColumn('retention_rule', 'text', (c) => c.check(sql`retention_rule in ('closure_term', 'youngest_child')`))
    .addColumn('legal_hold_since', 'timestamptz')
    .addColumn('legal_hold_by', 'text')
    .addColumn('legal_hold_reason', 'text')
    .addColumn('destroyed_at', 'timestamptz')
    .execute();
  await sql`create index cases_destroy_due_idx on cases (destroy_on) where destroyed_at is null and legal_hold_since is null and destroy_on is not null`.execute(db);
  await sql`create index cases_closed_undated_idx on cases (closed_at) where closed_at is not null and destroy_on is null`.execute(db);

  await db.schema
    .createTable('retention_destructions')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('cases.id'))
    .addColumn('destroyed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('destroy_on', 'date', (c) => c.notNull())
    .addColumn('persons_removed', 'integer', (c) => c.notNull())
    .addColumn('melders_removed', 'integer', (c) => c.notNull())
    .addColumn('events_redacted', 'integer', (c) => c.notNull())
    .addColumn('text_fields_removed', 'integer', (c) => c.notNull())
    .execute();
  await sql`comment on table retention_destructions is 'one row per destroyed dossier: when, by which rule, what was removed; no personal data'`.execute(db);

  await sql`
    create or replace function case_events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE'
         and current_setting('vt.retention_destruction', true) = 'on'
         and new.id = old.id and new.case_id = old.case_id and new.seq = old.seq and new.type = old.type
         and new.actor_id = old.actor_id and new.actor_role = old.actor_role and new.at = old.at
         and new.from_state is not distinct from old.from_state and new.to_state = old.to_state
         and exists (select 1 from cases c where c.id = old.case_id and c.destroyed_at is not null)
      then
        return new;
      end if;
      raise exception 'case_events is append-only (% refused)', tg_op;
    end $$`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`
    create or replace function case_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only (% refused)', tg_op;
    end $$`.execute(db);
  await db.schema.dropTable('retention_destructions').execute();
  await sql`drop index cases_closed_undated_idx`.execute(db);
  await sql`drop index cases_destroy_due_idx`.execute(db);
  await db.schema
    .alterTable('cases')
    .dropColumn('destroy_on')
    .dropColumn('retention_rule')
    .dropColumn('legal_hold_since')
    .dropColumn('legal_hold_by')
    .dropColumn('legal_hold_reason')
    .dropColumn('destroyed_at')
    .execute();
}
