import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { json } from '../openapi';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({ ok: z.boolean(), kind: z.string() }),
    redis: z.object({ ok: z.boolean(), configured: z.boolean(), mode: z.string() }),
  })
  .meta({ id: 'Health' });

export interface HealthProbe {
  database(): Promise<{ ok: boolean; kind: string }>;
  redis(): Promise<{ ok: boolean; configured: boolean; mode: string }>;
}

export function healthRoutes(probe: HealthProbe): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/health', {
        schema: {
          operationId: 'getHealth',
          tags: ['health'],
          summary: 'Database and Redis status',
          security: [],
          response: { 200: json('All is well', healthSchema), 503: json('The database (or a configured Redis) is down', healthSchema) },
        },
      }, async (_request, reply) => {
      const [database, redis] = await Promise.all([probe.database(), probe.redis()]);
      const ok = database.ok && (redis.ok || !redis.configured);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, redis });
    });
  };
}
