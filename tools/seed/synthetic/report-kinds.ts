import { sql } from 'kysely';
import type { Executor } from '../../../db/executor';

/**
 * The engine tells a vervolgmelding (added to a case still open) from a hermelding at registration; the seed simulates
 * every case on its own, so after loading it finds, for each re-report, a case of the same persons (by BSN) registered
 * before and still open at its registration, as the engine would have.
 */
export async function linkVervolgmeldingen(db: Executor): Promise<void> {
  await sql`
    update cases c set report_kind = 'vervolgmelding', linked_case_id = x.open_case
    from (
      select c2.id,
             (select o.id from persons p join persons q on q.bsn = p.bsn and q.case_id <> p.case_id join cases o on o.id = q.case_id
              where p.case_id = c2.id and p.bsn is not null and o.registered_at < c2.registered_at and (o.closed_at is null or o.closed_at > c2.registered_at)
              order by o.registered_at desc limit 1) as open_case
      from cases c2 where c2.report_kind = 'hermelding'
    ) x
    where x.id = c.id and x.open_case is not null`.execute(db);
}
