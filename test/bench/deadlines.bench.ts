import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Database } from '../../db/database';
import type { DeadlineRow } from '../../db/schema';
import { parseConfig, type Config } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices, jobHandlers, type Services } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { BullmqTimer } from '../../workers/bullmq-timer';
import { compactUuid } from '../../workers/job-catalogue';
import { TIMER_BATCH } from '../../workers/timer-drainer';
import { startWorkers } from '../../workers/worker-runtime';
import { MELDING_MACHINE_VERSION } from '../../workflows/melding/melding.machine';
import type { BenchDatabase } from './bench-database';
import type { BenchRow } from './transitions.bench';

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

type Timed = Pick<DeadlineRow, 'id' | 'status' | 'due_at' | 'warn_at' | 'warned_at'>;

const TEAM = 'bench';
const GEMEENTE = 'GM0193';
const CHUNK = 1000; // BullmqTimer adds in chunks of 1000; the bare baseline uses the same chunk size.
const DAY = 24 * 3600 * 1000;
const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

// ---------------------------------------------------------------------------------------------------------------
// Redis helpers: this Redis is shared, so only keys under our own prefixes are ever touched.

async function redisInfo(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

/** used_memory once lazily freed objects (UNLINK of an earlier prefix) are gone, so they do not blur a delta. */
async function settledUsedMemory(redis: Redis): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await redisInfo(redis, 'memory');
    if (Number(info.lazyfree_pending_objects ?? 0) === 0) return Number(info.used_memory);
    await sleep(100);
  }
  return Number((await redisInfo(redis, 'memory')).used_memory);
}

async function* scanPrefix(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** SCAN + UNLINK of `${prefix}:*` only; never FLUSHALL/FLUSHDB (other people use this Redis). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanPrefix(redis, prefix)) await redis.unlink(...keys);
}

/** Exact bytes of our own keys (MEMORY USAGE … SAMPLES 0), immune to what others do on the shared Redis. */
async function ownKeyBytes(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  for await (const batch of scanPrefix(redis, prefix)) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [, n] of (await pipeline.exec()) ?? []) bytes += Number(n ?? 0);
    keys += batch.length;
  }
  return { keys, bytes };
}

// ---------------------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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

