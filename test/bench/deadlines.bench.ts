import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Database } from '../../db/database';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import { compactUuid } from '../../workers/job-catalogue';
import { TIMER_BATCH } from '../../workers/timer-drainer';
import type { BenchDatabase } from './bench-database';
import type { BenchRow } from './transitions.bench';
import { dropPrefix, ownKeyBytes, settledUsedMemory } from './bench-redis';
import { fireBare, fireOurs } from './deadline-firing-rounds';
import { insertCases, insertDeadlines, timedDeadlines, type Timed } from './deadline-fixtures';

const CHUNK = 1000; // BullmqTimer adds in chunks of 1000; the bare baseline uses the same chunk size.
type Log = (msg: string) => void;
const DAY = 24 * 3600 * 1000;

export interface DeadlineBenchOptions {
  /** Open deadlines scheduled at once (our path: one timer-index entry each, for its next moment). */
  scheduled: number;
  /** Cases the scheduled deadlines belong to (foreign key only). */
  cases: number;
  /** Deadlines due inside the firing window. */
  fired: number;
  /** The window: dueAt spread uniformly over [now + leadMs, now + leadMs + windowMs]. */
  leadMs: number;
  windowMs: number;
  /** Worker concurrency, the same for our workers and the bare one. */
  concurrency: number;
  /** Rounds, bare and ours interleaved, so machine noise hits both alike. */
  scheduleRounds: number;
  fireRounds: number;
  /** Give up waiting for alerts after this long past the end of the window. */
  drainTimeoutMs: number;
}


// ---------------------------------------------------------------------------------------------------------------

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const fmtRate = (x: number) => `${Math.round(x).toLocaleString('en-US')} /s`;
const fmtMs = (x: number) => `${x.toFixed(0)} ms`;
const fmtBytes = (x: number) => `${x.toFixed(0)} B`;
const ratio = (a: number, b: number, digits = 2) => (b === 0 ? '–' : (a / b).toFixed(digits));
const count = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------------------------


interface ScheduleResult {
  seconds: number;
  jobs: number;
  usedMemory: number;
  own: { keys: number; bytes: number };
}

/** Bare BullMQ: one delayed job per deadline, same delays (computed per chunk), minimal data, auto ids, default options. */
async function scheduleBare(admin: Redis, prefix: string, deadlines: Timed[]): Promise<ScheduleResult> {
  const queue = new Queue('deadlines', { connection: admin, prefix });
  try {
    await queue.waitUntilReady();
    const before = await settledUsedMemory(admin);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < deadlines.length; i += CHUNK) {
      const now = Date.now();
      await queue.addBulk(deadlines.slice(i, i + CHUNK).map((d) => ({ name: 'deadline-breach', data: {}, opts: { delay: Math.max(0, d.due_at.getTime() - now) } })));
    }
    const s = seconds(t0);
    return { seconds: s, jobs: deadlines.length, usedMemory: (await settledUsedMemory(admin)) - before, own: await ownKeyBytes(admin, prefix) };
  } finally {
    await queue.close();
    await dropPrefix(admin, prefix);
  }
}

/** Ours: BullmqTimer.syncDeadlines (one timer-index entry per deadline, for its next moment: pipelined ZADD). */
async function scheduleOurs(admin: Redis, timer: BullmqTimer, prefix: string, deadlines: Timed[]): Promise<ScheduleResult> {
  await timer.deadlines.waitUntilReady();
  await timer.notifications.waitUntilReady();
  const jobs = deadlines.length;
  const before = await settledUsedMemory(admin);
  const t0 = process.hrtime.bigint();
  await timer.syncDeadlines(deadlines);
  const s = seconds(t0);
  return { seconds: s, jobs, usedMemory: (await settledUsedMemory(admin)) - before, own: await ownKeyBytes(admin, prefix) };
}

/** The bare equivalent of the reconciler's restore check: one query for all open deadlines, ZMSCORE of 10,000 a round trip. */
async function bareExistenceCheck(db: Database, admin: Redis, prefix: string): Promise<{ seconds: number; keys: number; present: number }> {
  const t0 = process.hrtime.bigint();
  const open = await db.selectFrom('deadlines').select(['id']).where('status', '=', 'open').execute();
  const members = open.map((d) => compactUuid(d.id));
  let present = 0;
  for (let i = 0; i < members.length; i += 10_000) {
    for (const score of await admin.zmscore(`${prefix}:timers`, ...members.slice(i, i + 10_000))) if (score !== null) present += 1;
  }
  return { seconds: seconds(t0), keys: members.length, present };
}

