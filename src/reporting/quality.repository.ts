import { sql, type RawBuilder } from 'kysely';
import type { LeavingFacts } from '../../workflows/reporting/quality';
import type { Executor } from '../cases/case.repository';

const teamFilter = (column: RawBuilder<unknown>, teams: string[] | 'all') =>
  teams === 'all' ? sql`true` : sql`${column} in (${sql.join(teams.length > 0 ? teams : ['\u0000'])})`;

/** SQL behind the inspection quality report: index ranges of one period, never the case snapshots. */
export const qualityRepository = {
  /** Meldingen that left VT (handed over or closed) in [from, to), once each (their first leaving), with their facts. */
  async leaving(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<Array<{ case_id: string; facts: LeavingFacts }>> {
    const r = await sql<{ case_id: string; facts: LeavingFacts }>`
      select distinct on (f.case_id) f.case_id, f.facts
      from case_quality_facts f
      where f.left_at >= ${from} and f.left_at < ${to} and ${teamFilter(sql.ref('f.team_id'), teams)}
      order by f.case_id, f.left_at`.execute(db);
    return r.rows;
  },

  /** Terms of a kind met in [from, to): case id and whether within the statutory (original) term. */
  async termsMet(db: Executor, teams: string[] | 'all', kind: string, from: Date, to: Date): Promise<Array<{ case_id: string; in_time: boolean }>> {
    const r = await sql<{ case_id: string; in_time: boolean }>`
      select d.case_id, d.met_at <= d.original_due_at as in_time
      from deadlines d
      where d.kind = ${kind} and d.met_at >= ${from} and d.met_at < ${to} and ${teamFilter(sql.ref('d.team_id'), teams)}`.execute(db);
    return r.rows;
  },

  /** Monitoring contacts held in [from, to) and whether each recorded if the violence stopped and safety returned. */
  async monitoringChecks(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<Array<{ case_id: string; checked: boolean }>> {
    const r = await sql<{ case_id: string; checked: boolean }>`
      select e.case_id, (e.payload ? 'violenceStopped' and e.payload ? 'safetyRestored' and e.payload ? 'stepsCarriedOut') as checked
      from case_events e join cases c on c.id = e.case_id
      where e.type = 'MONITORING_CONTACT_HELD' and e.at >= ${from} and e.at < ${to} and ${teamFilter(sql.ref('c.team_id'), teams)}`.execute(db);
    return r.rows;
  },
};
