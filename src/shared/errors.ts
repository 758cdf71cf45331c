/** Errors with stable codes, mapped to HTTP in one place (src/http/error-handler.ts). */

export interface FieldIssue {
  field: string;
  rule: string;
}

export interface ReasonDetail {
  code: string;
  message: string;
}

export type ErrorCode =
  | 'REQUEST.VALIDATION'
  | 'AUTH.MISSING_TOKEN'
  | 'AUTH.INVALID_TOKEN'
  | 'AUTH.FORBIDDEN'
  | 'CASE.NOT_FOUND'
  | 'CASE.FORBIDDEN'
  | 'CASE.REASON_REQUIRED'
  | 'EXPORT.PERSON_NOT_FOUND'
  | 'CASE.VERSION_CONFLICT'
  | 'CASE.EVENT_NOT_ALLOWED'
  | 'CASE.GUARD_BLOCKED'
  | 'CASE.DESTROYED'
  | 'RETENTION.NO_LEGAL_HOLD'
  | 'RETENTION.NOT_CLOSED'
  | 'REQUEST.RATE_LIMITED'
  | 'ADVIES.NOT_FOUND'
  | 'ADVIES.ALREADY_CONVERTED'
  | 'ALERT.NOT_FOUND'
  | 'ALERT.ALREADY_ACKNOWLEDGED'
  | 'DEADLINE.NOT_FOUND'
  | 'DEADLINE.NOT_OPEN'
  | 'QUALITY.NOT_FOUND'
  | 'QUALITY.VERSION_CONFLICT'
  | 'QUALITY.STATUS_NOT_ALLOWED'
  | 'ROUTE.NOT_FOUND'
  | 'DATABASE.UNAVAILABLE'
  | 'REQUEST.IDEMPOTENCY_KEY_REUSED'
  | 'REQUEST.IDEMPOTENCY_IN_PROGRESS'
  | 'CASE.PRECONDITION_FAILED'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  'REQUEST.VALIDATION': 400,
  'AUTH.MISSING_TOKEN': 401,
  'AUTH.INVALID_TOKEN': 401,
  'AUTH.FORBIDDEN': 403,
  'CASE.NOT_FOUND': 404,
  'CASE.FORBIDDEN': 403,
  'CASE.REASON_REQUIRED': 403,
  'EXPORT.PERSON_NOT_FOUND': 404,
  'CASE.VERSION_CONFLICT': 409,
  'CASE.EVENT_NOT_ALLOWED': 422,
  'CASE.GUARD_BLOCKED': 422,
  'CASE.DESTROYED': 410,
  'RETENTION.NO_LEGAL_HOLD': 409,
  'RETENTION.NOT_CLOSED': 409,
  'REQUEST.RATE_LIMITED': 429,
  'ADVIES.NOT_FOUND': 404,
  'ADVIES.ALREADY_CONVERTED': 409,
  'ALERT.NOT_FOUND': 404,
  'ALERT.ALREADY_ACKNOWLEDGED': 409,
  'DEADLINE.NOT_FOUND': 404,
  'DEADLINE.NOT_OPEN': 422,
  'QUALITY.NOT_FOUND': 404,
  'QUALITY.VERSION_CONFLICT': 409,
  'QUALITY.STATUS_NOT_ALLOWED': 422,
  'ROUTE.NOT_FOUND': 404,
  'DATABASE.UNAVAILABLE': 503,
  'REQUEST.IDEMPOTENCY_KEY_REUSED': 422,
  'REQUEST.IDEMPOTENCY_IN_PROGRESS': 409,
  'CASE.PRECONDITION_FAILED': 412,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { issues?: FieldIssue[]; reasons?: ReasonDetail[]; currentVersion?: number } = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const validationError = (issues: FieldIssue[]) =>
  new AppError('REQUEST.VALIDATION', issues.map((i) => `${i.field}: ${i.rule}`).join('; '), { issues });
