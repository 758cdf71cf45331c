import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RetentionService } from '../../retention/retention.service';
import { principalOf } from '../authenticate';

const caseParams = z.object({ id: z.uuid({ message: 'must be a case id (UUID)' }) });
const holdBody = z
  .object({ reason: z.string().trim().min(3, 'must give a reason (at least 3 characters)').max(2_000, 'must be at most 2000 characters') })
  .strict();

export function retentionRoutes(retention: RetentionService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/cases/:id/retention', {
      schema: { tags: ['retention'], summary: 'Destruction date, rule, legal hold and destruction record of a case (manager, beheerder)', params: caseParams },
      handler: async (request) => retention.status(principalOf(request), request.params.id),
    });

    app.put('/v1/cases/:id/legal-hold', {
      schema: {
        tags: ['retention'],
        summary: 'Place a legal hold: the dossier is not destroyed while it stands (manager, beheerder); recorded in the case history',
        params: caseParams,
        body: holdBody,
      },
      handler: async (request) => retention.placeLegalHold(principalOf(request), request.params.id, request.body.reason),
    });

    app.delete('/v1/cases/:id/legal-hold', {
      schema: {
        tags: ['retention'],
        summary: 'Lift the legal hold, with a reason (manager, beheerder); a dossier past its date is destroyed by the next run',
        params: caseParams,
        body: holdBody,
      },
      handler: async (request) => retention.liftLegalHold(principalOf(request), request.params.id, request.body.reason),
    });
  };
}
