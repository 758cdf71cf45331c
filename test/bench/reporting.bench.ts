import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { Migrator, sql, type Transaction } from 'kysely';
import { openDatabase, type Database } from '../../db/database';
import { migrateToLatest } from '../../db/migrator';
import { MIGRATIONS } from '../../db/migrations';
import type { DB } from '../../db/schema';
import { leavingFacts, qualityFigures } from '../../workflows/reporting/quality';
import type { PersistedMelding } from '../../workflows/melding';
import type { Principal } from '../../src/auth/principal';
import { parseConfig, ruleSettingsOf, type Config } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { syntheticSettings } from '../../tools/seed/synthetic-meldingen';
import { seedSyntheticMeldingen } from '../../tools/seed/synthetic/seed-runner';
import { createServices } from '../../src/services';
import { ManualClock } from '../support/clocks';
import { assertTestDatabase, TEST_DATABASE_URL, withDatabase } from '../support/test-env';
import type { BenchRow } from './transitions.bench';
import { measureDisclosure, printDisclosure } from './disclosure.bench';

/** The region's real volume: about 4,000 meldingen a year (Veilig Thuis IJsselland), three years. */
export const REGION_VOLUME_CASES = 12_000;

/** The synthetic world ends here, so months and "now" are the same in every run. Bump SEED_ID when the generator changes. */
const SEED_NOW = new Date('2026-11-20T12:00:00.000Z');
const SEED_ID = 'bench-1';

/**
 * Indexes and tables this project adds for reporting (migrations 20261122T2200 and 20261123T0000). The baseline
 * runs the same calls inside a transaction that has dropped the indexes (rolled back afterwards), empties
 * `metrics_monthly` before every call, and computes the quality report the way it would without
 * `case_quality_facts`: from the snapshots of the meldingen leaving VT. (The trend reads `waitlist_daily` on both
 * sides: without it there is no history of the waiting list to read.)
 */
const REPORTING_MIGRATIONS = ['20261122T2100_waitlist_daily', '20261122T2200_metrics_indexes', '20261123T0000_reporting_facts', '20261204T1400_onderzoek_outcomes'];
const REPORTING_INDEXES = [
  'deadlines_running_veiligheidsbeoordeling_idx',
  'deadlines_running_onderzoek_idx',
  'deadlines_kind_met_idx',
  'deadlines_kind_opened_idx',
  'cases_received_gemeente_idx',
  'monitoring_contact_facts_held_idx',
  'case_state_periods_waiting_onderzoek_idx',
  'case_quality_facts_left_idx',
];

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The seeded database of this size, reused between runs while the seed and the migrations are unchanged. */
async function seededDatabase(cfg: Config, name: string, url: string, cases: number): Promise<{ db: Database; close: () => Promise<void> }> {
  // The reporting migrations' code is part of the signature: a changed index must not be measured on an old
  // database. Other migrations added later are applied to a reused database by migrateToLatest.
  const reporting = Object.entries(MIGRATIONS).filter(([n]) => REPORTING_MIGRATIONS.includes(n));
  const schema = createHash('sha256').update(reporting.map(([n, m]) => `${n}:${m.up.toString()}`).join('\n')).digest('hex').slice(0, 16);
  // "adviezen": the seed gives adviezen since then; "outcomes": its conclusions record an outcome per type of violence
  // since machine v6. An older database has neither and is seeded again.
  const signature = `${SEED_ID} ${cases} ${schema} adviezen outcomes`;
  const probe = new Client({ connectionString: withDatabase(TEST_DATABASE_URL, name) });
  let reuse = false;
  try {
    await probe.connect();
    const r = await probe.query<{ signature: string }>('select signature from bench_seed');
    reuse = r.rows[0]?.signature === signature;
  } catch {
    reuse = false;
  } finally {
    await probe.end().catch(() => undefined);
  }
  if (!reuse) {
    await admin(`drop database if exists "${name}" with (force)`);
    await admin(`create database "${name}"`);
  }
  const opened = await openDatabase({ url, embeddedDir: '', poolSize: 4 });
  if (reuse) {
    console.error(`reporting: reusing ${name} (${cases} meldingen)`);
    // A reused benchmark database may predate migrations merged since with earlier names: apply them anyway (only here;
    // the service itself refuses migrations out of order).
    const result = await new Migrator({ db: opened.db, provider: { getMigrations: async () => MIGRATIONS }, allowUnorderedMigrations: true }).migrateToLatest();
    if (result.error) throw result.error instanceof Error ? result.error : new Error(JSON.stringify(result.error));
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (applied.length > 0) {
      console.error(`reporting: applied ${applied.join(', ')}; vacuum analyze`);
      await vacuumAnalyze(url);
    }
    return opened;
  }
  await migrateToLatest(opened.db);
  await syncRegion(opened.db, cfg.region);
  let last = 0;
  const summary = await seedSyntheticMeldingen(opened.db, {
    settings: syntheticSettings(cfg),
    run: { seed: SEED_ID, count: cases, now: SEED_NOW, years: 3 },
    batchSize: 2000,
    workers: 2,
    verifyEvery: 1000,
    copyUrl: url,
    onProgress: ({ done, total, elapsedMs }) => {
      if (done < total && elapsedMs - last < 10_000) return;
      last = elapsedMs;
      console.error(`reporting: seeding ${done}/${total} (${(elapsedMs / 1000).toFixed(0)} s)`);
    },
  });
  console.error(`reporting: seeded ${summary.cases} meldingen, ${summary.events} events, ${summary.deadlines} deadlines in ${(summary.elapsedMs / 1000).toFixed(0)} s`);
  await vacuumAnalyze(url);
  const marker = new Client({ connectionString: url });
  await marker.connect();
  await marker.query('create table bench_seed (signature text not null)');
  await marker.query('insert into bench_seed values ($1)', [signature]);
  await marker.end();
  return opened;
}

