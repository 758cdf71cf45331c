import { useEffect, useState } from 'preact/hooks';
import { ApiError, ok, type Api, type EventBody, type CaseView, type HistoryEntry, type JsonSchema, type MachineGraph, type Transitions } from '../api';
import type { ViolenceType } from '../../../workflows/reference';
import { actionLabel, enumLabel, fieldLabel } from '../form-labels';
import { VIOLENCE_LABELS, eventLabel, formatDate, formatDateTime } from '../labels';
import { outcomeText, outcomesOf } from '../case-outcomes';
import { withRecordKeys } from '../schema-payload';
import { reasonText, ruleText } from '../reasons';
import { ErrorSummary, SchemaFields, toPayload, validate, type FieldErrors, type FormValue, type References } from '../schema-form';

export interface OpenForm {
  type: string;
  initial: FormValue;
}

/**
 * Choices for the id fields of the generated forms: the case's persons and its open monitoring contacts; and per
 * type of violence of the case, the outcomes of an onderzoek with their labels (from /dashboard/config.json).
 */
export function referencesOf(c: CaseView, outcomeLabels: Readonly<Record<string, string>> = {}): References {
  const outcomes = Object.entries(outcomeLabels).map(([value, label]) => ({ value, label }));
  return {
    ...Object.fromEntries(c.violenceTypes.map((t) => [t, outcomes])),
    personId: c.persons.map((p) => ({ value: p.id, label: `Persoon ${p.ordinal} · ${enumLabel('role', p.role)} · ${p.name}` })),
    contactId: c.monitoringContacts.filter((m) => m.heldAt === null).map((m) => ({ value: m.id, label: `Monitoringscontact gepland op ${formatDate(m.plannedFor)}` })),
  };
}

/** The form's schema for the case: a conclusion asks one outcome for each type of violence registered on it, no other. */
function schemaFor(type: string, schema: JsonSchema, c: CaseView): JsonSchema {
  if (type !== 'ONDERZOEK_CONCLUSION_PROPOSED') return schema;
  return withRecordKeys(schema, 'outcomes', c.violenceTypes, (t) => VIOLENCE_LABELS[t as ViolenceType] ?? t);
}

interface ActionsProps {
  api: Api;
  c: CaseView;
  transitions: Transitions;
  history: HistoryEntry[];
  graph: MachineGraph;
  open: OpenForm | null;
  onOpen: (form: OpenForm | null) => void;
  onSaved: (type: string) => void;
  outcomeLabels: Readonly<Record<string, string>>;
}

/**
 * What can be done on the case now, straight from `GET /v1/cases/:id/transitions`: each allowed event as an action
 * with a form generated from its payload schema, each blocked one with its reasons. Record-keeping events (those the
 * machine keeps in the same state) are listed apart from the steps that move the case.
 */
