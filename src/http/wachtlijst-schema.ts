import { z } from 'zod';
import { LNVT_NORMS, type MetricsService } from '../reporting/metrics.service';
import { ONDERZOEK_OUTCOMES } from '../../workflows/reference';
import { describes } from './exact-schema';
import { publishedCountSchema as count } from './published-schemas';

/**
 * The exact response schema of GET /v1/metrics/wachtlijst, tied to MetricsService's type (describes). Every count has
 * passed disclosure control; breakdowns are keyed by the categories the answer lists (categories, gemeenteCategories).
 */

const byCategory = z.record(z.string(), count);
const statistic = z.object({ value: z.number().nullable(), suppressed: z.boolean() }).describe('A percentile in werkdagen; suppressed with the count it rests on');
const termMeasure = <N extends number>(norm: N) => z.object({ counted: count, withinTerm: count, failing: count, share: count, norm: z.literal(norm) });

const figures = z
  .object({
    received: count,
    byViolenceType: byCategory,
    bySeverity: byCategory,
    byMelderType: byCategory,
    byReport: byCategory,
    byViolenceTypeAndSeverity: z.record(z.string(), byCategory),
    adviezen: z.object({ count, byViolenceType: byCategory }),
    waitingForAssessment: z.object({ count, pastTerm: count, ageWerkdagenP50: statistic, ageWerkdagenP90: statistic }),
    waitingForOnderzoekStart: z.object({ count, pastTerm: count, waitedWerkdagenP50: statistic, waitedWerkdagenP90: statistic }),
    openOnderzoeken: z.object({ count, pastTerm: count }),
    assessedWithinTerm: z.object({ assessed: count, withinTerm: count, share: count, norm: z.literal(LNVT_NORMS.assessedWithinTerm) }),
    onderzoekenWithinTerm: z.object({ finished: count, withinTerm: count, share: count, norm: z.literal(LNVT_NORMS.onderzoekenWithinTerm) }),
    onderzoekTerms: z
      .object({ statutory: termMeasure(LNVT_NORMS.onderzoekenWithinTerm), fromReceipt: termMeasure(LNVT_NORMS.onderzoekenWithinTerm) })
      .nullable()
      .describe('Onderzoeken decided in the period against the statutory term and against ten weeks from receipt'),
    onderzoekOutcomes: z
      .record(z.string(), z.object({ concluded: count, ...(Object.fromEntries(ONDERZOEK_OUTCOMES.map((o) => [o, count])) as Record<(typeof ONDERZOEK_OUTCOMES)[number], typeof count>) }))
      .nullable()
      .describe('Onderzoeken concluded in the period per type of violence, with their outcome per type (art. 4.3.2 h); null where a small gemeente reads them at region level'),
    handovers: count,
    handoverConfirmations: count,
  })
  .meta({ id: 'WachtlijstFigures' });

const published = {
  complete: z.boolean().describe('The period is over and every month of it counted'),
  asOf: z.iso.datetime(),
  detail: z.enum(['fijn', 'uitgebreid', 'beknopt']).describe("The report plan the gemeente's figures follow in this period (fijn: every category, as the region)"),
  gemeente: figures,
  region: figures,
  regionAtGemeenteDetail: figures,
};
const periodKind = z.enum(['month', 'quarter', 'half', 'year']);
const categories = { violenceTypes: z.array(z.string()), severities: z.array(z.string()), melderTypes: z.array(z.string()), reports: z.array(z.string()) };

export const wachtlijstSchema = describes<Awaited<ReturnType<MetricsService['wachtlijst']>>>()(
  z
    .object({
      region: z.object({ id: z.string(), name: z.string() }),
      gemeente: z.string(),
      period: periodKind,
      disclosure: z.object({ roundTo: z.number().int(), minCount: z.number().int(), rules: z.array(z.string()) }),
      categories: z.object(categories),
      gemeenteCategories: z.object({ detail: z.enum(['uitgebreid', 'beknopt']), ...categories, groupLabels: z.record(z.string(), z.string()) }),
      norms: z.object({ assessedWithinTerm: z.literal(LNVT_NORMS.assessedWithinTerm), onderzoekenWithinTerm: z.literal(LNVT_NORMS.onderzoekenWithinTerm) }),
      periods: z.array(z.object({ period: z.string(), kind: periodKind, firstMonth: z.string(), lastMonth: z.string(), ...published })),
      months: z.array(z.object({ month: z.string(), ...published })).describe('The same figures under their former name, for month queries'),
      trend: z.array(z.object({ month: z.string(), snapshot: z.boolean(), gemeente: byCategory, region: byCategory })),
    })
    .meta({ id: 'Wachtlijst' }),
);
