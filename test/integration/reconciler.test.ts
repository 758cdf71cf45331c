/**
 * The reconciler is the safety net behind BullMQ: after a Redis flush it re-creates every missing timer, and it
 * handles what is past due with no timer at all. Runs on Redis logical database 7, and "flushes" by deleting every
 * key of the stack's own queue prefix (SCAN + DEL), which is what FLUSHALL does to this queue without touching the
 * queues of test files running in parallel.
 */
import type { AlertRow } from '../../db/schema';
import { OffsetClock } from '../support/clocks';
import { jobIds } from '../../workers/job-catalogue';
import { nextMoment } from '../../src/deadlines/deadline-timer';
import { timerAt } from '../support/timer-index';
import { meldingBody } from '../support/test-app';
import { TEST_REDIS_URL } from '../support/test-env';
import { startTestStack, type TestStack } from '../support/test-stack';
import { pause, until } from '../support/poll';
import { termAlerts } from '../support/term-alerts';

const TUESDAY_10 = new Date('2026-11-24T10:00:00+01:00');
const ACUTE_MINUTES = 0.1; // 6 s
const ESCALATION_MINUTES = 0.05; // 3 s of office time
const REDIS_DB7 = (() => {
  const u = new URL(TEST_REDIS_URL);
  u.pathname = '/7';
  return u.toString();
})();

