import { sql, type RawBuilder } from 'kysely';
import type { NewQualityFacts } from '../../db/schema';
import type { LeavingFacts, LeavingFigure } from '../../workflows/reporting/quality';
import type { Executor } from '../../db/executor';

/** Cases listed per count (justified, missing), most recent first; the count says how many there are in all. */
export const SHORT_LIST_LIMIT = 500;

const teamFilter = (column: RawBuilder<unknown>, teams: string[] | 'all') =>
  teams === 'all' ? sql`true` : sql`${column} in (${sql.join(teams.length > 0 ? teams : ['\u0000'])})`;

/** A melding's leaving facts as the columns of `case_quality_facts`. */
export function qualityFactsColumns(f: LeavingFacts): Omit<NewQualityFacts, 'case_id' | 'seq' | 'team_id' | 'left_at' | 'to_state'> {
  return {
    unsafe: f.unsafe,
    safety_plan: f.safetyPlan,
    children: f.children,
    children_seen: f.childrenSeen,
    children_seen_justified: f.childrenSeenJustified,
    children_to_speak: f.childrenToSpeak,
    children_spoken: f.childrenSpoken,
    children_spoken_justified: f.childrenSpokenJustified,
    decided: f.decided,
    decision_four_eyes: f.decisionFourEyes,
    closed: f.closed,
    closure_four_eyes: f.closureFourEyes,
    vulnerable: f.vulnerable,
    vulnerable_with_chain_partner: f.vulnerableWithChainPartner,
    vulnerable_chain_partner_justified: f.vulnerableChainPartnerJustified,
    informal_network: f.informalNetwork,
    informal_network_justified: f.informalNetworkJustified,
    monitoring_follows: f.monitoringFollows,
    monitoring_planned: f.monitoringPlanned,
    betrokkenen: f.betrokkenen,
    first_contact_informed: f.firstContactInformed,
    first_contact_justified: f.firstContactJustified,
    vertrouwenspersoon_known: f.vertrouwenspersoonKnown,
    vertrouwenspersoon_justified: f.vertrouwenspersoonJustified,
    household_members: f.householdMembers,
    household_safety_assessed: f.householdSafetyAssessed,
    household_safety_justified: f.householdSafetyJustified,
  };
}

/** A figure in SQL: integer expressions for met, justified and missing over one row. */
interface FigureSql {
  met: string;
  justified: string;
  missing: string;
}
const yesNo = (applies: string, met: string): FigureSql => ({ met: `(${applies} and ${met})::int`, justified: '0', missing: `(${applies} and not ${met})::int` });

/**
 * Each leaving figure over the columns of `case_quality_facts`. The same definitions as `LEAVING_FIGURES` in
 * workflows/reporting/quality.ts, in SQL, so a month of a million meldingen is summed in the database; the seed test
 * checks both give the same figures.
 */
const LEAVING_SQL: Record<LeavingFigure, FigureSql> = {
  safetyPlanWhereUnsafe: yesNo('unsafe', 'safety_plan'),
  childrenSeen: { met: 'children_seen', justified: 'children_seen_justified', missing: 'children - children_seen - children_seen_justified' },
  childrenSpokenFromAge: { met: 'children_spoken', justified: 'children_spoken_justified', missing: 'children_to_speak - children_spoken - children_spoken_justified' },
  decisionsByTwoProfessionals: yesNo('decided', 'decision_four_eyes'),
  closuresByTwoProfessionals: yesNo('closed', 'closure_four_eyes'),
  vulnerablePersonsWithChainPartner: {
    met: 'vulnerable_with_chain_partner',
    justified: 'vulnerable_chain_partner_justified',
    missing: 'vulnerable - vulnerable_with_chain_partner - vulnerable_chain_partner_justified',
  },
  informalNetworkInvolved: { met: 'informal_network::int', justified: 'informal_network_justified::int', missing: '(not informal_network and not informal_network_justified)::int' },
  monitoringPlanned: yesNo('monitoring_follows', 'monitoring_planned'),
  informationGivenAtFirstContact: { met: 'first_contact_informed', justified: 'first_contact_justified', missing: 'betrokkenen - first_contact_informed - first_contact_justified' },
  vertrouwenspersoonMadeKnown: { met: 'vertrouwenspersoon_known', justified: 'vertrouwenspersoon_justified', missing: 'betrokkenen - vertrouwenspersoon_known - vertrouwenspersoon_justified' },
  safetyAssessedPerHouseholdMember: {
    met: 'household_safety_assessed',
    justified: 'household_safety_justified',
    missing: 'household_members - household_safety_assessed - household_safety_justified',
  },
};

