import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export interface HealthProbe {
  database(): Promise<{ ok: boolean; kind: string }>;
  redis(): Promise<{ ok: boolean; configured: boolean; mode: string }>;
}

export function healthRoutes(probe: HealthProbe): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/health', { schema: { tags: ['health'], summary: 'Database and Redis status' } }, async (_request, reply) => {
      const [database, redis] = await Promise.all([probe.database(), probe.redis()]);
      const ok = database.ok && (redis.ok || !redis.configured);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, redis });
    });
  };
}