/**
 * Deadlines through BullMQ against bare BullMQ in the same run: scheduling (jobs/s, Redis per deadline), the
 * reconciler's nothing-missing restore check, and firing lag from dueAt to the alert row. The bare worker does no
 * database work, so once the due rate exceeds what our breach transaction sustains, our lag is the backlog, not
 * Redis' timer tick (the backlog row says how far behind the last alert came).
 */
export async function benchDeadlines(createDatabase: (poolSize: number) => Promise<BenchDatabase>, redisUrl: string, o: DeadlineBenchOptions): Promise<BenchRow[]> {
  // Our workers hold one connection per running job; the pool is capped below concurrency (max_connections is shared).
  const tdb = await createDatabase(Math.min(o.concurrency, 40) + 4);
  const runId = randomUUID().slice(0, 8);
  const prefix = (what: string) => `bench-${runId}-${what}`;
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const log: Log = (msg) => console.error(`  [deadlines] ${msg}`);
  const used: string[] = [];
  const own = (what: string) => {
    used.push(prefix(what));
    return prefix(what);
  };

  try {
    const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', REDIS_URL: redisUrl });
    await syncRegion(tdb.db, cfg.region);
    const hz = (await admin.config('GET', 'hz'))[1] ?? '?';
    const plain = createServices(cfg, { db: tdb.db, clock: systemClock });
    const caseIds = await insertCases(tdb.db, plain, o.cases);
    await plain.notifier.close();

    // ---- 1. Scheduling o.scheduled open deadlines, 3 … 33 days out, warning 2 days before the end. ----------------
    await insertDeadlines(tdb.db, caseIds, 'sched', o.scheduled, new Date(Date.now() + 3 * DAY), (30 * DAY) / o.scheduled, -2 * DAY);
    const deadlines = await timedDeadlines(tdb.db, 'sched');
    const n = deadlines.length;
    log(`${count(n)} open deadlines inserted; Redis hz ${hz}`);
    const bare: ScheduleResult[] = [];
    const ours: ScheduleResult[] = [];
    const reconcile: number[] = [];
    const bareCheck: number[] = [];
    let checkedKeys = 0;
    for (let r = 0; r < o.scheduleRounds; r++) {
      bare.push(await scheduleBare(admin, own(`sched-bare-${r}`), deadlines));
      const p = own(`sched-ours-${r}`);
      const timer = new BullmqTimer(admin, p, () => systemClock.now());
      const services = createServices(cfg, { db: tdb.db, clock: systemClock, timer });
      try {
        ours.push(await scheduleOurs(admin, timer, p, deadlines));
        // The reconciler when nothing is missing: every open deadline's jobs checked for existence.
        const t0 = process.hrtime.bigint();
        const report = await services.firing.reconcile();
        reconcile.push(seconds(t0));
        if (Object.values(report).some((x) => x !== 0)) log(`WARNING: reconcile did something: ${JSON.stringify(report)}`);
        const check = await bareExistenceCheck(tdb.db, admin, p);
        bareCheck.push(check.seconds);
        checkedKeys = check.keys;
        if (check.present !== check.keys) log(`WARNING: bare check found ${check.present} of ${check.keys} timers`);
      } finally {
        await timer.close();
        await services.notifier.close();
        await dropPrefix(admin, p);
      }
      const b = bare[r]!;
      const u = ours[r]!;
      log(
        `schedule round ${r + 1}: bare ${count(b.jobs)} jobs ${b.seconds.toFixed(2)} s; ours ${count(u.jobs)} jobs ${u.seconds.toFixed(2)} s; ` +
          `reconcile ${reconcile[r]!.toFixed(2)} s, bare check ${bareCheck[r]!.toFixed(2)} s`,
      );
    }

    const ourJobs = ours[0]!.jobs;
    const oursJobRate = median(ours.map((x) => x.jobs / x.seconds));
    const oursDeadlineRate = median(ours.map((x) => n / x.seconds));
    const bareRate = median(bare.map((x) => x.jobs / x.seconds));
    const oursMem = median(ours.map((x) => x.usedMemory / n));
    const bareMem = median(bare.map((x) => x.usedMemory / n));
    const oursJobBytes = median(ours.map((x) => x.own.bytes / x.jobs));
    const bareJobBytes = median(bare.map((x) => x.own.bytes / x.jobs));
    const rounds = (k: number) => (k > 1 ? `, median of ${k} rounds` : '');
    const rows: BenchRow[] = [
      {
        name: `schedule ${count(n)} open deadlines, timers/s (ours: ${count(ourJobs)} timer-index entries, the next moment of each; bare: 1 delayed job each${rounds(o.scheduleRounds)})`,
        ours: fmtRate(oursJobRate),
        baseline: fmtRate(bareRate),
        ratio: ratio(oursJobRate, bareRate),
      },
      { name: `schedule ${count(n)} open deadlines, deadlines/s`, ours: fmtRate(oursDeadlineRate), baseline: fmtRate(bareRate), ratio: ratio(oursDeadlineRate, bareRate), target: '≥ 0.8' },
      { name: 'Redis per deadline (INFO used_memory Δ / deadlines)', ours: fmtBytes(oursMem), baseline: fmtBytes(bareMem), ratio: ratio(oursMem, bareMem), target: '≤ 1.5' },
      { name: 'Redis per timer (MEMORY USAGE of own keys / timers; bare: / jobs)', ours: fmtBytes(oursJobBytes), baseline: fmtBytes(bareJobBytes), ratio: ratio(oursJobBytes, bareJobBytes) },
      {
        name: `reconcile(), nothing missing: ${count(checkedKeys)} timers checked (bare: 1 query + ZMSCORE of 10,000)`,
        ours: `${median(reconcile).toFixed(2)} s`,
        baseline: `${median(bareCheck).toFixed(2)} s`,
        ratio: ratio(median(reconcile), median(bareCheck)),
      },
    ];

    // ---- 2. Firing lag: o.fired deadlines due uniformly in a window, no warnings. ----------------------------------
    const step = o.windowMs / Math.max(1, o.fired - 1);
    // Our scheduling of the window's deadlines must end before the first is due: allow twice the bare rate's time.
    const schedulingMs = (o.fired / bareRate) * 2000;
    const bareLags: number[] = [];
    const ourLags: number[] = [];
    const bareDrain: number[] = [];
    const oursDrain: number[] = [];
    let failed = 0;
    let duplicates = 0;
    for (let r = 0; r < o.fireRounds; r++) {
      const b = await fireBare(redisUrl, admin, own(`fire-bare-${r}`), o, step, log);
      const u = await fireOurs(redisUrl, admin, own(`fire-ours-${r}`), tdb, cfg, caseIds, `fire${r}`, o, step, schedulingMs, log);
      bareLags.push(...b.lags);
      ourLags.push(...u.lags);
      bareDrain.push(b.drainMs);
      oursDrain.push(u.drainMs);
      failed += u.failed;
      duplicates += u.duplicates;
      log(`fire round ${r + 1}: bare last handled ${b.drainMs} ms after the window; ours ${u.drainMs} ms (${u.failed} failed attempts or drain errors)`);
    }
    bareLags.sort((a, b) => a - b);
    ourLags.sort((a, b) => a - b);
    const label = `firing lag, ${count(o.fired)} due in ${o.windowMs / 1000} s (ours: drainer every ${cfg.TIMER_POLL_MS} ms, ≤ ${count(TIMER_BATCH)} a batch; bare: worker concurrency ${o.concurrency}), Redis hz ${hz}${o.fireRounds > 1 ? `, ${o.fireRounds} rounds pooled` : ''}`;
    for (const [p, name] of [
      [0.5, 'p50'],
      [0.99, 'p99'],
      [1, 'max'],
    ] as const) {
      const a = percentile(ourLags, p);
      const b = percentile(bareLags, p);
      rows.push({ name: `${label}: ${name} (dueAt → alert row; bare: → processor)`, ours: fmtMs(a), baseline: fmtMs(b), ratio: ratio(a, b, 1), ...(name === 'p99' ? { target: 'ours ≤ 1 s' } : {}) });
    }
    const worst = (xs: number[]) => Math.max(...xs);
    rows.push({
      name: `firing: last deadline handled, after the end of the window (backlog${o.fireRounds > 1 ? `, worst of ${o.fireRounds} rounds` : ''})`,
      ours: fmtMs(worst(oursDrain)),
      baseline: fmtMs(worst(bareDrain)),
      ratio: ratio(worst(oursDrain), worst(bareDrain), 1),
      target: 'ours ≤ 2 s',
    });
    const expected = o.fired * o.fireRounds;
    rows.push({
      name: 'firing: alerts of expected (duplicates; failed job attempts or drain errors)',
      ours: `${count(ourLags.length)}/${count(expected)} (${duplicates}; ${failed})`,
      baseline: `${count(bareLags.length)}/${count(expected)}`,
      ratio: '–',
      target: 'all, 0 duplicates',
    });
    return rows;
  } finally {
    for (const p of used) await dropPrefix(admin, p).catch(() => undefined);
    admin.disconnect();
    await tdb.drop();
  }
}
