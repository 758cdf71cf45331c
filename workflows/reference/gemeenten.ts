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
  /** Inhabitants (CBS, rounded); sets the detail of the gemeente's report (workflows/reporting/report-plan.ts). Optional. */
  inhabitants?: number;
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
  inhabitants: z.number().int().positive().optional(),
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

/** Veilig Thuis IJsselland: the eleven gemeenten of the GGD IJsselland region; centrumgemeente Zwolle. Inhabitants: CBS, 1 January 2024, rounded. */
export const IJSSELLAND: VtRegion = freezeRegion({
  id: 'ijsselland',
  name: 'IJsselland',
  centrumgemeente: 'GM0193',
  gemeenten: [
    { code: 'GM0148', name: 'Dalfsen', inhabitants: 29000 },
    { code: 'GM0150', name: 'Deventer', inhabitants: 102000 },
    { code: 'GM0160', name: 'Hardenberg', inhabitants: 62000 },
    { code: 'GM0166', name: 'Kampen', inhabitants: 55000 },
    { code: 'GM1773', name: 'Olst-Wijhe', inhabitants: 18600 },
    { code: 'GM0175', name: 'Ommen', inhabitants: 18600 },
    { code: 'GM0177', name: 'Raalte', inhabitants: 38500 },
    { code: 'GM0180', name: 'Staphorst', inhabitants: 17900 },
    { code: 'GM1708', name: 'Steenwijkerland', inhabitants: 44900 },
    { code: 'GM1896', name: 'Zwartewaterland', inhabitants: 23400 },
    { code: 'GM0193', name: 'Zwolle', inhabitants: 132000 },
  ],
});

/** Regions shipped with the engine, keyed by region id. */
export const BUILT_IN_REGIONS: Readonly<Record<string, VtRegion>> = Object.freeze({
  [IJSSELLAND.id]: IJSSELLAND,
});
