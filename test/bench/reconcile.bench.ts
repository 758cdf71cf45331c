import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import type { BenchDatabase } from './bench-database';
import { dropPrefix } from './bench-redis';
import { insertCases, insertDeadlines } from './deadline-fixtures';
import type { BenchRow } from './transitions.bench';

export interface ReconcileBenchOptions {
  /** Open deadlines in the database when the worker boots. */
  deadlines: number;
  /** Cases they belong to (foreign key only). */
  cases: number;
}

/** The targets are for 1,000,000 open deadlines. */
const TARGET_DEADLINES = 1_000_000;
const DAY = 24 * 3600 * 1000;
const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Boot reconcile (what a worker runs before it takes jobs, `keepSchedulers`): `firing.reconcile()` over N open
 * deadlines, none due, first with Redis empty (every timer restored into the timer index) and then with every timer
 * present (each only checked, ZMSCORE in batches). Both are timed against the targets for 1,000,000; a smaller N is extrapolated linearly (the
 * reconcile pages through the open deadlines by id, so its cost is per deadline), and the row says so.
 */
export async function benchReconcile(createDatabase: (poolSize: number) => Promise<BenchDatabase>, redisUrl: string, o: ReconcileBenchOptions): Promise<BenchRow[]> {
  const tdb = await createDatabase(8);
  const prefix = `bench-${randomUUID().slice(0, 8)}-reconcile`;
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const log = (msg: string) => console.error(`  [reconcile] ${msg}`);
  try {
    const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', REDIS_URL: redisUrl });
    await syncRegion(tdb.db, cfg.region);
    const plain = createServices(cfg, { db: tdb.db, clock: systemClock });
    const caseIds = await insertCases(tdb.db, plain, o.cases);
    await plain.notifier.close();
    // 3 … 33 days out, warning 2 days before the end: nothing due, every deadline's next timer is its warning.
    const t0 = process.hrtime.bigint();
    await insertDeadlines(tdb.db, caseIds, 'boot', o.deadlines, new Date(Date.now() + 3 * DAY), (30 * DAY) / o.deadlines, -2 * DAY);
    await sql`analyze deadlines`.execute(tdb.db);
    log(`${count(o.deadlines)} open deadlines inserted in ${seconds(t0).toFixed(1)} s`);

    const timer = new BullmqTimer(admin, prefix, () => systemClock.now());
    const services = createServices(cfg, { db: tdb.db, clock: systemClock, timer });
    try {
      await timer.deadlines.waitUntilReady();
      await timer.notifications.waitUntilReady();
      const t1 = process.hrtime.bigint();
      const empty = await services.firing.reconcile();
      const emptyS = seconds(t1);
      log(`Redis empty: ${emptyS.toFixed(1)} s, ${JSON.stringify(empty)}`);
      const t2 = process.hrtime.bigint();
      const present = await services.firing.reconcile();
      const presentS = seconds(t2);
      log(`every timer present: ${presentS.toFixed(1)} s, ${JSON.stringify(present)}`);
      const timers = await admin.zcard(timer.timerKey);
      if (empty.timersRestored !== o.deadlines || present.timersRestored !== 0 || timers !== o.deadlines) {
        throw new Error(`reconcile bench: restored ${empty.timersRestored} then ${present.timersRestored}, ${timers} timers, expected ${o.deadlines}, 0, ${o.deadlines}`);
      }
      const scale = TARGET_DEADLINES / o.deadlines;
      const figure = (s: number) =>
        o.deadlines === TARGET_DEADLINES ? `${s.toFixed(1)} s` : `${s.toFixed(1)} s (≈ ${(s * scale).toFixed(0)} s per ${count(TARGET_DEADLINES)}, linear)`;
      const perDeadline = (s: number) => `${((s / o.deadlines) * 1e6).toFixed(1)} µs/deadline`;
      return [
        {
          name: `boot reconcile, ${count(o.deadlines)} open deadlines, every timer present (checked by id, none added)`,
          ours: figure(presentS),
          baseline: perDeadline(presentS),
          ratio: '–',
          target: `< 60 s per ${count(TARGET_DEADLINES)}`,
        },
        {
          name: `boot reconcile, ${count(o.deadlines)} open deadlines, Redis empty (every timer restored)`,
          ours: figure(emptyS),
          baseline: perDeadline(emptyS),
          ratio: '–',
          target: `< 120 s per ${count(TARGET_DEADLINES)}`,
        },
      ];
    } finally {
      await timer.close();
      await services.notifier.close();
    }
  } finally {
    await dropPrefix(admin, prefix).catch(() => undefined);
    admin.disconnect();
    await tdb.drop();
  }
}
