import type { Executor } from '../../db/executor';
import type { VtRegion } from '../../workflows/reference';

/** Makes the gemeenten table hold the configured region's municipalities (the region list is configuration). */
export async function syncRegion(db: Executor, region: VtRegion): Promise<void> {
  const rows = region.gemeenten.map((g) => ({ code: g.code, name: g.name, region_id: region.id, is_centrumgemeente: g.code === region.centrumgemeente }));
  await db
    .insertInto('gemeenten')
    .values(rows)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), region_id: eb.ref('excluded.region_id'), is_centrumgemeente: eb.ref('excluded.is_centrumgemeente') })),
    )
    .execute();
}
