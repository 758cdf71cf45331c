/**
 * The API's error body as tests read it: code, message, field issues and guard reasons. Tests go through this one
 * reader, so the envelope (RFC 9457 problem details, src/http/problem.ts) is known here only.
 */
export interface ApiErrorView {
  code: string;
  message: string;
  issues: Array<{ field: string; rule: string }>;
  reasons: Array<{ code: string; message: string }>;
  currentVersion?: number;
}

interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  invalidParams?: Array<{ name: string; reason: string }>;
  reasons?: ApiErrorView['reasons'];
  currentVersion?: number;
}

export function apiError(body: unknown): ApiErrorView {
  const p = body as ProblemBody | null;
  if (!p || typeof p.code !== 'string' || typeof p.type !== 'string' || typeof p.title !== 'string' || typeof p.status !== 'number') {
    throw new Error(`not a problem details body: ${JSON.stringify(body)}`);
  }
  return {
    code: p.code,
    message: p.detail ?? '',
    issues: (p.invalidParams ?? []).map((i) => ({ field: i.name, rule: i.reason })),
    reasons: p.reasons ?? [],
    ...(p.currentVersion === undefined ? {} : { currentVersion: p.currentVersion }),
  };
}
