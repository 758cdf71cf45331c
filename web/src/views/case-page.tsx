import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, ok, type Api, type CaseView, type HistoryEntry, type MachineGraph, type Transitions } from '../api';
import { actionLabel } from '../form-labels';
import { DEADLINE_STATUS_LABELS, deadlineLabel, eventLabel, formatDateTime, stateLabel, timeLeftText } from '../labels';
import { CaseActions, type OpenForm } from './case-actions';
import { PersonsPanel } from './case-persons';
import { StateDiagram } from './state-diagram';

let definition: Promise<MachineGraph> | null = null;

/** A case: its deadlines, its timeline (every event, who, when) and where it stands in the machine. */
export function CasePage({ api, id, back }: { api: Api; id: string; back: { href: string; label: string } }) {
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
  const saved = (type: string) => {
    setOpen(null);
    void load().then(() => {
      setAnnounce(`Opgeslagen: ${actionLabel(type)}`);
      document.getElementById('acties-kop')?.focus();
    });
  };

  if (error) return <p role="alert" class="error">{error}</p>;
  if (!data) return <p>Zaak wordt geladen…</p>;
  const { c, history, graph, transitions } = data;
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
        <CaseActions api={api} c={c} transitions={transitions} history={history} graph={graph} open={open} onOpen={openForm} onSaved={saved} />
        <PersonsPanel c={c} allowed={transitions.allowed.map((a) => a.type)} onOpen={openForm} />
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
