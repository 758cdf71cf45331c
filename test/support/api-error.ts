/**
 * The API's error body as tests read it: code, message, field issues and guard reasons. Tests go through this one
 * reader so that a change of the error envelope (e.g. to RFC 9457 problem details) changes one file, not every test.
 */
export interface ApiErrorView {
  code: string;
  message: string;
  issues: Array<{ field: string; rule: string }>;
  reasons: Array<{ code: string; message: string }>;
  currentVersion?: number;
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; issues?: ApiErrorView['issues']; reasons?: ApiErrorView['reasons']; currentVersion?: number };
}

export function apiError(body: unknown): ApiErrorView {
  const inner = (body as ErrorEnvelope | null)?.error;
  if (!inner || typeof inner.code !== 'string') throw new Error(`not an API error body: ${JSON.stringify(body)}`);
  return {
    code: inner.code,
    message: inner.message ?? '',
    issues: inner.issues ?? [],
    reasons: inner.reasons ?? [],
    ...(inner.currentVersion === undefined ? {} : { currentVersion: inner.currentVersion }),
  };
}
