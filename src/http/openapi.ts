import { z } from 'zod';
import { pageLinksSchema } from './pagination';
import { problemSchema } from './problem';

/**
 * Response schemas for the OpenAPI document and for fastify's response serialisation (fastify-type-provider-zod's
 * serializerCompiler checks every answer against them, so the document cannot drift from what the API sends).
 * Every answer has an exact schema: a field the service adds without a schema change does not reach clients.
 */
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: invalidParams names each field with its rule',
  401: 'No valid bearer token',
  403: 'Your role or team does not allow this',
  404: 'No such resource',
  409: 'Conflict with the current state (e.g. a stale expectedVersion; currentVersion tells the version now)',
  410: 'The dossier has been destroyed',
  412: 'If-Match does not name the current version; nothing was written',
  413: 'The body is larger than 1 MiB',
  415: 'The body is not JSON',
  422: 'The state or a rule does not allow it (reasons), or the Idempotency-Key was used for another request',
  429: 'Too many requests',
  500: 'Internal error (logged)',
  503: 'A dependency is down',
};

const problem = (status: number) => ({
  description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** Statuses every /v1 route can answer. */
const COMMON = [400, 401, 429, 500];

export function json(description: string, schema: z.ZodType) {
  return { description, content: { 'application/json': { schema } } };
}

/** The responses of a /v1 operation: its successes and the problems it can answer on top of 400, 401, 429 and 500. */
export function responses(success: Record<number, ReturnType<typeof json> | { description: string; content: Record<string, { schema: z.ZodType }> } | z.ZodNull>, problems: number[] = []) {
  const errors = [...new Set([...COMMON, ...problems])].sort((a, b) => a - b);
  return { ...success, ...Object.fromEntries(errors.map((s) => [s, problem(s)])) };
}

export const idempotencyKeyHeader = z
  .string()
  .optional()
  .describe('A unique key (e.g. a UUID) per intended change: a retry with the same key and body answers the first response and changes nothing again (kept 24 hours)');

export const instant = z.string().describe('ISO 8601 date-time, e.g. 2026-11-20T09:30:00.000Z');

export { caseSummarySchema, caseViewSchema } from './view-schemas';
/** One page of a list (src/http/pagination.ts): the items, the opaque cursor of the next page and its link. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Opaque cursor of the next page (send it as cursor); null on the last page'),
    links: pageLinksSchema,
  });
/** The query parameter `cursor` of a paged list. */
export const cursorDescription = 'nextCursor of the previous page (opaque); leave out for the first page';
export const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
