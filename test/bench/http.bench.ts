import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { spawnWorker, type SpawnedWorker } from '../support/spawn-worker';
import { meldingBody, testToken } from '../support/test-app';
import { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from '../support/test-env';
import type { BenchDatabase } from './bench-database';
import type { BenchRow } from './transitions.bench';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function pgbenchBinary(): string {
  for (const candidate of ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench']) if (existsSync(candidate)) return candidate;
  return 'pgbench';
}

/** `pgbench -N` (simple updates, no branch contention) with `clients` clients on a database of its own. */
async function pgbenchTps(clients: number, seconds: number): Promise<number> {
  const name = 'test_bench_pgbench';
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(TEST_DATABASE_URL, name);
  const bin = pgbenchBinary();
  try {
    await run(bin, ['-i', '-q', '-s', '10', url], { maxBuffer: 16 * 1024 * 1024 });
    const { stdout } = await run(bin, ['-N', '-c', String(clients), '-j', '2', '-T', String(seconds), url], { maxBuffer: 16 * 1024 * 1024 });
    const match = /tps = ([\d.]+)/.exec(stdout);
    if (!match) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return Number(match[1]);
  } finally {
    const again = new Client({ connectionString: TEST_DATABASE_URL });
    await again.connect();
    await again.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
    await again.end();
  }
}

/**
 * The whole request path: autocannon against `POST /v1/cases/:id/events` (a note, each connection on cases of its
 * own, its expectedVersion followed from the answers) on the running service (`--role api`, its own process), beside
 * `pgbench -N` with the same number of clients, in the same run.
 */
export async function benchHttp(createDatabase: (poolSize: number) => Promise<BenchDatabase>, o: { connections: number; seconds: number; casesPerConnection: number }): Promise<BenchRow[]> {
  const tdb = await createDatabase(4);
  const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' });
  await syncRegion(tdb.db, cfg.region);
  let api: SpawnedWorker | undefined;
  try {
    const port = await freePort();
    api = await spawnWorker({
      role: 'api',
      databaseUrl: tdb.url,
      prefix: `bench-http-${randomUUID().slice(0, 8)}`,
      redisUrl: TEST_REDIS_URL,
      env: { PORT: String(port), DATABASE_POOL_SIZE: String(o.connections + 2), RATE_LIMIT_MAX: '10000000' },
      bootTimeoutMs: 60_000,
    });
    const base = `http://127.0.0.1:${port}`;
    const token = `Bearer ${await testToken('alice', 'medewerker', { teams: ['team-zwolle'] })}`;
    const headers = { authorization: token, 'content-type': 'application/json' };
    const cases: Array<{ id: string; version: number }> = [];
    for (let i = 0; i < o.connections * o.casesPerConnection; i++) {
      const res = await fetch(`${base}/v1/meldingen`, { method: 'POST', headers, body: JSON.stringify(meldingBody({ receivedAt: undefined })) });
      if (res.status !== 201) throw new Error(`registering a bench case: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { id: string; version: number };
      cases.push({ id: body.id, version: body.version });
    }
    // A free list: a connection takes a case no other request is writing, and gives it back with its new version.
    const free = [...cases];
    let notes = 0;
    type Ctx = { current?: { id: string; version: number } };
    const result = await autocannon({
      url: base,
      connections: o.connections,
      duration: o.seconds,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (req, context: Ctx) => {
            const target = free.shift()!;
            context.current = target;
            return { ...req, path: `/v1/cases/${target.id}/events`, body: JSON.stringify({ type: 'NOTE_ADDED', expectedVersion: target.version, text: `bench ${notes++}` }) };
          },
          onResponse: (status, body, context: Ctx) => {
            const target = context.current;
            if (!target) return;
            if (status === 200) target.version = (JSON.parse(body) as { version: number }).version;
            free.push(target);
          },
        },
      ],
    });
    const ok = result['2xx'];
    const httpRate = ok / o.seconds;
    const non2xx = result.non2xx;
    const tps = await pgbenchTps(o.connections, o.seconds);
    return [
      {
        name: `POST /v1/cases/:id/events through HTTP, ${o.connections} connections, ${o.seconds} s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${non2xx} not 2xx) vs pgbench -N, ${o.connections} clients`,
        ours: `${httpRate.toFixed(0)} /s`,
        baseline: `${tps.toFixed(0)} tps`,
        ratio: (httpRate / tps).toFixed(2),
        target: '≥ 0.25',
      },
    ];
  } finally {
    api?.kill('SIGTERM');
    await api?.exited;
    await tdb.drop();
  }
}
