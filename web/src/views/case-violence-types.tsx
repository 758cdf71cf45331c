import { useState } from 'preact/hooks';
import type { ViolenceType } from '../../../workflows/reference';
import { ApiError, ok, type Api, type CaseView } from '../api';
import { VIOLENCE_LABELS } from '../labels';
import { reasonText, ruleText } from '../reasons';
import { ErrorSummary, fieldId, type FieldErrors } from '../schema-form';

const FORM = 'soorten-corrigeren';
const FIELDS = ['violenceTypes', 'reason', 'expectedVersion'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_NAMES: Record<Field, string> = { violenceTypes: 'Soorten geweld', reason: 'Reden van de correctie', expectedVersion: 'Versie van de zaak' };
const TYPES = Object.keys(VIOLENCE_LABELS) as ViolenceType[];

/** The field of the form an API issue names (`violenceTypes.0` is the list's): the error is shown next to it. */
function fieldOf(path: string): Field | null {
  const head = path.split('.')[0];
  return (FIELDS as readonly string[]).includes(head ?? '') ? (head as Field) : null;
}

/**
 * Correct the types of violence registered on the melding (PUT /v1/cases/:id/violence-types): the new types, a
 * reason and the version last seen. The history keeps from, to and the reason. What the API refuses is shown next
 * to the field it names; a stale version next to the version, with the input kept.
 */
export function ViolenceTypesPanel({ api, c, onSaved }: { api: Api; c: CaseView; onSaved: (label: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="soorten-kop" class="panel" data-testid="violence-types">
      <h2 id="soorten-kop" tabIndex={-1}>Soorten geweld</h2>
      <p data-testid="case-violence-types">{c.violenceTypes.map((t) => VIOLENCE_LABELS[t as ViolenceType] ?? t).join(', ')}</p>
      <button type="button" class={open ? '' : 'secondary'} aria-expanded={open} aria-controls={`${FORM}-vak`} onClick={() => setOpen(!open)}>
        Soorten geweld corrigeren
      </button>
      <div id={`${FORM}-vak`}>
        {open ? (
          <CorrectionForm
            key={c.version}
            api={api}
            c={c}
            onSaved={(label) => {
              setOpen(false);
              onSaved(label);
            }}
            onCancel={() => setOpen(false)}
          />
        ) : null}
      </div>
    </section>
  );
}

function CorrectionForm({ api, c, onSaved, onCancel }: { api: Api; c: CaseView; onSaved: (label: string) => void; onCancel: () => void }) {
  const [chosen, setChosen] = useState<ViolenceType[]>(c.violenceTypes as ViolenceType[]);
  const [reason, setReason] = useState('');
  const [version, setVersion] = useState(c.version);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Array<{ code: string; message: string }> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const focus = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

  async function submit(e: Event) {
    e.preventDefault();
    setRefused(null);
    setFailure(null);
    // What the browser can tell; whether the types differ from the registered ones is the API's to say.
    const found: FieldErrors = {};
    if (chosen.length === 0) found.violenceTypes = 'Kies ten minste één vorm van geweld.';
    if (reason.trim() === '') found.reason = 'Vul dit veld in.';
    setErrors(found);
    if (Object.keys(found).length > 0) return focus(`${FORM}-fouten`);
    setBusy(true);
    try {
      // The order of the closed list, whatever the order of ticking.
      const violenceTypes = TYPES.filter((t) => chosen.includes(t));
      await ok(api.client.PUT('/v1/cases/{id}/violence-types', { params: { path: { id: c.id } }, body: { violenceTypes, reason: reason.trim(), expectedVersion: version } }));
      onSaved('soorten geweld gecorrigeerd');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const now = err.currentVersion ?? version;
        setErrors({ expectedVersion: `De zaak is intussen gewijzigd: u zag versie ${version}, de zaak is nu bij versie ${now}. Uw invoer is bewaard; controleer die en verstuur opnieuw.` });
        setVersion(now);
        focus(`${FORM}-fouten`);
      } else if (err instanceof ApiError && err.issues.length > 0) {
        const named: FieldErrors = {};
        const other: string[] = [];
        for (const i of err.issues) {
          const f = fieldOf(i.field);
          if (f) named[f] = ruleText(i.rule);
          else other.push(`${i.field}: ${ruleText(i.rule)}`);
        }
        setErrors(named);
        if (other.length > 0) setFailure(other.join('; '));
        focus(`${FORM}-fouten`);
      } else if (err instanceof ApiError && err.reasons.length > 0) {
        setRefused(err.reasons);
        focus(`${FORM}-geweigerd`);
      } else setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const errorOf = (f: Field) => (errors[f] ? <p id={`${fieldId(FORM, f)}-fout`} class="field-error">{errors[f]}</p> : null);
  const describedBy = (f: Field) => (errors[f] ? `${fieldId(FORM, f)}-fout` : undefined);
  return (
    <form class="event-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby={`${FORM}-kop`} data-testid="violence-types-form">
      <h3 id={`${FORM}-kop`} tabIndex={-1}>Soorten geweld corrigeren</h3>
      <ErrorSummary id={`${FORM}-fouten`} formId={FORM} errors={errors} labels={(path) => FIELD_NAMES[path as Field] ?? path} />
      {refused ? (
        <div id={`${FORM}-geweigerd`} class="refused" role="alert" tabIndex={-1}>
          <h4>Dit kan nu niet</h4>
          <ul>{refused.map((r, i) => <li key={i}>{reasonText(r)}</li>)}</ul>
        </div>
      ) : null}
      {failure ? <p role="alert" class="error">Niet opgeslagen: {failure}</p> : null}
      <fieldset class="choices" id={fieldId(FORM, 'violenceTypes')} tabIndex={-1} aria-describedby={describedBy('violenceTypes')}>
        <legend>{FIELD_NAMES.violenceTypes}</legend>
        {errorOf('violenceTypes')}
        {TYPES.map((t) => {
          const id = `${fieldId(FORM, 'violenceTypes')}-${t}`;
          return (
            <div key={t} class="choice">
              <input type="checkbox" id={id} checked={chosen.includes(t)} onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, t] : chosen.filter((x) => x !== t))} />
              <label for={id}>{VIOLENCE_LABELS[t]}</label>
            </div>
          );
        })}
      </fieldset>
      <div class="field">
        <label for={fieldId(FORM, 'reason')}>{FIELD_NAMES.reason}</label>
        {errorOf('reason')}
        <textarea
          id={fieldId(FORM, 'reason')}
          rows={3}
          maxLength={2000}
          aria-required="true"
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={describedBy('reason')}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <span class="label">{FIELD_NAMES.expectedVersion}</span>
        {errorOf('expectedVersion')}
        <p id={fieldId(FORM, 'expectedVersion')} tabIndex={-1} aria-describedby={describedBy('expectedVersion')} data-testid="correction-version">
          Versie {version}
        </p>
      </div>
      <div class="form-buttons">
        <button type="submit" disabled={busy}>{busy ? 'Bezig…' : 'Correctie opslaan'}</button>
        <button type="button" class="secondary" onClick={onCancel}>Annuleren</button>
      </div>
    </form>
  );
}
