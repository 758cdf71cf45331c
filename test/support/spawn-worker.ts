import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_JWT_SECRET } from './test-app';
import { TEST_REDIS_URL } from './test-env';

const ROOT = resolve(__dirname, '../..');

/** One pino log line of a spawned worker (non-JSON output is kept as `{ msg: <raw line> }`). */
export interface WorkerLogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface SpawnedWorker {
  /** The pid of the worker (one node process with tsx's hooks loaded in it); it leads a process group of its own. */
  pid: number;
  /**
   * Signals the whole process group, so nothing the worker started outlives a SIGKILL.
   */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code of the worker (null when it was killed by a signal). */
  exited: Promise<number | null>;
  /** The signal that ended the worker, once it has exited by one. */
  exitSignal(): NodeJS.Signals | null;
  /** Every stdout line so far, parsed. */
  stdout: WorkerLogLine[];
  stderr: string[];
  /** Resolves with the first line (past or future) that matches; rejects after timeoutMs or when the process exits. */
  waitForLog(match: (line: WorkerLogLine) => boolean, timeoutMs?: number): Promise<WorkerLogLine>;
}

export interface SpawnWorkerOptions {
  /** The test stack's database and queue prefix. */
  databaseUrl: string;
  prefix: string;
  /** Extra or overriding environment (e.g. DEADLINE_ACUTE_MINUTES). */
  env?: Record<string, string>;
  /** How long to wait for 'boot reconcile done'; tsx needs a few seconds to start. */
  bootTimeoutMs?: number;
  /** `api` runs `--role api` and is ready once it listens (set PORT in env); default `worker`. */
  role?: 'worker' | 'api';
  /** Another Redis than the tests' shared one (the fault suite runs its own). */
  redisUrl?: string;
}

const spawned = new Set<SpawnedWorker>();

/** Kills (SIGKILL, whole process group) every worker spawned by this module that has not exited; for afterAll. */
export async function killAllWorkers(): Promise<void> {
  const all = [...spawned];
  for (const w of all) w.kill('SIGKILL');
  await Promise.all(all.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 5_000).unref())])));
}

/**
 * Starts `node --import tsx src/main.ts --role worker` (or `--role api`) as a child process against the given database and
 * queue prefix and resolves once it has logged 'boot reconcile done' (an API: once it listens).
 */
export async function spawnWorker(o: SpawnWorkerOptions): Promise<SpawnedWorker> {
  const env: Record<string, string> = {
    // Only what the process needs: nothing of the test runner's own environment (DATABASE_URL, NODE_OPTIONS, …) leaks in.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    NODE_ENV: 'test',
    DATABASE_URL: o.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: o.redisUrl ?? TEST_REDIS_URL,
    REDIS_PREFIX: o.prefix,
    // A killed worker's job is retried by another worker after the lock duration: keep it short.
    WORKER_LOCK_DURATION_MS: '1000',
    // The periodic reconciler (a safety net that fires whatever is past due) is pushed out to 10 minutes, so what the
    // tests check is done by the BullMQ jobs themselves and not masked by the reconciler. (The boot reconcile still runs.)
    RECONCILE_INTERVAL_MS: '600000',
    LOG_LEVEL: 'info',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...o.env,
  };
  const role = o.role ?? 'worker';
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child and relays signals with a 30 ms hand-shake,
  // which on a loaded machine (and on Node 24) gives up and SIGKILLs the worker mid-shutdown (exit 143).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error('could not spawn the worker process');
  const pid = child.pid;

  const stdout: WorkerLogLine[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ match: (l: WorkerLogLine) => boolean; resolve: (l: WorkerLogLine) => void }>();
  createInterface({ input: child.stdout }).on('line', (raw) => {
    let line: WorkerLogLine;
    try {
      const parsed: unknown = JSON.parse(raw);
      line = parsed !== null && typeof parsed === 'object' ? (parsed as WorkerLogLine) : { msg: raw };
    } catch {
      line = { msg: raw };
    }
    stdout.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr }).on('line', (raw) => stderr.push(raw));

  let done = false;
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolveExit) => {
    child.on('exit', (code, sig) => {
      done = true;
      signal = sig;
      resolveExit(code);
    });
  });

  const worker: SpawnedWorker = {
    pid,
    kill: (sig) => {
      if (done) return;
      try {
        process.kill(-pid, sig);
      } catch {
        // The group is already gone.
      }
    },
    exited,
    exitSignal: () => signal,
    stdout,
    stderr,
    waitForLog: (match, timeoutMs = 30_000) => {
      const seen = stdout.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<WorkerLogLine>((resolveLine, reject) => {
        const waiter = {
          match,
          resolve: (l: WorkerLogLine) => {
            clearTimeout(timer);
            resolveLine(l);
          },
        };
        const fail = (why: string) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`worker ${pid}: ${why}\nstdout:\n${stdout.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr.join('\n')}`));
        };
        const timer = setTimeout(() => fail(`no matching log line within ${timeoutMs} ms`), timeoutMs);
        waiters.add(waiter);
        void exited.then((code) => {
          if (waiters.has(waiter)) fail(`exited (code ${code}, signal ${signal}) before a matching log line`);
        });
      });
    },
  };
  spawned.add(worker);
  void exited.then(() => spawned.delete(worker));

  try {
    const ready = role === 'api' ? (l: WorkerLogLine) => typeof l.msg === 'string' && l.msg.startsWith('Server listening') : (l: WorkerLogLine) => l.msg === 'boot reconcile done';
    await worker.waitForLog(ready, o.bootTimeoutMs ?? 30_000);
  } catch (error) {
    worker.kill('SIGKILL');
    throw error;
  }
  return worker;
}
