import { useEffect, useState } from 'preact/hooks';
import { ok, type Api, type DashboardConfig, type QualityReport } from '../api';
import { formatDate, formatShare, QUALITY_LABELS } from '../labels';
import type { Session } from '../session';

type Figure = QualityReport['figures'][keyof QualityReport['figures']];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The inspection's figures for the period; each links to the cases that fall short. */
/** The cases behind a count: the first twenty as links, the rest folded away. */
function CaseList({ label, ids, truncated }: { label: string; ids: string[]; truncated: boolean }) {
  if (ids.length === 0) return null;
  const link = (id: string) => <li key={id}><a href={`#/zaak/${id}`}>zaak {id.slice(0, 8)}</a></li>;
  return (
    <div class="cases" data-count={label}>
      <span class="muted">{label}:</span>
      <ul class="short">
        {ids.slice(0, 20).map(link)}
        {ids.length > 20 ? (
          <li>
            <details>
              <summary>en nog {ids.length - 20}{truncated ? '+' : ''}</summary>
              <ul class="short">{ids.slice(20).map(link)}</ul>
            </details>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

export function QualityView({ api, session, config }: { api: Api; session: Session; config: DashboardConfig }) {
  const now = new Date(config.now);
  const [from, setFrom] = useState(isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1))));
  const [to, setTo] = useState(isoDay(now));
  const [team, setTeam] = useState('');
  const [query, setQuery] = useState({ from, to, team });
  const [report, setReport] = useState<QualityReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setReport(null);
    setError(null);
    ok(api.client.GET('/v1/quality', { params: { query: { from: query.from, to: query.to, team: query.team || undefined } } }))
      .then(setReport)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, query]);

  const submit = (e: Event) => {
    e.preventDefault();
    setQuery({ from, to, team });
  };

  return (
    <>
      <h1>Kwaliteit: de cijfers van de inspectie</h1>
      <p class="lead">Over de meldingen die Veilig Thuis in de periode verlieten (overgedragen of afgesloten). Een vastgelegde reden telt als gerechtvaardigde uitzondering, nooit als voldaan; elk cijfer verwijst naar de zaken erachter.</p>
      <form class="filters" onSubmit={submit} aria-label="Periode en team">
        <label>
          Van <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </label>
        <label>
          Tot en met <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} required />
        </label>
        {session.role === 'manager' || session.teams.length > 1 ? (
          <label>
            Team{' '}
            {session.role === 'manager' ? (
              <input type="text" value={team} placeholder="alle teams" onInput={(e) => setTeam(e.currentTarget.value)} />
            ) : (
              <select value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
                <option value="">al mijn teams</option>
                {session.teams.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            )}
          </label>
        ) : null}
        <button type="submit">Toon</button>
      </form>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {!report ? (
        error ? null : <p>Rapport wordt geladen…</p>
      ) : (
        <section aria-labelledby="kwaliteit-kop" class="panel">
          <h2 id="kwaliteit-kop">
            {report.meldingenLeavingVt} meldingen verlieten Veilig Thuis van {formatDate(`${report.period.from}T12:00:00Z`)} tot en met {formatDate(`${report.period.to}T12:00:00Z`)}
            {report.teams === 'all' ? ' (alle teams)' : ` (${report.teams.join(', ')})`}
          </h2>
          <table class="quality" data-testid="quality-table">
            <thead>
              <tr>
                <th scope="col">Eis</th>
                <th scope="col">Van toepassing</th>
                <th scope="col">Voldaan</th>
                <th scope="col">Niet, met reden</th>
                <th scope="col">Niet, zonder reden</th>
                <th scope="col">Aandeel voldaan</th>
                <th scope="col">Zaken erachter</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries<Figure>(report.figures).map(([key, f]) => (
                <tr key={key} data-figure={key}>
                  <th scope="row">{QUALITY_LABELS[key] ?? key}</th>
                  <td class="num">{f.applicable}</td>
                  <td class="num">{f.met}</td>
                  <td class="num">{f.justified}</td>
                  <td class="num">{f.missing}</td>
                  <td class="num">
                    {f.share === null ? '–' : (
                      <>
                        <meter min={0} max={1} low={0.8} high={0.95} optimum={1} value={f.share} aria-hidden="true" /> {formatShare(f.share)}
                      </>
                    )}
                  </td>
                  <td>
                    <CaseList label="met reden" ids={f.casesJustified} truncated={f.casesJustifiedTruncated} />
                    <CaseList label="ontbreekt" ids={f.casesMissing} truncated={f.casesMissingTruncated} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
