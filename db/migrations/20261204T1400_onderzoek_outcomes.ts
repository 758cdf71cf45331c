import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Onderzoek outcomes per type of violence in the municipal figures (melding machine v6): the approved conclusions of a
 * period are found by a partial index on their moment, and the kept months are forgotten, because they were counted
 * without the outcome cells (they are counted again on their next read, or by the nightly job).
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`create index case_events_conclusion_approved_idx on case_events (at) include (case_id, seq) where type = 'ONDERZOEK_CONCLUSION_APPROVED'`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index case_events_conclusion_approved_idx`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}
