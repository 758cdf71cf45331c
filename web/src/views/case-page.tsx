import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ViolenceType } from '../../../workflows/reference';
import { ApiError, ok, type Api, type CaseView, type HistoryEntry, type MachineGraph, type Transitions } from '../api';
import { approvedOutcomes, correctionOf, outcomeText, outcomesOf, type OutcomeList } from '../case-outcomes';
import { actionLabel } from '../form-labels';
import { DEADLINE_STATUS_LABELS, VIOLENCE_LABELS, deadlineLabel, eventLabel, formatDateTime, stateLabel, timeLeftText } from '../labels';
import { CaseActions, type OpenForm } from './case-actions';
import { PersonsPanel } from './case-persons';
import { ViolenceTypesPanel } from './case-violence-types';
import { StateDiagram } from './state-diagram';

let definition: Promise<MachineGraph> | null = null;

const TYPE_ORDER = Object.keys(VIOLENCE_LABELS);
const typeLabel = (t: string) => VIOLENCE_LABELS[t as ViolenceType] ?? t;

/** "Kindermishandeling: vermoeden bevestigd; …", the outcome labels from /dashboard/config.json. */
const outcomesShown = (list: OutcomeList, outcomeLabels: Readonly<Record<string, string>>) => outcomeText(list, typeLabel, outcomeLabels);

/** What a timeline entry adds to its label: a conclusion's outcomes, a correction's from → to and reason. */
function EntryDetail({ e, outcomeLabels }: { e: HistoryEntry; outcomeLabels: Readonly<Record<string, string>> }) {
  if (e.type === 'ONDERZOEK_CONCLUSION_PROPOSED') {
    const list = outcomesOf(e.payload, TYPE_ORDER);
    return list.length > 0 ? <span class="detail" data-testid="timeline-outcomes"> · uitkomst: {outcomesShown(list, outcomeLabels)}</span> : null;
  }
  if (e.type === 'VIOLENCE_TYPES_CORRECTED') {
    const c = correctionOf(e.payload);
    return (
      <span class="detail" data-testid="timeline-correction">
        {' '}· van {c.from.map(typeLabel).join(', ')} naar {c.to.map(typeLabel).join(', ')} · reden: {c.reason}
      </span>
    );
  }
  return null;
}