/** Cases for the foreign key: a real melding snapshot, team 'bench', gemeente GM0193. */
export async function insertCases(db: Database, services: Services, n: number): Promise<string[]> {
  await db.insertInto('teams').values({ id: TEAM, name: 'Bench' }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const now = new Date();
  const ids = Array.from({ length: n }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 500) {
    const rows = ids.slice(i, i + 500).map((id) => {
      const snapshot = services.workflow.start({ caseId: id, receivedAt: now.toISOString(), acuteDanger: false, melderReachable: true, persons: [] });
      return {
        id,
        team_id: TEAM,
        gemeente: GEMEENTE,
        state: snapshot.state,
        version: 1,
        machine_version: MELDING_MACHINE_VERSION,
        snapshot: JSON.stringify(snapshot),
        received_at: now,
        registered_at: now,
        registered_by: 'bench',
        acute_danger: false,
        violence_types: ['bench'],
        melder_professional: false,
        melder_sector: null,
        re_report: false,
        safety: null,
        decision_code: null,
        summary: 'bench',
        next_due_at: null,
        closed_at: null,
        updated_at: now,
        advies_id: null,
      };
    });
    // snapshot is a JSONColumnType: Kysely takes the serialised form on insert.
    await db.insertInto('cases').values(rows).execute();
  }
  return ids;
}

/**
 * `n` open deadlines spread over the cases, keyed `${tag}-i`: due at dueFrom + i·stepMs, warning at
 * due + warnOffsetMs (negative: before the end; positive: after it, so no warning job).
 */
export async function insertDeadlines(db: Database, caseIds: string[], tag: string, n: number, dueFrom: Date, stepMs: number, warnOffsetMs: number): Promise<void> {
  await sql`
    insert into deadlines (id, case_id, kind, key, rule, status, opened_at, due_at, original_due_at, warn_at)
    select gen_random_uuid(), (${caseIds}::uuid[])[1 + g % ${caseIds.length}], 'veiligheidsbeoordeling', ${tag} || '-' || g, 'bench', 'open', now(), d.due, d.due,
           d.due + ${warnOffsetMs}::double precision * interval '1 millisecond'
    from generate_series(0, ${n - 1}::int) g,
         lateral (select ${dueFrom}::timestamptz + (g * ${stepMs}::double precision) * interval '1 millisecond' as due) d`.execute(db);
}

async function timedDeadlines(db: Database, tag: string): Promise<Timed[]> {
  return db.selectFrom('deadlines').select(['id', 'status', 'due_at', 'warn_at', 'warned_at']).where('key', 'like', `${tag}-%`).orderBy('due_at').execute();
}

// ---------------------------------------------------------------------------------------------------------------

type Log = (msg: string) => void;

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

/** Bare BullMQ firing: `n` delayed jobs due from `from`, `step` ms apart; a bare Worker records Date.now() − dueAt. */
async function fireBare(redisUrl: string, admin: Redis, prefix: string, o: DeadlineBenchOptions, step: number, log: Log): Promise<{ lags: number[]; drainMs: number }> {
  const lags: number[] = [];
  const queue = new Queue('deadlines', { connection: admin, prefix });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  let last = 0;
  const worker = new Worker(
    'deadlines',
    async (job: Job<{ dueAt: number }>) => {
      last = Date.now();
      lags.push(last - job.data.dueAt);
      if (lags.length === o.fired) done();
    },
    { connection, prefix, concurrency: o.concurrency },
  );
  let giveUp: NodeJS.Timeout | undefined;
  try {
    await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
    const from = Date.now() + o.leadMs;
    for (let i = 0; i < o.fired; i += CHUNK) {
      const now = Date.now();
      const jobs = [];
      for (let k = i; k < Math.min(o.fired, i + CHUNK); k++) {
        const dueAt = Math.round(from + k * step);
        jobs.push({ name: 'deadline-breach', data: { dueAt }, opts: { delay: Math.max(0, dueAt - now) } });
      }
      await queue.addBulk(jobs);
    }
    if (Date.now() > from) log('WARNING: bare scheduling ran past the first dueAt');
    const timeout = new Promise<'timeout'>((resolve) => (giveUp = setTimeout(() => resolve('timeout'), o.leadMs + o.windowMs + o.drainTimeoutMs)));
    if ((await Promise.race([all, timeout])) === 'timeout') log(`WARNING: bare worker processed only ${lags.length} of ${o.fired}`);
    return { lags, drainMs: last - (from + o.windowMs) };
  } finally {
    clearTimeout(giveUp);
    await worker.close(true);
    await connection.quit().catch(() => undefined);
    await queue.close();
    await dropPrefix(admin, prefix);
  }
}

/** Ours: deadline rows, BullmqTimer.syncDeadlines, startWorkers with the real handlers and the timer drainer; lag = alert.created_at − due_at. */
async function fireOurs(
  redisUrl: string,
  admin: Redis,
  prefix: string,
  tdb: BenchDatabase,
  cfg: Config,
  caseIds: string[],
  tag: string,
  o: DeadlineBenchOptions,
  step: number,
  schedulingMs: number,
  log: Log,
): Promise<{ lags: number[]; drainMs: number; failed: number; duplicates: number }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const timer = new BullmqTimer(redis, prefix, () => systemClock.now());
  const services = createServices(cfg, { db: tdb.db, clock: systemClock, timer });
  let failed = 0;
  const runtime = startWorkers({
    connection: redis,
    prefix,
    handlers: jobHandlers(services, tdb.db, systemClock),
    concurrency: o.concurrency,
    logger: { ...silentLogger, warn: () => void failed++, error: () => void failed++ },
    timers: { timer, fireDue: (ids) => services.firing.fireDue(ids), now: () => systemClock.now(), pollMs: cfg.TIMER_POLL_MS, batch: TIMER_BATCH },
  });
  try {
    await Promise.all([...runtime.workers.map((w) => w.waitUntilReady()), timer.deadlines.waitUntilReady(), timer.notifications.waitUntilReady()]);
    // Room for inserting the rows and scheduling them, so the first dueAt is still ≈ leadMs after that is done.
    const from = Date.now() + o.leadMs + Math.ceil(schedulingMs);
    await insertDeadlines(tdb.db, caseIds, tag, o.fired, new Date(from), step, DAY);
    const deadlines = await timedDeadlines(tdb.db, tag);
    await timer.syncDeadlines(deadlines);
    if (Date.now() > from) log(`WARNING: our scheduling ran past the first dueAt by ${Date.now() - from} ms`);
    const giveUpAt = from + o.windowMs + o.drainTimeoutMs;
    const countAlerts = async () =>
      Number(
        (
          await tdb.db
            .selectFrom('alerts')
            .innerJoin('deadlines', 'deadlines.id', 'alerts.deadline_id')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('alerts.level', '=', 'breach')
            .where('deadlines.key', 'like', `${tag}-%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    let alerts = 0;
    while ((alerts = await countAlerts()) < o.fired && Date.now() < giveUpAt) await sleep(200);
    if (alerts < o.fired) log(`WARNING: only ${alerts} of ${o.fired} alerts ${o.drainTimeoutMs} ms after the window`);
    const result = await sql<{ lag_ms: number; created_at: Date }>`
      select extract(epoch from (a.created_at - a.due_at)) * 1000 as lag_ms, a.created_at
      from alerts a join deadlines d on d.id = a.deadline_id
      where a.level = 'breach' and d.key like ${`${tag}-%`}`.execute(tdb.db);
    const lastAlert = Math.max(...result.rows.map((r) => r.created_at.getTime()));
    const dup = await sql<{ n: string }>`
      select count(*) - count(distinct (a.deadline_id, a.level)) as n from alerts a join deadlines d on d.id = a.deadline_id where d.key like ${`${tag}-%`}`.execute(tdb.db);
    return { lags: result.rows.map((r) => Number(r.lag_ms)), drainMs: lastAlert - (from + o.windowMs), failed, duplicates: Number(dup.rows[0]?.n ?? 0) };
  } finally {
    await runtime.close(5_000);
    await timer.close();
    await services.notifier.close();
    await redis.quit().catch(() => undefined);
    await dropPrefix(admin, prefix);
  }
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
