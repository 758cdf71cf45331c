import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** Alerts for supervisors, their delivery outbox, team alert channels, and opschorting/verlenging of deadlines. */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Ordering for the live stream: a client resumes after the last seq it saw.
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('deadline_id', 'uuid', (c) => c.notNull().references('deadlines.id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('warning', 'breach', 'escalation')`))
    .addColumn('deadline_kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalate_at', 'timestamptz')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'text')
    // Exactly one alert per deadline, level and end moment, whatever retries, redeliveries or extra workers do;
    // a verlenging moves the end, and the new end gets its own warning.
    .addUniqueConstraint('alerts_deadline_level_due_key', ['deadline_id', 'level', 'due_at'])
    .execute();
  await db.schema.createIndex('alerts_team_created_idx').on('alerts').columns(['team_id', 'created_at']).execute();
  await sql`create index alerts_escalation_due_idx on alerts (escalate_at) where level = 'breach' and acknowledged_at is null`.execute(db);

  await db.schema
    .createTable('team_alert_channels')
    .addColumn('team_id', 'text', (c) => c.primaryKey().references('teams.id'))
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('alert_id', 'uuid', (c) => c.notNull().references('alerts.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('webhook', 'email')`))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('alert_deliveries_alert_channel_key', ['alert_id', 'channel'])
    .execute();
  await sql`create index alert_deliveries_pending_idx on alert_deliveries (next_attempt_at) where status = 'pending'`.execute(db);

  await db.schema
    .createTable('deadline_adjustments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('deadline_id', 'uuid', (c) => c.notNull().references('deadlines.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opschorting', 'verlenging')`))
    .addColumn('werkdagen', 'integer', (c) => c.notNull().check(sql`werkdagen > 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_before', 'timestamptz', (c) => c.notNull())
    .addColumn('due_after', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deadline_adjustments_deadline_idx').on('deadline_adjustments').column('deadline_id').execute();
  await sql`create index deadlines_open_warn_idx on deadlines (warn_at) where status = 'open' and warned_at is null`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index deadlines_open_warn_idx`.execute(db);
  await db.schema.dropTable('deadline_adjustments').execute();
  await db.schema.dropTable('alert_deliveries').execute();
  await db.schema.dropTable('team_alert_channels').execute();
  await db.schema.dropTable('alerts').execute();
}
