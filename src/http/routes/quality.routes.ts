import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { boundedDateSchema } from '../../../workflows/reference/date-bounds';
import { LEAVING_FIGURES as LEAVING_FIGURE_READERS, type LeavingFigure } from '../../../workflows/reporting/quality';
import { teamIdSchema } from '../../auth/principal';
import type { QualityService } from '../../reporting/quality.service';
import { principalOf } from '../authenticate';
import { json, responses } from '../openapi';

const day = boundedDateSchema;
const count = z.number().int().nonnegative();

/** One inspection figure: met, not met with a recorded reason (justified), not met without one (missing). */
const figureSchema = z.object({
  applicable: count.describe('met + justified + missing'),
  met: count,
  justified: count.describe('not met, with a recorded reason (a justified exception; never counted as met)'),
  missing: count.describe('not met, and no reason recorded'),
  share: z.number().min(0).max(1).nullable().describe('met / applicable; null when nothing applies'),
  casesJustified: z.array(z.uuid()).describe('the cases behind the justified count, most recent first, at most 500'),
  casesMissing: z.array(z.uuid()).describe('the cases behind the missing count, most recent first, at most 500'),
  casesJustifiedTruncated: z.boolean(),
  casesMissingTruncated: z.boolean(),
});
/** The leaving figures, in the order and under the names the report computes them (workflows/reporting/quality.ts). */
const LEAVING_FIGURES = Object.keys(LEAVING_FIGURE_READERS) as LeavingFigure[];
const FIGURES = [
  ...LEAVING_FIGURES,
  'onderzoekenWithPlanVanAanpak',
  'assessmentsWithinTerm',
  'onderzoekenStartedWithinTerm',
  'onderzoekenWithinTerm',
  'onderzoekenWithinTenWeeksOfReceipt',
  'monitoringContactsOnTime',
  'monitoringCheckedSteps',
  'monitoringCheckedViolenceStopped',
] as const;
const answers = z.object({ yes: count, no: count, unknown: count });

export const qualityReportSchema = z
  .object({
    period: z.object({ from: day, to: day }),
    teams: z.union([z.literal('all'), z.array(z.string())]),
    meldingenLeavingVt: count,
    figures: z.object(Object.fromEntries(FIGURES.map((f) => [f, figureSchema])) as Record<(typeof FIGURES)[number], typeof figureSchema>),
    monitoringOutcomes: z.object({ stepsCarriedOut: answers, violenceStopped: answers, safetyRestored: answers }).describe('what the monitoring contacts held in the period established'),
    rounds: z
      .array(
        z.object({
          round: z.number().int().positive().describe('1 from receipt; a herbeoordeling, a return from monitoring or a new onderzoek starts the next'),
          meldingenLeavingVt: count,
          figures: z.object(Object.fromEntries(LEAVING_FIGURES.map((f) => [f, figureSchema])) as Record<LeavingFigure, typeof figureSchema>),
        }),
      )
      .describe("the leaving figures per round: each melding once per round it left VT in, judged on that round's facts"),
  })
  .meta({ id: 'QualityReport' });

export function qualityRoutes(quality: QualityService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/quality', {
      schema: {
        operationId: 'getQualityReport',
        tags: ['quality'],
        summary: "The inspection's figures per period and team: met, justified (a recorded reason) and missing, with the cases behind the last two (teamleider, manager)",
        querystring: z.object({ from: day, to: day, team: teamIdSchema.optional() }).strict(),
        response: responses({ 200: json('The report', qualityReportSchema) }, [403]),
      },
      handler: async (request) => quality.report(principalOf(request), request.query),
    });
  };
}
