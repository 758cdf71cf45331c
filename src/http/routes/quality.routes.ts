import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { boundedDateSchema } from '../../../workflows/reference/date-bounds';
import { teamIdSchema } from '../../auth/principal';
import type { QualityService } from '../../reporting/quality.service';
import { principalOf } from '../authenticate';
import { json, looseItem, responses } from '../openapi';

const day = boundedDateSchema;

export function qualityRoutes(quality: QualityService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/quality', {
      schema: {
        operationId: 'getQualityReport',
        response: responses({ 200: json('The report', looseItem('QualityReport')) }, [403]),
        tags: ['quality'],
        summary: "The inspection's figures per period and team, each with the cases that fall short (teamleider, manager)",
        querystring: z.object({ from: day, to: day, team: teamIdSchema.optional() }).strict(),
      },
      handler: async (request) => quality.report(principalOf(request), request.query),
    });
  };
}
