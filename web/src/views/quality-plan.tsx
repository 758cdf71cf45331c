import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { okJson, type Api, type DashboardConfig, type QualityPlan, type Scorecard } from '../api';
import { ChartBox } from '../charts';
import { formatDate, formatShare } from '../labels';
import { NewPlanItemForm, PlanItemChangeForm } from './quality-plan-forms';

type Expectation = Scorecard['expectations'][number];
type PlanItem = QualityPlan['actions'][number];

const STATUS_LABELS: Record<string, string> = { met: 'voldoet', not_met: 'voldoet niet', not_measurable: 'niet meetbaar' };
const PLAN_STATUS_LABELS: Record<string, string> = { gepland: 'gepland', in_uitvoering: 'in uitvoering', gereed: 'gereed', vervallen: 'vervallen' };
const STATUS_COLORS = { met: '#2e7d32', not_met: '#b3261e', not_measurable: '#9e9e9e' };
const DAY = 86_400_000;

const dayMs = (d: string) => Date.parse(`${d}T12:00:00Z`);
const showDate = (d: string) => formatDate(`${d}T12:00:00Z`);

/** A figure's share as staff see it (a number) or as a gemeente sees it (published, possibly suppressed). */
function shareOf(f: Expectation['figures'][number]): string {
  const share = f.share as number | null | { value: number | null; suppressed: boolean };
  if (share === null) return '–';
  if (typeof share === 'number') return formatShare(share);
  return share.suppressed ? 'onderdrukt' : share.value === null ? '–' : formatShare(share.value);
}

function casesOf(f: Expectation['figures'][number]): string[] {
  return 'casesFallingShort' in f && Array.isArray(f.casesFallingShort) ? (f.casesFallingShort) : [];
}

function trendConfig(trend: Scorecard['trend']): ChartConfiguration<'bar'> {
  const series = (key: 'met' | 'notMet' | 'notMeasurable') => trend.map((q) => q.headline[key]);
  return {
    type: 'bar',
    data: {
      labels: trend.map((q) => q.quarter),
      datasets: [
        { label: 'voldoet', data: series('met'), backgroundColor: STATUS_COLORS.met, borderColor: STATUS_COLORS.met },
        { label: 'voldoet niet', data: series('notMet'), backgroundColor: STATUS_COLORS.not_met, borderColor: STATUS_COLORS.not_met },
        { label: 'niet meetbaar', data: series('notMeasurable'), backgroundColor: STATUS_COLORS.not_measurable, borderColor: STATUS_COLORS.not_measurable },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'verwachtingen' }, ticks: { precision: 0 } } },
    },
  };
}

