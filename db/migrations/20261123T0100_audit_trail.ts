import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** The database role the application runs as in production (see the README, "Audit trail"). */
export const APP_ROLE = 'vt_app';

/**
 * The audit trail: one row per access to a case, person or history, hash-chained (each row carries the previous
 * row's hash). Append-only twice over: the application role `vt_app` gets INSERT and SELECT only, and triggers refuse
 * UPDATE, DELETE and TRUNCATE for everyone short of a superuser who disables them (which `audit:verify` then detects).
 *
 * No foreign keys to cases or persons: the trail outlives the dossiers it speaks of (retention destroys those).
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq > 0`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_teams', sql`text[]`, (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('case_id', 'uuid')
    .addColumn('case_team', 'text')
    .addColumn('person_id', 'uuid')
    .addColumn('detail', 'text')
    .addColumn('break_glass', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('hash', 'text', (c) => c.notNull().unique().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addCheckConstraint('audit_log_glass_has_reason', sql`not break_glass or reason is not null`)
    .execute();
  await db.schema.createIndex('audit_log_case_seq_idx').on('audit_log').columns(['case_id', 'seq']).where(sql.ref('case_id'), 'is not', null).execute();
  await db.schema.createIndex('audit_log_actor_seq_idx').on('audit_log').columns(['actor_id', 'seq']).execute();
  await sql`comment on table audit_log is 'append-only, hash-chained access trail; ids, roles, actions and reasons only, never personal data'`.execute(db);

  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);

  // The application role. Roles are cluster-wide: create it once (tolerating a concurrent creator); where the
  // migrating user may not create roles, a DBA creates it beforehand (README) and the grants below still apply.
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        begin
          create role ${sql.raw(APP_ROLE)} nologin;
        exception
          when duplicate_object or unique_violation then null;
          when insufficient_privilege then raise warning 'role % does not exist and may not be created here: create it, then re-run the grants', ${sql.lit(APP_ROLE)};
        end;
      end if;
    end $$`.execute(db);
  await sql`
    do $$
    begin
      if exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        execute format('grant usage on schema %I to %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), ${sql.lit(APP_ROLE)});
        -- Tables that later migrations create (as this same owner) are the application's to use too.
        execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('alter default privileges in schema %I grant usage, select on sequences to %I', current_schema(), ${sql.lit(APP_ROLE)});
        -- The trail: append and read, nothing else. Migration bookkeeping: read only.
        execute format('revoke update, delete, truncate, references, trigger on audit_log from %I', ${sql.lit(APP_ROLE)});
        execute format('revoke insert, update, delete, truncate on kysely_migration, kysely_migration_lock from %I', ${sql.lit(APP_ROLE)});
      end if;
    end $$`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  // The role stays: it is cluster-wide, and other databases of the cluster may use it.
  await sql`
    do $$
    begin
      if exists (select from pg_roles where rolname = ${sql.lit(APP_ROLE)}) then
        execute format('alter default privileges in schema %I revoke select, insert, update, delete on tables from %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('alter default privileges in schema %I revoke usage, select on sequences from %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('revoke all on all tables in schema %I from %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('revoke all on all sequences in schema %I from %I', current_schema(), ${sql.lit(APP_ROLE)});
        execute format('revoke usage on schema %I from %I', current_schema(), ${sql.lit(APP_ROLE)});
      end if;
    end $$`.execute(db);
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
}
