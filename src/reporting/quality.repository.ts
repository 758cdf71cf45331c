import { sql } from 'kysely';
import type { PersistedMelding } from '../../workflows/melding/melding.workflow';
import type { Executor } from '../cases/case.repository';

export interface LeavingRow {
  case_id: string;
  left_at: Date;
  to_state: string;
  snapshot: PersistedMelding;
  closure_proposed_by: string | null;
  closure_approved_by: string | null;
}

const teamFilter = (teams: string[] | 'all') => (teams === 'all' ? sql`true` : sql`c.team_id in (${sql.join(teams.length > 0 ? teams : ['\u0000'])})`);

/** SQL behind the inspection quality report. */
export const qualityRepository = {
  /** Meldingen that left VT (handed over or closed) in [from, to), once each, with who proposed and approved a closure. */
  async leaving(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<LeavingRow[]> {
    const r = await sql<LeavingRow>`
      select distinct on (e.case_id) e.case_id, e.at as left_at, e.to_state, c.snapshot,
             (select p.actor_id from case_events p where p.case_id = e.case_id and p.type = 'CLOSURE_PROPOSED' and p.seq < e.seq order by p.seq desc limit 1) as closure_proposed_by,
             case when e.type = 'CLOSURE_APPROVED' then e.actor_id end as closure_approved_by
      from case_events e join cases c on c.id = e.case_id
      where e.type in ('DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED')
        and e.to_state in ('overdracht', 'afgesloten')
        and e.at >= ${from} and e.at < ${to} and ${teamFilter(teams)}
      order by e.case_id, e.at`.execute(db);
    return r.rows;
  },

  /** Terms of a kind met in [from, to): case id and whether within the statutory (original) term. */
  async termsMet(db: Executor, teams: string[] | 'all', kind: string, from: Date, to: Date): Promise<Array<{ case_id: string; in_time: boolean }>> {
    const r = await sql<{ case_id: string; in_time: boolean }>`
      select d.case_id, d.met_at <= d.original_due_at as in_time
      from deadlines d join cases c on c.id = d.case_id
      where d.kind = ${kind} and d.met_at >= ${from} and d.met_at < ${to} and ${teamFilter(teams)}`.execute(db);
    return r.rows;
  },

  /** Monitoring contacts held in [from, to) and whether each recorded if the violence stopped and safety returned. */
  async monitoringChecks(db: Executor, teams: string[] | 'all', from: Date, to: Date): Promise<Array<{ case_id: string; checked: boolean }>> {
    const r = await sql<{ case_id: string; checked: boolean }>`
      select e.case_id, (e.payload ? 'violenceStopped' and e.payload ? 'safetyRestored' and e.payload ? 'stepsCarriedOut') as checked
      from case_events e join cases c on c.id = e.case_id
      where e.type = 'MONITORING_CONTACT_HELD' and e.at >= ${from} and e.at < ${to} and ${teamFilter(teams)}`.execute(db);
    return r.rows;
  },
};
