import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VtRegion } from '../../../workflows/reference';
import type { AdviesService } from '../../adviezen/advies.service';
import { registerAdviesSchema } from '../../cases/case.schemas';
import { principalOf } from '../authenticate';
import { idempotencyKeyHeader, json, responses } from '../openapi';
import { adviesSchema } from '../record-schemas';

export function adviesRoutes(service: AdviesService, region: VtRegion): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/adviezen', {
      schema: {
        operationId: 'registerAdvies',
        tags: ['adviezen'],
        headers: z.looseObject({ 'idempotency-key': idempotencyKeyHeader }),
        response: responses({ 201: json('The new advies', adviesSchema) }, [403, 422]),
        summary: 'Register an advies (no case follows; convert it later by passing adviesId to POST /v1/meldingen)',
        body: registerAdviesSchema(region),
      },
      handler: async (request, reply) => reply.status(201).send(await service.register(principalOf(request), request.body)),
    });
    app.get('/v1/adviezen/:id', {
      schema: {
        operationId: 'getAdvies',
        tags: ['adviezen'],
        summary: 'An advies',
        params: z.object({ id: z.uuid({ message: 'must be an advies id (UUID)' }) }),
        response: responses({ 200: json('The advies', adviesSchema) }, [403, 404]),
      },
      handler: async (request) => service.get(principalOf(request), request.params.id),
    });
  };
}
