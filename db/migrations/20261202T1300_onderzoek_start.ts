import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The onderzoek start term (Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1) is a deadline kind of its own: waiting
 * onderzoeken at a month's end are found from its running span like the other terms. Kept months are forgotten so
 * they are counted again with the new figures.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`
    create index deadlines_running_onderzoek_start_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at)
    where kind = 'onderzoek_start'`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index deadlines_running_onderzoek_start_idx`.execute(db);
}