/** Deletes every key of the stack's queues: a Redis flush as this queue sees it. Returns how many keys went. */
async function wipeQueueKeys(s: TestStack): Promise<number> {
  const redis = s.redis!;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${s.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function queueKeyCount(s: TestStack): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await s.redis!.scan(cursor, 'MATCH', `${s.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

interface DeadlineView {
  id: string;
  kind: string;
  status: string;
  dueAt: string;
  warnAt: string;
}
interface CaseView {
  id: string;
  deadlines: DeadlineView[];
}

const acuteOf = (c: CaseView): DeadlineView => c.deadlines.find((d) => d.kind === 'acuut')!;

/** The alerts a term's timers raise; the immediate `acute` alert an acute melding raises at registration is not one. */
const alertsOfDeadlines = (s: TestStack, ids: string[]): Promise<AlertRow[]> => termAlerts(s.db, { deadlineIds: ids });

const countBy = (rows: AlertRow[], level: string) => {
  const m = new Map<string, number>();
  for (const a of rows) if (a.level === level) m.set(a.deadline_id, (m.get(a.deadline_id) ?? 0) + 1);
  return m;
};

const stackEnv = { REDIS_URL: REDIS_DB7, DEADLINE_ACUTE_MINUTES: String(ACUTE_MINUTES), ESCALATION_WORKING_MINUTES: String(ESCALATION_MINUTES) };

async function register(s: TestStack, overrides: Record<string, unknown>): Promise<CaseView> {
  const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
  const res = await s.request('POST', '/v1/meldingen', alice, meldingBody(overrides));
  if (res.statusCode !== 201) throw new Error(`registration answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

describe('reconciler after a Redis flush, deadlines in the future (BullMQ, workers running)', () => {
  const clock = new OffsetClock(TUESDAY_10);
  let s: TestStack;

  beforeAll(async () => {
    s = await startTestStack({ clock, env: stackEnv });
    s.startWorkers({ lockDurationMs: 1_000 });
  });
  afterAll(async () => s.close());

  it('the stack honours env REDIS_URL: its queues live in Redis database 7', () => {
    expect(s.config.REDIS_URL).toBe(REDIS_DB7);
    expect(s.redis!.options.db).toBe(7);
  });

  it('re-creates every wiped timer; each breach then fires once at its dueAt, and wiped escalation timers come back too', async () => {
    const cases: CaseView[] = [];
    for (let i = 0; i < 5; i++) cases.push(await register(s, { acuteDanger: true, receivedAt: undefined }));
    const acute = cases.map(acuteOf);
    const assessments = cases.map((c) => c.deadlines.find((d) => d.kind === 'veiligheidsbeoordeling')!);
    // One timer per deadline in the timer index, for its next moment (read from its row): the assessments' warnings
    // (their breach comes once the warning is handled), the acute terms' breaches once a worker handled their warning.
    const expectedAt = async (id: string) => {
      const d = await s.db.selectFrom('deadlines').select(['status', 'due_at', 'warn_at', 'warned_at']).where('id', '=', id).executeTakeFirstOrThrow();
      return nextMoment(d)?.getTime() ?? null;
    };
    const timers = async () => Promise.all([...acute, ...assessments].map(async (d) => ({ at: await timerAt(s, d.id), expected: await expectedAt(d.id) })));

    for (const t of await until(timers, (ts) => ts.every((t) => t.at !== null && t.at === t.expected), 10_000)) expect(t.at).toBe(t.expected);
    for (const d of assessments) expect(await timerAt(s, d.id)).toBe(new Date(d.warnAt).getTime());
    const earliestDue = Math.min(...acute.map((d) => new Date(d.dueAt).getTime()));

    // The flush.
    expect(await wipeQueueKeys(s)).toBeGreaterThan(0);
    expect(await queueKeyCount(s)).toBe(0);
    for (const t of await timers()) expect(t.at).toBeNull();
    expect(clock.now().getTime()).toBeLessThan(earliestDue); // the wipe came before anything was due

    const report = await s.services.firing.reconcile();
    expect(report.breaches).toBe(0);
    // At least the five acute breach timers and the five assessment warnings.
    expect(report.timersRestored).toBeGreaterThanOrEqual(10);
    for (const t of await timers()) expect(t.at).toBe(t.expected);
    for (const d of assessments) expect(await timerAt(s, d.id)).toBe(new Date(d.warnAt).getTime());
    expect(await s.redis!.zcard(s.timer!.timerKey)).toBeGreaterThanOrEqual(10);
    // Restoring is idempotent.
    expect((await s.services.firing.reconcile()).timersRestored).toBe(0);

    // With only the workers (no reconcile loop), every acute deadline breaches once, at its dueAt.
    const ids = acute.map((d) => d.id);
    const rows = await until(() => alertsOfDeadlines(s, ids), (r) => countBy(r, 'breach').size === ids.length, 15_000);
    const breaches = countBy(rows, 'breach');
    expect([...breaches.values()]).toEqual([1, 1, 1, 1, 1]);
    for (const d of acute) {
      const a = rows.find((r) => r.deadline_id === d.id && r.level === 'breach')!;
      expect(a.created_at.getTime()).toBeGreaterThanOrEqual(new Date(d.dueAt).getTime());
      expect(a.created_at.getTime() - new Date(d.dueAt).getTime()).toBeLessThan(2_000);
    }
    const statuses = await s.db.selectFrom('deadlines').select('status').where('id', 'in', ids).execute();
    expect(statuses.map((r) => r.status)).toEqual(['breached', 'breached', 'breached', 'breached', 'breached']);

    // A second flush, now that escalation timers are pending: they come back and fire once each.
    const breachAlerts = rows.filter((r) => r.level === 'breach');
    const firstEscalateAt = Math.min(...breachAlerts.map((a) => a.escalate_at!.getTime()));
    await wipeQueueKeys(s);
    expect(clock.now().getTime()).toBeLessThan(firstEscalateAt);
    for (const a of breachAlerts) expect(await s.timer!.deadlines.getJob(jobIds.escalate(a.id))).toBeUndefined();
    const second = await s.services.firing.reconcile();
    expect(second.timersRestored).toBeGreaterThanOrEqual(breachAlerts.length);
    for (const a of breachAlerts) expect(await s.timer!.deadlines.getJob(jobIds.escalate(a.id))).toBeDefined();
    const after = await until(() => alertsOfDeadlines(s, ids), (r) => countBy(r, 'escalation').size === ids.length, 15_000);
    expect([...countBy(after, 'escalation').values()]).toEqual([1, 1, 1, 1, 1]);

    // Nothing fires twice: wait a little past the last moment and count again.
    await pause(1_000);
    const final = await alertsOfDeadlines(s, ids);
    expect([...countBy(final, 'breach').values()]).toEqual([1, 1, 1, 1, 1]);
    expect([...countBy(final, 'escalation').values()]).toEqual([1, 1, 1, 1, 1]);
  }, 60_000);
});

describe('reconciler with deadlines already past due and no job at all (wiped before any worker ran)', () => {
  const clock = new OffsetClock(TUESDAY_10);
  let s: TestStack;

  beforeAll(async () => {
    s = await startTestStack({ clock, env: stackEnv });
  });
  afterAll(async () => s.close());

  it('reconcile() breaches them directly, once; a second reconcile() creates nothing new', async () => {
    const tenMinutesAgo = new Date(clock.now().getTime() - 10 * 60_000).toISOString();
    const acuteCases: CaseView[] = [];
    for (let i = 0; i < 3; i++) acuteCases.push(await register(s, { acuteDanger: true, receivedAt: tenMinutesAgo }));
    // Received Tuesday 10 Nov: the 5-werkdagen assessment ended Tuesday 17 Nov.
    const lateCases: CaseView[] = [];
    for (let i = 0; i < 2; i++) lateCases.push(await register(s, { acuteDanger: false, receivedAt: '2026-11-10T10:00:00+01:00' }));
    const pastDue = [...acuteCases.map(acuteOf), ...lateCases.map((c) => c.deadlines.find((d) => d.kind === 'veiligheidsbeoordeling')!)];
    for (const d of pastDue) expect(new Date(d.dueAt).getTime()).toBeLessThan(clock.now().getTime());
    const ids = pastDue.map((d) => d.id);

    expect(await wipeQueueKeys(s)).toBeGreaterThan(0);
    expect(await alertsOfDeadlines(s, ids)).toEqual([]);

    const first = await s.services.firing.reconcile();
    expect(first.breaches).toBe(pastDue.length);
    expect(first.timersRestored).toBeGreaterThan(0); // the acute cases' assessment deadlines are still ahead
    const rows = await alertsOfDeadlines(s, ids);
    expect([...countBy(rows, 'breach').entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    expect(rows.filter((r) => r.level !== 'breach')).toEqual([]);
    const statuses = await s.db.selectFrom('deadlines').select(['id', 'status', 'breached_at']).where('id', 'in', ids).execute();
    for (const d of statuses) {
      expect(d.status).toBe('breached');
      expect(d.breached_at).not.toBeNull();
    }
    // The breach alerts have escalation timers (scheduled when raised).
    for (const a of rows) expect(await s.timer!.deadlines.getJob(jobIds.escalate(a.id))).toBeDefined();

    const allBefore = await s.db.selectFrom('alerts').select('id').execute();
    const second = await s.services.firing.reconcile();
    expect(second).toEqual({ warnings: 0, breaches: 0, escalations: 0, deliveries: 0, timersRestored: 0 });
    expect(await s.db.selectFrom('alerts').select('id').execute()).toEqual(allBefore);

    // The team's teamleider sees them through the API.
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const items = (await s.request('GET', '/v1/alerts?level=breach', tom)).json().items as Array<{ caseId: string }>;
    // Each acute melding raised its immediate alert at registration, once.
    const immediate = (await s.request('GET', '/v1/alerts?level=acute', tom)).json().items as Array<{ caseId: string }>;
    expect(immediate.map((a) => a.caseId).sort()).toEqual(acuteCases.map((c) => c.id).sort());
    expect(items.map((a) => a.caseId).sort()).toEqual([...acuteCases, ...lateCases].map((c) => c.id).sort());
  }, 30_000);

  it('several reconcilers at once (boot plus the scheduler on two workers) still breach each deadline once', async () => {
    const lateCases: CaseView[] = [];
    for (let i = 0; i < 4; i++) lateCases.push(await register(s, { acuteDanger: false, receivedAt: '2026-11-09T10:00:00+01:00' }));
    const ids = lateCases.map((c) => c.deadlines.find((d) => d.kind === 'veiligheidsbeoordeling')!.id);
    await wipeQueueKeys(s);
    const reports = await Promise.all([s.services.firing.reconcile(), s.services.firing.reconcile(), s.services.firing.reconcile()]);
    expect(reports.every((r) => r.breaches <= ids.length)).toBe(true);
    const rows = await alertsOfDeadlines(s, ids);
    expect([...countBy(rows, 'breach').entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    expect((await s.services.firing.reconcile()).breaches).toBe(0);
  }, 30_000);
});
