import { sql } from 'kysely';
import type { Database } from '../../db/database';
import { FINAL_STATES } from '../../workflows/melding';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import type { Clock } from '../shared/clock';

/** Nightly: counts of open meldingen per gemeente and state (and how many are past a term) for today's date. */
export async function takeWaitlistSnapshot(db: Database, clock: Clock, calendar: AwtCalendar): Promise<{ day: string; rows: number }> {
  const now = clock.now();
  const day = calendar.localDate(now);
  const result = await sql`
    insert into waitlist_daily (day, gemeente, state, open_cases, overdue_cases, taken_at)
    select ${day}::date, gemeente, state, count(*)::int, count(*) filter (where next_due_at < ${now})::int, ${now}
    from cases
    where state not in (${sql.join([...FINAL_STATES])})
    group by gemeente, state
    on conflict (day, gemeente, state) do update
      set open_cases = excluded.open_cases, overdue_cases = excluded.overdue_cases, taken_at = excluded.taken_at`.execute(db);
  return { day, rows: Number(result.numAffectedRows ?? 0) };
}
