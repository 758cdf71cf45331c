/**
 * `npm run seed -- --cases N [--seed S] [--batch 2000] [--workers W] [--now ISO] [--years 3] [--verify-every 100]`
 *
 * Fills the database (DATABASE_URL, or the embedded one like `npm start`) with N synthetic meldingen: complete
 * histories over the region's gemeenten and the last three years, made by the real melding machine and deadline
 * policy, written with bulk inserts; then the `waitlist_daily` history. No real person's data. Refused in production.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrator';
import { config } from '../src/config/config';
import { syncRegion } from '../src/reference/gemeente.repository';
import { syntheticSettings } from '../tools/seed/synthetic-meldingen';
import { seedSyntheticMeldingen } from '../tools/seed/synthetic/seed-runner';
import { systemClock } from '../src/shared/clock';

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(1);
}

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} must be a whole number, not '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      seed: { type: 'string', default: '1' },
      batch: { type: 'string' },
      workers: { type: 'string' },
      now: { type: 'string' },
      years: { type: 'string' },
      'verify-every': { type: 'string' },
    },
  });
  const cfg = config();
  if (cfg.NODE_ENV === 'production') fail('refusing to seed synthetic data with NODE_ENV=production');

  const count = positiveInt('cases', values.cases);
  if (count < 1) fail('--cases must be at least 1');
  const batchSize = Math.max(1, positiveInt('batch', values.batch, 2000));
  const workers = positiveInt('workers', values.workers, Math.max(1, availableParallelism()));
  const years = values.years === undefined ? 3 : Number(values.years);
  if (!(years > 0 && years <= 20)) fail('--years must be a number between 0 and 20');
  const now = values.now === undefined ? systemClock.now() : new Date(values.now);
  if (Number.isNaN(now.getTime())) fail(`--now must be an ISO 8601 moment, not '${values.now}'`);
  const verifyEvery = positiveInt('verify-every', values['verify-every'], 100);

  const database = await openDatabase({ url: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_DATA_DIR, poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    await syncRegion(database.db, cfg.region);
    process.stderr.write(
      `seed: ${count} synthetic meldingen, seed '${values.seed}', region ${cfg.region.id}, ${years} years up to ${now.toISOString()}, ` +
        `batches of ${batchSize}, ${workers} worker thread(s), ${database.kind} database\n`,
    );
    let lastReport = 0;
    const summary = await seedSyntheticMeldingen(database.db, {
      settings: syntheticSettings(cfg),
      run: { seed: values.seed, count, now, years },
      batchSize,
      workers,
      verifyEvery,
      copyUrl: database.kind === 'postgres' ? cfg.DATABASE_URL : undefined,
      onProgress: ({ done, total, elapsedMs }) => {
        if (done < total && elapsedMs - lastReport < 2000) return;
        lastReport = elapsedMs;
        const rate = done / Math.max(0.001, elapsedMs / 1000);
        const pct = ((done / total) * 100).toFixed(1);
        process.stderr.write(`seed: ${done}/${total} cases (${pct} %), ${rate.toFixed(0)} cases/s, ${(elapsedMs / 1000).toFixed(1)} s\n`);
      },
    });
    const states = Object.entries(summary.states)
      .sort((a, b) => b[1] - a[1])
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    process.stderr.write(
      `seed: done in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.cases} cases (${summary.casesPerSecond.toFixed(0)} cases/s), ` +
        `${summary.persons} persons, ${summary.events} case events, ${summary.deadlines} deadlines, ${summary.waitlistRows} waitlist_daily rows ` +
        `(${summary.format === 'copy' ? `COPY${summary.triggersSkipped ? ', foreign-key triggers skipped' : ''}` : 'multi-row INSERT'})\n` +
        `seed: states: ${states}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
