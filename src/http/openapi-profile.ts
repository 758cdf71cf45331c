/**
 * The last step of building the document: what the NL API Design Rules ask of it that the routes' schemas do not
 * say themselves. Every success and redirect documents the `API-Version` header the API sends on every answer
 * (/core/version-header; src/http/api-contract.ts sends it); a nullable value is written as one schema with a
 * type list (`type: [string, null]` with its format) rather than an anyOf with null, so its format (a date, a
 * date-time) sits where the ADR linter and code generators look for it (/core/doc-openapi).
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const API_VERSION_HEADER = {
  description: 'The full version of the API (semver), on every answer',
  schema: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
};

/** `anyOf: [{ type: T, ...keywords }, { type: 'null' }]` → `{ type: [T, 'null'], ...keywords }`; other schemas unchanged. */
function collapseNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(collapseNullable);
  if (!isObject(node)) return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, collapseNullable(v)]));
  const anyOf = out.anyOf;
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return out;
  const nullIndex = anyOf.findIndex((s) => isObject(s) && s.type === 'null' && Object.keys(s).length === 1);
  const other: unknown = anyOf[1 - nullIndex];
  if (nullIndex < 0 || !isObject(other) || typeof other.type !== 'string' || other.type === 'object' || other.type === 'array' || 'const' in other) return out;
  const { anyOf: _anyOf, ...rest } = out;
  // Type-specific keywords (format, pattern, minimum) do not apply to null; an enum must list null to allow it.
  return { ...other, ...rest, type: [other.type, 'null'], ...(Array.isArray(other.enum) ? { enum: [...(other.enum as unknown[]), null] } : {}) };
}

/** The document with the profile applied (a new object; the input is not changed). */
export function applyApiProfile<T extends Json>(document: T): T {
  const doc = collapseNullable(document);
  if (!isObject(doc)) return document;
  const components: Json = isObject(doc.components) ? doc.components : {};
  doc.components = { ...components, headers: { ...(isObject(components.headers) ? components.headers : {}), 'API-Version': API_VERSION_HEADER } };
  for (const methods of Object.values(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(methods)) continue;
    for (const operation of Object.values(methods)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[23]\d\d$/.test(status) || !isObject(response)) continue;
        response.headers = { ...(isObject(response.headers) ? response.headers : {}), 'API-Version': { $ref: '#/components/headers/API-Version' } };
      }
    }
  }
  return doc as T;
}
