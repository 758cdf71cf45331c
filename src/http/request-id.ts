import type { FastifyInstance } from 'fastify';
import { runWithRequestContext } from '../shared/request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Every response carries x-request-id (the caller's, or the one generated for it: see genReqId in app.ts), and the
 * rest of the request runs in its request context, so the jobs it schedules carry the same id (workers/bullmq-timer).
 */
export function registerRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestContext({ requestId: request.id }, done);
  });
}
