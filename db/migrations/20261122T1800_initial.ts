import { sql, type Kysely } from 'kysely';

// Migrations see the database as it was then, not as db/schema.ts says today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('gemeenten')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^GM[0-9]{4}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('is_centrumgemeente', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('adviezen')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('gemeente', 'text', (c) => c.notNull().references('gemeenten.code'))
    .addColumn('violence_types', sql`text[]`, (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('caller_professional', 'boolean', (c) => c.notNull())
    .addColumn('caller_sector', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('converted_case_id', 'uuid')
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('gemeente', 'text', (c) => c.notNull().references('gemeenten.code'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('machine_version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('acute_danger', 'boolean', (c) => c.notNull())
    .addColumn('violence_types', sql`text[]`, (c) => c.notNull())
    .addColumn('melder_professional', 'boolean', (c) => c.notNull())
    .addColumn('melder_sector', 'text')
    .addColumn('re_report', 'boolean', (c) => c.notNull())
    .addColumn('safety', 'text')
    .addColumn('decision_code', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('advies_id', 'uuid', (c) => c.references('adviezen.id'))
    .addCheckConstraint('cases_received_before_registered', sql`received_at <= registered_at`)
    .execute();
  await db.schema.alterTable('adviezen').addForeignKeyConstraint('adviezen_converted_case_fk', ['converted_case_id'], 'cases', ['id']).execute();
  await db.schema.createIndex('cases_team_due_idx').on('cases').columns(['team_id', 'next_due_at']).execute();
  await db.schema.createIndex('cases_gemeente_state_idx').on('cases').columns(['gemeente', 'state']).execute();
  await db.schema.createIndex('cases_state_due_idx').on('cases').columns(['state', 'next_due_at']).execute();
  await db.schema.createIndex('cases_received_idx').on('cases').column('received_at').execute();

  await db.schema
    .createTable('melders')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('cases.id'))
    .addColumn('name', 'text')
    .addColumn('contact', 'text')
    .addColumn('shielded', 'boolean', (c) => c.notNull())
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date')
    .addColumn('bsn', 'text')
    .addColumn('vulnerabilities', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('persons_case_ordinal_key', ['case_id', 'ordinal'])
    .execute();
  await db.schema.createIndex('persons_bsn_idx').on('persons').column('bsn').where(sql.ref('bsn'), 'is not', null).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('case_events_case_seq_key', ['case_id', 'seq'])
    .execute();
  // History is append-only: corrections are new events, never edits.
  await sql`
    create function case_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`
    create trigger case_events_no_update_delete before update or delete on case_events
    for each row execute function case_events_append_only()`.execute(db);

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'met', 'breached', 'cancelled')`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('original_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('warn_at', 'timestamptz', (c) => c.notNull())
    .addColumn('warned_at', 'timestamptz')
    .addColumn('breached_at', 'timestamptz')
    .addColumn('met_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addUniqueConstraint('deadlines_case_kind_key', ['case_id', 'kind', 'key'])
    .execute();
  await sql`create index deadlines_open_due_idx on deadlines (due_at) where status in ('open', 'breached')`.execute(db);
  await db.schema.createIndex('deadlines_case_idx').on('deadlines').column('case_id').execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('deadlines').execute();
  await db.schema.dropTable('case_events').execute();
  await sql`drop function case_events_append_only()`.execute(db);
  await db.schema.dropTable('persons').execute();
  await db.schema.dropTable('melders').execute();
  await db.schema.alterTable('adviezen').dropConstraint('adviezen_converted_case_fk').execute();
  await db.schema.dropTable('cases').execute();
  await db.schema.dropTable('adviezen').execute();
  await db.schema.dropTable('teams').execute();
  await db.schema.dropTable('gemeenten').execute();
}
