import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { okJson, type Api, type DashboardConfig, type Wachtlijst } from '../api';
import { ChartBox, COLORS, type SuppressedMark } from '../charts';
import { categoryLabel, formatMonth, formatShare } from '../labels';
import type { Session } from '../session';
import { PeriodReport } from './gemeente-period';

type Figure = { value: number | null; suppressed: boolean };
type Month = Wachtlijst['months'][number];

/** The twelve months up to the service's current month, as YYYY-MM. */
export function lastMonths(nowIso: string, n: number): { from: string; to: string } {
  const now = new Date(nowIso);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const fmt = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return { from: fmt(new Date(Date.UTC(y, m - (n - 1), 1))), to: fmt(new Date(Date.UTC(y, m, 1))) };
}

export function Cell({ f, share }: { f: Figure; share?: boolean }) {
  if (f.suppressed || f.value === null) {
    return (
      <td class="suppressed" data-suppressed="true">
        <abbr title="onderdrukt: te klein aantal om te tonen (onthullingsbeheersing)">onderdrukt</abbr>
      </td>
    );
  }
  return <td class="num">{share ? formatShare(f.value) : f.value.toLocaleString('nl-NL')}</td>;
}

/** Values for a chart (suppressed → null, never 0) and the marks that hatch their place. */
function series(figures: Figure[][]): { data: Array<Array<number | null>>; marks: SuppressedMark[] } {
  const marks: SuppressedMark[] = [];
  const data = figures.map((row, datasetIndex) =>
    row.map((f, index) => {
      if (f.suppressed || f.value === null) {
        marks.push({ datasetIndex, index });
        return null;
      }
      return f.value;
    }),
  );
  return { data, marks };
}

