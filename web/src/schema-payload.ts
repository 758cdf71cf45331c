/** What the generated forms send and check, apart from how they are drawn (schema-form.tsx): pure, unit-tested. */
import type { JsonSchema } from './api';

export type FormValue = Record<string, unknown>;
export type FieldErrors = Record<string, string>;

export const isType = (s: JsonSchema, t: string) => s.type === t || (Array.isArray(s.type) && s.type.includes(t));

/**
 * A record over an enum of keys (`propertyNames.enum`, each value `additionalProperties`; e.g. an onderzoek's outcome
 * per type of violence) is drawn as an object with one optional field per key: the API checks which keys it needs.
 */
function asRecordFields(s: JsonSchema): JsonSchema {
  const keys = s.propertyNames?.enum;
  const value = s.additionalProperties;
  if (!isType(s, 'object') || s.properties || !keys || typeof value !== 'object') return s;
  return { ...s, properties: Object.fromEntries(keys.map((k) => [String(k), value])), required: [] };
}

/**
 * The schema with its record field `field` (a record over an enum of keys) narrowed to `keys`: one required field
 * per key, in the order of `keys`, each described by `describe(key)`. Keys the record cannot have are left out. Used
 * for an onderzoek's outcomes: exactly one for each type of violence registered on the case (the API checks it too).
 * The schema is returned unchanged when it has no such field.
 */
export function withRecordKeys(schema: JsonSchema, field: string, keys: readonly string[], describe: (key: string) => string): JsonSchema {
  const raw = schema.properties?.[field];
  if (!raw) return schema;
  const record = (raw.anyOf ?? raw.oneOf ?? [raw]).find((v) => v.propertyNames?.enum) ?? null;
  const allowed = record?.propertyNames?.enum;
  const value = record?.additionalProperties;
  if (!record || !allowed || typeof value !== 'object') return schema;
  const chosen = keys.filter((k) => allowed.includes(k));
  const narrowed: JsonSchema = {
    type: 'object',
    description: raw.description ?? record.description,
    properties: Object.fromEntries(chosen.map((k) => [k, { ...value, description: describe(k) }])),
    required: [...chosen],
  };
  return { ...schema, properties: { ...schema.properties, [field]: narrowed } };
}

/** A nullable or union field (`anyOf`/`oneOf`) is drawn as its first variant that is not null. */
export function resolve(s: JsonSchema): JsonSchema {
  const variants = s.anyOf ?? s.oneOf;
  if (!variants) return asRecordFields(s);
  const chosen = variants.find((v) => !isType(v, 'null')) ?? {};
  return asRecordFields({ ...chosen, description: s.description ?? chosen.description });
}

export const isNumeric = (s: JsonSchema) => isType(s, 'number') || isType(s, 'integer');

/** One value of a field as sent; undefined when it is left empty. */
function payloadValue(prop: JsonSchema, v: unknown, required: boolean): unknown {
  if (isType(prop, 'object')) {
    const nested = toPayload(prop, (v as FormValue | undefined) ?? {});
    return required || Object.keys(nested).length > 0 ? nested : undefined;
  }
  if (isType(prop, 'boolean')) return typeof v === 'boolean' ? v : required ? false : undefined;
  if (isType(prop, 'array')) {
    if (!Array.isArray(v)) return undefined;
    const items = prop.items?.enum ? v : v.map((item) => payloadValue(resolve(prop.items ?? {}), item, true)).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  return isNumeric(prop) ? Number(t) : t;
}

/** The payload to send: trimmed strings, optional empty fields left out, unset required booleans false. */
export function toPayload(schema: JsonSchema, value: FormValue): FormValue {
  const out: FormValue = {};
  const required = new Set(schema.required ?? []);
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const v = payloadValue(resolve(raw), value[name], required.has(name));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** What the browser can tell before sending: required fields, lengths, dates. Dutch messages, keyed by field path. */
export function validate(schema: JsonSchema, value: FormValue, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  const required = new Set(schema.required ?? []);
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    Object.assign(errors, validateValue(resolve(raw), value[name], required.has(name), prefix ? `${prefix}.${name}` : name));
  }
  return errors;
}

function validateValue(prop: JsonSchema, v: unknown, required: boolean, path: string): FieldErrors {
  if (isType(prop, 'object')) return validate(prop, (v as FormValue | undefined) ?? {}, path);
  if (isType(prop, 'array')) {
    const items = Array.isArray(v) ? v : [];
    if (required && prop.minItems !== undefined && items.length < prop.minItems) return { [path]: `Vul er ten minste ${prop.minItems} in.` };
    if (prop.items?.enum) return {};
    const item = resolve(prop.items ?? {});
    return Object.assign({}, ...items.map((x, i) => validateValue(item, x, true, `${path}.${i}`))) as FieldErrors;
  }
  if (!isType(prop, 'string') && !isNumeric(prop)) return {};
  const s = typeof v === 'string' ? v.trim() : '';
  if (s === '') return required ? { [path]: prop.enum || prop.format === 'uuid' ? 'Maak een keuze.' : 'Vul dit veld in.' } : {};
  if (isNumeric(prop)) {
    const n = Number(s);
    if (!Number.isFinite(n) || (isType(prop, 'integer') && !Number.isInteger(n))) return { [path]: 'Vul een getal in.' };
    if (prop.minimum !== undefined && n < prop.minimum) return { [path]: `Vul ten minste ${prop.minimum} in.` };
    if (prop.maximum !== undefined && n > prop.maximum) return { [path]: `Vul hoogstens ${prop.maximum} in.` };
    return {};
  }
  if (prop.maxLength !== undefined && s.length > prop.maxLength) return { [path]: `Gebruik hoogstens ${prop.maxLength} tekens.` };
  if (prop.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(s)) return { [path]: 'Vul een datum in.' };
  return {};
}

