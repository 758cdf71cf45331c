import { useEffect, useState } from 'preact/hooks';
import { okJson, type Api, type Wachtlijst } from '../api';
import { categoryLabel, formatMonth } from '../labels';
import { Cell } from './gemeente';
import { OutcomeTable } from './gemeente-outcomes';

type PeriodFigures = Wachtlijst['periods'][number];
export type PeriodKind = 'month' | 'quarter' | 'half' | 'year';

const KIND_LABELS: Record<PeriodKind, string> = { month: 'Maand', quarter: 'Kwartaal', half: 'Halfjaar', year: 'Jaar' };
const KINDS: PeriodKind[] = ['month', 'quarter', 'half', 'year'];
/** How far back the analyst can go: three years, the span the service keeps counted. */
const BACK: Record<PeriodKind, number> = { month: 36, quarter: 12, half: 6, year: 3 };

/** The periods of one kind, newest first, from the one that contains `nowIso` (UTC calendar). */
export function periodsOf(kind: PeriodKind, nowIso: string): string[] {
  const now = new Date(nowIso);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const out: string[] = [];
  for (let i = 0; i < BACK[kind]; i++) {
    if (kind === 'month') {
      const d = new Date(Date.UTC(y, m - i, 1));
      out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
    } else if (kind === 'quarter') {
      const q = Math.floor(m / 3) - i;
      const yy = y + Math.floor(q / 4);
      out.push(`${yy}-Q${((q % 4) + 4) % 4 + 1}`);
    } else if (kind === 'half') {
      const h = Math.floor(m / 6) - i;
      const yy = y + Math.floor(h / 2);
      out.push(`${yy}-H${((h % 2) + 2) % 2 + 1}`);
    } else out.push(String(y - i));
  }
  return out;
}

/** 'YYYY-MM' → 'nov 2026', 'YYYY-Qn' → '2e kwartaal 2026', 'YYYY-Hn' → '1e halfjaar 2026', 'YYYY' → '2026'. */
export function periodLabel(id: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(id);
  if (q) return `${q[2]}e kwartaal ${q[1]}`;
  const h = /^(\d{4})-H([12])$/.exec(id);
  if (h) return `${h[2]}e halfjaar ${h[1]}`;
  if (/^\d{4}-\d{2}$/.test(id)) return formatMonth(id);
  return id;
}

