import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** Indexes behind the municipal metrics: terms met in a month, terms open at a moment. */
export async function up(db: AnyDB): Promise<void> {
  await sql`create index deadlines_kind_met_idx on deadlines (kind, met_at)`.execute(db);
  await sql`create index deadlines_kind_opened_idx on deadlines (kind, opened_at)`.execute(db);
  await sql`create index cases_received_gemeente_idx on cases (received_at, gemeente)`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`drop index deadlines_kind_opened_idx`.execute(db);
  await sql`drop index deadlines_kind_met_idx`.execute(db);
}