/** A case: its deadlines, its timeline (every event, who, when) and where it stands in the machine. */
export function CasePage({ api, id, back, outcomeLabels }: { api: Api; id: string; back: { href: string; label: string }; outcomeLabels: Readonly<Record<string, string>> }) {
  const [data, setData] = useState<{ c: CaseView; history: HistoryEntry[]; graph: MachineGraph; transitions: Transitions } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<OpenForm | null>(null);
  const [announce, setAnnounce] = useState('');

  const load = useCallback(() => {
    definition ??= ok(api.client.GET('/v1/workflow/melding/definition')).catch((e: unknown) => {
      definition = null;
      throw e;
    });
    return Promise.all([
      ok(api.client.GET('/v1/cases/{id}', { params: { path: { id } } })),
      ok(api.client.GET('/v1/cases/{id}/history', { params: { path: { id } } })),
      definition,
      // The payload schemas are JSON Schema; the document types them as open objects.
      ok(api.client.GET('/v1/cases/{id}/transitions', { params: { path: { id } } })) as Promise<Transitions>,
    ])
      .then(([c, h, graph, transitions]) => setData({ c, history: h.items, graph, transitions }))
      .catch((e: unknown) => setError(e instanceof ApiError && e.status === 404 ? 'Deze zaak bestaat niet.' : e instanceof Error ? e.message : String(e)));
  }, [api, id]);

  useEffect(() => {
    setData(null);
    setError(null);
    setOpen(null);
    void load().then(() => document.getElementById('zaak-kop')?.focus());
  }, [load]);

  const openForm = (form: OpenForm | null) => {
    setOpen(form);
    if (form) setTimeout(() => document.getElementById('actie-formulier')?.scrollIntoView({ block: 'nearest' }), 0);
  };
  const savedWith = (label: string, focusId: string) => {
    setOpen(null);
    void load().then(() => {
      setAnnounce(`Opgeslagen: ${label}`);
      document.getElementById(focusId)?.focus();
    });
  };
  const saved = (type: string) => savedWith(actionLabel(type), 'acties-kop');

  if (error) return <p role="alert" class="error">{error}</p>;
  if (!data) return <p>Zaak wordt geladen…</p>;
  const { c, history, graph, transitions } = data;
  const concluded = approvedOutcomes(history, TYPE_ORDER);
  return (
    <>
      <p><a href={back.href}>← {back.label}</a></p>
      <h1 id="zaak-kop" tabIndex={-1}>Zaak {c.id.slice(0, 8)}</h1>
      <p class="visually-hidden" aria-live="polite" data-testid="announce">{announce}</p>
      <dl class="facts">
        <div><dt>Fase</dt><dd data-testid="case-state">{stateLabel(c.state)}</dd></div>
        <div><dt>Team</dt><dd>{c.teamId}</dd></div>
        <div><dt>Gemeente</dt><dd>{c.gemeente}</dd></div>
        <div><dt>Ontvangen</dt><dd>{formatDateTime(c.receivedAt)}</dd></div>
        <div><dt>Leeftijd</dt><dd>{c.ageWerkdagen} werkdagen</dd></div>
        <div><dt>Versie</dt><dd data-testid="case-version">{c.version}</dd></div>
        <div><dt>Soorten geweld</dt><dd data-testid="case-types">{c.violenceTypes.map(typeLabel).join(', ')}</dd></div>
        {concluded ? (
          <div><dt>Uitkomst onderzoek</dt><dd data-testid="case-outcomes">{concluded.length > 0 ? outcomesShown(concluded, outcomeLabels) : 'niet per soort geweld vastgelegd'}</dd></div>
        ) : null}
        {c.linkedCaseId ? (
          <div><dt>Vervolgmelding bij</dt><dd data-testid="case-linked"><a href={`#/zaak/${c.linkedCaseId}`}>zaak {c.linkedCaseId.slice(0, 8)}</a></dd></div>
        ) : null}
        {c.vervolgmeldingen.length > 0 ? (
          <div>
            <dt>Vervolgmeldingen</dt>
            <dd data-testid="case-vervolgmeldingen">
              {c.vervolgmeldingen.map((v, i) => (
                <span key={v.caseId}>{i > 0 ? ', ' : ''}<a href={`#/zaak/${v.caseId}`}>zaak {v.caseId.slice(0, 8)}</a> ({formatDateTime(v.receivedAt)})</span>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
      <div class="columns even">
        <CaseActions api={api} c={c} transitions={transitions} history={history} graph={graph} open={open} onOpen={openForm} onSaved={saved} outcomeLabels={outcomeLabels} />
        <div>
          <PersonsPanel c={c} allowed={transitions.allowed.map((a) => a.type)} onOpen={openForm} />
          {c.closedAt === null ? <ViolenceTypesPanel api={api} c={c} onSaved={(label) => savedWith(label, 'soorten-kop')} /> : null}
        </div>
      </div>
      <div class="columns even">
        <section aria-labelledby="termijnen-kop" class="panel">
          <h2 id="termijnen-kop">Termijnen</h2>
          <table>
            <thead>
              <tr><th scope="col">Termijn</th><th scope="col">Uiterlijk</th><th scope="col">Status</th><th scope="col">Tijd over</th></tr>
            </thead>
            <tbody>
              {c.deadlines.map((d) => {
                const left = d.timeLeft ? timeLeftText(d.timeLeft) : null;
                return (
                  <tr key={d.id}>
                    <th scope="row">{deadlineLabel(d.kind)}</th>
                    <td>
                      {formatDateTime(d.dueAt)}
                      {d.dueAt !== d.originalDueAt ? <span class="meta"> (wettelijk {formatDateTime(d.originalDueAt)})</span> : null}
                    </td>
                    <td>{DEADLINE_STATUS_LABELS[d.status] ?? d.status}</td>
                    <td>{left ? <span class={`left ${left.urgency}`}>{left.text}</span> : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="tijdlijn-kop" class="panel">
          <h2 id="tijdlijn-kop">Tijdlijn</h2>
          <ol class="timeline" data-testid="timeline" tabIndex={0} aria-label="Tijdlijn, oudste eerst (scrollbaar)">
            {history.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{formatDateTime(e.at)}</time> · <strong>{eventLabel(e.type)}</strong> door {e.actor.id} ({e.actor.role})
                {e.fromState !== e.toState ? <span class="meta"> · {e.fromState ? stateLabel(e.fromState) : 'start'} → {stateLabel(e.toState)}</span> : null}
                <EntryDetail e={e} outcomeLabels={outcomeLabels} />
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section aria-labelledby="diagram-kop" class="panel">
        <h2 id="diagram-kop">Toestandsdiagram</h2>
        <StateDiagram graph={graph} current={c.state} />
      </section>
    </>
  );
}
