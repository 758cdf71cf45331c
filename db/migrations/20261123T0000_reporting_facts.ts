import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Anonymised facts behind the municipal metrics and the quality report, so that every call reads an index range of
 * one month instead of scanning all meldingen:
 * - `time_span(from, until)`: the half-open interval [from, until), empty when until precedes from, stored as a
 *   generated column (`deadlines.running_span`, `case_state_periods.span`); a GiST index on it, holding the columns
 *   the metrics read, answers "what was running at moment t" for any t, past or present, by an index-only scan
 *   (an index on the expression itself would need the rows: PostgreSQL does not scan expression indexes index-only).
 * - `case_state_periods`: how long each case stayed in each state, kept by a trigger on case_events (so the engine,
 *   the seed and any later writer cannot forget it), backfilled from the history.
 * - `case_quality_facts`: per leaving of VT (handover or closure), what the inspection asks, as counts.
 * - `metrics_monthly`: the raw counts of each complete month, counted on first request (or by the nightly job) and
 *   published through disclosure control on every call; a late registration forgets its month and later ones.
 * - `deadlines.gemeente`, `team_id` and `case_received_at`: copied from the case by a trigger when a deadline is
 *   written (a case never changes gemeente, team or receipt), so terms are counted per gemeente or team, and aged
 *   from receipt, from covering indexes without visiting the cases.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`
    create function time_span(from_at timestamptz, until_at timestamptz) returns tstzrange
    language sql immutable parallel safe
    return tstzrange(from_at, case when until_at < from_at then from_at else until_at end, '[)')`.execute(db);

  await db.schema
    .createTable('case_state_periods')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('gemeente', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    .addColumn('span', sql`tstzrange`, (c) => c.generatedAlwaysAs(sql`time_span(entered_at, left_at)`).stored())
    .addPrimaryKeyConstraint('case_state_periods_pkey', ['case_id', 'seq'])
    .execute();
  await sql`create unique index case_state_periods_current_idx on case_state_periods (case_id) where left_at is null`.execute(db);
  await sql`
    create function case_events_record_state_period() returns trigger language plpgsql as $$
    begin
      if new.from_state is distinct from new.to_state then
        update case_state_periods set left_at = new.at where case_id = new.case_id and left_at is null;
        insert into case_state_periods (case_id, seq, state, gemeente, entered_at)
        select new.case_id, new.seq, new.to_state, c.gemeente, new.at from cases c where c.id = new.case_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    insert into case_state_periods (case_id, seq, state, gemeente, entered_at, left_at)
    select e.case_id, e.seq, e.to_state, c.gemeente, e.at, lead(e.at) over (partition by e.case_id order by e.seq)
    from case_events e join cases c on c.id = e.case_id where e.from_state is distinct from e.to_state`.execute(db);
  await sql`
    create trigger case_events_state_periods after insert on case_events
    for each row execute function case_events_record_state_period()`.execute(db);
  await sql`
    create index case_state_periods_waiting_onderzoek_idx on case_state_periods
    using gist (span) include (gemeente) where state = 'wacht_op_onderzoek'`.execute(db);

  await db.schema
    .createTable('case_quality_facts')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_quality_facts_pkey', ['case_id', 'seq'])
    .execute();
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id)`.execute(db);

  await sql`
    alter table deadlines add column gemeente text, add column team_id text, add column case_received_at timestamptz,
      add column running_span tstzrange generated always as (time_span(opened_at, least(met_at, cancelled_at))) stored`.execute(db);
  await sql`update deadlines d set gemeente = c.gemeente, team_id = c.team_id, case_received_at = c.received_at from cases c where c.id = d.case_id`.execute(db);
  await sql`alter table deadlines alter column gemeente set not null, alter column team_id set not null, alter column case_received_at set not null`.execute(db);
  await sql`
    create function deadlines_copy_case_scope() returns trigger language plpgsql as $$
    begin
      select c.gemeente, c.team_id, c.received_at into new.gemeente, new.team_id, new.case_received_at from cases c where c.id = new.case_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger deadlines_case_scope before insert on deadlines
    for each row execute function deadlines_copy_case_scope()`.execute(db);

  // Terms running at a moment (waiting for assessment, open onderzoeken), past or present, answered from the index.
  for (const kind of ['veiligheidsbeoordeling', 'onderzoek']) {
    await sql`
      create index ${sql.id(`deadlines_running_${kind}_idx`)} on deadlines
      using gist (running_span) include (gemeente, original_due_at, case_received_at)
      where kind = ${sql.lit(kind)}`.execute(db);
  }
  // Terms met or opened in a month, counted per gemeente or team without visiting the table.
  await sql`drop index deadlines_kind_met_idx`.execute(db);
  await sql`drop index deadlines_kind_opened_idx`.execute(db);
  await sql`create index deadlines_kind_met_idx on deadlines (kind, met_at) include (gemeente, team_id, original_due_at, case_id)`.execute(db);
  await sql`create index deadlines_kind_opened_idx on deadlines (kind, opened_at) include (gemeente)`.execute(db);
  // Meldingen received in a month, with the columns of their breakdowns.
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`
    create index cases_received_gemeente_idx on cases (received_at)
    include (gemeente, safety, melder_professional, melder_sector, re_report, violence_types)`.execute(db);
  await db.schema
    .createTable('metrics_monthly')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .execute();
  await sql`comment on table metrics_monthly is 'raw counts of complete months before disclosure control; anonymised, kept after dossiers are destroyed'`.execute(db);
  await sql`create index case_events_monitoring_held_idx on case_events (at) include (case_id) where type = 'MONITORING_CONTACT_HELD'`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index case_events_monitoring_held_idx`.execute(db);
  await db.schema.dropTable('metrics_monthly').execute();
  await sql`drop index cases_received_gemeente_idx`.execute(db);
  await sql`create index cases_received_gemeente_idx on cases (received_at, gemeente)`.execute(db);
  await sql`drop index deadlines_kind_opened_idx`.execute(db);
  await sql`drop index deadlines_kind_met_idx`.execute(db);
  await sql`create index deadlines_kind_met_idx on deadlines (kind, met_at)`.execute(db);
  await sql`create index deadlines_kind_opened_idx on deadlines (kind, opened_at)`.execute(db);
  await sql`drop index deadlines_running_veiligheidsbeoordeling_idx`.execute(db);
  await sql`drop index deadlines_running_onderzoek_idx`.execute(db);
  await sql`drop trigger deadlines_case_scope on deadlines`.execute(db);
  await sql`drop function deadlines_copy_case_scope()`.execute(db);
  await sql`alter table deadlines drop column gemeente, drop column team_id, drop column case_received_at, drop column running_span`.execute(db);
  await db.schema.dropTable('case_quality_facts').execute();
  await sql`drop trigger case_events_state_periods on case_events`.execute(db);
  await sql`drop function case_events_record_state_period()`.execute(db);
  await db.schema.dropTable('case_state_periods').execute();
  await sql`drop function time_span(timestamptz, timestamptz)`.execute(db);
}
