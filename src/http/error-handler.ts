import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Refusal } from '../audit/audit.service';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../shared/database-unavailable';
import { AppError, type FieldIssue } from '../shared/errors';
import { loggedPath } from './logged-path';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem';

/** Every failure answers RFC 9457 problem details (src/http/problem.ts); for 400 each field with its rule. */
function sendProblem(request: FastifyRequest, reply: FastifyReply, input: Omit<Parameters<typeof problem>[0], 'instance'>) {
  const path = loggedPath(request);
  const body: Problem = problem({ ...input, ...(path === '(no route)' ? {} : { instance: path }) });
  return reply.status(input.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const where = context === 'body' || context === undefined ? '' : `${context}.`;
  return path ? `${where}${path}` : context ?? 'body';
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/** Removes what may quote input from a message: quoted strings and runs of 8 or more digits (a BSN has 9). */
export function scrub(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/\d{8,}/g, '…')
    .slice(0, 500);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Called for every refusal of an authenticated caller (403, or 404 of a case, advies, alert or deadline). */
export type RefusalRecorder = (request: FastifyRequest, refusal: Refusal) => Promise<unknown>;

async function recordRefused(recorder: RefusalRecorder | undefined, request: FastifyRequest, error: AppError): Promise<void> {
  if (!recorder || !request.principal) return;
  if (error.status !== 403 && !(error.status === 404 && error.code !== 'ROUTE.NOT_FOUND')) return;
  const route = request.routeOptions.url ?? '(no route)';
  const id = (request.params as Record<string, unknown> | undefined)?.id;
  const subjectId = typeof id === 'string' && UUID.test(id) ? id : null;
  const caseId = route.startsWith('/v1/cases/:id') ? subjectId : null;
  try {
    await recorder(request, { method: request.method, route, code: error.code, caseId, subjectId });
  } catch (e) {
    // The refusal stands either way; a trail that cannot be written is logged, not answered as a 500.
    request.log.error({ err: { type: e instanceof Error ? e.name : 'unknown' } }, 'refused access not recorded');
  }
}

export function registerErrorHandler(app: FastifyInstance, recorder?: RefusalRecorder): ErrorHandler {
  const handler = errorHandlerOf(recorder);
  app.setErrorHandler(handler);
  registerNotFoundHandler(app);
  return handler;
}

export type ErrorHandler = (error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** The one error handler; also for scopes whose plugin sets an error handler of its own (the queue board). */
export function errorHandlerOf(recorder?: RefusalRecorder): ErrorHandler {
  return async (error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      await recordRefused(recorder, request, error);
      return sendProblem(request, reply, { status: error.status, code: error.code, detail: error.message, ...error.details });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.flatMap((v): FieldIssue[] => {
        // zod 4's messages name types and limits, never the input; unknown keys are the one echo of input, so a key
        // that is not an identifier (a BSN, a name with a space) is not repeated.
        const keys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys) ? (v.params.keys as unknown[]).map((k) => (IDENTIFIER.test(String(k)) ? String(k) : '(unknown field)')) : null;
        // An unknown field is named itself, not its parent object.
        if (keys) return keys.map((key) => ({ field: fieldPath(error.validationContext, `${v.instancePath}/${key}`), rule: 'is an unknown field' }));
        return [{ field: fieldPath(error.validationContext, v.instancePath), rule: v.message ?? 'is invalid' }];
      });
      return sendProblem(request, reply, { status: 400, code: 'REQUEST.VALIDATION', detail: issues.map((i) => `${i.field}: ${i.rule}`).join('; '), issues });
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported media type.
      // Fastify's own messages are fixed texts; anything else might quote the input, so it is scrubbed.
      const fastifyCode = 'code' in error && typeof error.code === 'string' && error.code.startsWith('FST_ERR_') ? error.code : null;
      const code = fastifyCode ? fastifyCode.replace(/^FST_ERR_/, '') : 'INVALID';
      return sendProblem(request, reply, { status, code: `REQUEST.${code}`, detail: fastifyCode ? error.message : scrub(error.message) });
    }
    if (isDatabaseUnavailable(error)) {
      // A lost or refused connection fails this request only. A commit may have happened before the connection
      // broke, so the client is told to read before it repeats a write.
      request.log.warn({ err: { type: error.name, message: scrub(error.message) } }, 'request failed: database unavailable');
      reply.header('retry-after', '1');
      return sendProblem(request, reply, {
        status: 503,
        code: 'DATABASE.UNAVAILABLE',
        detail: 'the database connection was lost or refused; try again shortly (read the case first: a write may have been applied)',
      });
    }
    // Log the error's class and message only: never the request body, which holds personal data.
    // Database and library messages can quote the offending value, so quoted parts and long digit runs are scrubbed.
    request.log.error({ err: { type: error.name, message: scrub(error.message), stack: scrub(error.stack ?? '') } }, 'request failed');
    return sendProblem(request, reply, { status: 500, code: 'INTERNAL', detail: 'an internal error occurred; it has been logged' });
  };
}

export function registerNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    // The path is not echoed: it is caller input and may hold anything.
    return sendProblem(request, reply, { status: 404, code: 'ROUTE.NOT_FOUND', detail: `no ${request.method} route matches this path (see /v1/openapi.json)` });
  });
}
