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
import { isNumeric, isType, resolve, type FieldErrors, type FormValue } from './schema-payload';

export { toPayload, validate, type FieldErrors, type FormValue } from './schema-payload';

/** Choices for id fields (`personId`, `contactId`, …), keyed by field name: the case's own persons and contacts; or an enum field's labelled choices. */
export type References = Record<string, Array<{ value: string; label: string }>>;

const LONG_TEXT = 300;

export const fieldId = (formId: string, path: string) => `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

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
          schema={resolve(prop)}
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

  if (isType(schema, 'array')) {
    const items = Array.isArray(value) ? (value as unknown[]) : [];
    const itemSchema = resolve(schema.items ?? {});
    const itemLabel = fieldLabel(name, schema.description);
    return (
      <fieldset class="group" aria-describedby={described}>
        <legend>{label}{optional}</legend>
        {errorText}
        {items.map((item, i) => (
          <div key={i} class="array-item">
            <SchemaField
              formId={formId}
              name={`${itemLabel} ${i + 1}`}
              path={`${path}.${i}`}
              schema={itemSchema}
              required
              value={item}
              onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))}
              errors={errors}
              references={references}
            />
            <button type="button" class="secondary small" onClick={() => onChange(items.filter((_, j) => j !== i))}>
              Verwijderen<span class="visually-hidden"> {itemLabel} {i + 1}</span>
            </button>
          </div>
        ))}
        <button type="button" class="secondary small" onClick={() => onChange([...items, isType(itemSchema, 'object') ? {} : ''])}>
          Toevoegen<span class="visually-hidden"> {itemLabel}</span>
        </button>
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
  // Choices for an id field, or labelled choices for an enum field the caller supplies (e.g. an onderzoek's outcomes).
  const choices = schema.format === 'uuid' || schema.enum ? references[name] : undefined;
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
  } else if (isNumeric(schema)) {
    control = <input {...common} type="number" inputMode="numeric" min={schema.minimum} max={schema.maximum} value={text} onInput={(e) => onChange(e.currentTarget.value)} />;
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
