import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { guardedPool } from '../../db/database';
import type { Principal } from '../../src/auth/principal';
import { parseConfig } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices } from '../../src/services';
import { systemClock } from '../../src/shared/clock';
import { meldingBody } from '../support/test-app';
import { registerMeldingSchema } from '../../src/cases/case.schemas';
import type { BenchDatabase } from './bench-database';

export interface BenchRow {
  name: string;
  ours: string;
  baseline: string;
  ratio: string;
  /** The target for the ratio, printed beside it. */
  target?: string;
}

/** The statements `op` sends to PostgreSQL, counted at pg's Client (BEGIN and COMMIT included; reads after the commit too). */
async function statementsOf(op: () => Promise<void>): Promise<number> {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return query.apply(this, args);
  };
  try {
    await op();
  } finally {
    proto.query = query;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs `total` ops on `concurrency` workers; worker w only touches cases w, w + concurrency, … so none collide. */
async function runConcurrent(total: number, concurrency: number, op: (caseIndex: number, i: number) => Promise<void>, cases: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const perWorker = Math.floor(cases / concurrency);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let k = 0; next < total; k++) await op(w + (k % perWorker) * concurrency, next++);
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Transitions per second through the engine (lock, version check, restore, pure transition, snapshot, history,
 * deadline policy, next-due refresh) against a bare SQL transaction doing the same writes, in the same run.
 */
export async function benchTransitions(
  createDatabase: (poolSize: number) => Promise<BenchDatabase>,
  options: { cases: number; perRound: number; rounds: number; concurrency: number },
): Promise<BenchRow[]> {
  const tdb = await createDatabase(options.concurrency + 2);
  const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00', DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' });
  await syncRegion(tdb.db, cfg.region);
  const { engine, workflow } = createServices(cfg, { db: tdb.db, clock: systemClock });
  const alice: Principal = { sub: 'alice', role: 'medewerker', teams: ['bench'], gemeente: null };
  const pool = guardedPool(tdb.url, options.concurrency + 2, {});

  try {
    const body = registerMeldingSchema(cfg.region).parse(meldingBody({ receivedAt: undefined, teamId: 'bench' }));
    const ids: string[] = [];
    for (let i = 0; i < options.cases; i++) ids.push((await engine.registerMelding(alice, body)).id);
    // Each worker owns its cases, so contention is on the pool, not on one row (that is what the 409 test covers).
    const versions = new Map(ids.map((id) => [id, 1]));

    const ours = async (c: number, i: number) => {
      const id = ids[c]!;
      const v = versions.get(id)!;
      versions.set(id, v + 1);
      await engine.applyCommand(alice, id, { type: 'NOTE_ADDED', expectedVersion: v, text: `note ${i}` });
    };

    const bare = async (c: number, i: number) => {
      const id = ids[c]!;
      versions.set(id, versions.get(id)! + 1);
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ version: number; snapshot: unknown; state: string }>('select version, snapshot, state from cases where id = $1 for update', [id]);
        const row = rows[0]!;
        await client.query('update cases set version = $2, snapshot = $3, updated_at = now() where id = $1 and version = $4', [id, row.version + 1, JSON.stringify(row.snapshot), row.version]);
        await client.query(
          `insert into case_events (id, case_id, seq, type, actor_id, actor_role, at, from_state, to_state, payload)
           values ($1, $2, (select coalesce(max(seq), 0) + 1 from case_events where case_id = $2), 'NOTE_ADDED', 'alice', 'medewerker', now(), $3, $3, $4)`,
          [randomUUID(), id, row.state, JSON.stringify({ text: `note ${i}` })],
        );
        await client.query(`update cases set next_due_at = (select min(due_at) from deadlines where case_id = $1 and status in ('open','breached')) where id = $1`, [id]);
        // One audit row, as the baseline counts it (unchained: the bare floor of recording a change).
        await client.query(
          `insert into audit_log (at, actor_id, actor_role, actor_teams, action, case_id, case_team, detail, break_glass, row_hash)
           values (now(), 'alice', 'medewerker', '{bench}', 'case.event', $1, 'bench', 'NOTE_ADDED', false, $2)`,
          [id, '0'.repeat(64)],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    };

    const statements = { ours: await statementsOf(() => ours(0, 0)), bare: await statementsOf(() => bare(0, 0)) };

    const engineRates: number[] = [];
    const bareRates: number[] = [];
    const engineSerial: number[] = [];
    const bareSerial: number[] = [];
    // Warm up both paths, then interleave rounds so machine noise hits both alike.
    await runConcurrent(200, options.concurrency, ours, ids.length);
    await runConcurrent(200, options.concurrency, bare, ids.length);
    for (let r = 0; r < options.rounds; r++) {
      engineRates.push(await runConcurrent(options.perRound, options.concurrency, ours, ids.length));
      bareRates.push(await runConcurrent(options.perRound, options.concurrency, bare, ids.length));
      engineSerial.push(await runConcurrent(options.perRound / 4, 1, ours, ids.length));
      bareSerial.push(await runConcurrent(options.perRound / 4, 1, bare, ids.length));
    }

    // The pure step alone: restore snapshot → transition → persisted form, against a JSON round trip of the snapshot.
    const sample = (await tdb.db.selectFrom('cases').select('snapshot').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).snapshot;
    const event = { type: 'NOTE_ADDED' as const, text: 'x', eventId: 'e', at: new Date().toISOString(), actor: { id: 'alice', role: 'medewerker' as const } };
    const n = 20_000;
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) workflow.step(sample, event);
    const stepMicros = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) JSON.parse(JSON.stringify(sample));
    const jsonMicros = Number(process.hrtime.bigint() - t0) / 1e3 / n;

    const fmt = (x: number) => `${x.toFixed(0)} /s`;
    return [
      {
        name: `transition, ${options.concurrency} concurrent (engine vs bare SQL tx: case, history, next due, audit row)`,
        ours: fmt(median(engineRates)),
        baseline: fmt(median(bareRates)),
        ratio: (median(engineRates) / median(bareRates)).toFixed(2),
        target: '≥ 0.8',
      },
      { name: 'transition, 1 at a time', ours: fmt(median(engineSerial)), baseline: fmt(median(bareSerial)), ratio: (median(engineSerial) / median(bareSerial)).toFixed(2) },
      { name: 'statements per transition (BEGIN and COMMIT included)', ours: String(statements.ours), baseline: String(statements.bare), ratio: (statements.ours / statements.bare).toFixed(2) },
      { name: 'pure machine step vs JSON round trip of the snapshot', ours: `${stepMicros.toFixed(1)} µs`, baseline: `${jsonMicros.toFixed(1)} µs`, ratio: (stepMicros / jsonMicros).toFixed(1) },
    ];
  } finally {
    await pool.end();
    await tdb.drop();
  }
}
