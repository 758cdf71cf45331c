import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL cluster and a redis-server of the fault suite's own, on free loopback ports in a temporary directory,
 * so that it can terminate backends, restart PostgreSQL immediately and flush or restart Redis without touching the
 * services other tests share. Both are real servers; everything is removed afterwards.
 */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: CI runs as root, so the server runs as the `postgres` OS user there. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:PORT/DB */
  url(database: string): string;
  port: number;
  /** `pg_ctl restart -m immediate`: every backend killed at once, crash recovery at start (what a failover looks like). */
  restartImmediate(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'vt-faults-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const data = join(dir, 'data');
  const port = await freePort();
  const pgctl = (...args: string[]) => run(...asPostgres(join(PG_BIN, 'pg_ctl'), args), { timeout: 60_000 });
  await run(...asPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']), { timeout: 60_000 });
  // Durability is not under test here (an immediate restart still runs crash recovery); fsync off keeps it fast.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  await pgctl('-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start');
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restartImmediate: async () => {
      await pgctl('-D', data, '-o', options, '-l', join(dir, 'server.log'), '-m', 'immediate', '-w', 'restart');
    },
    stop: async () => {
      await pgctl('-D', data, '-m', 'immediate', 'stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnRedis {
  url: string;
  /** Stops the server (its data is gone: no RDB, no AOF) and starts a fresh one on the same port after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'vt-faults-redis-'));
  const port = await freePort();
  let server: ChildProcess | null = null;
  const start = async () => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--hz', '100', '--maxmemory-policy', 'noeviction'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  };
  const kill = async () => {
    const child = server;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async (downMs) => {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
