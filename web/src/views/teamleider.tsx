import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, ok, type AlertView, type Api, type CaseSummary } from '../api';
import { openAlertStream, type StreamStatus } from '../alert-stream';
import { ALERT_LEVEL_LABELS, deadlineLabel, formatDate, formatDateTime, stateLabel, timeLeftText } from '../labels';
import type { Session } from '../session';
import { OPEN_STATES } from '../states';
import { CaseCell } from './case-cell';

const STATUS_TEXT: Record<StreamStatus, string> = { verbinden: 'verbinden…', verbonden: 'live', onderbroken: 'onderbroken, opnieuw verbinden…' };

/** Open alerts arriving live, acknowledged here; and the team's open cases, nearest deadline first. */
export function TeamleiderView({ api, session, onUnauthorized }: { api: Api; session: Session; onUnauthorized: () => void }) {
  return (
    <>
      <h1>Signalen en zaken</h1>
      <div class="columns">
        <AlertsPanel api={api} session={session} onUnauthorized={onUnauthorized} />
        <CasesPanel api={api} showTeam={session.role === 'manager' || session.teams.length > 1} />
      </div>
    </>
  );
}

function AlertsPanel({ api, session, onUnauthorized }: { api: Api; session: Session; onUnauthorized: () => void }) {
  const [alerts, setAlerts] = useState<AlertView[]>([]);
  const [status, setStatus] = useState<StreamStatus>('verbinden');
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const mayAck = session.role === 'teamleider' || session.role === 'manager';

  const merge = useCallback((incoming: AlertView[]) => {
    setAlerts((current) => {
      const byId = new Map(current.map((a) => [a.alertId, a]));
      for (const a of incoming) byId.set(a.alertId, a);
      return [...byId.values()].filter((a) => a.acknowledgedAt === null).sort((a, b) => b.seq - a.seq);
    });
  }, []);

  useEffect(() => {
    let cancelled = false;
    // Subscribe first, then list: an alert raised in between arrives on the stream and is merged by id.
    const stop = openAlertStream(api, {
      onAlert: (a) => {
        merge([a]);
        setAnnounce(`Nieuw signaal: ${ALERT_LEVEL_LABELS[a.level]}, ${deadlineLabel(a.deadlineKind)}`);
      },
      onStatus: setStatus,
      onUnauthorized,
    });
    api
      .client.GET('/v1/alerts', { params: { query: { status: 'open', limit: 200 } } })
      .then((r) => ok(Promise.resolve(r)))
      .then((r) => !cancelled && merge(r.items))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
      stop();
    };
  }, [api, merge, onUnauthorized]);

  const acknowledge = async (alert: AlertView) => {
    setBusy(alert.alertId);
    setError(null);
    try {
      await ok(api.client.POST('/v1/alerts/{id}/ack', { params: { path: { id: alert.alertId } }, body: {} }));
      setAlerts((current) => current.filter((a) => a.alertId !== alert.alertId));
      setAnnounce(`Signaal afgehandeld: ${deadlineLabel(alert.deadlineKind)}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ALERT.ALREADY_ACKNOWLEDGED') setAlerts((current) => current.filter((a) => a.alertId !== alert.alertId));
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="signalen-kop" class="panel">
      <h2 id="signalen-kop">
        Open signalen <span class="count">{alerts.length}</span>
      </h2>
      <p class="stream-status" data-status={status}>
        Verbinding: {STATUS_TEXT[status]}
      </p>
      <p class="visually-hidden" aria-live="polite">{announce}</p>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {alerts.length === 0 ? (
        <p>Geen open signalen.</p>
      ) : (
        <ul class="alerts" aria-label="Open signalen, nieuwste eerst">
          {alerts.map((a) => (
            <li key={a.alertId} class={`alert level-${a.level}`} data-alert-id={a.alertId} data-level={a.level}>
              <div>
                <strong>{ALERT_LEVEL_LABELS[a.level]}</strong>: {deadlineLabel(a.deadlineKind)}
                <br />
                <span class="meta">
                  Termijn {formatDateTime(a.dueAt)} · {a.teamId} ·{' '}
                  {a.caseId ? <a href={`#/zaak/${a.caseId}`}>zaak {a.caseId.slice(0, 8)}</a> : <a href="#/kwaliteit">verbeterplan</a>}
                </span>
              </div>
              {mayAck ? (
                <button type="button" onClick={() => void acknowledge(a)} disabled={busy === a.alertId}>
                  Afhandelen<span class="visually-hidden"> signaal {deadlineLabel(a.deadlineKind)} van {a.caseId ? `zaak ${a.caseId.slice(0, 8)}` : 'het verbeterplan'}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CasesPanel({ api, showTeam }: { api: Api; showTeam: boolean }) {
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    (after: string | null, append: boolean) => {
      setError(null);
      api
        .client.GET('/v1/cases', { params: { query: { state: OPEN_STATES.join(','), limit: 100, cursor: after ?? undefined } } })
        .then((r) => ok(Promise.resolve(r)))
        .then((r) => {
          setCases((current) => (append && current ? [...current, ...r.items] : r.items));
          setCursor(r.nextCursor);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    },
    [api],
  );
  const load = useCallback(() => fetchPage(null, false), [fetchPage]);

  useEffect(() => load(), [load]);

  return (
    <section aria-labelledby="zaken-kop" class="panel wide">
      <h2 id="zaken-kop">Zaken van het team, eerstvolgende termijn eerst</h2>
      <button type="button" class="secondary" onClick={load}>Vernieuwen</button>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {cases === null ? (
        <p>Zaken worden geladen…</p>
      ) : cases.length === 0 ? (
        <p>Geen open zaken.</p>
      ) : (
        <table class="cases">
          <caption class="visually-hidden">Open zaken van uw teams, gesorteerd op de eerstvolgende termijn</caption>
          <thead>
            <tr>
              <th scope="col">Zaak</th>
              <th scope="col">Fase</th>
              {showTeam ? <th scope="col">Team</th> : null}
              <th scope="col">Gemeente</th>
              <th scope="col">Ontvangen</th>
              <th scope="col">Eerstvolgende termijn</th>
              <th scope="col">Tijd over</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => {
              const left = c.nextDueTimeLeft ? timeLeftText(c.nextDueTimeLeft) : null;
              return (
                <tr key={c.id} data-case-id={c.id}>
                  <CaseCell id={c.id} acute={c.acuteDanger} />
                  <td>{stateLabel(c.state)}</td>
                  {showTeam ? <td>{c.teamId}</td> : null}
                  <td>{c.gemeente}</td>
                  <td>{formatDate(c.receivedAt)}</td>
                  <td>{c.nextDueAt ? formatDateTime(c.nextDueAt) : '–'}</td>
                  <td>{left ? <span class={`left ${left.urgency}`} data-urgency={left.urgency}>{left.text}</span> : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => fetchPage(cursor, true)}>
          Meer zaken laden
        </button>
      ) : null}
    </section>
  );
}
