import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The severity municipalities see is the outcome of the melding's veiligheidsbeoordeling as it was decided
 * (`cases.assessed_safety`, set once, by the first DECISION_APPROVED), not the case's current safety, which a later
 * onderzoek conclusion or herbeoordeling changes. A herbeoordeling's waiting age counts from its own start, so the
 * running-assessment index also holds the term's key (`beoordeling-1` is the melding's own assessment).
 * `metrics_generation` lets a month counted while an assessment of one of its meldingen commits not be kept stale.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`alter table cases add column assessed_safety text`.execute(db);
  await sql`comment on column cases.assessed_safety is 'outcome of the melding''s own veiligheidsbeoordeling as decided (first DECISION_APPROVED); never changed afterwards'`.execute(db);
  // The proposal that the first approval approved carries the outcome; a destroyed dossier's history is redacted, and
  // then the case's safety column is the best that is left.
  await sql`
    update cases c set assessed_safety = coalesce(x.safety, c.safety)
    from (
      select a.case_id,
             (select p.payload ->> 'safety' from case_events p
              where p.case_id = a.case_id and p.type = 'DECISION_PROPOSED' and p.seq < a.seq order by p.seq desc limit 1) as safety
      from (select distinct on (case_id) case_id, seq from case_events where type = 'DECISION_APPROVED' order by case_id, seq) a
    ) x
    where x.case_id = c.id`.execute(db);
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`
    create index cases_received_gemeente_idx on cases (received_at)
    include (gemeente, safety, assessed_safety, melder_professional, melder_sector, re_report, violence_types)`.execute(db);
  await sql`drop index deadlines_running_veiligheidsbeoordeling_idx`.execute(db);
  await sql`
    create index deadlines_running_veiligheidsbeoordeling_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at, key)
    where kind = 'veiligheidsbeoordeling'`.execute(db);
  await sql`create table metrics_generation (id boolean primary key default true check (id), generation bigint not null default 0)`.execute(db);
  // Months kept so far counted the current safety: count them again.
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop table metrics_generation`.execute(db);
  await sql`drop index deadlines_running_veiligheidsbeoordeling_idx`.execute(db);
  await sql`
    create index deadlines_running_veiligheidsbeoordeling_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at)
    where kind = 'veiligheidsbeoordeling'`.execute(db);
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`
    create index cases_received_gemeente_idx on cases (received_at)
    include (gemeente, safety, melder_professional, melder_sector, re_report, violence_types)`.execute(db);
  await sql`alter table cases drop column assessed_safety`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}
