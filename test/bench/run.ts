/*
 * npm run bench [-- --quick] [-- --only transitions,deadlines,reconcile,http,reporting] [-- --disclosure-only]: every figure beside a raw baseline measured in the
 * same run (this machine is shared and noisy).
 */
import { parseArgs } from 'node:util';
import { createBenchDatabase } from './bench-database';
import { benchDeadlines } from './deadlines.bench';
import { benchHttp } from './http.bench';
import { benchReconcile } from './reconcile.bench';
import { benchReporting } from './reporting.bench';
import { benchTransitions, type BenchRow } from './transitions.bench';
import { TEST_REDIS_URL } from '../support/test-env';

function print(rows: BenchRow[]): void {
  const header = ['benchmark', 'ours', 'baseline', 'ours / baseline', 'target'];
  const table = [header, ...rows.map((r) => [r.name, r.ours, r.baseline, r.ratio, r.target ?? ''])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const [i, row] of table.entries()) {
    console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

const BENCHMARKS: Record<string, (quick: boolean, disclosureOnly: boolean) => Promise<BenchRow[]>> = {
  transitions: (quick) =>
    benchTransitions(
      (poolSize) => createBenchDatabase('test_bench_transitions', poolSize),
      quick ? { cases: 20, perRound: 200, rounds: 1, concurrency: 4 } : { cases: 200, perRound: 2000, rounds: 5, concurrency: 8 },
    ),
  deadlines: (quick) =>
    benchDeadlines(
      (poolSize) => createBenchDatabase('test_bench_deadlines', poolSize),
      TEST_REDIS_URL,
      quick
        ? { scheduled: 5_000, cases: 100, fired: 1_000, leadMs: 3_000, windowMs: 5_000, concurrency: 50, scheduleRounds: 1, fireRounds: 1, drainTimeoutMs: 30_000 }
        : { scheduled: 100_000, cases: 1_000, fired: 20_000, leadMs: 3_000, windowMs: 5_000, concurrency: 50, scheduleRounds: 3, fireRounds: 2, drainTimeoutMs: 240_000 },
    ),
  // Boot reconcile of open deadlines (issue 19's target: 1,000,000, < 60 s with every job present, < 120 s with Redis empty).
  reconcile: (quick) => benchReconcile((poolSize) => createBenchDatabase('test_bench_reconcile', poolSize), TEST_REDIS_URL, quick ? { deadlines: 20_000, cases: 100 } : { deadlines: 1_000_000, cases: 1_000 }),
  http: (quick) => benchHttp((poolSize) => createBenchDatabase('test_bench_http', poolSize), quick ? { connections: 8, seconds: 10, casesPerConnection: 4 } : { connections: 8, seconds: 30, casesPerConnection: 16 }),
  // The full run seeds 1,000,000 meldingen once (about 15 minutes here) and reuses them while seed and migrations stay the same.
  // Before the timings, the disclosure measurement at the region's real volume (12,000 meldingen in a database of its
  // own); `--disclosure-only` stops after it.
  reporting: (quick, disclosureOnly) => benchReporting(quick ? { cases: 20_000, repeat: 10, disclosureOnly } : { cases: 1_000_000, repeat: 40, disclosureOnly }),
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, 'disclosure-only': { type: 'boolean', default: false } },
  });
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = only.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark(s) ${unknown.join(', ')} (known: ${Object.keys(BENCHMARKS).join(', ')})`);
  const selected = only.length > 0 ? only : Object.keys(BENCHMARKS);
  const rows: BenchRow[] = [];
  for (const name of selected) {
    const started = Date.now();
    rows.push(...(await BENCHMARKS[name]!(values.quick ?? false, values['disclosure-only'] ?? false)));
    console.error(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  print(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