/** Index-only scans need the visibility map; the planner needs statistics. */
async function vacuumAnalyze(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

/** The quality report's meldingen leaving VT the way they were found before `case_quality_facts`: from the snapshots. */
async function leavingFromSnapshots(trx: Transaction<DB>, cfg: Config, from: Date, to: Date, teams: string[] | 'all') {
  const teamFilter = teams === 'all' ? sql`true` : sql`c.team_id in (${sql.join(teams)})`;
  const r = await sql<{ case_id: string; left_at: Date; to_state: string; snapshot: PersistedMelding; proposed_by: string | null; approved_by: string | null }>`
    select distinct on (e.case_id) e.case_id, e.at as left_at, e.to_state, c.snapshot,
           (select p.actor_id from case_events p where p.case_id = e.case_id and p.type = 'CLOSURE_PROPOSED' and p.seq < e.seq order by p.seq desc limit 1) as proposed_by,
           case when e.type = 'CLOSURE_APPROVED' then e.actor_id end as approved_by
    from case_events e join cases c on c.id = e.case_id
    where e.type in ('DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_APPROVED')
      and e.to_state in ('overdracht', 'afgesloten') and e.at >= ${from} and e.at < ${to} and ${teamFilter}
    order by e.case_id, e.at`.execute(trx);
  const settings = ruleSettingsOf(cfg);
  return qualityFigures(
    r.rows.map((l) => ({
      caseId: l.case_id,
      facts: leavingFacts(
        {
          caseId: l.case_id,
          context: l.snapshot.context,
          leftAt: l.left_at.toISOString(),
          closure: l.to_state === 'afgesloten' && l.proposed_by && l.approved_by ? { proposedBy: l.proposed_by, approvedBy: l.approved_by } : null,
        },
        settings,
      ),
    })),
  );
}

interface Call {
  name: string;
  ours: (trx: Transaction<DB>) => Promise<unknown>;
  baseline: (trx: Transaction<DB>) => Promise<unknown>;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;

async function timeCalls(db: Database, calls: Call[], which: 'ours' | 'baseline', repeat: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  // One transaction per side: the baseline's dropped indexes are rolled back, and both sides run on one connection.
  await db
    .transaction()
    .execute(async (trx) => {
      if (which === 'baseline') for (const index of REPORTING_INDEXES) await sql`drop index ${sql.id(index)}`.execute(trx);
      for (const call of calls) {
        const times: number[] = [];
        for (let i = 0; i < repeat + 2; i++) {
          // Without the project's snapshot tables: no month is kept between calls.
          if (which === 'baseline') await sql`delete from metrics_monthly`.execute(trx);
          const started = performance.now();
          // Server time includes turning the answer into the JSON the API sends.
          JSON.stringify(await call[which](trx));
          if (i >= 2) times.push(performance.now() - started);
        }
        out.set(call.name, times);
      }
      throw new RollBack();
    })
    .catch((e: unknown) => {
      if (!(e instanceof RollBack)) throw e;
    });
  return out;
}

class RollBack extends Error {}

/**
 * Disclosure control at the region's real volume, in a database of its own (`test_bench_reporting_12000`, seeded once
 * and reused): the share of suppressed figures per gemeente and period kind, printed with the done-when checks.
 */
async function benchDisclosure(): Promise<void> {
  const name = `test_bench_reporting_${REGION_VOLUME_CASES}`;
  const url = withDatabase(TEST_DATABASE_URL, name);
  const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const { db, close } = await seededDatabase(cfg, name, url, REGION_VOLUME_CASES);
  try {
    printDisclosure(await measureDisclosure(db, cfg, SEED_NOW), REGION_VOLUME_CASES);
  } finally {
    await close();
  }
}

/**
 * Municipal metrics and the quality report on a database of `cases` synthetic meldingen (seeded once and reused),
 * each call timed (p50/p95, server time in process) beside the same call without the project's reporting indexes
 * and facts tables, in the same run.
 */
export async function benchReporting(options: { cases: number; repeat: number; disclosureOnly?: boolean }): Promise<BenchRow[]> {
  assertTestDatabase(TEST_DATABASE_URL);
  await benchDisclosure();
  if (options.disclosureOnly) return [];
  const name = `test_bench_reporting_${options.cases}`;
  const url = withDatabase(TEST_DATABASE_URL, name);
  const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const { db, close } = await seededDatabase(cfg, name, url, options.cases);
  try {
    const clock = new ManualClock(SEED_NOW);
    const services = (trx: Transaction<DB>) => createServices(cfg, { db: trx, clock });
    const zwolle: Principal = { sub: 'analist', role: 'gemeente', teams: [], gemeente: cfg.region.centrumgemeente };
    const manager: Principal = { sub: 'mona', role: 'manager', teams: [], gemeente: null };
    const teams = await db.selectFrom('teams').select('id').orderBy('id').execute();
    const teamleider: Principal = { sub: 'tess', role: 'teamleider', teams: [teams[0]!.id], gemeente: null };

    const metrics = (from: string, to: string) => (trx: Transaction<DB>) => services(trx).metrics.wachtlijst(zwolle, { from, to });
    const quality = (p: Principal, from: string, to: string) => (trx: Transaction<DB>) => services(trx).quality.report(p, { from, to });
    const qualityBaseline = (p: Principal, from: string, to: string) => async (trx: Transaction<DB>) => {
      // The term figures read the same deadline rows either way; the leaving figures come from the snapshots.
      const rest = await services(trx).quality.report(p, { from, to });
      const cal = services(trx).calendar;
      const leaving = await leavingFromSnapshots(trx, cfg, cal.startOfLocalDay(from), new Date(cal.endOfLocalDay(to).getTime() + 1), p.role === 'manager' ? 'all' : p.teams);
      return { ...rest, figures: { ...rest.figures, ...leaving } };
    };
    const calls: Call[] = [
      { name: 'metrics, current month (2026-11)', ours: metrics('2026-11', '2026-11'), baseline: metrics('2026-11', '2026-11') },
      { name: 'metrics, a complete month (2025-06)', ours: metrics('2025-06', '2025-06'), baseline: metrics('2025-06', '2025-06') },
      { name: 'metrics, 12 months (2025-12..2026-11)', ours: metrics('2025-12', '2026-11'), baseline: metrics('2025-12', '2026-11') },
      { name: 'quality, one month, all teams (manager)', ours: quality(manager, '2026-10-01', '2026-10-31'), baseline: qualityBaseline(manager, '2026-10-01', '2026-10-31') },
      { name: `quality, one month, one team (teamleider)`, ours: quality(teamleider, '2026-10-01', '2026-10-31'), baseline: qualityBaseline(teamleider, '2026-10-01', '2026-10-31') },
    ];
    const ours = await timeCalls(db, calls, 'ours', options.repeat);
    const baseline = await timeCalls(db, calls, 'baseline', Math.max(3, Math.floor(options.repeat / 4)));
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 0.5).toFixed(1)} ms, p95 ${percentile(xs, 0.95).toFixed(1)} ms`;
    return calls.map((c) => {
      const o = ours.get(c.name)!;
      const b = baseline.get(c.name)!;
      return {
        name: `${c.name} at ${options.cases.toLocaleString('en')} meldingen`,
        ours: fmt(o),
        baseline: fmt(b),
        ratio: (percentile(o, 0.95) / percentile(b, 0.95)).toFixed(3),
      };
    });
  } finally {
    await close();
  }
}
