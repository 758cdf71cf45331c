/**
 * Fills a database with synthetic meldingen: generation in worker threads (or in this thread), bulk inserts in
 * batches of one transaction each, then the `waitlist_daily` history of the whole window.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '../../../db/database';
import { SyntheticMeldingen, type SyntheticRun, type SyntheticSettings } from '../synthetic-meldingen';
import { CopyLoader, ensureTeams, insertBatch, insertWaitlist, serializeBatch, type BatchFormat, type SerializedBatch } from './bulk-insert';
import { seedAdviezen } from './adviezen';
import { linkVervolgmeldingen } from './report-kinds';
import type { WaitlistCounts, WaitlistHistory } from './waitlist-history';

export interface SeedOptions {
  settings: SyntheticSettings;
  run: SyntheticRun;
  /** Cases per transaction. */
  batchSize: number;
  /** Worker threads generating cases; 0 generates in this thread (as under Jest, which cannot load TypeScript into a worker). */
  workers: number;
  /** Every n-th case is also checked step by step against the full machine (see SyntheticMeldingen). */
  verifyEvery?: number;
  /**
   * The PostgreSQL server behind `db`: batches are then loaded with COPY over a connection of their own. Without it
   * (the embedded database) they go in as multi-row INSERTs through `db`.
   */
  copyUrl?: string;
  /** With COPY as a superuser, skip foreign-key triggers during the load (default true). */
  skipTriggers?: boolean;
  onProgress?: (progress: { done: number; total: number; elapsedMs: number }) => void;
}

export interface SeedSummary {
  cases: number;
  persons: number;
  events: number;
  deadlines: number;
  waitlistRows: number;
  states: Record<string, number>;
  format: BatchFormat;
  triggersSkipped: boolean;
  elapsedMs: number;
  /** Cases per second over the cases phase (generation and insert), without the waiting-list history. */
  casesPerSecond: number;
}

export interface WorkerData {
  settings: SyntheticSettings;
  format: BatchFormat;
  run: Omit<SyntheticRun, 'now'>;
  nowMs: number;
  verifyEvery: number;
}

export type WorkerRequest = { id: number; kind: 'batch'; from: number; to: number } | { id: number; kind: 'finish' };
export type WorkerResponse = { id: number; batch: SerializedBatch } | { id: number; counts: WaitlistCounts } | { id: number; error: string };

export async function seedSyntheticMeldingen(db: Database, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const verifyEvery = options.verifyEvery ?? 100;
  const generator = new SyntheticMeldingen(options.settings, options.run, verifyEvery);
  const history = generator.waitlistHistory();
  const total = options.run.count;
  const batchSize = Math.max(1, Math.floor(options.batchSize));
  const ranges: Array<[number, number]> = [];
  for (let from = 0; from < total; from += batchSize) ranges.push([from, Math.min(total, from + batchSize)]);

  const format: BatchFormat = options.copyUrl ? 'copy' : 'json';
  const summary: SeedSummary = { cases: 0, persons: 0, events: 0, deadlines: 0, waitlistRows: 0, states: {}, format, triggersSkipped: false, elapsedMs: 0, casesPerSecond: 0 };

  await ensureTeams(db, generator.teamRows());
  const loader = options.copyUrl ? await CopyLoader.connect(options.copyUrl, { skipTriggers: options.skipTriggers ?? true }) : null;
  summary.triggersSkipped = loader?.triggersSkipped ?? false;
  const load = async (batch: SerializedBatch) => {
    if (loader) await loader.load(batch);
    else await insertBatch(db, batch);
    summary.cases += batch.cases;
    summary.persons += batch.persons;
    summary.events += batch.events;
    summary.deadlines += batch.deadlines;
    for (const [state, n] of Object.entries(batch.states)) summary.states[state] = (summary.states[state] ?? 0) + n;
    options.onProgress?.({ done: summary.cases, total, elapsedMs: performance.now() - started });
  };
  try {
    if (options.workers <= 0) await generateHere(generator, history, ranges, format, load);
    else {
      const data: WorkerData = { settings: options.settings, format, run: { seed: options.run.seed, count: total, years: options.run.years }, nowMs: options.run.now.getTime(), verifyEvery };
      await generateInWorkers(Math.floor(options.workers), data, history, ranges, load);
    }
  } finally {
    await loader?.close();
  }
  const casesDone = performance.now();

  await linkVervolgmeldingen(db);
  await seedAdviezen(db);
  const rows = history.rows();
  await insertWaitlist(db, rows);
  summary.waitlistRows = rows.length;
  summary.elapsedMs = performance.now() - started;
  summary.casesPerSecond = summary.cases / Math.max(0.001, (casesDone - started) / 1000);
  return summary;
}

