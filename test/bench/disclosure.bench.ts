import { sql } from 'kysely';
import type { Database } from '../../db/database';
import type { Principal } from '../../src/auth/principal';
import type { Config } from '../../src/config/config';
import { createServices } from '../../src/services';
import { ManualClock } from '../support/clocks';
import { PERIOD_KINDS, type PeriodKind } from '../../workflows/reporting/periods';
import { detailLevelFor, PLANS } from '../../workflows/reporting/report-plan';

const nextMonth = (m: string) => (m.endsWith('-12') ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5)) + 1).padStart(2, '0')}`);

type Fig = { value: number | null; suppressed: boolean };
const isFigure = (v: unknown): v is Fig => typeof v === 'object' && v !== null && 'suppressed' in v && 'value' in v;

/** Every published figure of one scope: counts, shares and statistics, each published or suppressed. */
function figures(node: unknown, out: Fig[] = []): Fig[] {
  if (isFigure(node)) out.push(node);
  else if (typeof node === 'object' && node !== null) for (const v of Object.values(node)) figures(v, out);
  return out;
}

/** The periods of 2025, a complete year of the seeded three: 12 months, 4 quarters, 2 half-years, 1 year. */
const RANGES: Record<PeriodKind, [string, string]> = { month: ['2025-01', '2025-12'], quarter: ['2025-Q1', '2025-Q4'], half: ['2025-H1', '2025-H2'], year: ['2025', '2025'] };

/** The headline figures of one scope: received, waiting, assessed within term, by type, by severity. */
function headline(scope: { received: Fig; waitingForAssessment: { count: Fig }; assessedWithinTerm: { share: Fig }; byViolenceType: Record<string, Fig>; bySeverity: Record<string, Fig> }): Fig[] {
  return [scope.received, scope.waitingForAssessment.count, scope.assessedWithinTerm.share, ...Object.values(scope.byViolenceType), ...Object.values(scope.bySeverity)];
}

export interface DisclosureMeasurement {
  /** gemeente name → period kind → share of suppressed figures, over all published figures. */
  shares: Map<string, Record<PeriodKind, number>>;
  /** The same over the headline figures only. */
  headlineShares: Map<string, Record<PeriodKind, number>>;
  checks: Array<{ check: string; ok: boolean }>;
  /** gemeente name → the detail of its report plan. */
  detail: Map<string, string>;
}

/**
 * Share of the suppressed cells per gemeente and period kind on a region of real volume (seeded 12,000 meldingen over
 * three years: about 4,000 a year), with the done-when checks of the reporting periods.
 */
export async function measureDisclosure(db: Database, cfg: Config, now: Date): Promise<DisclosureMeasurement> {
  const services = createServices(cfg, { db, clock: new ManualClock(now) });
  const analyst: Principal = { sub: 'analist', role: 'gemeente', teams: [], gemeente: cfg.region.centrumgemeente };
  const shares = new Map<string, Record<PeriodKind, number>>();
  const headlineShares = new Map<string, Record<PeriodKind, number>>();
  const checks: DisclosureMeasurement['checks'] = [];
  const detail = new Map<string, string>();
  for (const g of cfg.region.gemeenten) {
    const row = {} as Record<PeriodKind, number>;
    const head = {} as Record<PeriodKind, number>;
    for (const kind of PERIOD_KINDS) {
      const [from, to] = RANGES[kind];
      const body = await services.metrics.wachtlijst(analyst, { gemeente: g.code, from, to });
      const all = body.periods.flatMap((p) => figures(p.gemeente));
      if (process.env.BENCH_DISCLOSURE_DEBUG?.split(',').includes(`${g.name}:${kind}`)) {
        const walk = (node: unknown, path: string): string[] =>
          isFigure(node) ? (node.suppressed ? [path] : []) : typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([k, v]) => walk(v, `${path}.${k}`)) : [];
        for (const p of body.periods) console.error(`${g.name} ${p.period} suppressed: ${walk(p.gemeente, '').join(' ')}`);
      }
      row[kind] = all.filter((f) => f.suppressed).length / all.length;
      const heads = body.periods.flatMap((p) => headline(p.gemeente));
      head[kind] = heads.filter((f) => f.suppressed).length / heads.length;
      if (kind === 'half' && g.name === 'Ommen') {
        for (const p of body.periods) {
          checks.push({ check: `Ommen ${p.period}: meldingen received published (${String(p.gemeente.received.value)})`, ok: !p.gemeente.received.suppressed });
          // The most frequent type by the raw counts, which the analyst cannot see: is it published?
          const top = await sql<{ type: string; n: number }>`
            select t as type, count(*)::int as n from cases cross join lateral unnest(violence_types) t
            where gemeente = ${g.code} and received_at >= ${services.calendar.startOfLocalDay(`${p.firstMonth}-01`)} and received_at < ${services.calendar.startOfLocalDay(`${nextMonth(p.lastMonth)}-01`)}
            group by 1 order by 2 desc limit 1`.execute(db);
          const fineType = top.rows[0]!.type;
          // The gemeente's report shows the group of its plan that holds this type (for Ommen the type itself).
          const group = PLANS[detailLevelFor(g.inhabitants)].violence.find(([, members]) => members.includes(fineType))![0];
          const type = group === fineType ? fineType : `${group} (holds ${fineType})`;
          const published = p.gemeente.byViolenceType[group];
          checks.push({ check: `Ommen ${p.period}: most frequent type ${type} (raw ${top.rows[0]!.n}) published as ${String(published?.value)}`, ok: published !== undefined && !published.suppressed });
        }
      }
    }
    shares.set(g.name, row);
    detail.set(g.name, detailLevelFor(g.inhabitants));
    headlineShares.set(g.name, head);
    checks.push({ check: `${g.name}: half-year share ${(row.half * 100).toFixed(0)} % ≤ half its monthly ${(row.month * 100).toFixed(0)} % (all figures)`, ok: row.half <= row.month / 2 });
    checks.push({ check: `${g.name}: half-year share ${(head.half * 100).toFixed(0)} % ≤ half its monthly ${(head.month * 100).toFixed(0)} % (headline figures)`, ok: head.half <= head.month / 2 });
  }
  return { shares, headlineShares, checks, detail };
}

export function printDisclosure(m: DisclosureMeasurement, cases: number): void {
  console.log(`\nSuppressed share of the figures of each gemeente's report per period kind, 2025, ${cases.toLocaleString('en')} meldingen over three years.`);
  console.log('Target beside each: the half-year share at most half the monthly share.\n');
  const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
  const printTable = (title: string, shares: Map<string, Record<PeriodKind, number>>) => {
    console.log(title);
    const header = ['gemeente', 'detail', ...PERIOD_KINDS, 'target half ≤', 'met'];
    const rows = [...shares].map(([name, r]) => [name, m.detail.get(name)!, ...PERIOD_KINDS.map((k) => pct(r[k])), pct(r.month / 2), r.half <= r.month / 2 ? 'yes' : 'NO']);
    const table = [header, ...rows];
    const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const [i, row] of table.entries()) {
      console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
      if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    }
    console.log('');
  };
  printTable('All figures of the report (every count, share and percentile):', m.shares);
  printTable('Headline figures (received, waiting, assessed within term, by type, by severity):', m.headlineShares);
  for (const c of m.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}`);
  console.log('');
}
