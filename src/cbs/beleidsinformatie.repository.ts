import { sql } from 'kysely';
import type { Executor } from '../../db/executor';

export interface AdviesFact {
  violence_types: string[];
  caller_professional: boolean;
  caller_sector: string | null;
  received_at: Date;
}
export interface MeldingFact {
  case_id: string;
  team_id: string;
  violence_types: string[];
  melder_professional: boolean;
  melder_sector: string | null;
  received_at: Date;
}
export interface PersonFact {
  case_id: string;
  bsn: string | null;
  birth_date: string | null;
  sex: string | null;
}
export interface OnderzoekFact {
  case_id: string;
  team_id: string;
  violence_types: string[];
  started_at: Date | null;
  finished_at: Date;
  /** The approved conclusion's outcome per type of violence; null for a conclusion proposed before machine v6. */
  outcomes: Record<string, string> | null;
  follow_up: string | null;
}

/** The facts behind the CBS delivery of one period [from, to). */
export const beleidsinformatieRepository = {
  async adviezen(db: Executor, from: Date, to: Date): Promise<AdviesFact[]> {
    return db.selectFrom('adviezen').select(['violence_types', 'caller_professional', 'caller_sector', 'received_at']).where('received_at', '>=', from).where('received_at', '<', to).orderBy('received_at').orderBy('id').execute();
  },

  async meldingen(db: Executor, from: Date, to: Date): Promise<MeldingFact[]> {
    return db
      .selectFrom('cases')
      .select(['id as case_id', 'team_id', 'violence_types', 'melder_professional', 'melder_sector', 'received_at'])
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
  },

  async persons(db: Executor, caseIds: string[]): Promise<PersonFact[]> {
    if (caseIds.length === 0) return [];
    return db.selectFrom('persons').select(['case_id', 'bsn', 'birth_date', 'sex']).where('case_id', 'in', caseIds).orderBy('case_id').orderBy('ordinal').execute();
  },

  /** Onderzoeken finished (conclusion approved) in [from, to): when each started, and the approved proposal's outcome. */
  async onderzoeken(db: Executor, from: Date, to: Date): Promise<OnderzoekFact[]> {
    const r = await sql<OnderzoekFact>`
      select a.case_id, c.team_id, c.violence_types, a.at as finished_at,
             (select s.at from case_events s where s.case_id = a.case_id and s.type = 'ONDERZOEK_STARTED' and s.seq < a.seq order by s.seq desc limit 1) as started_at,
             p.payload -> 'outcomes' as outcomes, p.payload ->> 'followUp' as follow_up
      from case_events a
      join cases c on c.id = a.case_id
      left join lateral (select q.payload from case_events q where q.case_id = a.case_id and q.type = 'ONDERZOEK_CONCLUSION_PROPOSED' and q.seq < a.seq order by q.seq desc limit 1) p on true
      where a.type = 'ONDERZOEK_CONCLUSION_APPROVED' and a.at >= ${from} and a.at < ${to}
      order by a.at, a.case_id`.execute(db);
    return r.rows;
  },
};