const lineOptions = (marks: SuppressedMark[], yTitle: string, percent = false): ChartConfiguration<'line'>['options'] => ({
  responsive: true,
  maintainAspectRatio: false,
  spanGaps: false,
  scales: {
    y: {
      beginAtZero: true,
      ...(percent ? { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(Number(v) * 100)} %` } } : {}),
      title: { display: true, text: yTitle },
    },
  },
  plugins: { suppressed: { marks }, legend: { position: 'bottom' } },
});

/** The municipality's waiting list over time, case mix, share within term against the LNVT norms, the region alongside. */
export function GemeenteView({ api, session, config }: { api: Api; session: Session; config: DashboardConfig }) {
  const region = config.region;
  const choosable = session.role === 'manager' || session.gemeente === region.centrumgemeente;
  const [gemeente, setGemeente] = useState(session.gemeente ?? region.centrumgemeente);
  const [data, setData] = useState<Wachtlijst | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [monthIndex, setMonthIndex] = useState<number | null>(null);
  const range = useMemo(() => lastMonths(config.now, 12), [config.now]);

  useEffect(() => {
    setData(null);
    setError(null);
    okJson('/v1/metrics/wachtlijst', api.client.GET('/v1/metrics/wachtlijst', { params: { query: { gemeente, from: range.from, to: range.to } } }))
      .then((d) => {
        setData(d);
        // The case mix defaults to the last complete month.
        const complete = d.months.map((m, i) => (m.complete ? i : -1)).filter((i) => i >= 0);
        setMonthIndex(complete.length > 0 ? complete[complete.length - 1]! : d.months.length - 1);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, gemeente, range]);

  const name = region.gemeenten.find((g) => g.code === gemeente)?.name ?? gemeente;
  return (
    <>
      <h1>Wachtlijst en meldingen – {name}</h1>
      <p class="lead">
        Geanonimiseerde cijfers per maand, {formatMonth(range.from)} t/m {formatMonth(range.to)}, met de regio {region.name} ernaast. Aantallen zijn
        afgerond; te kleine aantallen zijn <span class="suppressed-sample">onderdrukt</span> (gearceerd in de grafieken, nooit als 0 getekend).
      </p>
      {choosable ? (
        <p>
          <label for="gemeente-keuze">Gemeente </label>
          <select id="gemeente-keuze" value={gemeente} onChange={(e) => setGemeente(e.currentTarget.value)}>
            {region.gemeenten.map((g) => (
              <option key={g.code} value={g.code}>{g.name} ({g.code})</option>
            ))}
          </select>
        </p>
      ) : null}
      <PeriodReport api={api} gemeente={gemeente} name={name} regionName={region.name} now={config.now} outcomeLabels={config.labels.onderzoekOutcomes} />
      {error ? <p role="alert" class="error">{error}</p> : null}
      {!data || monthIndex === null ? (
        error ? null : <p>Cijfers worden geladen…</p>
      ) : (
        <Figures data={data} name={name} regionName={region.name} monthIndex={monthIndex} onMonth={setMonthIndex} />
      )}
    </>
  );
}

function Figures({ data, name, regionName, monthIndex, onMonth }: { data: Wachtlijst; name: string; regionName: string; monthIndex: number; onMonth: (i: number) => void }) {
  const labels = data.trend.map((t) => formatMonth(t.month));
  const trendFigures = (scope: 'gemeente' | 'region') =>
    (['waitingAssessment', 'waitingOnderzoekStart', 'inOnderzoek', 'overdue'] as const).map((f) => data.trend.map((t) => (t[scope][f] as Figure | undefined) ?? { value: null, suppressed: true }));
  const trendNames = ['Wacht op veiligheidsbeoordeling', 'Wacht op start onderzoek', 'In onderzoek', 'Over de termijn'];
  const trendColors = [COLORS.gemeente, COLORS.regio, COLORS.derde, COLORS.norm];

  const trendChart = (scope: 'gemeente' | 'region'): ChartConfiguration<'line'> => {
    const s = series(trendFigures(scope));
    return {
      type: 'line',
      data: { labels, datasets: s.data.map((d, i) => ({ label: trendNames[i]!, data: d, borderColor: trendColors[i], backgroundColor: trendColors[i], pointRadius: 3 })) },
      options: lineOptions(s.marks, 'zaken (einde maand)'),
    };
  };
  const month: Month = data.months[monthIndex]!;
  const mix = (title: string, keys: readonly string[], labelOf: (k: string) => string, pick: (scope: Month['gemeente']) => Record<string, Figure>): ChartConfiguration<'bar'> => {
    const s = series([keys.map((k) => pick(month.gemeente)[k]!), keys.map((k) => pick(month.regionAtGemeenteDetail)[k]!)]);
    return {
      type: 'bar',
      data: {
        labels: keys.map(labelOf),
        datasets: [
          { label: name, data: s.data[0]!, backgroundColor: COLORS.gemeente, borderColor: COLORS.gemeente },
          { label: `Regio ${regionName}`, data: s.data[1]!, backgroundColor: COLORS.regio, borderColor: COLORS.regio },
        ],
      },
      options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, scales: { x: { beginAtZero: true, title: { display: true, text: `meldingen in ${formatMonth(month.month)}` } } }, plugins: { suppressed: { marks: s.marks }, legend: { position: 'bottom' }, title: { display: false, text: title } } },
    };
  };
  const termChart = (key: 'assessedWithinTerm' | 'onderzoekenWithinTerm'): ChartConfiguration<'line'> => {
    const s = series([data.months.map((m) => m.gemeente[key].share), data.months.map((m) => m.region[key].share)]);
    const norm = data.norms[key];
    return {
      type: 'line',
      data: {
        labels: data.months.map((m) => formatMonth(m.month)),
        datasets: [
          { label: name, data: s.data[0]!, borderColor: COLORS.gemeente, backgroundColor: COLORS.gemeente },
          { label: `Regio ${regionName}`, data: s.data[1]!, borderColor: COLORS.regio, backgroundColor: COLORS.regio },
          { label: `LNVT-norm ${formatShare(norm)}`, data: data.months.map(() => norm), borderColor: COLORS.norm, borderDash: [6, 4], pointRadius: 0, backgroundColor: COLORS.norm },
        ],
      },
      options: lineOptions(s.marks, 'aandeel binnen termijn', true),
    };
  };

  // The gemeente's own categories (its report plan); the region beside it at the same detail.
  const violence = data.gemeenteCategories.violenceTypes;
  const severities = data.gemeenteCategories.severities;
  const groupLabels = data.gemeenteCategories.groupLabels as Record<string, string>;
  const configs = useMemo(
    () => ({
      gemeenteTrend: trendChart('gemeente'),
      regionTrend: trendChart('region'),
      byType: mix('Naar type geweld', violence, (k) => categoryLabel(k, groupLabels), (s) => s.byViolenceType),
      bySeverity: mix('Naar ernst', severities, (k) => categoryLabel(k, groupLabels), (s) => s.bySeverity),
      assessed: termChart('assessedWithinTerm'),
      onderzoek: termChart('onderzoekenWithinTerm'),
    }),
    // The builders above read only data, month, name and regionName.
    [data, monthIndex, name, regionName],
  );

  return (
    <>
      <section aria-labelledby="trend-kop" class="panel">
        <h2 id="trend-kop">Wachtlijst over tijd</h2>
        <div class="pair">
          <figure>
            <figcaption>{name}</figcaption>
            <ChartBox config={configs.gemeenteTrend} label={`Lijndiagram: wachtlijst van ${name} per maand; de tabel hieronder geeft de getallen`} testId="chart-trend-gemeente" />
          </figure>
          <figure>
            <figcaption>Regio {regionName}</figcaption>
            <ChartBox config={configs.regionTrend} label={`Lijndiagram: wachtlijst van de regio ${regionName} per maand`} testId="chart-trend-regio" />
          </figure>
        </div>
        <details>
          <summary>Tabel: wachtlijst per maand</summary>
          <table data-testid="table-trend">
            <thead>
              <tr>
                <th scope="col">Maand</th>
                {trendNames.map((n) => <th scope="col" key={`g${n}`}>{name}: {n.toLowerCase()}</th>)}
                {trendNames.map((n) => <th scope="col" key={`r${n}`}>Regio: {n.toLowerCase()}</th>)}
              </tr>
            </thead>
            <tbody>
              {data.trend.map((t, i) => (
                <tr key={t.month}>
                  <th scope="row">{labels[i]}</th>
                  {trendFigures('gemeente').map((row, k) => <Cell key={`g${k}`} f={row[i]!} />)}
                  {trendFigures('region').map((row, k) => <Cell key={`r${k}`} f={row[i]!} />)}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <section aria-labelledby="mix-kop" class="panel">
        <h2 id="mix-kop">Meldingen naar type en ernst</h2>
        <p>
          <label for="maand-keuze">Maand </label>
          <select id="maand-keuze" value={String(monthIndex)} onChange={(e) => onMonth(Number(e.currentTarget.value))}>
            {data.months.map((m, i) => (
              <option key={m.month} value={String(i)}>{formatMonth(m.month)}{m.complete ? '' : ' (lopend)'}</option>
            ))}
          </select>
        </p>
        <div class="pair">
          <figure>
            <figcaption>Naar type geweld</figcaption>
            <ChartBox config={configs.byType} label={`Staafdiagram: meldingen naar type geweld in ${formatMonth(month.month)}`} testId="chart-type" />
          </figure>
          <figure>
            <figcaption>Naar ernst (uitkomst veiligheidsbeoordeling)</figcaption>
            <ChartBox config={configs.bySeverity} label={`Staafdiagram: meldingen naar ernst in ${formatMonth(month.month)}`} testId="chart-severity" />
          </figure>
        </div>
        <details>
          <summary>Tabel: meldingen naar type en ernst in {formatMonth(month.month)}</summary>
          <table data-testid="table-mix">
            <thead>
              <tr><th scope="col">Categorie</th><th scope="col">{name}</th><th scope="col">Regio {regionName}</th></tr>
            </thead>
            <tbody>
              <tr><th scope="row">Totaal ontvangen</th><Cell f={month.gemeente.received} /><Cell f={month.region.received} /></tr>
              {violence.map((k) => (
                <tr key={k}><th scope="row">{categoryLabel(k, groupLabels)}</th><Cell f={month.gemeente.byViolenceType[k]!} /><Cell f={month.regionAtGemeenteDetail.byViolenceType[k]!} /></tr>
              ))}
              {severities.map((k) => (
                <tr key={k}><th scope="row">{categoryLabel(k, groupLabels)}</th><Cell f={month.gemeente.bySeverity[k]!} /><Cell f={month.regionAtGemeenteDetail.bySeverity[k]!} /></tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <section aria-labelledby="termijn-kop" class="panel">
        <h2 id="termijn-kop">Binnen de termijn, tegen de LNVT-normen</h2>
        <div class="pair">
          <figure>
            <figcaption>Veiligheidsbeoordeling binnen 5 werkdagen (norm {formatShare(data.norms.assessedWithinTerm)})</figcaption>
            <ChartBox config={configs.assessed} label="Lijndiagram: aandeel veiligheidsbeoordelingen binnen 5 werkdagen per maand, met de norm" testId="chart-assessed" />
          </figure>
          <figure>
            <figcaption>Onderzoek binnen 10 weken (norm {formatShare(data.norms.onderzoekenWithinTerm)})</figcaption>
            <ChartBox config={configs.onderzoek} label="Lijndiagram: aandeel onderzoeken binnen 10 weken per maand, met de norm" testId="chart-onderzoek" />
          </figure>
        </div>
        <details>
          <summary>Tabel: aandeel binnen termijn per maand</summary>
          <table data-testid="table-term">
            <thead>
              <tr>
                <th scope="col">Maand</th>
                <th scope="col">{name}: beoordeling</th>
                <th scope="col">Regio: beoordeling</th>
                <th scope="col">{name}: onderzoek</th>
                <th scope="col">Regio: onderzoek</th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{formatMonth(m.month)}</th>
                  <Cell f={m.gemeente.assessedWithinTerm.share} share />
                  <Cell f={m.region.assessedWithinTerm.share} share />
                  <Cell f={m.gemeente.onderzoekenWithinTerm.share} share />
                  <Cell f={m.region.onderzoekenWithinTerm.share} share />
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
      <p class="meta">
        Onthullingsbeheersing: aantallen zijn afgerond op veelvouden van {data.disclosure.roundTo}; aantallen onder {data.disclosure.minCount} (ook 0) zijn
        onderdrukt; waar één cijfer van een totaal verborgen is, is ook een ander verborgen; aandelen zijn berekend op de onafgeronde aantallen en
        verborgen met hun aantallen; per maand, nooit opgeteld over maanden.
      </p>
    </>
  );
}