/** The gemeente's figures for one fixed period: opens on the current half-year; month, quarter, half-year or year. */
export function PeriodReport({ api, gemeente, name, regionName, now, outcomeLabels }: { api: Api; gemeente: string; name: string; regionName: string; now: string; outcomeLabels: Readonly<Record<string, string>> }) {
  const [kind, setKind] = useState<PeriodKind>('half');
  const [period, setPeriod] = useState(() => periodsOf('half', now)[0]!);
  const [data, setData] = useState<PeriodFigures | null>(null);
  const [categories, setCategories] = useState<Wachtlijst['gemeenteCategories'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setData(null);
    setError(null);
    let live = true;
    api
      .client.GET('/v1/metrics/wachtlijst', { params: { query: { gemeente, [kind]: period } } })
      .then((r) => okJson('/v1/metrics/wachtlijst', Promise.resolve(r)))
      .then((d) => {
        if (live) {
          setCategories(d.gemeenteCategories);
          setData(d.periods[0] ?? null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [api, gemeente, kind, period]);

  const chooseKind = (k: PeriodKind) => {
    setKind(k);
    setPeriod(periodsOf(k, now)[0]!);
  };
  const options = periodsOf(kind, now);
  const label = (id: string) => categoryLabel(id, categories?.groupLabels ?? {});
  const shown = periodLabel(period);

  return (
    <section aria-labelledby="periode-kop" class="panel" data-testid="period-report">
      <h2 id="periode-kop">Rapportage per periode – {name}</h2>
      <fieldset class="period-kind">
        <legend>Soort periode</legend>
        {KINDS.map((k) => (
          <label key={k}>
            <input type="radio" name="periode-soort" value={k} checked={kind === k} onChange={() => chooseKind(k)} /> {KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <p>
        <label for="periode-keuze">{KIND_LABELS[kind]} </label>
        <select id="periode-keuze" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          {options.map((p, i) => (
            <option key={p} value={p}>{periodLabel(p)}{i === 0 ? ' (lopend)' : ''}</option>
          ))}
        </select>
      </p>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {!data || !categories ? (
        error ? null : <p aria-live="polite">Cijfers worden geladen…</p>
      ) : (
        <div aria-live="polite" data-period={data.period} data-kind={data.kind}>
          <p>
            {shown}
            {data.complete ? '' : ' (nog niet compleet: telt de maanden tot nu)'}. Aantallen zijn afgerond op vijftallen; te kleine aantallen zijn{' '}
            <span class="suppressed-sample">onderdrukt</span>, nooit als 0 getoond.
          </p>
          <table data-testid="table-key">
            <caption>Kerncijfers, {shown}</caption>
            <thead>
              <tr><th scope="col">Cijfer</th><th scope="col">{name}</th><th scope="col">Regio {regionName}</th></tr>
            </thead>
            <tbody>
              <tr><th scope="row">Meldingen ontvangen</th><Cell f={data.gemeente.received} /><Cell f={data.region.received} /></tr>
              <tr><th scope="row">Adviezen gegeven</th><Cell f={data.gemeente.adviezen.count} /><Cell f={data.region.adviezen.count} /></tr>
              <tr><th scope="row">Wacht op veiligheidsbeoordeling (einde periode)</th><Cell f={data.gemeente.waitingForAssessment.count} /><Cell f={data.region.waitingForAssessment.count} /></tr>
              <tr><th scope="row">Veiligheidsbeoordeling binnen 5 werkdagen</th><Cell f={data.gemeente.assessedWithinTerm.share} share /><Cell f={data.region.assessedWithinTerm.share} share /></tr>
            </tbody>
          </table>

          <table data-testid="table-cross">
            <caption>Meldingen naar type geweld en ernst (uitkomst veiligheidsbeoordeling), {name}, {shown}</caption>
            <thead>
              <tr>
                <th scope="col">Type geweld</th>
                {categories.severities.map((s) => <th scope="col" key={s}>{label(s)}</th>)}
                <th scope="col">Totaal</th>
              </tr>
            </thead>
            <tbody>
              {categories.violenceTypes.map((v) => (
                <tr key={v}>
                  <th scope="row">{label(v)}</th>
                  {categories.severities.map((s) => <Cell key={s} f={data.gemeente.byViolenceTypeAndSeverity[v]![s]!} />)}
                  <Cell f={data.gemeente.byViolenceType[v]!} />
                </tr>
              ))}
              <tr>
                <th scope="row">Alle meldingen</th>
                {categories.severities.map((s) => <Cell key={s} f={data.gemeente.bySeverity[s]!} />)}
                <Cell f={data.gemeente.received} />
              </tr>
            </tbody>
          </table>
          <p class="meta">
            Een melding met meer typen geweld telt bij elk type mee; de kolom Totaal telt dus op tot meer dan alle meldingen.
            {categories.detail === 'beknopt' ? ' Voor een gemeente van deze omvang zijn typen en ernst samengevoegd tot hoofdgroepen, zodat de cijfers per halfjaar te tonen zijn; de regio toont alle categorieën.' : ''}
          </p>

          <div class="pair">
            <table data-testid="table-adviezen">
              <caption>Adviezen naar type geweld, {shown}</caption>
              <thead>
                <tr><th scope="col">Type geweld</th><th scope="col">{name}</th><th scope="col">Regio {regionName}</th></tr>
              </thead>
              <tbody>
                {categories.violenceTypes.map((v) => (
                  <tr key={v}><th scope="row">{label(v)}</th><Cell f={data.gemeente.adviezen.byViolenceType[v]!} /><Cell f={data.regionAtGemeenteDetail.adviezen.byViolenceType[v]!} /></tr>
                ))}
              </tbody>
            </table>
            <table data-testid="table-kinds">
              <caption>Soort melding (CBS), {shown}</caption>
              <thead>
                <tr><th scope="col">Soort</th><th scope="col">{name}</th><th scope="col">Regio {regionName}</th></tr>
              </thead>
              <tbody>
                {categories.reports.map((r) => (
                  <tr key={r}><th scope="row">{label(r)}</th><Cell f={data.gemeente.byReport[r]!} /><Cell f={data.regionAtGemeenteDetail.byReport[r]!} /></tr>
                ))}
              </tbody>
            </table>
          </div>

          <h3>Uitkomsten van onderzoeken</h3>
          <OutcomeTable period={data} violenceTypes={categories.violenceTypes} outcomeLabels={outcomeLabels} label={label} name={name} regionName={regionName} shown={shown} />
        </div>
      )}
    </section>
  );
}
