import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { ErrorCode, FieldIssue, ReasonDetail } from '../shared/errors';

/**
 * RFC 9457 problem details, the error body of every failure. `type` identifies the problem (one per stable `code`);
 * it is a tag URI (RFC 4151), an identifier that is not meant to be dereferenced. Extension members: `code` (the
 * stable code clients branch on), `invalidParams` (the NL API profile's field list: name and reason), `reasons`
 * (why a guard blocked an event) and `currentVersion` (on a version conflict).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_PREFIX = 'tag:veilig-thuis-workflow,2026:problem:';

export const problemSchema = z
  .object({
    type: z.string().describe('Identifies the kind of problem: a tag URI ending in the stable code'),
    title: z.string().describe('Short summary of the kind of problem; the same for every occurrence of a type'),
    status: z.number().int().min(400).max(599).describe('The HTTP status code'),
    detail: z.string().describe('What went wrong this time, for a person; never quotes input'),
    instance: z.string().optional().describe('The path that answered, with only UUID parameters filled in'),
    code: z.string().describe('Stable error code, e.g. CASE.VERSION_CONFLICT'),
    invalidParams: z
      .array(z.object({ name: z.string().describe('The field, e.g. persons.0.bsn or querystring.limit'), reason: z.string().describe('The rule it breaks') }))
      .optional()
      .describe('Each invalid field with its rule (400)'),
    reasons: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .optional()
      .describe('Why the state or a guard does not allow the event (422)'),
    currentVersion: z.number().int().optional().describe('The case version now (409 on a stale expectedVersion or If-Match)'),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** Partial: a code without a title here gets the HTTP status text. */
const TITLES: Partial<Record<ErrorCode, string>> = {
  'REQUEST.VALIDATION': 'The request is invalid',
  'AUTH.MISSING_TOKEN': 'A bearer token is required',
  'AUTH.INVALID_TOKEN': 'The bearer token is not valid',
  'AUTH.FORBIDDEN': 'Your role does not allow this',
  'CASE.NOT_FOUND': 'No such case',
  'CASE.FORBIDDEN': 'The case is outside your teams',
  'CASE.REASON_REQUIRED': 'Reading this case needs an access reason',
  'EXPORT.PERSON_NOT_FOUND': 'No such person on the case',
  'CASE.VERSION_CONFLICT': 'The case changed since you read it',
  'CASE.EVENT_NOT_ALLOWED': 'The event is not allowed in this state',
  'CASE.GUARD_BLOCKED': 'A rule blocks the event',
  'CASE.DESTROYED': 'The dossier has been destroyed',
  'RETENTION.NO_LEGAL_HOLD': 'The case has no legal hold',
  'RETENTION.NOT_CLOSED': 'The case is not closed',
  'REQUEST.RATE_LIMITED': 'Too many requests',
  'ADVIES.NOT_FOUND': 'No such advies',
  'ADVIES.ALREADY_CONVERTED': 'The advies is already a melding',
  'ALERT.NOT_FOUND': 'No such alert',
  'ALERT.ALREADY_ACKNOWLEDGED': 'The alert is already acknowledged',
  'DEADLINE.NOT_FOUND': 'No such deadline',
  'DEADLINE.NOT_OPEN': 'The deadline is not open',
  'ROUTE.NOT_FOUND': 'No such route',
  'REQUEST.IDEMPOTENCY_KEY_REUSED': 'The Idempotency-Key was used for another request',
  'REQUEST.IDEMPOTENCY_IN_PROGRESS': 'A request with this Idempotency-Key is still running',
  'CASE.PRECONDITION_FAILED': 'The case changed since you read it (If-Match)',
  INTERNAL: 'Internal error',
};

const titleOf = (code: string, status: number): string => TITLES[code as ErrorCode] ?? STATUS_CODES[status] ?? 'Error';

export function problem(input: {
  status: number;
  code: string;
  detail: string;
  instance?: string;
  issues?: FieldIssue[];
  reasons?: ReasonDetail[];
  currentVersion?: number;
}): Problem {
  return {
    type: `${PROBLEM_TYPE_PREFIX}${input.code}`,
    title: titleOf(input.code, input.status),
    status: input.status,
    detail: input.detail,
    ...(input.instance === undefined ? {} : { instance: input.instance }),
    code: input.code,
    ...(input.issues ? { invalidParams: input.issues.map((i) => ({ name: i.field, reason: i.rule })) } : {}),
    ...(input.reasons ? { reasons: input.reasons } : {}),
    ...(input.currentVersion === undefined ? {} : { currentVersion: input.currentVersion }),
  };
}