/** Sums of one figure, with the cases behind the justified and the missing counts. */
export interface FigureSums {
  met: number;
  justified: number;
  missing: number;
  justifiedCount: number;
  missingCount: number;
  casesJustified: string[];
  casesMissing: string[];
}

const listed = (where: string, order: string) =>
  sql`coalesce((array_agg(case_id order by ${sql.raw(order)} desc, case_id) filter (where ${sql.raw(where)}))[1:${sql.lit(SHORT_LIST_LIMIT)}], '{}')`;

const figureSql = (f: FigureSql, order: string) => sql`
  json_build_object(
    'met', coalesce(sum(${sql.raw(f.met)}), 0),
    'justified', coalesce(sum(${sql.raw(f.justified)}), 0),
    'missing', coalesce(sum(${sql.raw(f.missing)}), 0),
    'justifiedCount', count(*) filter (where ${sql.raw(f.justified)} > 0),
    'missingCount', count(*) filter (where ${sql.raw(f.missing)} > 0),
    'casesJustified', ${listed(`${f.justified} > 0`, order)},
    'casesMissing', ${listed(`${f.missing} > 0`, order)})`;

/** What a monitoring contact established: every question answered (yes or no) is met; unknown with a reason is justified. */
const checkSql = (known: string): FigureSql => ({ met: `(${known})::int`, justified: `(not (${known}) and reason_unknown)::int`, missing: `(not (${known}) and not reason_unknown)::int` });
export const MONITORING_SQL = {
  monitoringCheckedSteps: checkSql(`steps <> 'unknown'`),
  monitoringCheckedViolenceStopped: checkSql(`violence_stopped <> 'unknown' and safety_restored <> 'unknown'`),
} as const;
export type MonitoringFigure = keyof typeof MONITORING_SQL;

