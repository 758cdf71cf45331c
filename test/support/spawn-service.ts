import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_JWT_SECRET } from './test-app';

export const REPO_ROOT = resolve(__dirname, '../..');

/** Compiles the production build (`npm run build`: tsc -p tsconfig.build.json → dist/) with the Node the tests run on. */
export async function buildDist(): Promise<void> {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
}

export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface RunningService {
  pid: number;
  /** Where the API listens (http://127.0.0.1:port); empty for the worker role. */
  baseUrl: string;
  lines: LogLine[];
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/**
 * Starts the compiled service exactly as the image does (`node dist/src/main.js [--role …]`), on port 0, with only the
 * given environment (nothing of the test runner's leaks in), and resolves once it has logged `ready`.
 */
export async function spawnService(o: {
  args?: string[];
  env: Record<string, string>;
  ready: (line: LogLine) => boolean;
  timeoutMs?: number;
  /** What node runs: the compiled entry by default; `['--import', 'tsx', 'src/main.ts']` is `npm start`. */
  entry?: string[];
}): Promise<RunningService> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...o.env,
  };
  const child = spawn(process.execPath, [...(o.entry ?? ['dist/src/main.js']), ...(o.args ?? [])], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn node dist/src/main.js');
  const lines: LogLine[] = [];
  let raw = '';
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    raw += d.toString();
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const text of parts.filter(Boolean)) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      for (const w of waiters.filter((x) => x.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (raw += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 60_000) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolveLine, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${raw}`)), timeoutMs);
      waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolveLine(l)) });
      void exited.then(({ code, signal }) => (clearTimeout(timer), reject(new Error(`the service exited (${code ?? signal}) first; output:\n${raw}`))));
    });
  };
  const service: RunningService = {
    pid: child.pid,
    baseUrl: '',
    lines,
    output: () => raw,
    exited,
    kill: (signal) => void child.kill(signal),
    waitForLog,
  };
  try {
    await waitForLog(o.ready, o.timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const listening = lines.map((l) => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(l.msg ?? '')?.[1]).find(Boolean);
  return { ...service, baseUrl: listening ?? '' };
}
