/** Bench rows written straight into PostgreSQL: cases for the foreign key and open deadlines by the thousand. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database';
import type { DeadlineRow } from '../../db/schema';
import type { Services } from '../../src/services';
import { MELDING_MACHINE_VERSION } from '../../workflows/melding/melding.machine';

export type Timed = Pick<DeadlineRow, 'id' | 'status' | 'due_at' | 'warn_at' | 'warned_at'>;

const TEAM = 'bench';
const GEMEENTE = 'GM0193';

/** Cases for the foreign key: a real melding snapshot, team 'bench', gemeente GM0193. */
export async function insertCases(db: Database, services: Services, n: number): Promise<string[]> {
  await db.insertInto('teams').values({ id: TEAM, name: 'Bench' }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const now = new Date();
  const ids = Array.from({ length: n }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 500) {
    const rows = ids.slice(i, i + 500).map((id) => {
      const snapshot = services.workflow.start({ caseId: id, receivedAt: now.toISOString(), acuteDanger: false, melderReachable: true, persons: [] });
      return {
        id,
        team_id: TEAM,
        gemeente: GEMEENTE,
        state: snapshot.state,
        version: 1,
        machine_version: MELDING_MACHINE_VERSION,
        snapshot: JSON.stringify(snapshot),
        received_at: now,
        registered_at: now,
        registered_by: 'bench',
        acute_danger: false,
        violence_types: ['bench'],
        melder_professional: false,
        melder_sector: null,
        re_report: false,
        safety: null,
        decision_code: null,
        summary: 'bench',
        next_due_at: null,
        closed_at: null,
        updated_at: now,
        advies_id: null,
      };
    });
    // snapshot is a JSONColumnType: Kysely takes the serialised form on insert.
    await db.insertInto('cases').values(rows).execute();
  }
  return ids;
}

/**
 * `n` open deadlines spread over the cases, keyed `${tag}-i`: due at dueFrom + i·stepMs, warning at
 * due + warnOffsetMs (negative: before the end; positive: after it, so no warning job).
 */
export async function insertDeadlines(db: Database, caseIds: string[], tag: string, n: number, dueFrom: Date, stepMs: number, warnOffsetMs: number): Promise<void> {
  await sql`
    insert into deadlines (id, case_id, kind, key, rule, status, opened_at, due_at, original_due_at, warn_at)
    select gen_random_uuid(), (${caseIds}::uuid[])[1 + g % ${caseIds.length}], 'veiligheidsbeoordeling', ${tag} || '-' || g, 'bench', 'open', now(), d.due, d.due,
           d.due + ${warnOffsetMs}::double precision * interval '1 millisecond'
    from generate_series(0, ${n - 1}::int) g,
         lateral (select ${dueFrom}::timestamptz + (g * ${stepMs}::double precision) * interval '1 millisecond' as due) d`.execute(db);
}

export async function timedDeadlines(db: Database, tag: string): Promise<Timed[]> {
  return db.selectFrom('deadlines').select(['id', 'status', 'due_at', 'warn_at', 'warned_at']).where('key', 'like', `${tag}-%`).orderBy('due_at').execute();
}
