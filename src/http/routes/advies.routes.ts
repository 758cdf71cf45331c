import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VtRegion } from '../../../workflows/reference';
import type { AdviesService } from '../../adviezen/advies.service';
import { registerAdviesSchema } from '../../cases/case.schemas';
import { principalOf } from '../authenticate';

export function adviesRoutes(service: AdviesService, region: VtRegion): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/adviezen', {
      schema: {
        tags: ['adviezen'],
        summary: 'Register an advies (no case follows; convert it later by passing adviesId to POST /v1/meldingen)',
        body: registerAdviesSchema(region),
      },
      handler: async (request, reply) => reply.status(201).send(await service.register(principalOf(request), request.body)),
    });
    app.get('/v1/adviezen/:id', {
      schema: { tags: ['adviezen'], params: z.object({ id: z.uuid({ message: 'must be an advies id (UUID)' }) }) },
      handler: async (request) => service.get(principalOf(request), request.params.id),
    });
  };
}
