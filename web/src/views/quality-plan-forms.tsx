import { useState } from 'preact/hooks';
import { ApiError, ok, type Api, type DashboardConfig, type QualityPlan, type Scorecard } from '../api';
import type { paths } from '../api/schema.gen';

/** The request bodies as the API's document types them: the forms build them from text fields the API validates. */
type PlanItemBody = NonNullable<paths['/v1/quality/plan/items']['post']['requestBody']>['content']['application/json'];
type PlanChangeBody = NonNullable<paths['/v1/quality/plan/items/{id}/changes']['post']['requestBody']>['content']['application/json'];

type PlanItem = QualityPlan['actions'][number];

const STATUS_WORDS: Record<string, string> = { gepland: 'gepland', in_uitvoering: 'in uitvoering', gereed: 'gereed', vervallen: 'vervallen' };
/** The changes the API allows from each status (workflows/quality/plan.ts); finished items no longer change. */
const NEXT: Record<string, string[]> = { gepland: ['in_uitvoering', 'gereed', 'vervallen'], in_uitvoering: ['gepland', 'gereed', 'vervallen'] };

/** What went wrong, in words a manager can act on: the fields and rules the API named, or its message. */
function Problem({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const issues = error instanceof ApiError ? (error.issues ?? []) : [];
  return (
    <div role="alert" class="error-summary">
      <p>{error instanceof ApiError && error.code === 'QUALITY.VERSION_CONFLICT' ? 'Iemand anders heeft dit intussen gewijzigd; het plan is opnieuw geladen. Probeer het nog eens.' : error.message}</p>
      {issues.length > 0 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.field}-${i.rule}`}>
              {i.field}: {i.rule}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** A new verbeteractie or mijlpaal (manager): POST /v1/quality/plan/items. */
export function NewPlanItemForm({ api, config, expectations, onSaved }: { api: Api; config: DashboardConfig; expectations: Scorecard['expectations']; onSaved: () => void }) {
  const [kind, setKind] = useState('verbeteractie');
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      kind,
      title: text(data, 'title') ?? '',
      expectations: data.getAll('expectations').map(String),
      ...(kind === 'mijlpaal' ? { track: text(data, 'track'), milestone: text(data, 'milestone') } : {}),
      ownerId: text(data, 'ownerId') ?? '',
      ownerRole: text(data, 'ownerRole') ?? '',
      teamId: text(data, 'teamId') ?? '',
      dueOn: text(data, 'dueOn') ?? '',
    };
    setBusy(true);
    setError(null);
    setSaved(null);
    ok(api.client.POST('/v1/quality/plan/items', { body: body as PlanItemBody }))
      .then((item) => {
        form.reset();
        setKind('verbeteractie');
        setSaved(item.title);
        onSaved();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err : new Error(String(err))))
      .finally(() => setBusy(false));
  };

  return (
    <form class="form" aria-labelledby="nieuw-item-kop" data-testid="plan-new-item" onSubmit={submit}>
      <h3 id="nieuw-item-kop">Actie of mijlpaal toevoegen</h3>
      <div class="form-grid">
        <div class="field">
          <label for="plan-kind">Soort</label>
          <select id="plan-kind" name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="verbeteractie">verbeteractie</option>
            <option value="mijlpaal">mijlpaal (certificering)</option>
          </select>
        </div>
        <div class="field">
          <label for="plan-title">Titel</label>
          <input id="plan-title" name="title" required minLength={3} maxLength={300} />
        </div>
        {kind === 'mijlpaal' ? (
          <>
            <div class="field">
              <label for="plan-track">Traject</label>
              <select id="plan-track" name="track" required>
                {config.labels.certificationSchemes.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="plan-milestone">Mijlpaal</label>
              <select id="plan-milestone" name="milestone" required>
                {Object.entries(config.labels.milestones).map(([id, label]) => (
                  <option key={id} value={id}>{label}</option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <div class="field">
          <label for="plan-expectations">Verwachtingen waaraan het werkt</label>
          <select id="plan-expectations" name="expectations" multiple size={4}>
            {expectations.map((x) => (
              <option key={x.id} value={x.id}>{x.text}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="plan-owner">Eigenaar (medewerker-id)</label>
          <input id="plan-owner" name="ownerId" required maxLength={200} />
        </div>
        <div class="field">
          <label for="plan-owner-role">Functie van de eigenaar (zichtbaar voor gemeenten)</label>
          <input id="plan-owner-role" name="ownerRole" required minLength={3} maxLength={100} />
        </div>
        <div class="field">
          <label for="plan-team">Team dat de signalen krijgt</label>
          <input id="plan-team" name="teamId" required maxLength={100} />
        </div>
        <div class="field">
          <label for="plan-due">Einddatum</label>
          <input id="plan-due" name="dueOn" type="date" required />
        </div>
      </div>
      <Problem error={error} />
      {saved ? <p role="status">Toegevoegd: {saved}</p> : null}
      <button type="submit" disabled={busy}>Toevoegen</button>
    </form>
  );
}

/**
 * One item's change (manager, or the owner): a new status, the actual date when it is done (for a mijlpaal: the
 * date it was reached), or a new due date, always with a note as evidence. POST /v1/quality/plan/items/:id/changes.
 */
export function PlanItemChangeForm({ api, item, onSaved }: { api: Api; item: PlanItem; onSaved: () => void }) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const next = NEXT[item.status];
  if (!next || !('version' in item)) return <span class="meta">{item.status === 'gereed' || item.status === 'vervallen' ? 'afgerond' : ''}</span>;
  const id = (name: string) => `change-${item.id}-${name}`;
  const about = item.kind === 'mijlpaal' ? `${item.track ?? ''} ${item.milestoneLabel ?? item.title}` : item.title;

  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const doneOn = status === 'gereed' ? text(data, 'doneOn') : undefined;
    const dueOn = text(data, 'dueOn');
    const body = { expectedVersion: item.version, ...(status ? { status } : {}), ...(doneOn ? { doneOn } : {}), ...(dueOn ? { dueOn } : {}), note: text(data, 'note') ?? '' };
    setBusy(true);
    setError(null);
    ok(api.client.POST('/v1/quality/plan/items/{id}/changes', { params: { path: { id: item.id } }, body: body as PlanChangeBody }))
      .then(() => onSaved())
      .catch((err: unknown) => {
        setError(err instanceof Error ? err : new Error(String(err)));
        if (err instanceof ApiError && err.code === 'QUALITY.VERSION_CONFLICT') onSaved();
      })
      .finally(() => setBusy(false));
  };

  return (
    <details class="plan-change">
      <summary>
        Wijzigen<span class="visually-hidden">: {about}</span>
      </summary>
      <form class="form" data-testid={`plan-change-${item.id}`} onSubmit={submit} aria-label={`Wijziging van ${about}`}>
        <div class="field">
          <label for={id('status')}>Nieuwe status</label>
          <select id={id('status')} name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">ongewijzigd ({STATUS_WORDS[item.status] ?? item.status})</option>
            {next.map((s) => (
              <option key={s} value={s}>{STATUS_WORDS[s] ?? s}</option>
            ))}
          </select>
        </div>
        {status === 'gereed' ? (
          <div class="field">
            <label for={id('done')}>{item.kind === 'mijlpaal' ? 'Werkelijke datum (bereikt op)' : 'Gereed op'}</label>
            <input id={id('done')} name="doneOn" type="date" required />
          </div>
        ) : null}
        {status === '' || status === 'gepland' || status === 'in_uitvoering' ? (
          <div class="field">
            <label for={id('due')}>Nieuwe einddatum <span class="optional">(optioneel)</span></label>
            <input id={id('due')} name="dueOn" type="date" />
          </div>
        ) : null}
        <div class="field">
          <label for={id('note')}>Toelichting of bewijs</label>
          <textarea id={id('note')} name="note" required minLength={10} maxLength={2000} rows={2} />
        </div>
        <Problem error={error} />
        <button type="submit" disabled={busy}>Opslaan</button>
      </form>
    </details>
  );
}
