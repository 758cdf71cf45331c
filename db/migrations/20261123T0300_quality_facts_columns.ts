import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** The leaving facts as typed columns, and in the order `LeavingFacts` names them. */
const FACT_COLUMNS: Array<[column: string, field: string, type: 'boolean' | 'integer']> = [
  ['unsafe', 'unsafe', 'boolean'],
  ['safety_plan', 'safetyPlan', 'boolean'],
  ['children', 'children', 'integer'],
  ['children_seen', 'childrenSeen', 'integer'],
  ['children_spoken', 'childrenSpoken', 'integer'],
  ['decided', 'decided', 'boolean'],
  ['decision_four_eyes', 'decisionFourEyes', 'boolean'],
  ['closed', 'closed', 'boolean'],
  ['closure_four_eyes', 'closureFourEyes', 'boolean'],
  ['vulnerable', 'vulnerable', 'integer'],
  ['vulnerable_with_chain_partner', 'vulnerableWithChainPartner', 'integer'],
  ['informal_network', 'informalNetwork', 'boolean'],
];

/**
 * The quality report of one month over a million meldingen read tens of thousands of JSON documents; it now sums
 * typed columns held in its index (index-only), and monitoring contacts get facts of their own (the check recorded at
 * each contact, with the case's team), kept by a trigger on case_events like the state periods.
 */
export async function up(db: AnyDB): Promise<void> {
  // One pass over the table: add the columns, fill them in one UPDATE, then require them.
  await sql`alter table case_quality_facts ${sql.join(FACT_COLUMNS.map(([column, , type]) => sql`add column ${sql.id(column)} ${sql.raw(type)}`))}`.execute(db);
  await sql`update case_quality_facts set ${sql.join(FACT_COLUMNS.map(([column, field, type]) => sql`${sql.id(column)} = (facts ->> ${sql.lit(field)})::${sql.raw(type)}`))}`.execute(db);
  await sql`alter table case_quality_facts ${sql.join(FACT_COLUMNS.map(([column]) => sql`alter column ${sql.id(column)} set not null`))}, drop column facts`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`
    create index case_quality_facts_left_idx on case_quality_facts (left_at)
    include (team_id, case_id, ${sql.raw(FACT_COLUMNS.map(([c]) => c).join(', '))})`.execute(db);

  await db.schema
    .createTable('monitoring_contact_facts')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('held_at', 'timestamptz', (c) => c.notNull())
    .addColumn('checked', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitoring_contact_facts_pkey', ['case_id', 'seq'])
    .execute();
  await sql`create index monitoring_contact_facts_held_idx on monitoring_contact_facts (held_at) include (team_id, checked, case_id)`.execute(db);
  // Whether the contact recorded that the agreed steps were carried out, the violence stopped and safety returned.
  await sql`
    create function case_events_record_monitoring_contact() returns trigger language plpgsql as $$
    begin
      if new.type = 'MONITORING_CONTACT_HELD' then
        insert into monitoring_contact_facts (case_id, seq, team_id, held_at, checked)
        select new.case_id, new.seq, c.team_id, new.at, new.payload ?& array['stepsCarriedOut', 'violenceStopped', 'safetyRestored']
        from cases c where c.id = new.case_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    insert into monitoring_contact_facts (case_id, seq, team_id, held_at, checked)
    select e.case_id, e.seq, c.team_id, e.at, e.payload ?& array['stepsCarriedOut', 'violenceStopped', 'safetyRestored']
    from case_events e join cases c on c.id = e.case_id where e.type = 'MONITORING_CONTACT_HELD'`.execute(db);
  await sql`
    create trigger case_events_monitoring_contacts after insert on case_events
    for each row execute function case_events_record_monitoring_contact()`.execute(db);
  await sql`drop index case_events_monitoring_held_idx`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`create index case_events_monitoring_held_idx on case_events (at) include (case_id) where type = 'MONITORING_CONTACT_HELD'`.execute(db);
  await sql`drop trigger case_events_monitoring_contacts on case_events`.execute(db);
  await sql`drop function case_events_record_monitoring_contact()`.execute(db);
  await db.schema.dropTable('monitoring_contact_facts').execute();
  await sql`alter table case_quality_facts add column facts jsonb`.execute(db);
  await sql`
    update case_quality_facts set facts = jsonb_build_object(${sql.join(FACT_COLUMNS.flatMap(([c, f]) => [sql.lit(f), sql.id(c)]))})`.execute(db);
  await sql`alter table case_quality_facts alter column facts set not null`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  for (const [column] of FACT_COLUMNS) await sql`alter table case_quality_facts drop column ${sql.id(column)}`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id)`.execute(db);
}
