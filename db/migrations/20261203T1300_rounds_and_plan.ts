import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

const FACT_COLUMNS = [
  'unsafe', 'safety_plan', 'children', 'children_seen', 'children_spoken', 'decided', 'decision_four_eyes', 'closed', 'closure_four_eyes',
  'vulnerable', 'vulnerable_with_chain_partner', 'informal_network', 'children_seen_justified', 'children_to_speak', 'children_spoken_justified',
  'vulnerable_chain_partner_justified', 'informal_network_justified', 'monitoring_follows', 'monitoring_planned',
];

/**
 * Rounds and the plan van aanpak (machine version 4):
 * - `case_events.round`: the machine's round after each event (null for earlier rows: case_events is append-only);
 * - `case_quality_facts.round`: the round a melding left VT in (earlier rows: 1), for the quality report per round;
 * - `onderzoek_plan_facts`: per onderzoek started, whether it had a plan van aanpak made either way, or a reason why
 *   not. Onderzoeken started before this version recorded no plan: they are written as without one, no reason.
 * Kept months are forgotten so they are counted again with the ten-weeks-from-receipt figures.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`alter table case_events add column round integer`.execute(db);
  await sql`alter table case_quality_facts add column round integer not null default 1`.execute(db);
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, round, ${sql.raw(FACT_COLUMNS.join(', '))})`.execute(db);
  await db.schema
    .createTable('onderzoek_plan_facts')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('plan_kind', 'text', (c) => c.check(sql`plan_kind in ('intercollegiaal', 'multidisciplinair')`))
    .addColumn('made', 'boolean', (c) => c.notNull())
    .addColumn('reason_no_plan', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('onderzoek_plan_facts_pkey', ['case_id', 'seq'])
    .execute();
  await sql`create index onderzoek_plan_facts_started_idx on onderzoek_plan_facts (started_at) include (team_id, case_id, round, made, reason_no_plan)`.execute(db);
  await sql`
    insert into onderzoek_plan_facts (case_id, seq, team_id, started_at, round, plan_kind, made, reason_no_plan)
    select e.case_id, e.seq, c.team_id, e.at, 1, null, false, false
    from case_events e join cases c on c.id = e.case_id
    where e.type = 'ONDERZOEK_STARTED'`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('onderzoek_plan_facts').execute();
  await sql`drop index case_quality_facts_left_idx`.execute(db);
  await sql`alter table case_quality_facts drop column round`.execute(db);
  await sql`create index case_quality_facts_left_idx on case_quality_facts (left_at) include (team_id, case_id, ${sql.raw(FACT_COLUMNS.join(', '))})`.execute(db);
  await sql`alter table case_events drop column round`.execute(db);
  await sql`delete from metrics_monthly`.execute(db);
}
