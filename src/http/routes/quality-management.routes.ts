import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EXPECTATION_IDS } from '../../../workflows/quality/expectations';
import type { ScorecardService } from '../../quality/scorecard.service';
import { principalOf } from '../authenticate';

const day = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });
const expectationId = z.string().max(100).refine((id) => EXPECTATION_IDS.includes(id), { message: 'must be an expectation of the catalogue' });
const evidence = z.string().trim().min(10, 'must be at least 10 characters').max(2000);

export function qualityManagementRoutes(scorecard: ScorecardService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/quality/scorecard', {
      schema: {
        tags: ['quality'],
        summary: "The Inspectie's expectations evaluated for a period, with the headline and the trend per quarter (manager, teamleider; gemeente: aggregates)",
        querystring: z.object({ from: day, to: day }).strict(),
      },
      handler: async (request) => scorecard.scorecard(principalOf(request), request.query),
    });

    app.get('/v1/quality/expectations/:id', {
      schema: {
        tags: ['quality'],
        summary: 'One expectation of the catalogue with every status and norm recorded for it (manager, teamleider)',
        params: z.object({ id: expectationId }).strict(),
      },
      handler: async (request) => scorecard.expectation(principalOf(request), request.params.id),
    });

    app.put('/v1/quality/expectations/:id/status', {
      schema: {
        tags: ['quality'],
        summary: 'Records the status of an organisational expectation with its evidence (manager)',
        params: z.object({ id: expectationId }).strict(),
        body: z.object({ status: z.enum(['met', 'not_met']), evidence }).strict(),
      },
      handler: async (request) => scorecard.setStatus(principalOf(request), request.params.id, request.body),
    });

    app.put('/v1/quality/expectations/:id/norm', {
      schema: {
        tags: ['quality'],
        summary: 'Sets the norm (a share, 0..1) of one figure of a measured expectation, with the reason (manager)',
        params: z.object({ id: expectationId }).strict(),
        body: z.object({ figure: z.string().max(100), norm: z.number().min(0).max(1), evidence }).strict(),
      },
      handler: async (request) => scorecard.setNorm(principalOf(request), request.params.id, request.body),
    });
  };
}
