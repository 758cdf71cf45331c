import { z } from 'zod';
import { EXPECTATION_THEMES, FIGURE_IDS } from '../../workflows/quality/expectations';
import { MILESTONES, PLAN_ITEM_KINDS, PLAN_STATUSES } from '../../workflows/quality/plan';
import { EXPECTATION_STATUSES } from '../../workflows/quality/scorecard';
import type { PlanService } from '../quality/plan.service';
import type { ScorecardService } from '../quality/scorecard.service';
import { describes } from './exact-schema';
import { publishedCountSchema } from './published-schemas';
import { day, deadlineStatus, instant } from './view-schemas';

/**
 * Exact response schemas of quality management: the scorecard, an expectation with its records, the improvement
 * plan and its items. Tied to the services' types (describes); where a gemeente sees less than staff, the schema is
 * a union of the two views, the staff view first, so the serialiser never strips what staff may see.
 */

const figureId = z.enum(FIGURE_IDS);
const status = z.enum(EXPECTATION_STATUSES);
const headline = z
  .object({ met: z.number().int(), notMet: z.number().int(), notMeasurable: z.number().int(), total: z.number().int(), text: z.string().describe('As the inspection words it: "voldoet aan 7 van 19 verwachtingen"') })
  .meta({ id: 'ScorecardHeadline' });
const expectationBase = {
  id: z.string(),
  kind: z.enum(['organisational', 'measured']),
  theme: z.enum(EXPECTATION_THEMES),
  text: z.string(),
  definition: z.string(),
  source: z.string(),
  failedIn2017: z.boolean(),
  status,
  reason: z.string().optional().describe('Why it cannot be measured, when it cannot'),
};
const staffExpectation = z
  .object({
    ...expectationBase,
    figures: z.array(
      z.object({
        figure: figureId,
        met: z.number().int(),
        total: z.number().int(),
        share: z.number().nullable(),
        norm: z.number(),
        status,
        reason: z.string().optional(),
        casesFallingShort: z.array(z.uuid()),
        casesFallingShortTruncated: z.boolean(),
      }),
    ),
    organisational: z.object({ status: z.enum(['met', 'not_met']), evidence: z.string(), setBy: z.string(), setAt: instant }).nullable(),
  })
  .meta({ id: 'EvaluatedExpectation', description: 'An expectation as staff see it: counts and the cases falling short (a teamleider: of their teams)' });
const gemeenteExpectation = z
  .object({
    ...expectationBase,
    figures: z.array(z.object({ figure: figureId, norm: z.number(), status, reason: z.string().optional(), met: publishedCountSchema, total: publishedCountSchema, share: publishedCountSchema })),
    organisational: z.object({ status: z.enum(['met', 'not_met']), setAt: instant }).nullable(),
  })
  .meta({ id: 'PublishedExpectation', description: 'An expectation as a gemeente sees it: counts after disclosure control, no cases, no evidence' });

export const scorecardSchema = describes<Awaited<ReturnType<ScorecardService['scorecard']>>>()(
  z
    .object({
      period: z.object({ from: day, to: day }),
      region: z.string(),
      audience: z.enum(['gemeente', 'teamleider', 'manager']),
      headline,
      expectations: z.union([z.array(staffExpectation), z.array(gemeenteExpectation)]).describe('EvaluatedExpectation for staff, PublishedExpectation for a gemeente'),
      trend: z.array(z.object({ quarter: z.string().describe('YYYY-Qn'), from: day, to: day, headline })),
    })
    .meta({ id: 'Scorecard' }),
);

export const expectationRecordSchema = describes<Awaited<ReturnType<ScorecardService['setStatus']>>>()(
  z
    .object({
      id: z.uuid(),
      expectationId: z.string(),
      kind: z.enum(['status', 'norm']),
      figure: z.string().nullable(),
      status: z.enum(['met', 'not_met']).nullable(),
      norm: z.number().nullable(),
      evidence: z.string(),
      setBy: z.string(),
      setRole: z.string(),
      setAt: instant,
    })
    .meta({ id: 'QualityExpectationRecord', description: 'A status or norm recorded for an expectation, with its evidence' }),
);

const catalogueBase = { id: z.string(), theme: z.enum(EXPECTATION_THEMES), text: z.string(), source: z.string(), failedIn2017: z.boolean(), definition: z.string() };
export const expectationSchema = describes<Awaited<ReturnType<ScorecardService['expectation']>>>()(
  z
    .object({
      expectation: z.discriminatedUnion('kind', [
        z.object({ ...catalogueBase, kind: z.literal('measured'), figures: z.array(z.object({ figure: figureId, norm: z.number() })).readonly() }),
        z.object({ ...catalogueBase, kind: z.literal('organisational') }),
      ]),
      history: z.array(expectationRecordSchema),
    })
    .meta({ id: 'QualityExpectation', description: 'A catalogue entry with every status and norm recorded for it' }),
);

const publicItem = {
  id: z.uuid(),
  kind: z.enum(PLAN_ITEM_KINDS),
  title: z.string(),
  expectations: z.array(z.string()),
  track: z.string().nullable(),
  milestone: z.enum(MILESTONES).nullable(),
  milestoneLabel: z.string().nullable(),
  ownerRole: z.string(),
  status: z.enum(PLAN_STATUSES),
  plannedOn: day,
  dueOn: day,
  doneOn: day.nullable(),
  late: z.boolean(),
};
const publicPlanItem = z.object(publicItem).meta({ id: 'PublicPlanItem', description: 'A plan item as a gemeente sees it: title, status, dates' });
const staffItem = {
  ...publicItem,
  ownerId: z.string(),
  teamId: z.string(),
  version: z.number().int().min(1),
  deadlines: z.array(
    z.object({ id: z.uuid(), key: z.string(), status: deadlineStatus, dueAt: instant, originalDueAt: instant, warnAt: instant, breachedAt: instant.nullable(), metAt: instant.nullable() }),
  ),
};
const staffPlanItem = z.object(staffItem).meta({ id: 'StaffPlanItem', description: 'A plan item as staff see it: with owner, version and deadlines' });

/** A plan item after a change (create, change): the staff view. */
export const planItemSchema = describes<Awaited<ReturnType<PlanService['change']>>>()(staffPlanItem);

/** One plan item: for staff with its deadlines and history, for a gemeente the public view. */
export const planItemDetailSchema = describes<Awaited<ReturnType<PlanService['item']>>>()(
  z
    .union([
      z
        .object({
          ...staffItem,
          history: z.array(
            z.object({
              seq: z.number().int(),
              type: z.string(),
              actorId: z.string(),
              actorRole: z.string(),
              at: instant,
              fromStatus: z.enum(PLAN_STATUSES).nullable(),
              toStatus: z.enum(PLAN_STATUSES),
              note: z.string().nullable(),
              payload: z.record(z.string(), z.unknown()),
            }),
          ),
        })
        .meta({ id: 'StaffPlanItemDetail' }),
      publicPlanItem,
    ])
    .meta({ id: 'QualityPlanItem' }),
);

export const planSchema = describes<Awaited<ReturnType<PlanService['plan']>>>()(
  z
    .object({
      today: day,
      actions: z.array(z.union([staffPlanItem, publicPlanItem])).describe('Verbeteracties; StaffPlanItem for staff, PublicPlanItem for a gemeente'),
      milestones: z.array(z.union([staffPlanItem, publicPlanItem])).describe('Mijlpalen of the certification track'),
    })
    .meta({ id: 'QualityPlan' }),
);
