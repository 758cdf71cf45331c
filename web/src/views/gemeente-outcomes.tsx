import type { Wachtlijst } from '../api';
import { Cell } from './gemeente';

type PeriodFigures = Wachtlijst['periods'][number];
type Outcomes = NonNullable<PeriodFigures['gemeente']['onderzoekOutcomes']>;
type Figure = Outcomes[string]['concluded'];

interface OutcomeTableProps {
  period: PeriodFigures;
  /** The gemeente's categories of violence (its report plan), in order. */
  violenceTypes: readonly string[];
  /** The outcomes in order with their labels, from /dashboard/config.json (workflows/reference ONDERZOEK_OUTCOME_LABELS). */
  outcomeLabels: Readonly<Record<string, string>>;
  label: (category: string) => string;
  name: string;
  regionName: string;
  shown: string;
}

/**
 * Onderzoeken concluded in the period per type of violence × outcome (art. 4.3.2 h). A gemeente whose figure is
 * null (under 100,000 inhabitants: its report plan is `beknopt`) reads them at region level: this says so and shows
 * the region's, at the gemeente's detail.
 */
export function OutcomeTable({ period, violenceTypes, outcomeLabels, label, name, regionName, shown }: OutcomeTableProps) {
  const own = period.gemeente.onderzoekOutcomes;
  const outcomes = own ?? period.regionAtGemeenteDetail.onderzoekOutcomes;
  const scope = own ? name : `regio ${regionName}`;
  const keys = Object.keys(outcomeLabels);
  const figure = (row: Outcomes[string], key: string): Figure => (row as unknown as Record<string, Figure>)[key]!;
  return (
    <div data-testid="outcomes" data-scope={own ? 'gemeente' : 'regio'}>
      {own ? null : (
        <p data-testid="outcomes-region-note">
          De uitkomsten van onderzoeken van {name} worden op regioniveau gepubliceerd: per gemeente van deze omvang zouden ze bijna
          allemaal onderdrukt zijn. Hieronder staan de uitkomsten van de regio {regionName}.
        </p>
      )}
      {outcomes ? (
        <table data-testid="table-outcomes">
          <caption>Afgeronde onderzoeken naar type geweld en uitkomst, {scope}, {shown}</caption>
          <thead>
            <tr>
              <th scope="col">Type geweld</th>
              {keys.map((k) => <th scope="col" key={k}>{outcomeLabels[k]!.charAt(0).toUpperCase() + outcomeLabels[k]!.slice(1)}</th>)}
              <th scope="col">Afgerond (totaal)</th>
            </tr>
          </thead>
          <tbody>
            {violenceTypes.map((v) => {
              const row = outcomes[v]!;
              return (
                <tr key={v}>
                  <th scope="row">{label(v)}</th>
                  {keys.map((k) => <Cell key={k} f={figure(row, k)} />)}
                  <Cell f={row.concluded} />
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <p class="meta">
        Een onderzoek krijgt per geregistreerd type geweld één uitkomst en telt bij elk van zijn typen mee, in de periode waarin de conclusie is
        goedgekeurd.
      </p>
    </div>
  );
}
