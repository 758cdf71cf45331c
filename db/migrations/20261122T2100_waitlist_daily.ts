import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** The nightly snapshot behind municipal waiting-list trends: per day, gemeente and state. */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('waitlist_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('gemeente', 'text', (c) => c.notNull().references('gemeenten.code'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('open_cases', 'integer', (c) => c.notNull())
    .addColumn('overdue_cases', 'integer', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('waitlist_daily_pkey', ['day', 'gemeente', 'state'])
    .execute();
  await sql`comment on table waitlist_daily is 'anonymised counts only; kept after dossiers are destroyed'`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('waitlist_daily').execute();
}
