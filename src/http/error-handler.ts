import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Refusal } from '../audit/audit.service';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../shared/database-unavailable';
import { AppError, type FieldIssue } from '../shared/errors';

/** One JSON error shape for every failure: a stable code, a message, and for 400 each field with its rule. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[]; reasons?: Array<{ code: string; message: string }>; currentVersion?: number };
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

export function registerErrorHandler(app: FastifyInstance, recorder?: RefusalRecorder): void {
  app.setErrorHandler(async (error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      await recordRefused(recorder, request, error);
      const body: ErrorBody = { error: { code: error.code, message: error.message, ...error.details } };
      return reply.status(error.status).send(body);
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
      const body: ErrorBody = { error: { code: 'REQUEST.VALIDATION', message: issues.map((i) => `${i.field}: ${i.rule}`).join('; '), issues } };
      return reply.status(400).send(body);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported media type.
      // Fastify's own messages are fixed texts; anything else might quote the input, so it is scrubbed.
      const fastifyCode = 'code' in error && typeof error.code === 'string' && error.code.startsWith('FST_ERR_') ? error.code : null;
      const code = fastifyCode ? fastifyCode.replace(/^FST_ERR_/, '') : 'INVALID';
      const body: ErrorBody = { error: { code: `REQUEST.${code}`, message: fastifyCode ? error.message : scrub(error.message) } };
      return reply.status(status).send(body);
    }
    if (isDatabaseUnavailable(error)) {
      // A lost or refused connection fails this request only. A commit may have happened before the connection
      // broke, so the client is told to read before it repeats a write.
      request.log.warn({ err: { type: error.name, message: scrub(error.message) } }, 'request failed: database unavailable');
      const body: ErrorBody = {
        error: { code: 'DATABASE.UNAVAILABLE', message: 'the database connection was lost or refused; try again shortly (read the case first: a write may have been applied)' },
      };
      return reply.status(503).header('retry-after', '1').send(body);
    }
    // Log the error's class and message only: never the request body, which holds personal data.
    // Database and library messages can quote the offending value, so quoted parts and long digit runs are scrubbed.
    request.log.error({ err: { type: error.name, message: scrub(error.message), stack: scrub(error.stack ?? '') } }, 'request failed');
    const body: ErrorBody = { error: { code: 'INTERNAL', message: 'an internal error occurred; it has been logged' } };
    return reply.status(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    // The path is not echoed: it is caller input and may hold anything.
    const body: ErrorBody = { error: { code: 'ROUTE.NOT_FOUND', message: `no ${request.method} route matches this path (see /openapi.json)` } };
    return reply.status(404).send(body);
  });
}
