import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { Client } from 'pg';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { spawnWorker, type SpawnedWorker } from '../support/spawn-worker';
import { meldingBody, testToken } from '../support/test-app';
import { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from '../support/test-env';
import type { BenchDatabase } from './bench-database';
import type { BenchRow } from './transitions.bench';

const run = promisify(execFile);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name: state is the 3rd, utime the 14th and stime the 15th (clock ticks, 100 a second).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

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
 * The SQL writes of one transition (the bare transaction of test/bench/transitions.bench.ts: lock the case, write its
 * version and snapshot back, a history row, the next-due refresh, one unchained audit row) as a pgbench script, run by
 * pgbench itself on the bench's own database (the real schema: its triggers and indexes) against the cases registered
 * through HTTP. Each client keeps to cases of its own (client c: cases c, c + clients, …), as each HTTP connection
 * does, so no two transactions wait on one row. What the schema costs without any Node in the way.
 */
const TRANSITION_SCRIPT = String.raw`\set n 1 + :client_id + :clients * random(0, :per - 1)
begin;
select c.id as case_id, c.version as v, c.snapshot as snap, c.state as st from cases c join bench_case_ids b on b.id = c.id where b.n = :n for update of c \gset
update cases set version = :v + 1, snapshot = :snap, updated_at = now() where id = :case_id and version = :v;
insert into case_events (id, case_id, seq, type, actor_id, actor_role, at, from_state, to_state, payload) values (gen_random_uuid(), :case_id, (select coalesce(max(seq), 0) + 1 from case_events where case_id = :case_id), 'NOTE_ADDED', 'alice', 'medewerker', now(), :st, :st, jsonb_build_object('text', 'note ' || (:n)::text));
update cases set next_due_at = (select min(due_at) from deadlines where case_id = :case_id and status in ('open','breached')) where id = :case_id;
insert into audit_log (at, actor_id, actor_role, actor_teams, action, case_id, case_team, detail, break_glass, row_hash) values (now(), 'alice', 'medewerker', '{team-zwolle}', 'case.event', :case_id, 'team-zwolle', 'NOTE_ADDED', false, repeat('0', 64));
commit;
`;

/** Transactions per second, and the CPU seconds its PostgreSQL backends used a transaction (sampled every 250 ms: a little under). */
async function pgbenchTransitionTps(url: string, caseIds: string[], clients: number, seconds: number): Promise<{ tps: number; pgCpuPerTransaction: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const cpuOf = new Map<number, number>();
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = sampling.then(async () => {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      for (const { pid } of rows) cpuOf.set(pid, Math.max(cpuOf.get(pid) ?? 0, cpuSeconds(pid) ?? 0));
    });
  }, 250);
  try {
    await client.query('create table bench_case_ids (n int primary key, id uuid not null)');
    await client.query('insert into bench_case_ids (n, id) select ord, id from unnest($1::uuid[]) with ordinality as t(id, ord)', [caseIds]);
    await client.query('analyze bench_case_ids');
    const script = join(dir, 'transition.sql');
    writeFileSync(script, TRANSITION_SCRIPT);
    // Prepared statements, as node-postgres's parameters are: the snapshot goes back as a bound value, not spliced text.
    const { stdout } = await run(
      pgbenchBinary(),
      ['-n', '-M', 'prepared', '-f', script, '-D', `clients=${clients}`, '-D', `per=${Math.floor(caseIds.length / clients)}`, '-c', String(clients), '-j', '2', '-T', String(seconds), url],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const match = /tps = ([\d.]+)/.exec(stdout);
    if (!match) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const failed = /number of failed transactions: (\d+)/.exec(stdout);
    if (failed && Number(failed[1]) > 0) throw new Error(`pgbench: transactions failed:\n${stdout}`);
    const transactions = /number of transactions actually processed: (\d+)/.exec(stdout);
    clearInterval(sampler);
    await sampling;
    const pgCpuSeconds = [...cpuOf.values()].reduce((a, b) => a + b, 0);
    return { tps: Number(match[1]), pgCpuPerTransaction: transactions ? pgCpuSeconds / Number(transactions[1]) : NaN };
  } finally {
    clearInterval(sampler);
    await sampling.catch(() => undefined);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole request path: autocannon against `POST /v1/cases/:id/events` (a note, each connection on cases of its
 * own, its expectedVersion followed from the answers) on the running service (`--role api`, its own process), beside
 * two SQL levels in the same run, with the same number of clients: pgbench with the transition's writes on this
 * database (what the schema allows) and `pgbench -N` (the baseline). It prints the CPU each request cost in
 * the API process and in its PostgreSQL backends, figures the machine's other load disturbs less than the rates.
 */
export async function benchHttp(createDatabase: (poolSize: number) => Promise<BenchDatabase>, o: { connections: number; seconds: number; casesPerConnection: number }): Promise<BenchRow[]> {
  const tdb = await createDatabase(4);
  const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' });
  await syncRegion(tdb.db, cfg.region);
  // BENCH_CPU_PROF_DIR=<dir>: the API process writes a V8 CPU profile there when it stops (right after the load).
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  let api: SpawnedWorker | undefined;
  try {
    const port = await freePort();
    api = await spawnWorker({
      role: 'api',
      databaseUrl: tdb.url,
      prefix: `bench-http-${randomUUID().slice(0, 8)}`,
      redisUrl: TEST_REDIS_URL,
      env: {
        PORT: String(port),
        DATABASE_POOL_SIZE: String(o.connections + 2),
        RATE_LIMIT_MAX: '10000000',
        ...(profileDir || process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: [profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : '', process.env.BENCH_API_NODE_OPTIONS ?? ''].join(' ').trim() } : {}),
      },
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
    // The PostgreSQL backends of this database and their CPU: those open now from here, and any the pool opens during
    // the load (counted whole: they start inside it).
    const backendsNow = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(tdb.db)).rows.map((r) => r.pid);
    const pgBefore = new Map((await backendsNow()).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
    const cpuBefore = cpuSeconds(api.pid);
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
    const cpuAfter = cpuSeconds(api.pid);
    const pgUsed = (await backendsNow()).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0) - (pgBefore.get(pid) ?? 0), 0);
    // The service stops before the SQL baselines run: they get the cores to themselves, as the HTTP path had.
    api.kill('SIGTERM');
    await api.exited;
    api = undefined;
    const ok = result['2xx'];
    const httpRate = ok / o.seconds;
    const non2xx = result.non2xx;
    // The API process's own CPU per answered request: what the Node side costs, whatever else the machine is doing.
    const cpuPerRequest = cpuBefore !== null && cpuAfter !== null && ok > 0 ? `; API CPU ${(((cpuAfter - cpuBefore) * 1000) / ok).toFixed(2)} ms and its PostgreSQL backends ${((pgUsed * 1000) / ok).toFixed(2)} ms a request` : '';
    const { tps: transitionTps, pgCpuPerTransaction } = await pgbenchTransitionTps(tdb.url, cases.map((c) => c.id), o.connections, o.seconds);
    const tps = await pgbenchTps(o.connections, o.seconds);
    return [
      {
        name: `POST /v1/cases/:id/events through HTTP, ${o.connections} connections, ${o.seconds} s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${non2xx} not 2xx${cpuPerRequest}) vs pgbench -N, ${o.connections} clients`,
        ours: `${httpRate.toFixed(0)} /s`,
        baseline: `${tps.toFixed(0)} tps`,
        ratio: (httpRate / tps).toFixed(2),
        target: '≥ 0.25',
      },
      {
        name: `pgbench -f (one transition's SQL writes: lock, case, history, next due, audit row; real schema; PostgreSQL CPU ${(pgCpuPerTransaction * 1000).toFixed(2)} ms a transaction), ${o.connections} clients vs pgbench -N`,
        ours: `${transitionTps.toFixed(0)} tps`,
        baseline: `${tps.toFixed(0)} tps`,
        ratio: (transitionTps / tps).toFixed(2),
        // No target of its own: the ceiling any implementation of these writes on this schema meets.
        target: '–',
      },
      {
        name: `POST /v1/cases/:id/events through HTTP vs pgbench -f with the transition's writes (what Node and the engine add)`,
        ours: `${httpRate.toFixed(0)} /s`,
        baseline: `${transitionTps.toFixed(0)} tps`,
        ratio: (httpRate / transitionTps).toFixed(2),
        // What the HTTP path must reach against this ceiling for the 0.25 × pgbench -N.
        target: `≥ ${((0.25 * tps) / transitionTps).toFixed(2)}`,
      },
    ];
  } finally {
    api?.kill('SIGTERM');
    await api?.exited;
    await tdb.drop();
  }
}
