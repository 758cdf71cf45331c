import { z } from 'zod';
import { personInputSchema } from '../../workflows/melding/melding.events';
import { melderSectorSchema, violenceTypeSchema, type VtRegion } from '../../workflows/reference';
import { boundedInstantSchema } from '../../workflows/reference/date-bounds';
import { singleLine } from '../../workflows/reference/text-rules';
import { teamIdSchema } from '../auth/principal';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const line = (max: number) => singleLine(text(max));
export const instantSchema = boundedInstantSchema;

export function gemeenteCodeSchema(region: VtRegion) {
  const codes = region.gemeenten.map((g) => g.code) as [string, ...string[]];
  return z.enum(codes, { message: `must be the CBS code of a gemeente of region ${region.name} (${codes.join(', ')})` });
}

const violenceTypes = z
  .array(violenceTypeSchema)
  .min(1, 'must name at least one type of violence')
  .refine((v) => new Set(v).size === v.length, 'must not repeat a type');

const reporterSchema = z
  .object({
    professional: z.boolean(),
    sector: melderSectorSchema.optional(),
    anonymous: z.boolean().default(false),
    shielded: z.boolean().default(false),
    name: line(200).optional(),
    contact: line(300).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.professional && !r.sector) ctx.addIssue({ code: 'custom', path: ['sector'], message: 'is required for a professional melder' });
    if (!r.professional && r.sector) ctx.addIssue({ code: 'custom', path: ['sector'], message: 'is only for a professional melder' });
    if (r.anonymous && (r.name || r.contact)) ctx.addIssue({ code: 'custom', path: ['anonymous'], message: 'an anonymous melder has no name or contact' });
  });

/** Body of `POST /v1/meldingen`. Built per region: `gemeente` must be one of the configured region's. */
export function registerMeldingSchema(region: VtRegion) {
  return z
    .object({
      receivedAt: instantSchema.optional().describe('When VT received the melding; defaults to now; not in the future, nor longer ago than RECEIVED_AT_MAX_AGE_DAYS (365).'),
      gemeente: gemeenteCodeSchema(region),
      violenceTypes,
      acuteDanger: z.boolean(),
      reporter: reporterSchema,
      persons: z.array(personInputSchema).min(1, 'must name at least one person').max(30),
      summary: text(20_000),
      teamId: teamIdSchema.optional().describe("The team the melding belongs to; defaults to the registering staff member's first team."),
      adviesId: z.uuid().optional().describe('Converts this advies into the melding.'),
    })
    .strict();
}
export type RegisterMeldingInput = z.infer<ReturnType<typeof registerMeldingSchema>>;

export function registerAdviesSchema(region: VtRegion) {
  return z
    .object({
      receivedAt: instantSchema.optional(),
      gemeente: gemeenteCodeSchema(region),
      violenceTypes,
      caller: z
        .object({ professional: z.boolean(), sector: melderSectorSchema.optional() })
        .strict()
        .refine((c) => c.professional === (c.sector !== undefined), { message: 'sector is given exactly when the caller is a professional', path: ['sector'] }),
      summary: text(20_000),
      teamId: teamIdSchema.optional(),
    })
    .strict();
}
export type RegisterAdviesInput = z.infer<ReturnType<typeof registerAdviesSchema>>;

/**
 * A correction of the types of violence registered on a melding: the new list, why, and the version last seen. The
 * history keeps who, when, from, to and the reason (VIOLENCE_TYPES_CORRECTED).
 */
export const correctViolenceTypesSchema = z
  .object({
    violenceTypes,
    reason: text(2_000),
    expectedVersion: z.number({ message: 'must be the case version you last saw (an integer)' }).int().min(1),
  })
  .strict();
export type CorrectViolenceTypesInput = z.infer<typeof correctViolenceTypesSchema>;