type Load = (batch: SerializedBatch) => Promise<void>;

/** In this thread; the database works on one batch while the next is generated. */
async function generateHere(generator: SyntheticMeldingen, history: WaitlistHistory, ranges: Array<[number, number]>, format: BatchFormat, load: Load): Promise<void> {
  let loading: Promise<void> = Promise.resolve();
  for (const [from, to] of ranges) {
    const cases = [];
    for (let i = from; i < to; i++) {
      const c = generator.generate(i);
      history.add(c.timeline);
      cases.push(c);
    }
    const batch = serializeBatch(cases, format);
    await loading;
    loading = load(batch);
    loading.catch(() => undefined); // awaited on the next round or below
  }
  await loading;
}

/** Batches in order over a pool of worker threads; each has up to two queued so it never idles while this thread loads. */
async function generateInWorkers(workers: number, data: WorkerData, history: WaitlistHistory, ranges: Array<[number, number]>, load: Load): Promise<void> {
  const pool = Array.from({ length: workers }, () => new WorkerClient(data));
  try {
    const queue: Array<Promise<SerializedBatch>> = [];
    let next = 0;
    const launch = () => {
      const [from, to] = ranges[next]!;
      const request = pool[next % pool.length]!.call<SerializedBatch>({ kind: 'batch', from, to });
      request.catch(() => undefined); // awaited in order below
      queue.push(request);
      next++;
    };
    while (next < ranges.length && queue.length < pool.length * 2) launch();
    while (queue.length > 0) {
      const batch = await queue.shift()!;
      if (next < ranges.length) launch();
      await load(batch);
    }
    for (const counts of await Promise.all(pool.map((w) => w.call<WaitlistCounts>({ kind: 'finish' })))) history.merge(counts);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** A worker thread running generate.worker.ts, with request/response by id. */
class WorkerClient {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(data: WorkerData) {
    // Under tsx the worker is TypeScript: it registers tsx's CommonJS hooks before loading it (a worker's entry point
    // does not inherit the main thread's module hooks). From the compiled build (dist/) it is plain JavaScript.
    const compiled = __filename.endsWith('.js');
    const entry = join(__dirname, compiled ? 'generate.worker.js' : 'generate.worker.ts');
    this.worker = new Worker(`${compiled ? '' : "require('tsx/cjs'); "}require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData: data,
      // Generation makes many short-lived objects (xstate snapshots): a larger young generation halves GC time.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    this.worker.on('message', (response: WorkerResponse) => {
      const waiter = this.waiting.get(response.id);
      if (!waiter) return;
      this.waiting.delete(response.id);
      if ('error' in response) waiter.reject(new Error(`synthetic data worker: ${response.error}`));
      else waiter.resolve('batch' in response ? response.batch : response.counts);
    });
    this.worker.on('error', (error: unknown) => this.failAll(error instanceof Error ? error : new Error(String(error))));
    this.worker.on('exit', (code) => this.failAll(new Error(`synthetic data worker exited with code ${code}`)));
  }

  call<T>(request: Omit<Extract<WorkerRequest, { kind: 'batch' }>, 'id'> | { kind: 'finish' }): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
