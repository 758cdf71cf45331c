/**
 * The one reader of the API's error body in the dashboard. The envelope may change (RFC 9457 problem details):
 * then only this function changes. It accepts `{ error: { code, message, issues, reasons, currentVersion } }` and a
 * problem+json body carrying the same members at its top level (`code`, `detail` or `title`, `invalidParams` as
 * name and reason, or `issues`, `reasons`).
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues: Array<{ field: string; rule: string }>;
  reasons: Array<{ code: string; message: string }>;
  currentVersion: number | null;
}

type Loose = Record<string, unknown>;

const asObject = (v: unknown): Loose | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function list<T>(v: unknown, pick: (o: Loose) => T | null): T[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((item) => {
    const o = asObject(item);
    const picked = o ? pick(o) : null;
    return picked ? [picked] : [];
  });
}

export function readApiError(status: number, statusText: string, body: unknown): ApiErrorBody {
  const outer = asObject(body);
  const inner = asObject(outer?.error) ?? outer ?? {};
  const version = inner.currentVersion;
  return {
    code: str(inner.code) ?? 'HTTP',
    message: str(inner.message) ?? str(inner.detail) ?? str(inner.title) ?? `${status} ${statusText}`,
    issues: list(inner.invalidParams ?? inner.issues, (o) => {
      const raw = str(o.name) ?? str(o.field) ?? str(o.pointer);
      const field = raw?.startsWith('/') ? raw.slice(1).split('/').join('.') : raw;
      const rule = str(o.reason) ?? str(o.rule) ?? str(o.message) ?? str(o.detail);
      return field !== null && rule !== null ? { field, rule } : null;
    }),
    reasons: list(inner.reasons, (o) => {
      const code = str(o.code);
      const message = str(o.message);
      return code !== null ? { code, message: message ?? code } : null;
    }),
    currentVersion: typeof version === 'number' ? version : null,
  };
}
