import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** New leaving facts: what was justified by a recorded reason apart from what was met, and monitoring planned. */
const NEW_FACT_COLUMNS: Array<[column: string, type: 'boolean' | 'integer', fill: string]> = [
  ['children_seen_justified', 'integer', '0'],
  // Rows written before this migration did not tell the children who must be spoken with apart: all of them count.
  ['children_to_speak', 'integer', 'children'],
  ['children_spoken_justified', 'integer', '0'],
  ['vulnerable_chain_partner_justified', 'integer', '0'],
  ['informal_network_justified', 'boolean', 'false'],
  ['monitoring_follows', 'boolean', 'false'],
  ['monitoring_planned', 'boolean', 'false'],
];
const ALL_FACT_COLUMNS = [
  'unsafe', 'safety_plan', 'children', 'children_seen', 'children_spoken', 'decided', 'decision_four_eyes', 'closed', 'closure_four_eyes',
  'vulnerable', 'vulnerable_with_chain_partner', 'informal_network', ...NEW_FACT_COLUMNS.map(([c]) => c),
];
/** A monitoring contact's answer as recorded: true → yes, false → no, anything else → unknown. */
const answer = (payload: string, key: string) => `case ${payload} -> '${key}' when 'true'::jsonb then 'yes' when 'false'::jsonb then 'no' else 'unknown' end`;

/**
 * Terms and quality figures an inspector can trust:
 * - the onderzoek start term (Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1) is a deadline kind with its running-span index;
 * - `deadlines.inspection_due_at`: for an onderzoek, ten weeks from receipt (the inspection's measure) beside the
 *   statutory term from the decision, and an index to count every term in the period its statutory end passed;
 * - leaving facts tell met from justified; monitoring contacts keep what they established (yes / no / unknown).
 * Kept months are forgotten so they are counted again with the new figures.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`
    create index deadlines_running_onderzoek_start_idx on deadlines
    using gist (running_span) include (gemeente, original_due_at, case_received_at)
    where kind = 'onderzoek_start'`.execute(db);
  await sql`alter table deadlines add column inspection_due_at timestamptz`.execute(db);
  await sql`create index deadlines_kind_due_idx on deadlines (kind, original_due_at) include (team_id, gemeente, met_at, cancelled_at, case_id)`.execute(db);
  await sql`create index deadlines_kind_inspection_due_idx on deadlines (kind, inspection_due_at) include (team_id, gemeente, met_at, cancelled_at, case_id) where inspection_due_at is not null`.execute(db);

  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map(([c, type]) => sql`add column ${sql.id(c)} ${sql.raw(type)}`))}`.execute(db);
  await sql`update case_quality_facts set ${sql.join(NEW_FACT_COLUMNS.map(([c, , fill]) => sql`${sql.id(c)} = ${sql.raw(fill)}`))}`.execute(db);
  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map(([c]) => sql`alter column ${sql.id(c)} set not null`))}`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, ${sql.raw(ALL_FACT_COLUMNS.join(', '))})`.execute(db);

  await sql`
    alter table monitoring_contact_facts
      add column steps text check (steps in ('yes', 'no', 'unknown')),
      add column violence_stopped text check (violence_stopped in ('yes', 'no', 'unknown')),
      add column safety_restored text check (safety_restored in ('yes', 'no', 'unknown')),
      add column reason_unknown boolean`.execute(db);
  await sql`
    update monitoring_contact_facts f set
      steps = ${sql.raw(answer('e.payload', 'stepsCarriedOut'))},
      violence_stopped = ${sql.raw(answer('e.payload', 'violenceStopped'))},
      safety_restored = ${sql.raw(answer('e.payload', 'safetyRestored'))},
      reason_unknown = e.payload ? 'reasonUnknown'
    from case_events e where e.case_id = f.case_id and e.seq = f.seq`.execute(db);
  await sql`alter table monitoring_contact_facts alter column steps set not null, alter column violence_stopped set not null, alter column safety_restored set not null, alter column reason_unknown set not null`.execute(db);
  await sql`
    create or replace function case_events_record_monitoring_contact() returns trigger language plpgsql as $$
    begin
      if new.type = 'MONITORING_CONTACT_HELD' then
        insert into monitoring_contact_facts (case_id, seq, team_id, held_at, checked, steps, violence_stopped, safety_restored, reason_unknown)
        select new.case_id, new.seq, c.team_id, new.at,
               (new.payload -> 'stepsCarriedOut') in ('true'::jsonb, 'false'::jsonb) and (new.payload -> 'violenceStopped') in ('true'::jsonb, 'false'::jsonb)
                 and (new.payload -> 'safetyRestored') in ('true'::jsonb, 'false'::jsonb),
               ${sql.raw(answer('new.payload', 'stepsCarriedOut'))}, ${sql.raw(answer('new.payload', 'violenceStopped'))}, ${sql.raw(answer('new.payload', 'safetyRestored'))},
               new.payload ? 'reasonUnknown'
        from cases c where c.id = new.case_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`drop index monitoring_contact_facts_held_idx`.execute(db);
  await sql`create index monitoring_contact_facts_held_idx on monitoring_contact_facts (held_at) include (team_id, case_id, steps, violence_stopped, safety_restored, reason_unknown)`.execute(db);
  await sql`alter table alerts drop constraint alerts_level_check, add constraint alerts_level_check check (level in ('warning', 'breach', 'escalation', 'acute'))`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`delete from alert_deliveries where alert_id in (select id from alerts where level = 'acute')`.execute(db);
  await sql`delete from alerts where level = 'acute'`.execute(db);
  await sql`alter table alerts drop constraint alerts_level_check, add constraint alerts_level_check check (level in ('warning', 'breach', 'escalation'))`.execute(db);
  await sql`drop index monitoring_contact_facts_held_idx`.execute(db);
  await sql`create index monitoring_contact_facts_held_idx on monitoring_contact_facts (held_at) include (team_id, checked, case_id)`.execute(db);
  await sql`
    create or replace function case_events_record_monitoring_contact() returns trigger language plpgsql as $$
    begin
      if new.type = 'MONITORING_CONTACT_HELD' then
        insert into monitoring_contact_facts (case_id, seq, team_id, held_at, checked)
        select new.case_id, new.seq, c.team_id, new.at, new.payload ?& array['stepsCarriedOut', 'violenceStopped', 'safetyRestored']
        from cases c where c.id = new.case_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`alter table monitoring_contact_facts drop column steps, drop column violence_stopped, drop column safety_restored, drop column reason_unknown`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map(([c]) => sql`drop column ${sql.id(c)}`))}`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, ${sql.raw(ALL_FACT_COLUMNS.slice(0, 12).join(', '))})`.execute(db);
  await sql`drop index deadlines_kind_inspection_due_idx`.execute(db);
  await sql`drop index deadlines_kind_due_idx`.execute(db);
  await sql`alter table deadlines drop column inspection_due_at`.execute(db);
  await sql`drop index deadlines_running_onderzoek_start_idx`.execute(db);
}
