import { sql } from 'kysely';
import type { Executor } from '../../../db/executor';

/**
 * Adviezen for the synthetic region. A Veilig Thuis answers about as many requests for advice as it receives
 * meldingen (CBS Beleidsinformatie Veilig Thuis), from the same gemeenten and about the same kinds of violence, so
 * the seed gives about 19 adviezen for every 20 meldingen: one for each melding whose id does not hash to the
 * left-out twentieth, in the melding's gemeente, team and types, from a caller of the melder's capacity, received
 * 0–20 days before it. Derived from the cases by hashing their ids (which come from the seed's PRNG), so the same
 * seed gives the same adviezen; none is linked to a melding (`converted_case_id` stays null).
 */
export async function seedAdviezen(db: Executor): Promise<void> {
  await sql`
    insert into adviezen (id, team_id, gemeente, violence_types, received_at, registered_at, registered_by, caller_professional, caller_sector, summary, converted_case_id)
    select x.id, c.team_id, c.gemeente, c.violence_types, x.received_at, x.received_at, 'synthetisch', c.melder_professional, c.melder_sector, 'Synthetisch advies', null
    from cases c
    cross join lateral (
      select md5('advies:' || c.id::text)::uuid as id,
             c.received_at - make_interval(mins => (('x' || substr(md5('advies-dag:' || c.id::text), 1, 8))::bit(32)::bigint % (20 * 24 * 60))::int) as received_at,
             ('x' || substr(md5('advies-kans:' || c.id::text), 1, 8))::bit(32)::bigint % 20 as draw
    ) x
    where x.draw <> 0
    on conflict (id) do nothing`.execute(db);
}
