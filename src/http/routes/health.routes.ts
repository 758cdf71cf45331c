import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export interface HealthProbe {
  database(): Promise<{ ok: boolean; kind: string }>;
  redis(): Promise<{ ok: boolean; configured: boolean; mode: string }>;
}

export interface Readiness {
  ok: boolean;
  body: { status: 'ok' | 'degraded'; database: { ok: boolean; kind: string }; redis: { ok: boolean; configured: boolean; mode: string } };
}

/** Ready when the database answers and, where Redis is configured, Redis answers too. */
export async function readiness(probe: HealthProbe): Promise<Readiness> {
  const [database, redis] = await Promise.all([probe.database(), probe.redis()]);
  const ok = database.ok && (redis.ok || !redis.configured);
  return { ok, body: { status: ok ? 'ok' : 'degraded', database, redis } };
}

/** The liveness body: the process runs and its event loop answers; it says nothing of the database or Redis. */
export const LIVE_BODY = { status: 'ok' } as const;

export function healthRoutes(probe: HealthProbe): FastifyPluginAsyncZod {
  return async (app) => {
    const ready = async (_request: unknown, reply: FastifyReply) => {
      const r = await readiness(probe);
      return reply.status(r.ok ? 200 : 503).send(r.body);
    };
    // Kept for existing monitors: the same answer as /health/ready.
    app.get('/health', { schema: { tags: ['health'], summary: 'Database and Redis status (as /health/ready)' } }, ready);
    app.get('/health/ready', { schema: { tags: ['health'], summary: 'Readiness: 200 only when the database and (if configured) Redis answer' } }, ready);
    // Liveness never looks at dependencies: an orchestrator restarting the API because PostgreSQL is down would not help.
    app.get('/health/live', { schema: { tags: ['health'], summary: 'Liveness: 200 while the process serves requests' } }, async () => LIVE_BODY);
  };
}
