/**
 * A small form renderer for the JSON Schema subset the API emits for event payloads (zod's toJSONSchema): objects
 * with string (enum, date, uuid, length limits), boolean and enum-array properties, and nested objects. Why our
 * own and not a library: the JSON-Schema form libraries (react-jsonschema-form and its kin) need React through
 * preact/compat, and validate with ajv, which compiles validators with `new Function`: that breaks the dashboard's
 * Content-Security-Policy (script-src 'self', no eval). The API validates anyway; the form only guides.
 */
import type { JSX } from 'preact';
import type { JsonSchema } from './api';
import { enumLabel, fieldLabel } from './form-labels';

export type FormValue = Record<string, unknown>;
export type FieldErrors = Record<string, string>;
/** Choices for id fields (`personId`, `contactId`, …), keyed by field name: the case's own persons and contacts. */
export type References = Record<string, Array<{ value: string; label: string }>>;

const isType = (s: JsonSchema, t: string) => s.type === t || (Array.isArray(s.type) && s.type.includes(t));
const LONG_TEXT = 300;

export const fieldId = (formId: string, path: string) => `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The payload to send: trimmed strings, optional empty fields left out, unset required booleans false. */
export function toPayload(schema: JsonSchema, value: FormValue): FormValue {
  const out: FormValue = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const v = value[name];
    if (isType(prop, 'object')) {
      const nested = toPayload(prop, (v as FormValue | undefined) ?? {});
      if (required.has(name) || Object.keys(nested).length > 0) out[name] = nested;
    } else if (isType(prop, 'boolean')) {
      if (typeof v === 'boolean') out[name] = v;
      else if (required.has(name)) out[name] = false;
    } else if (isType(prop, 'array')) {
      if (Array.isArray(v) && v.length > 0) out[name] = v;
    } else if (typeof v === 'string') {
      const t = v.trim();
      if (t !== '') out[name] = t;
    }
  }
  return out;
}

/** What the browser can tell before sending: required fields, lengths, dates. Dutch messages, keyed by field path. */
export function validate(schema: JsonSchema, value: FormValue, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const v = value[name];
    if (isType(prop, 'object')) {
      Object.assign(errors, validate(prop, (v as FormValue | undefined) ?? {}, path));
      continue;
    }
    if (!isType(prop, 'string')) continue;
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') {
      if (required.has(name)) errors[path] = prop.enum || prop.format === 'uuid' ? 'Maak een keuze.' : 'Vul dit veld in.';
      continue;
    }
    if (prop.maxLength !== undefined && s.length > prop.maxLength) errors[path] = `Gebruik hoogstens ${prop.maxLength} tekens.`;
    if (prop.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(s)) errors[path] = 'Vul een datum in.';
  }
  return errors;
}

interface FieldsProps {
  formId: string;
  schema: JsonSchema;
  value: FormValue;
  onChange: (value: FormValue) => void;
  errors: FieldErrors;
  references: References;
  prefix?: string;
}

/** The fields of an object schema, in the schema's order. */
export function SchemaFields({ formId, schema, value, onChange, errors, references, prefix = '' }: FieldsProps) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => (
        <SchemaField
          key={name}
          formId={formId}
          name={name}
          path={prefix ? `${prefix}.${name}` : name}
          schema={prop}
          required={required.has(name)}
          value={value[name]}
          onChange={(v) => onChange({ ...value, [name]: v })}
          errors={errors}
          references={references}
        />
      ))}
    </>
  );
}

interface FieldProps {
  formId: string;
  name: string;
  path: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: FieldErrors;
  references: References;
}

function SchemaField(props: FieldProps) {
  const { formId, name, path, schema, required, value, onChange, errors, references } = props;
  const id = fieldId(formId, path);
  const error = errors[path];
  const errorId = `${id}-fout`;
  const label = fieldLabel(name, schema.description);
  const optional = required ? null : <span class="optional"> (optioneel)</span>;
  const errorText = error ? <p id={errorId} class="field-error">{error}</p> : null;
  const described = error ? errorId : undefined;

  if (isType(schema, 'object')) {
    return (
      <fieldset class="group">
        <legend>{label}</legend>
        <SchemaFields formId={formId} schema={schema} value={(value as FormValue | undefined) ?? {}} onChange={onChange} errors={errors} references={references} prefix={path} />
      </fieldset>
    );
  }

  if (isType(schema, 'array') && schema.items?.enum) {
    const chosen = Array.isArray(value) ? (value as unknown[]) : [];
    return (
      <fieldset class="choices" aria-describedby={described}>
        <legend>{label}{optional}</legend>
        {errorText}
        {schema.items.enum.map((option) => {
          const optionId = `${id}-${String(option)}`;
          return (
            <div key={String(option)} class="choice">
              <input
                type="checkbox"
                id={optionId}
                checked={chosen.includes(option)}
                onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, option] : chosen.filter((c) => c !== option))}
              />
              <label for={optionId}>{enumLabel(name, option)}</label>
            </div>
          );
        })}
      </fieldset>
    );
  }

  if (isType(schema, 'boolean')) {
    return (
      <div class="field choice">
        <input type="checkbox" id={id} checked={value === true} aria-describedby={described} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.currentTarget.checked)} />
        <label for={id}>{label}{optional}</label>
        {errorText}
      </div>
    );
  }

  const text = typeof value === 'string' ? value : '';
  const common = {
    id,
    name: path,
    'aria-describedby': described,
    'aria-invalid': error ? true : undefined,
    'aria-required': required ? true : undefined,
  };
  let control: JSX.Element;
  const choices = schema.format === 'uuid' ? references[name] : undefined;
  if (schema.enum || choices) {
    const options = choices ?? (schema.enum ?? []).map((o) => ({ value: String(o), label: enumLabel(name, o) }));
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Kies…</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    );
  } else if (schema.format === 'date') {
    control = <input {...common} type="date" value={text} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else if ((schema.maxLength ?? 0) > LONG_TEXT) {
    control = <textarea {...common} rows={4} maxLength={schema.maxLength} value={text} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else {
    control = <input {...common} type="text" maxLength={schema.maxLength} autoComplete="off" value={text} onInput={(e) => onChange(e.currentTarget.value)} />;
  }
  return (
    <div class="field">
      <label for={id}>{label}{optional}</label>
      {errorText}
      {control}
    </div>
  );
}

/** The error summary at the top of a form: each error links to its field (WCAG 3.3.1). */
export function ErrorSummary({ id, formId, errors, labels }: { id: string; formId: string; errors: FieldErrors; labels: (path: string) => string }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div id={id} class="error-summary" role="alert" tabIndex={-1}>
      <h3>Controleer {entries.length === 1 ? 'dit veld' : `deze ${entries.length} velden`}</h3>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            <a href={`#${fieldId(formId, path)}`} onClick={(e) => { e.preventDefault(); document.getElementById(fieldId(formId, path))?.focus(); }}>
              {labels(path)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
