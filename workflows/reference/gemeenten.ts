/**
 * Veilig Thuis regions and their municipalities (gemeenten).
 *
 * Regions are configuration: IJsselland is built in; a deployment for one of
 * the other Veilig Thuis regions supplies its own region as JSON and validates
 * it with `vtRegionSchema`.
 *
 * Gemeente codes are the CBS gemeentecodes, written 'GM' + 4 digits.
 *
 * Pure: no I/O, no clock, no randomness.
 */
import { z } from 'zod';

export interface Gemeente {
  /** CBS gemeentecode: 'GM' + 4 digits, e.g. 'GM0193'. */
  code: string;
  name: string;
}

export interface VtRegion {
  /** Stable slug, e.g. 'ijsselland'. */
  id: string;
  name: string;
  /** CBS code of the centrumgemeente; must be one of `gemeenten`. */
  centrumgemeente: string;
  gemeenten: readonly Gemeente[];
}

export const GEMEENTE_CODE_PATTERN = /^GM\d{4}$/;

export const gemeenteSchema = z.object({
  code: z.string().regex(GEMEENTE_CODE_PATTERN, { error: "must be a CBS gemeentecode ('GM' + 4 digits)" }),
  name: z.string().trim().min(1),
});

export const vtRegionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be a lowercase slug' }),
    name: z.string().trim().min(1),
    centrumgemeente: z.string().regex(GEMEENTE_CODE_PATTERN, { error: "must be a CBS gemeentecode ('GM' + 4 digits)" }),
    gemeenten: z.array(gemeenteSchema).min(1, { error: 'a region needs at least one gemeente' }).readonly(),
  })
  .superRefine((region, ctx) => {
    const seen = new Set<string>();
    region.gemeenten.forEach((g, index) => {
      if (seen.has(g.code)) {
        ctx.addIssue({ code: 'custom', message: `duplicate gemeente code ${g.code}`, path: ['gemeenten', index, 'code'] });
      }
      seen.add(g.code);
    });
    if (!seen.has(region.centrumgemeente)) {
      ctx.addIssue({
        code: 'custom',
        message: `centrumgemeente ${region.centrumgemeente} is not one of the region's gemeenten`,
        path: ['centrumgemeente'],
      });
    }
  });

function freezeRegion(region: VtRegion): VtRegion {
  return Object.freeze({
    ...region,
    gemeenten: Object.freeze(region.gemeenten.map((g) => Object.freeze({ ...g }))),
  });
}

/** Veilig Thuis IJsselland: the eleven gemeenten of the GGD IJsselland region; centrumgemeente Zwolle. */
export const IJSSELLAND: VtRegion = freezeRegion({
  id: 'ijsselland',
  name: 'IJsselland',
  centrumgemeente: 'GM0193',
  gemeenten: [
    { code: 'GM0148', name: 'Dalfsen' },
    { code: 'GM0150', name: 'Deventer' },
    { code: 'GM0160', name: 'Hardenberg' },
    { code: 'GM0166', name: 'Kampen' },
    { code: 'GM1773', name: 'Olst-Wijhe' },
    { code: 'GM0175', name: 'Ommen' },
    { code: 'GM0177', name: 'Raalte' },
    { code: 'GM0180', name: 'Staphorst' },
    { code: 'GM1708', name: 'Steenwijkerland' },
    { code: 'GM1896', name: 'Zwartewaterland' },
    { code: 'GM0193', name: 'Zwolle' },
  ],
});

/** Regions shipped with the engine, keyed by region id. */
export const BUILT_IN_REGIONS: Readonly<Record<string, VtRegion>> = Object.freeze({
  [IJSSELLAND.id]: IJSSELLAND,
});
