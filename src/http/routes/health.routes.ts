import type { FastifyReply } from 'fastify';
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

const liveSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

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
    const readySchema = (operationId: string, summary: string) => ({
      operationId,
      tags: ['health'],
      summary,
      security: [],
      response: { 200: json('All is well', healthSchema), 503: json('The database (or a configured Redis) is down', healthSchema) },
    });
    // Kept for existing monitors: the same answer as /health/ready.
    app.get('/health', { schema: readySchema('getHealth', 'Database and Redis status (as /health/ready)') }, ready);
    app.get('/health/ready', { schema: readySchema('getReadiness', 'Readiness: 200 only when the database and (if configured) Redis answer') }, ready);
    // Liveness never looks at dependencies: an orchestrator restarting the API because PostgreSQL is down would not help.
    app.get(
      '/health/live',
      { schema: { operationId: 'getLiveness', tags: ['health'], summary: 'Liveness: 200 while the process serves requests', security: [], response: { 200: json('The process serves requests', liveSchema) } } },
      async () => LIVE_BODY,
    );
  };
}
