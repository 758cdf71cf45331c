import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EXPECTATION_IDS } from '../../../workflows/quality/expectations';
import { CERTIFICATION_SCHEMES, MILESTONES, PLAN_ITEM_KINDS, PLAN_STATUSES } from '../../../workflows/quality/plan';
import type { PlanService } from '../../quality/plan.service';
import type { ScorecardService } from '../../quality/scorecard.service';
import { teamIdSchema } from '../../auth/principal';
import { boundedDateSchema } from '../../../workflows/reference/date-bounds';
import { principalOf } from '../authenticate';
import { json, responses } from '../openapi';
import { expectationRecordSchema, expectationSchema, planItemDetailSchema, planItemSchema, planSchema, scorecardSchema } from '../quality-schemas';

const day = boundedDateSchema;
const expectationId = z.string().max(100).refine((id) => EXPECTATION_IDS.includes(id), { message: 'must be an expectation of the catalogue' });
const evidence = z.string().trim().min(10, 'must be at least 10 characters').max(2000);

const text = (max: number) => z.string().trim().min(3, 'must be at least 3 characters').max(max);
const itemId = z.object({ id: z.uuid({ message: 'must be a plan item id (UUID)' }) }).strict();

export function qualityManagementRoutes(scorecard: ScorecardService, plan: PlanService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/quality/scorecard', {
      schema: {
        operationId: 'getQualityScorecard',
        response: responses({ 200: json('The scorecard', scorecardSchema) }, [403]),
        tags: ['quality'],
        summary: "The Inspectie's expectations evaluated for a period, with the headline and the trend per quarter (manager, teamleider; gemeente: aggregates)",
        querystring: z.object({ from: day, to: day }).strict(),
      },
      handler: async (request) => scorecard.scorecard(principalOf(request), request.query),
    });

    app.get('/v1/quality/expectations/:id', {
      schema: {
        operationId: 'getQualityExpectation',
        response: responses({ 200: json('The expectation with its history', expectationSchema) }, [403, 404]),
        tags: ['quality'],
        summary: 'One expectation of the catalogue with every status and norm recorded for it (manager, teamleider)',
        params: z.object({ id: expectationId }).strict(),
      },
      handler: async (request) => scorecard.expectation(principalOf(request), request.params.id),
    });

    app.put('/v1/quality/expectations/:id/status', {
      schema: {
        operationId: 'putQualityExpectationStatus',
        response: responses({ 200: json('The record as stored', expectationRecordSchema) }, [403, 404, 422]),
        tags: ['quality'],
        summary: 'Records the status of an organisational expectation with its evidence (manager)',
        params: z.object({ id: expectationId }).strict(),
        body: z.object({ status: z.enum(['met', 'not_met']), evidence }).strict(),
      },
      handler: async (request) => scorecard.setStatus(principalOf(request), request.params.id, request.body),
    });

    app.put('/v1/quality/expectations/:id/norm', {
      schema: {
        operationId: 'putQualityExpectationNorm',
        response: responses({ 200: json('The record as stored', expectationRecordSchema) }, [403, 404, 422]),
        tags: ['quality'],
        summary: 'Sets the norm (a share, 0..1) of one figure of a measured expectation, with the reason (manager)',
        params: z.object({ id: expectationId }).strict(),
        body: z.object({ figure: z.string().max(100), norm: z.number().min(0).max(1), evidence }).strict(),
      },
      handler: async (request) => scorecard.setNorm(principalOf(request), request.params.id, request.body),
    });

    app.get('/v1/quality/plan', {
      schema: { operationId: 'getQualityPlan', response: responses({ 200: json('The plan and the track', planSchema) }, [403]), tags: ['quality'], summary: 'The improvement plan (verbeteracties) and the certification track (mijlpalen) (manager, teamleider; gemeente: titles, status, dates)' },
      handler: async (request) => plan.plan(principalOf(request)),
    });

    app.post('/v1/quality/plan/items', {
      schema: {
        operationId: 'createQualityPlanItem',
        response: responses({ 201: json('The plan item', planItemSchema) }, [403, 422]),
        tags: ['quality'],
        summary: 'Adds a verbeteractie or a mijlpaal; its due date becomes a deadline with warning, breach alert and escalation (manager)',
        body: z
          .object({
            kind: z.enum(PLAN_ITEM_KINDS),
            title: text(300),
            expectations: z.array(expectationId).max(30).default([]),
            track: z.enum(CERTIFICATION_SCHEMES).optional(),
            milestone: z.enum(MILESTONES).optional(),
            ownerId: z.string().trim().min(1).max(200),
            ownerRole: text(100),
            teamId: teamIdSchema,
            dueOn: day,
          })
          .strict(),
      },
      handler: async (request, reply) => reply.code(201).send(await plan.create(principalOf(request), request.body)),
    });

    app.get('/v1/quality/plan/items/:id', {
      schema: { operationId: 'getQualityPlanItem', response: responses({ 200: json('The plan item', planItemDetailSchema) }, [403, 404]), tags: ['quality'], summary: 'One plan item; for staff with its deadlines and history', params: itemId },
      handler: async (request) => plan.item(principalOf(request), request.params.id),
    });

    app.post('/v1/quality/plan/items/:id/changes', {
      schema: {
        operationId: 'changeQualityPlanItem',
        response: responses({ 200: json('The plan item as changed', planItemSchema) }, [403, 404, 409, 422]),
        tags: ['quality'],
        summary: 'Changes the status (gepland, in_uitvoering, gereed, vervallen), the due date or the actual date, with a note as evidence (owner, manager)',
        params: itemId,
        body: z
          .object({ expectedVersion: z.number().int().min(1), status: z.enum(PLAN_STATUSES).optional(), dueOn: day.optional(), doneOn: day.optional(), note: evidence })
          .strict(),
      },
      handler: async (request) => plan.change(principalOf(request), request.params.id, request.body),
    });
  };
}
