import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The severity municipalities see is the outcome of the melding's veiligheidsbeoordeling as it was decided
 * (`cases.assessed_safety`, set once, by the first DECISION_APPROVED), not the case's current safety, which a later
 * onderzoek conclusion or herbeoordeling changes. A herbeoordeling's waiting age counts from its own start, so the
 * running-assessment index also holds the term's key (`beoordeling-1` is the melding's own assessment).
 * `metrics_generation` lets a month counted while an assessment of one of its meldingen commits not be kept stale.
 * `cases.report_kind` distinguishes, as CBS does, a first melding (none of the persons known to Veilig Thuis), a
 * hermelding (one of them was on an earlier case, closed by then) and a vervolgmelding (added to a case still open,
 * `linked_case_id`).
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
  await sql`
    alter table cases add column report_kind text not null default 'eerste'
      check (report_kind in ('eerste', 'hermelding', 'vervolgmelding')),
    add column linked_case_id uuid references cases (id) on delete set null`.execute(db);
  // Earlier meldingen are classified as they stood at their registration: a case sharing a BSN, registered before,
  // still open then (vervolgmelding, linked to the latest such case) or closed by then (hermelding).
  await sql`
    update cases c set report_kind = case when x.open_case is not null then 'vervolgmelding' else 'hermelding' end, linked_case_id = x.open_case
    from (
      select c2.id,
             (select o.id from persons p join persons q on q.bsn = p.bsn and q.case_id <> p.case_id join cases o on o.id = q.case_id
              where p.case_id = c2.id and p.bsn is not null and o.registered_at < c2.registered_at and (o.closed_at is null or o.closed_at > c2.registered_at)
              order by o.registered_at desc limit 1) as open_case
      from cases c2 where c2.re_report
    ) x
    where x.id = c.id`.execute(db);
  await sql`create index cases_linked_case_idx on cases (linked_case_id) where linked_case_id is not null`.execute(db);
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`
    create index cases_received_gemeente_idx on cases (received_at)
    include (gemeente, safety, assessed_safety, report_kind, melder_professional, melder_sector, re_report, violence_types)`.execute(db);
  await sql`create index adviezen_received_idx on adviezen (received_at) include (gemeente, violence_types)`.execute(db);
  await sql`drop index deadlines_running_veiligheidsbeoordeling_idx`.execute(db);
  await sql`
    create index deadlines_running_veiligheidsbeoordeling_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at, key)
    where kind = 'veiligheidsbeoordeling'`.execute(db);
  // Art. 4.3.2 b: the sex of the persons a melding is about, delivered to CBS.
  await sql`alter table persons add column sex text check (sex in ('man', 'vrouw', 'onbekend'))`.execute(db);
  await sql`create table metrics_generation (id boolean primary key default true check (id), generation bigint not null default 0)`.execute(db);
  // Months kept so far counted the current safety: count them again.
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop table metrics_generation`.execute(db);
  await sql`alter table persons drop column sex`.execute(db);
  await sql`drop index deadlines_running_veiligheidsbeoordeling_idx`.execute(db);
  await sql`
    create index deadlines_running_veiligheidsbeoordeling_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at)
    where kind = 'veiligheidsbeoordeling'`.execute(db);
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`
    create index cases_received_gemeente_idx on cases (received_at)
    include (gemeente, safety, melder_professional, melder_sector, re_report, violence_types)`.execute(db);
  await sql`drop index adviezen_received_idx`.execute(db);
  await sql`alter table cases drop column assessed_safety, drop column report_kind, drop column linked_case_id`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}