/** SQL behind the inspection quality report: sums over index ranges of one period, never the case snapshots. */
export const qualityRepository = {
  /** Meldingen that left VT (handed over or closed) in [from, to), each once (its first leaving), figure by figure. */
  async leaving(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<{ count: number; figures: Record<LeavingFigure, FigureSums> }> {
    const figures = Object.entries(LEAVING_SQL) as Array<[LeavingFigure, FigureSql]>;
    const r = await sql<Record<string, FigureSums> & { n: number }>`
      with l as (
        select distinct on (case_id) * from case_quality_facts
        where left_at >= ${from} and left_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}
        order by case_id, left_at
      )
      select count(*)::int as n, ${sql.join(figures.map(([name, f]) => sql`${figureSql(f, 'left_at')} as ${sql.id(name)}`))}
      from l`.execute(db);
    const row = r.rows[0]!;
    return { count: row.n, figures: Object.fromEntries(figures.map(([name]) => [name, row[name]!])) as Record<LeavingFigure, FigureSums> };
  },

  /**
   * The same figures per round: each melding once per round it left VT in during [from, to) (its first leaving in
   * that round), judged on that round's facts. Rows from before rounds were recorded count as round 1.
   */
  async leavingByRound(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<Array<{ round: number; count: number; figures: Record<LeavingFigure, FigureSums> }>> {
    const figures = Object.entries(LEAVING_SQL) as Array<[LeavingFigure, FigureSql]>;
    const r = await sql<Record<string, FigureSums> & { n: number; round: number }>`
      with l as (
        select distinct on (case_id, round) * from case_quality_facts
        where left_at >= ${from} and left_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}
        order by case_id, round, left_at
      )
      select round, count(*)::int as n, ${sql.join(figures.map(([name, f]) => sql`${figureSql(f, 'left_at')} as ${sql.id(name)}`))}
      from l group by round order by round`.execute(db);
    return r.rows.map((row) => ({ round: row.round, count: row.n, figures: Object.fromEntries(figures.map(([name]) => [name, row[name]!])) as Record<LeavingFigure, FigureSums> }));
  },

  /**
   * Onderzoeken started in [from, to) and their plan van aanpak: made either way (intercollegiaal approved by a
   * second professional, or multidisciplinair) is met; started without one for a recorded reason is justified;
   * otherwise missing (including onderzoeken started before plans were recorded).
   */
  async plans(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<FigureSums> {
    const r = await sql<{ f: FigureSums }>`
      select ${figureSql({ met: 'made::int', justified: '(not made and reason_no_plan)::int', missing: '(not made and not reason_no_plan)::int' }, 'started_at')} as f
      from onderzoek_plan_facts
      where started_at >= ${from} and started_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}`.execute(db);
    return r.rows[0]!.f;
  },

  /**
   * Terms of a kind decided in [from, to), against `due` (the statutory end, or the inspection's measure): met in
   * time in the period it was met; failing in the period its end passed (before `now`), whether it is still running,
   * was met late or was cancelled after its end. A failing term with an opschorting or verlenging recorded (each with
   * a reason) is justified; one without is missing.
   */
  async terms(db: Executor, teams: string[] | 'all', kind: string, due: 'original_due_at' | 'inspection_due_at', from: Date, to: Date, now: Date): Promise<FigureSums> {
    const until = to < now ? to : now;
    const dueCol = sql.ref(due);
    const adjusted = `exists (select 1 from deadline_adjustments a where a.deadline_id = t.id)`;
    const r = await sql<{ f: FigureSums }>`
      with t as (
        select d.id, d.case_id, d.met_at, d.${dueCol} as due, coalesce(d.met_at, d.${dueCol}) as moment, d.met_at is not null and d.met_at <= d.${dueCol} as in_time
        from deadlines d
        where d.kind = ${kind} and d.met_at >= ${from} and d.met_at < ${to} and d.met_at <= d.${dueCol} and ${teamFilter(sql.ref('d.team_id'), teams)}
        union all
        select d.id, d.case_id, d.met_at, d.${dueCol}, d.${dueCol}, false
        from deadlines d
        where d.kind = ${kind} and d.${dueCol} >= ${from} and d.${dueCol} < ${until}
          and (d.met_at is null or d.met_at > d.${dueCol}) and (d.cancelled_at is null or d.cancelled_at > d.${dueCol})
          and ${teamFilter(sql.ref('d.team_id'), teams)}
      )
      select ${figureSql({ met: 'in_time::int', justified: `(not in_time and ${adjusted})::int`, missing: `(not in_time and not ${adjusted})::int` }, 'moment')} as f
      from t`.execute(db);
    return r.rows[0]!.f;
  },

  /** Monitoring contacts held in [from, to): what each established, figure by figure, and the answers as counted. */
  async monitoring(db: Executor, teams: string[] | 'all', from: Date, to: Date) {
    const figures = Object.entries(MONITORING_SQL) as Array<[MonitoringFigure, FigureSql]>;
    const answers = (col: string) => sql`json_build_object('yes', count(*) filter (where ${sql.raw(col)} = 'yes'), 'no', count(*) filter (where ${sql.raw(col)} = 'no'), 'unknown', count(*) filter (where ${sql.raw(col)} = 'unknown'))`;
    const r = await sql<Record<MonitoringFigure, FigureSums> & { outcomes: Record<'stepsCarriedOut' | 'violenceStopped' | 'safetyRestored', { yes: number; no: number; unknown: number }> }>`
      select ${sql.join(figures.map(([name, f]) => sql`${figureSql(f, 'held_at')} as ${sql.id(name)}`))},
             json_build_object('stepsCarriedOut', ${answers('steps')}, 'violenceStopped', ${answers('violence_stopped')}, 'safetyRestored', ${answers('safety_restored')}) as outcomes
      from monitoring_contact_facts
      where held_at >= ${from} and held_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}`.execute(db);
    return r.rows[0]!;
  },
};