export function CaseActions({ api, c, transitions, history, graph, open, onOpen, onSaved, outcomeLabels }: ActionsProps) {
  const internal = (type: string) => graph.transitions.some((t) => t.from === c.state && t.event === type && t.internal);
  const steps = transitions.allowed.filter((a) => !internal(a.type));
  const records = transitions.allowed.filter((a) => internal(a.type));
  const found = open ? transitions.allowed.find((a) => a.type === open.type)?.payloadSchema : undefined;
  const openSchema = open && found ? schemaFor(open.type, found, c) : undefined;

  const button = (type: string) => (
    <li key={type}>
      <button type="button" class={open?.type === type ? '' : 'secondary'} aria-expanded={open?.type === type} aria-controls="actie-formulier" onClick={() => onOpen(open?.type === type ? null : { type, initial: {} })}>
        {actionLabel(type)}
      </button>
    </li>
  );

  return (
    <section aria-labelledby="acties-kop" class="panel">
      <h2 id="acties-kop" tabIndex={-1}>Acties</h2>
      {transitions.allowed.length === 0 ? <p>Er is nu geen actie mogelijk.</p> : null}
      {steps.length > 0 ? (
        <>
          <h3>Volgende stap</h3>
          <ul class="action-list" aria-label="Stappen die de zaak verder brengen">{steps.map((a) => button(a.type))}</ul>
        </>
      ) : null}
      {records.length > 0 ? (
        <>
          <h3>Vastleggen</h3>
          <ul class="action-list" aria-label="Vastleggen zonder van fase te wisselen">{records.map((a) => button(a.type))}</ul>
        </>
      ) : null}
      <div id="actie-formulier">
        {open && openSchema ? (
          <EventForm
            key={`${open.type}-${JSON.stringify(open.initial)}`}
            api={api}
            c={c}
            type={open.type}
            schema={openSchema}
            version={transitions.version}
            initial={open.initial}
            history={history}
            outcomeLabels={outcomeLabels}
            onSaved={onSaved}
            onCancel={() => onOpen(null)}
          />
        ) : null}
      </div>
      {transitions.blocked.length > 0 ? (
        <>
          <h3>Nu niet mogelijk</h3>
          <ul class="blocked" data-testid="blocked-events">
            {transitions.blocked.map((b) => (
              <li key={b.type} data-event-type={b.type}>
                <strong>{actionLabel(b.type)}</strong>
                <ul>
                  {b.reasons.map((r, i) => <li key={i}>{reasonText(r)}</li>)}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The latest proposal in the history, shown to the second professional before they approve or reject it. */
function ProposalCard({ c, history, outcomeLabels }: { c: CaseView; history: HistoryEntry[]; outcomeLabels: Readonly<Record<string, string>> }) {
  const proposal = c.pendingProposal;
  if (!proposal) return null;
  const entry = [...history].reverse().find((e) => e.type.endsWith('_PROPOSED'));
  const payload = (entry?.payload ?? {});
  return (
    <section class="proposal" aria-labelledby="voorstel-kop" data-testid="proposal">
      <h4 id="voorstel-kop">Het voorstel ({proposal.kind})</h4>
      <p class="meta">Voorgesteld door {proposal.by} op {formatDateTime(proposal.at)}</p>
      <dl>
        {Object.entries(payload).map(([k, v]) => (
          <div key={k}>
            <dt>{fieldLabel(k)}</dt>
            <dd class="pre">
              {k === 'outcomes'
                ? outcomeText(outcomesOf(payload, Object.keys(VIOLENCE_LABELS)), (t) => VIOLENCE_LABELS[t as ViolenceType] ?? t, outcomeLabels)
                : typeof v === 'string' ? enumLabel(k, v) : typeof v === 'boolean' ? (v ? 'ja' : 'nee') : JSON.stringify(v)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

interface EventFormProps {
  api: Api;
  c: CaseView;
  type: string;
  schema: JsonSchema;
  version: number;
  initial: FormValue;
  history: HistoryEntry[];
  outcomeLabels: Readonly<Record<string, string>>;
  onSaved: (type: string) => void;
  onCancel: () => void;
}

function EventForm({ api, c, type, schema, version: seenVersion, initial, history, outcomeLabels, onSaved, onCancel }: EventFormProps) {
  const formId = `actie-${type.toLowerCase()}`;
  const [value, setValue] = useState<FormValue>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Array<{ code: string; message: string }> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [version, setVersion] = useState(seenVersion);
  const [conflict, setConflict] = useState<{ from: number; to: number; changes: HistoryEntry[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const references = referencesOf(c, outcomeLabels);
  const approving = /_(APPROVED|REJECTED)$/.test(type);

  useEffect(() => {
    document.getElementById(`${formId}-kop`)?.focus();
  }, [formId]);

  const focus = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    setRefused(null);
    const found = validate(schema, value);
    setErrors(found);
    if (Object.keys(found).length > 0) return focus(`${formId}-fouten`);
    setBusy(true);
    try {
      // Free text travels in the body only: never in a URL, never logged.
      await ok(api.client.POST('/v1/cases/{id}/events', { params: { path: { id: c.id } }, body: { type, expectedVersion: version, ...toPayload(schema, value) } as EventBody }));
      onSaved(type);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const h = await ok(api.client.GET('/v1/cases/{id}/history', { params: { path: { id: c.id } } })).catch(() => ({ items: [] as HistoryEntry[] }));
        const latest = err.currentVersion ?? h.items.reduce((m, x) => Math.max(m, x.seq), version);
        setConflict({ from: version, to: latest, changes: h.items.filter((x) => x.seq > version) });
        setVersion(latest);
        focus(`${formId}-conflict`);
      } else if (err instanceof ApiError && err.issues.length > 0) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.field, ruleText(i.rule)])));
        focus(`${formId}-fouten`);
      } else if (err instanceof ApiError && err.reasons.length > 0) {
        setRefused(err.reasons);
        focus(`${formId}-geweigerd`);
      } else setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="event-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby={`${formId}-kop`} data-event-type={type}>
      <h3 id={`${formId}-kop`} tabIndex={-1}>{actionLabel(type)}</h3>
      {approving ? <ProposalCard c={c} history={history} outcomeLabels={outcomeLabels} /> : null}
      <ErrorSummary id={`${formId}-fouten`} formId={formId} errors={errors} labels={(path) => path.split('.').map((p) => fieldLabel(p)).join(', ')} />
      {conflict ? (
        <div id={`${formId}-conflict`} class="conflict" role="alert" tabIndex={-1} data-testid="conflict">
          <h4>De zaak is intussen gewijzigd</h4>
          <p>U zag versie {conflict.from}; de zaak is nu bij versie {conflict.to}. Sindsdien:</p>
          <ul>
            {conflict.changes.map((x) => (
              <li key={x.id}>{eventLabel(x.type)} door {x.actor.id}, {formatDateTime(x.at)}</li>
            ))}
          </ul>
          <p>Uw invoer is bewaard. Controleer of die nog klopt en verstuur opnieuw, of annuleer.</p>
        </div>
      ) : null}
      {refused ? (
        <div id={`${formId}-geweigerd`} class="refused" role="alert" tabIndex={-1}>
          <h4>Dit kan nu niet</h4>
          <ul>{refused.map((r, i) => <li key={i}>{reasonText(r)}</li>)}</ul>
        </div>
      ) : null}
      {failure ? <p role="alert" class="error">Niet opgeslagen: {failure}</p> : null}
      {Object.keys(schema.properties ?? {}).length === 0 ? <p class="meta">Voor deze stap hoeft u niets in te vullen.</p> : null}
      <SchemaFields formId={formId} schema={schema} value={value} onChange={setValue} errors={errors} references={references} />
      <div class="form-buttons">
        <button type="submit" disabled={busy}>{busy ? 'Bezig…' : conflict ? `Opnieuw versturen (versie ${version})` : actionLabel(type)}</button>
        <button type="button" class="secondary" onClick={onCancel}>Annuleren</button>
      </div>
    </form>
  );
}
