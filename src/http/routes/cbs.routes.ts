import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { beleidsinformatieCsv, type BeleidsinformatieService } from '../../cbs/beleidsinformatie.service';
import { beleidsinformatieSchema } from '../../cbs/beleidsinformatie.schema';
import { principalOf } from '../authenticate';
import { responses } from '../openapi';

export function cbsRoutes(cbs: BeleidsinformatieService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/cbs/beleidsinformatie', {
      schema: {
        operationId: 'getCbsBeleidsinformatie',
        tags: ['metrics'],
        summary:
          'The statutory delivery of beleidsinformatie to CBS for one half-year (Uitvoeringsbesluit Wmo 2015 art. 4.3.2): one record per advies, melding and onderzoek with exactly the items of the article (beheerder; audited as a read of every case in it). JSON, or CSV with Accept: text/csv',
        querystring: z.object({ half: z.string().regex(/^\d{4}-H[12]$/, 'must be a half-year as YYYY-H1 or YYYY-H2').refine((h) => Number(h.slice(0, 4)) >= 2000 && Number(h.slice(0, 4)) <= 2199, 'must lie between 2000 and 2199') }).strict(),
        response: responses({ 200: { description: 'The delivery (JSON; CSV with Accept: text/csv)', content: { 'application/json': { schema: beleidsinformatieSchema }, 'text/csv': { schema: z.string() } } } }, [403]),
      },
      handler: async (request, reply) => {
        const body = await cbs.delivery(principalOf(request), request.query.half);
        void reply.header('cache-control', 'no-store');
        if ((request.headers.accept ?? '').includes('text/csv')) return reply.type('text/csv; charset=utf-8').serializer(String).send(beleidsinformatieCsv(body));
        return body;
      },
    });
  };
}
