import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Leaving facts per person (melding machine v4): the information given at the first contact (Uitvoeringsbesluit
 * Wmo 2015 art. 4.1.8), the vertrouwenspersoon made known (art. 4.2.4) and the safety assessed per member of the
 * household. Rows written before this migration did not record them: 0 persons, so those leavings are not counted in
 * these three figures (neither met nor missing) rather than counted as failures the engine could not have known.
 */
const NEW_FACT_COLUMNS = [
  'betrokkenen',
  'first_contact_informed',
  'first_contact_justified',
  'vertrouwenspersoon_known',
  'vertrouwenspersoon_justified',
  'household_members',
  'household_safety_assessed',
  'household_safety_justified',
];
const FACT_COLUMNS_BEFORE = [
  'unsafe', 'safety_plan', 'children', 'children_seen', 'children_spoken', 'decided', 'decision_four_eyes', 'closed', 'closure_four_eyes',
  'vulnerable', 'vulnerable_with_chain_partner', 'informal_network', 'children_seen_justified', 'children_to_speak', 'children_spoken_justified',
  'vulnerable_chain_partner_justified', 'informal_network_justified', 'monitoring_follows', 'monitoring_planned',
];

export async function up(db: AnyDB): Promise<void> {
  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map((c) => sql`add column ${sql.id(c)} integer not null default 0`))}`.execute(db);
  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map((c) => sql`alter column ${sql.id(c)} drop default`))}`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, ${sql.raw([...FACT_COLUMNS_BEFORE, ...NEW_FACT_COLUMNS].join(', '))})`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`alter table case_quality_facts ${sql.join(NEW_FACT_COLUMNS.map((c) => sql`drop column ${sql.id(c)}`))}`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, ${sql.raw(FACT_COLUMNS_BEFORE.join(', '))})`.execute(db);
}