/** The plan's items as floating bars from when they were planned to their due (or actual) date. */
function timelineConfig(items: PlanItem[], today: string): ChartConfiguration<'bar'> {
  const color = (i: PlanItem) => (i.late ? '#b3261e' : i.status === 'gereed' ? '#2e7d32' : i.status === 'vervallen' ? '#9e9e9e' : '#0b5cad');
  const end = (i: PlanItem) => dayMs(i.doneOn ?? i.dueOn);
  const lo = Math.min(dayMs(today), ...items.map((i) => dayMs(i.plannedOn)));
  const hi = Math.max(dayMs(today), ...items.map(end));
  return {
    type: 'bar',
    data: {
      labels: items.map((i) => (i.kind === 'mijlpaal' ? `${i.track ?? ''} · ${i.milestoneLabel ?? i.title}` : i.title)),
      datasets: [
        {
          label: 'van planning tot einddatum',
          data: items.map((i) => [dayMs(i.plannedOn), Math.max(end(i), dayMs(i.plannedOn) + DAY)] as [number, number]),
          backgroundColor: items.map(color),
          borderColor: items.map(color),
          borderSkipped: false,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { type: 'linear', min: lo - 7 * DAY, max: hi + 7 * DAY, ticks: { callback: (v) => formatDate(new Date(Number(v)).toISOString()), maxTicksLimit: 8 } },
      },
    },
  };
}

/**
 * "Kwaliteit & verbeterplan": the Inspectie's expectations for a period with the trend per quarter, and the improvement
 * plan and certification track as a timeline. Staff follow each expectation to the cases falling short; a gemeente
 * sees the same region-wide picture without any case.
 */
export function QualityPlanView({ api, config, staff, manager = false }: { api: Api; config: DashboardConfig; staff: boolean; manager?: boolean }) {
  const today = config.now.slice(0, 10);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [query, setQuery] = useState({ from, to });
  const [card, setCard] = useState<Scorecard | null>(null);
  const [plan, setPlan] = useState<QualityPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped after a manager changes the plan: the plan and the scorecard are read again.
  const [revision, setRevision] = useState(0);
  const reload = () => setRevision((r) => r + 1);

  useEffect(() => {
    if (revision === 0) setCard(null);
    setError(null);
    Promise.all([okJson('/v1/quality/scorecard', api.client.GET('/v1/quality/scorecard', { params: { query } })), okJson('/v1/quality/plan', api.client.GET('/v1/quality/plan'))])
      .then(([c, p]) => {
        setCard(c);
        setPlan(p);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, query, revision]);

  const items = useMemo(() => (plan ? [...plan.actions, ...plan.milestones] : []), [plan]);
  const trend = useMemo(() => (card ? trendConfig(card.trend) : null), [card]);
  const timeline = useMemo(() => (plan && items.length > 0 ? timelineConfig(items, plan.today) : null), [plan, items]);
  const actionsFor = (id: string) => items.filter((i) => i.expectations.includes(id));
  const focusItem = (e: Event, id: string) => {
    e.preventDefault();
    const row = document.getElementById(`plan-item-${id}`);
    row?.scrollIntoView({ block: 'center' });
    row?.focus();
  };

  return (
    <section aria-labelledby="kwaliteit-plan-kop" data-testid="quality-plan">
      <h1 id="kwaliteit-plan-kop">Kwaliteit &amp; verbeterplan</h1>
      <p class="lead">De verwachtingen van de Inspectie, gemeten over de periode; het verbeterplan en het traject naar certificering. {staff ? 'Elke verwachting verwijst naar de zaken die tekortschieten en naar de acties die eraan werken.' : 'Regiobreed, voor elke gemeente hetzelfde; aantallen onder onthullingsbeheersing, geen zaken.'}</p>
      <form class="filters" aria-label="Periode" onSubmit={(e) => { e.preventDefault(); setQuery({ from, to }); }}>
        <label>
          Van <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </label>
        <label>
          Tot en met <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} required />
        </label>
        <button type="submit">Toon</button>
      </form>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {!card || !trend ? (
        error ? null : <p>Scorecard wordt geladen…</p>
      ) : (
        <>
          <section class="panel" aria-labelledby="scorecard-kop">
            <h2 id="scorecard-kop" data-testid="scorecard-headline">Veilig Thuis {card.headline.text}</h2>
            <p class="meta">Van {showDate(card.period.from)} tot en met {showDate(card.period.to)}. Trend per kwartaal:</p>
            <ChartBox config={trend} label="Verwachtingen per kwartaal: voldoet, voldoet niet, niet meetbaar" testId="scorecard-trend" />
            <table class="quality" data-testid="scorecard-table">
              <thead>
                <tr>
                  <th scope="col">Verwachting</th>
                  <th scope="col">Status</th>
                  <th scope="col">Gemeten (norm)</th>
                  <th scope="col">{staff ? 'Zaken die tekortschieten' : 'Toelichting'}</th>
                  <th scope="col">Verbeteracties</th>
                </tr>
              </thead>
              <tbody>
                {card.expectations.map((e) => (
                  <tr key={e.id} data-expectation={e.id} data-status={e.status}>
                    <th scope="row">
                      {e.text}
                      {e.failedIn2017 ? <span class="meta"> · niet voldaan in 2017</span> : null}
                    </th>
                    <td class={`status-${e.status}`}>{STATUS_LABELS[e.status]}</td>
                    <td>
                      {e.figures.length === 0
                        ? e.organisational
                          ? `vastgesteld ${formatDate(e.organisational.setAt)}`
                          : '–'
                        : e.figures.map((f) => (
                            <div key={f.figure}>
                              {shareOf(f)} (≥ {formatShare(f.norm)})
                            </div>
                          ))}
                    </td>
                    <td>
                      {staff && e.figures.some((f) => casesOf(f).length > 0) ? (
                        <ul class="short">
                          {[...new Set(e.figures.flatMap(casesOf))].slice(0, 10).map((id) => (
                            <li key={id}><a href={`#/zaak/${id}`}>zaak {id.slice(0, 8)}</a></li>
                          ))}
                        </ul>
                      ) : (
                        <span class="meta">{e.reason ?? (staff ? 'geen' : '')}</span>
                      )}
                    </td>
                    <td>
                      {actionsFor(e.id).length === 0 ? (
                        <span class="meta">geen</span>
                      ) : (
                        <ul class="short">
                          {actionsFor(e.id).map((i) => (
                            <li key={i.id}>
                              <a href="#/verbeterplan" data-plan-link={i.id} onClick={(ev) => focusItem(ev, i.id)}>{i.title}</a>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="panel" aria-labelledby="plan-kop">
            <h2 id="plan-kop">Verbeterplan en certificeringstraject</h2>
            {timeline ? <ChartBox config={timeline} label="Tijdlijn van verbeteracties en mijlpalen, van planning tot einddatum; rood is te laat" testId="plan-timeline" /> : <p>Nog geen acties of mijlpalen.</p>}
            <table class="quality" data-testid="plan-table">
              <thead>
                <tr>
                  <th scope="col">Actie of mijlpaal</th>
                  <th scope="col">Eigenaar (functie)</th>
                  <th scope="col">Status</th>
                  <th scope="col">Einddatum</th>
                  <th scope="col">Gereed op</th>
                  {manager ? <th scope="col">Wijzigen</th> : null}
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} id={`plan-item-${i.id}`} tabIndex={-1} data-plan-item={i.id} data-late={String(i.late)}>
                    <th scope="row">{i.kind === 'mijlpaal' ? `${i.track ?? ''}: ${i.milestoneLabel ?? ''}` : i.title}</th>
                    <td>{i.ownerRole}</td>
                    <td>
                      {PLAN_STATUS_LABELS[i.status] ?? i.status}
                      {i.late ? <strong class="status-not_met"> · te laat</strong> : null}
                    </td>
                    <td>{showDate(i.dueOn)}</td>
                    <td>{i.doneOn ? showDate(i.doneOn) : '–'}</td>
                    {manager ? (
                      <td>
                        <PlanItemChangeForm key={`${i.id}-${'version' in i && typeof i.version === 'number' ? i.version : 0}`} api={api} item={i} onSaved={reload} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {manager ? <NewPlanItemForm api={api} config={config} expectations={card.expectations} onSaved={reload} /> : null}
          </section>
        </>
      )}
    </section>
  );
}
