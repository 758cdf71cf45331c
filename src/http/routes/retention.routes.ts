import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RetentionService } from '../../retention/retention.service';
import { principalOf } from '../authenticate';
import { idempotencyKeyHeader, json, responses } from '../openapi';
import { retentionSchema } from '../record-schemas';

const caseParams = z.object({ id: z.uuid({ message: 'must be a case id (UUID)' }) });
const holdBody = z
  .object({ reason: z.string().trim().min(3, 'must give a reason (at least 3 characters)').max(2_000, 'must be at most 2000 characters') })
  .strict();

export function retentionRoutes(retention: RetentionService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/cases/:id/retention', {
      schema: {
        operationId: 'getRetention',
        tags: ['retention'],
        summary: 'Destruction date, rule, legal hold and destruction record of a case (manager, beheerder)',
        params: caseParams,
        response: responses({ 200: json('The retention status', retentionSchema) }, [403, 404]),
      },
      handler: async (request) => retention.status(principalOf(request), request.params.id),
    });

    app.put('/v1/cases/:id/legal-hold', {
      schema: {
        operationId: 'placeLegalHold',
        headers: z.looseObject({ 'idempotency-key': idempotencyKeyHeader }),
        response: responses({ 200: json('The retention status with the hold', retentionSchema) }, [403, 404, 409, 410]),
        tags: ['retention'],
        summary: 'Place a legal hold: the dossier is not destroyed while it stands (manager, beheerder); recorded in the case history',
        params: caseParams,
        body: holdBody,
      },
      handler: async (request) => retention.placeLegalHold(principalOf(request), request.params.id, request.body.reason),
    });

    app.delete('/v1/cases/:id/legal-hold', {
      schema: {
        operationId: 'liftLegalHold',
        response: responses({ 200: json('The retention status without the hold', retentionSchema) }, [403, 404, 409, 410]),
        tags: ['retention'],
        summary: 'Lift the legal hold, with a reason (manager, beheerder); a dossier past its date is destroyed by the next run',
        params: caseParams,
        body: holdBody,
      },
      handler: async (request) => retention.liftLegalHold(principalOf(request), request.params.id, request.body.reason),
    });
  };
}
