import type { FastifyInstance } from 'fastify';
import type { OpsMetrics } from '../../ops/metrics';
import { authorize } from '../../auth/permissions';
import type { TokenVerifier } from '../../auth/token-verifier';

/**
 * Prometheus `/metrics` for a beheerder token (the ops server on OPS_PORT serves it without one, for a scraper on
 * the internal network), and the HTTP histogram: every response by method, route pattern and status. Prometheus text
 * outside /v1: hidden from the OpenAPI document, as Bull Board is.
 */
export function registerOpsMetrics(app: FastifyInstance, metrics: OpsMetrics, verifier: TokenVerifier): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the filled-in path: bounded label values and no ids in the series.
    metrics.httpDuration.observe({ method: request.method, route: request.routeOptions?.url ?? '(no route)', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true, tags: ['operations'], summary: 'Prometheus metrics (beheerder)' } }, async (request, reply) => {
    // Outside /v1, so authentication is this route's own (the rate limiter may have verified the token already).
    request.principal ??= await verifier.verify(request.headers.authorization);
    authorize(request.principal, 'ops-metrics.read');
    const m = await metrics.exposition();
    return reply.header('content-type', m.contentType).header('cache-control', 'no-store').send(m.body);
  });
}
