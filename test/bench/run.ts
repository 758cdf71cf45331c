/* npm run bench [-- --quick]: every figure beside a raw baseline measured in the same run (this machine is shared and noisy). */
import { createBenchDatabase } from './bench-database';
import { benchTransitions, type BenchRow } from './transitions.bench';

function print(rows: BenchRow[]): void {
  const header = ['benchmark', 'ours', 'baseline', 'ours / baseline'];
  const table = [header, ...rows.map((r) => [r.name, r.ours, r.baseline, r.ratio])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const [i, row] of table.entries()) {
    console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows = await benchTransitions(
    (poolSize) => createBenchDatabase('test_bench_transitions', poolSize),
    quick ? { cases: 20, perRound: 200, rounds: 1, concurrency: 4 } : { cases: 200, perRound: 2000, rounds: 5, concurrency: 8 },
  );
  print(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
