/**
 * The deadline timer index's drainer (workers/timer-drainer.ts) on real Redis and PostgreSQL: several drainers at once
 * fire each due deadline exactly once and move each timer to its next moment; an adjustment written while a drain is
 * in flight is not overwritten; a database error, or a case held by another transaction, leaves the timers in place
 * for the next poll. The clock is a ManualClock: what is due is what the test says.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool } from 'pg';
import type { DB } from '../../db/schema';
import { createServices, type Services } from '../../src/services';
import type { DueFiring } from '../../src/deadlines/deadline-firing.service';
import { BullmqTimer } from '../../workers/bullmq-timer';
import { startTimerDrainer, type TimerDrainer } from '../../workers/timer-drainer';
import { ManualClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { pause, until } from '../support/poll';
import { timerAt } from '../support/timer-index';

const TUESDAY_10 = new Date('2026-11-24T10:00:00+01:00');
const MINUTE = 60_000;
type DrainLog = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
const quiet: DrainLog = { warn: () => undefined, error: () => undefined };

describe('timer drainer (BullMQ mode, drainers started by the test)', () => {
  const clock = new ManualClock(TUESDAY_10);
  let s: TestStack;
  let caseIds: string[];
  const drainers: TimerDrainer[] = [];
  const extraTimers: BullmqTimer[] = [];
  const extraServices: Services[] = [];

  /** A drainer as a worker process runs it: its own timer (Redis connection shared) and its own services. */
  function drainer(
    o: { services?: Services; fireDue?: (ids: string[]) => Promise<DueFiring>; afterFire?: (ids: string[], result: DueFiring) => Promise<void> | void; log?: DrainLog; pollMs?: number } = {},
  ): TimerDrainer {
    const timer = new BullmqTimer(s.redis!, s.prefix, () => clock.now());
    extraTimers.push(timer);
    const services = o.services ?? createServices(s.config, { db: s.db, clock, timer });
    if (!o.services) extraServices.push(services);
    const fireDue =
      o.fireDue ??
      (async (ids: string[]) => {
        const result = await services.firing.fireDue(ids);
        await o.afterFire?.(ids, result);
        return result;
      });
    const d = startTimerDrainer({ timer, fireDue, now: () => clock.now(), pollMs: o.pollMs ?? 50, batch: 37, log: o.log ?? quiet });
    drainers.push(d);
    return d;
  }

  /** `n` open deadlines of the registered cases (distinct keys), due `dueInMs` from now, warning `warnInMs` from now. */
  async function deadlines(tag: string, n: number, warnInMs: number, dueInMs: number): Promise<string[]> {
    const now = clock.now();
    const rows = await sql<{ id: string }>`
      insert into deadlines (id, case_id, kind, key, rule, status, opened_at, due_at, original_due_at, warn_at)
      select gen_random_uuid(), (${caseIds}::uuid[])[1 + g % ${caseIds.length}], 'veiligheidsbeoordeling', ${tag} || '-' || g, 'test', 'open', ${now},
             ${new Date(now.getTime() + dueInMs)}, ${new Date(now.getTime() + dueInMs)}, ${new Date(now.getTime() + warnInMs)}
      from generate_series(0, ${n - 1}::int) g
      returning id`.execute(s.db);
    const ids = rows.rows.map((r) => r.id);
    await s.timer!.syncDeadlines(await s.db.selectFrom('deadlines').select(['id', 'status', 'due_at', 'warn_at', 'warned_at']).where('id', 'in', ids).execute());
    return ids;
  }

  const alertCounts = async (ids: string[]) => {
    const rows = await s.db.selectFrom('alerts').select(['deadline_id', 'level']).where('deadline_id', 'in', ids).execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(`${r.deadline_id}/${r.level}`, (counts.get(`${r.deadline_id}/${r.level}`) ?? 0) + 1);
    return counts;
  };

  beforeAll(async () => {
    s = await startTestStack({ clock });
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    caseIds = [];
    for (let i = 0; i < 4; i++) {
      const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: clock.now().toISOString() }));
      expect(res.statusCode).toBe(201);
      caseIds.push(res.json<{ id: string }>().id);
    }
  });
  afterEach(async () => {
    for (const d of drainers.splice(0)) await d.stop();
  });
  afterAll(async () => {
    for (const t of extraTimers) await t.close();
    for (const x of extraServices) await x.notifier.close();
    await s.close();
  });

  it('three drainers at once fire each due warning and breach exactly once, and move every timer to its next moment', async () => {
    const warnings = await deadlines('warn', 120, -MINUTE, 60 * MINUTE); // warning due, end ahead
    const breaches = await deadlines('breach', 120, -2 * MINUTE, -MINUTE); // past the end (the breach closes the warning)
    const later = await deadlines('later', 20, 30 * MINUTE, 60 * MINUTE); // nothing due yet
    expect(await s.redis!.zcard(s.timer!.timerKey)).toBeGreaterThanOrEqual(260);
    drainer();
    drainer();
    drainer();
    await until(() => alertCounts([...warnings, ...breaches]), (c) => c.size === warnings.length + breaches.length, 30_000, 50);
    await until(() => s.timer!.dueTimers(clock.now(), 1_000), (due) => due.length === 0, 10_000, 50);
    await pause(300); // room for a duplicate to show

    const counts = await alertCounts([...warnings, ...breaches, ...later]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const id of warnings) expect(counts.get(`${id}/warning`)).toBe(1);
    for (const id of breaches) expect([counts.get(`${id}/breach`), counts.get(`${id}/warning`)]).toEqual([1, undefined]);
    expect([...counts.keys()].filter((k) => later.some((id) => k.startsWith(id)))).toEqual([]);
    // A warned deadline waits for its breach; a breached one has no timer left; one not yet due is untouched.
    const now = clock.now().getTime();
    for (const id of warnings) expect(await timerAt(s, id)).toBe(now + 60 * MINUTE);
    for (const id of breaches) expect(await timerAt(s, id)).toBeNull();
    for (const id of later) expect(await timerAt(s, id)).toBe(now + 30 * MINUTE);

    // The warned deadlines' end comes: their breaches fire once each, and their timers leave the index.
    clock.advance(61 * MINUTE);
    await until(() => alertCounts(warnings), (c) => [...c.keys()].filter((k) => k.endsWith('/breach')).length === warnings.length, 30_000, 50);
    await until(async () => Promise.all(warnings.map((id) => timerAt(s, id))), (ats) => ats.every((at) => at === null), 10_000, 50);
    expect([...(await alertCounts(warnings)).values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('an adjustment written while a drain is in flight is not overwritten by that drain', async () => {
    const [id] = await deadlines('adjust', 1, -MINUTE, 60 * MINUTE);
    const moved = { warn: new Date(clock.now().getTime() + 3 * 60 * MINUTE), due: new Date(clock.now().getTime() + 4 * 60 * MINUTE) };
    let adjusted = false;
    // The adjustment commits, and its timer is written, after the drain has fired the warning and read the row again.
    drainer({
      afterFire: async (ids) => {
        if (!adjusted && ids.includes(id!)) {
          adjusted = true;
          const row = await s.db.updateTable('deadlines').set({ due_at: moved.due, warn_at: moved.warn, warned_at: null }).where('id', '=', id!).returning(['id', 'status', 'due_at', 'warn_at', 'warned_at']).executeTakeFirstOrThrow();
          await s.timer!.syncDeadlines([row]);
        }
      },
    });
    await until(async () => adjusted, Boolean, 10_000, 20);
    await pause(300); // several more polls: none of them may touch the adjusted timer
    expect((await alertCounts([id!])).get(`${id}/warning`)).toBe(1);
    // Without the adjustment the drain would have moved the timer to the old end; it is at the adjusted warning.
    expect(await timerAt(s, id!)).toBe(moved.warn.getTime());
  }, 30_000);

  it('a database error leaves every due timer for the next poll (logged once), and a drainer that can reach it fires them', async () => {
    const ids = await deadlines('dbdown', 30, -2 * MINUTE, -MINUTE);
    const before = await Promise.all(ids.map((id) => timerAt(s, id)));
    // A real connection failure: the same services on a pool whose server does not listen.
    const unreachable = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 500 }) }) });
    const timer = new BullmqTimer(s.redis!, s.prefix, () => clock.now());
    extraTimers.push(timer);
    const broken = createServices(s.config, { db: unreachable, clock, timer });
    extraServices.push(broken);
    const errors: string[] = [];
    let polls = 0;
    const down = drainer({
      services: broken,
      fireDue: async (x) => {
        polls += 1;
        return broken.firing.fireDue(x);
      },
      log: { warn: () => undefined, error: (_obj, msg) => void errors.push(msg) },
    });
    await until(async () => polls, (n) => n >= 3, 10_000, 20);
    await down.stop();
    await unreachable.destroy();
    expect(errors).toEqual(['timer drain failed; retrying every poll']);
    expect(await Promise.all(ids.map((id) => timerAt(s, id)))).toEqual(before);
    expect(await alertCounts(ids)).toEqual(new Map());

    drainer();
    await until(() => alertCounts(ids), (c) => c.size === ids.length, 15_000, 50);
    await until(async () => Promise.all(ids.map((id) => timerAt(s, id))), (ats) => ats.every((at) => at === null), 10_000, 50);
  }, 30_000);

  it('a deadline whose case another transaction holds is skipped, its timer kept, and fired once the case is free', async () => {
    const [id] = await deadlines('held', 1, -2 * MINUTE, -MINUTE);
    const row = await s.db.selectFrom('deadlines').select('case_id').where('id', '=', id!).executeTakeFirstOrThrow();
    const holder = new Client({ connectionString: s.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [row.case_id]);
      const busy: boolean[] = [];
      drainer({
        afterFire: (ids, result) => {
          if (ids.includes(id!)) busy.push(result.busy.includes(id!));
        },
      });
      await until(async () => busy.length, (n) => n >= 3, 10_000, 20);
      expect(busy.every(Boolean)).toBe(true);
      expect(await alertCounts([id!])).toEqual(new Map());
      expect(await timerAt(s, id!)).not.toBeNull();
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    await until(() => alertCounts([id!]), (c) => c.get(`${id}/breach`) === 1, 10_000, 50);
    await until(() => timerAt(s, id!), (at) => at === null, 10_000, 50);
  }, 30_000);
});
