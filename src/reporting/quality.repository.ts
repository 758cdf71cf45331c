import { sql, type RawBuilder } from 'kysely';
import type { NewQualityFacts } from '../../db/schema';
import type { LeavingFacts, LeavingFigure } from '../../workflows/reporting/quality';
import type { Executor } from '../cases/case.repository';

/** Cases listed per figure as falling short, most recent first; the count says how many there are in all. */
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
    children_spoken: f.childrenSpoken,
    decided: f.decided,
    decision_four_eyes: f.decisionFourEyes,
    closed: f.closed,
    closure_four_eyes: f.closureFourEyes,
    vulnerable: f.vulnerable,
    vulnerable_with_chain_partner: f.vulnerableWithChainPartner,
    informal_network: f.informalNetwork,
  };
}

/**
 * Each leaving figure over the columns of `case_quality_facts`: what it applies to, what meets it, and when a case
 * falls short. The same definitions as `LEAVING_FIGURES` in workflows/reporting/quality.ts, in SQL, so a month of a
 * million meldingen is summed in the database; the e2e test checks both give the same figures.
 */
const LEAVING_SQL: Record<LeavingFigure, { applicable: string; met: string; short: string }> = {
  safetyPlanWhereUnsafe: { applicable: 'unsafe::int', met: '(unsafe and safety_plan)::int', short: 'unsafe and not safety_plan' },
  childrenSeen: { applicable: 'children', met: 'children_seen', short: 'children_seen < children' },
  childrenSpokenFromAge: { applicable: 'children', met: 'children_spoken', short: 'children_spoken < children' },
  decisionsByTwoProfessionals: { applicable: 'decided::int', met: 'decision_four_eyes::int', short: 'decided and not decision_four_eyes' },
  closuresByTwoProfessionals: { applicable: 'closed::int', met: 'closure_four_eyes::int', short: 'closed and not closure_four_eyes' },
  vulnerablePersonsWithChainPartner: { applicable: 'vulnerable', met: 'vulnerable_with_chain_partner', short: 'vulnerable_with_chain_partner < vulnerable' },
  informalNetworkInvolved: { applicable: '1', met: 'informal_network::int', short: 'not informal_network' },
};

export interface FigureCounts {
  applicable: number;
  met: number;
  shortCount: number;
  short: string[];
}

const figureSql = (applicable: string, met: string, short: string, order: string) => sql`
  json_build_object(
    'applicable', coalesce(sum(${sql.raw(applicable)}), 0),
    'met', coalesce(sum(${sql.raw(met)}), 0),
    'shortCount', count(*) filter (where ${sql.raw(short)}),
    'short', coalesce((array_agg(case_id order by ${sql.raw(order)} desc, case_id) filter (where ${sql.raw(short)}))[1:${sql.lit(SHORT_LIST_LIMIT)}], '{}'))`;

/** SQL behind the inspection quality report: sums over index ranges of one period, never the case snapshots. */
export const qualityRepository = {
  /** Meldingen that left VT (handed over or closed) in [from, to), each once (its first leaving), figure by figure. */
  async leaving(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<{ count: number; figures: Record<LeavingFigure, FigureCounts> }> {
    const figures = Object.entries(LEAVING_SQL) as Array<[LeavingFigure, { applicable: string; met: string; short: string }]>;
    const r = await sql<Record<string, FigureCounts> & { n: number }>`
      with l as (
        select distinct on (case_id) * from case_quality_facts
        where left_at >= ${from} and left_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}
        order by case_id, left_at
      )
      select count(*)::int as n, ${sql.join(figures.map(([name, f]) => sql`${figureSql(f.applicable, f.met, f.short, 'left_at')} as ${sql.id(name)}`))}
      from l`.execute(db);
    const row = r.rows[0]!;
    return { count: row.n, figures: Object.fromEntries(figures.map(([name]) => [name, row[name]!])) as Record<LeavingFigure, FigureCounts> };
  },

  /** Terms of a kind met in [from, to): how many, how many within the statutory (original) term, and the late ones. */
  async termsMet(db: Executor, teams: string[] | 'all', kind: string, from: Date, to: Date): Promise<FigureCounts> {
    const r = await sql<{ f: FigureCounts }>`
      select ${figureSql('1', '(met_at <= original_due_at)::int', 'met_at > original_due_at', 'met_at')} as f
      from deadlines
      where kind = ${kind} and met_at >= ${from} and met_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}`.execute(db);
    return r.rows[0]!.f;
  },

  /** Monitoring contacts held in [from, to) and whether each recorded if the steps were taken, the violence stopped and safety returned. */
  async monitoringChecks(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<FigureCounts> {
    const r = await sql<{ f: FigureCounts }>`
      select ${figureSql('1', 'checked::int', 'not checked', 'held_at')} as f
      from monitoring_contact_facts
      where held_at >= ${from} and held_at < ${to} and ${teamFilter(sql.ref('team_id'), teams)}`.execute(db);
    return r.rows[0]!.f;
  },
};
