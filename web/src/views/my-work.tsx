import { useCallback, useEffect, useState } from 'preact/hooks';
import { okJson, type Api, type DashboardConfig, type Workspace, type WorkspaceItem } from '../api';
import { DECISION_OPTIONS } from '../form-labels';
import { formatDate, formatDateTime, stateLabel, timeLeftText } from '../labels';
import { reasonText } from '../reasons';
import { CaseCell } from './case-cell';

const PROPOSAL_LABEL: Record<string, string> = { besluit: 'Besluit', conclusie: 'Conclusie onderzoek', afsluiting: 'Afsluiting' };

/** A caseworker's day: proposals to approve, their own cases and the team's unassigned ones, nearest term first. */
export function MyWorkView({ api, config }: { api: Api; config: DashboardConfig }) {
  const gemeente = (code: string) => config.region.gemeenten.find((g) => g.code === code)?.name ?? code;
  const [data, setData] = useState<Workspace | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    okJson('/v1/workspace', api.client.GET('/v1/workspace'))
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api]);
  useEffect(() => load(), [load]);

  return (
    <>
      <h1>Mijn werk</h1>
      <p class="actions-bar">
        <a class="button" href="#/melding/nieuw">Nieuwe melding registreren</a>
        <button type="button" class="secondary" onClick={load}>Vernieuwen</button>
      </p>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {data === null ? (
        <p>Uw werk wordt geladen…</p>
      ) : (
        <>
          {data.truncated ? <p class="meta">Alleen de 500 zaken met de eerstvolgende termijnen worden getoond.</p> : null}
          <section aria-labelledby="goedkeuren-kop" class="panel">
            <h2 id="goedkeuren-kop">Ter goedkeuring (vier ogen) <span class="count neutral">{data.approvals.length}</span></h2>
            {data.approvals.length === 0 ? (
              <p>Er wachten geen voorstellen op uw goedkeuring.</p>
            ) : (
              <ul class="approvals" aria-label="Voorstellen die u mag goedkeuren">
                {data.approvals.map((c) => (
                  <li key={c.id} data-case-id={c.id}>
                    <a href={`#/zaak/${c.id}`}>
                      {PROPOSAL_LABEL[c.proposal?.kind ?? ''] ?? 'Voorstel'}
                      {c.proposal?.decisionCode ? `: ${DECISION_OPTIONS[c.proposal.decisionCode]}` : ''} · zaak {c.id.slice(0, 8)}
                    </a>
                    <span class="meta">
                      {' '}voorgesteld door {c.proposal?.by ?? 'onbekend'}
                      {c.proposal ? ` op ${formatDateTime(c.proposal.at)}` : ''} · {gemeente(c.gemeente)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <CaseTable id="mijn-zaken" title="Mijn zaken" caption="Zaken waaraan u werkt, eerstvolgende termijn eerst" items={data.mine} gemeente={gemeente} empty="U werkt nu aan geen open zaken." />
          <CaseTable
            id="niet-toegewezen"
            title="Niet toegewezen zaken van het team"
            caption="Zaken van uw team waaraan nog niemand werkt, eerstvolgende termijn eerst"
            items={data.unassigned}
            gemeente={gemeente}
            empty="Er zijn geen niet-toegewezen zaken."
          />
        </>
      )}
    </>
  );
}

function CaseTable({ id, title, caption, items, empty, gemeente }: { id: string; title: string; caption: string; items: WorkspaceItem[]; empty: string; gemeente: (code: string) => string }) {
  return (
    <section aria-labelledby={`${id}-kop`} class="panel wide" data-testid={id}>
      <h2 id={`${id}-kop`}>{title} <span class="count neutral">{items.length}</span></h2>
      {items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <table class="cases">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Zaak</th>
              <th scope="col">Fase</th>
              <th scope="col">Gemeente</th>
              <th scope="col">Ontvangen</th>
              <th scope="col">Tijd over</th>
              <th scope="col">Wacht op</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const left = c.nextDueTimeLeft ? timeLeftText(c.nextDueTimeLeft) : null;
              return (
                <tr key={c.id} data-case-id={c.id}>
                  <CaseCell id={c.id} acute={c.acuteDanger} />
                  <td>{stateLabel(c.state)}</td>
                  <td>{gemeente(c.gemeente)}</td>
                  <td>{formatDate(c.receivedAt)}</td>
                  <td>
                    {left ? <span class={`left ${left.urgency}`}>{left.text}</span> : '–'}
                    {c.nextDueAt ? <span class="meta"> {formatDateTime(c.nextDueAt)}</span> : null}
                  </td>
                  <td>
                    <ul class="waits">
                      {c.waitsFor.map((r, i) => (
                        <li key={i}>{reasonText(r, { mayApprove: c.mayApprove })}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
