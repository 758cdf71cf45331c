/**
 * Deadlines fire through BullMQ on real Redis and PostgreSQL: warning, breach at dueAt, escalation when the breach is
 * not acknowledged; met, acknowledged and extended deadlines stay quiet; concurrent firing alerts once per level.
 * Time: an OffsetClock on a Tuesday morning (office hours) and terms of seconds; never real minutes.
 */
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { AlertRow, DeadlineRow } from '../../db/schema';
import { OffsetClock } from '../support/clocks';
import { timerAt } from '../support/timer-index';
import { compactUuid, jobIds } from '../../workers/job-catalogue';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { until } from '../support/poll';
import { apiError } from '../support/api-error';
import { immediateAlerts, levelsOf, termAlertItems, termAlerts } from '../support/term-alerts';

const TUESDAY_10 = new Date('2026-11-24T10:00:00+01:00');
const ACUTE_MINUTES = 0.1; // 6 s: warning at 4.5 s
const ACUTE_MS = ACUTE_MINUTES * 60_000;
const ESCALATION_MINUTES = 0.05; // 3 s of office time
const ESCALATION_MS = ESCALATION_MINUTES * 60_000;

/** Waits until the (flowing) clock has passed `instant`. */
async function pastClock(clock: OffsetClock, instant: Date, marginMs: number): Promise<void> {
  await until(async () => clock.now().getTime(), (t) => t >= instant.getTime() + marginMs, 30_000, 50);
}

interface DeadlineView {
  id: string;
  kind: string;
  status: string;
  dueAt: string;
  originalDueAt: string;
  warnAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
}
interface CaseView {
  id: string;
  version: number;
  receivedAt: string;
  deadlines: DeadlineView[];
}

function acuteOf(c: CaseView): DeadlineView {
  const d = c.deadlines.find((x) => x.kind === 'acuut');
  if (!d) throw new Error(`case ${c.id} has no acute deadline: ${JSON.stringify(c.deadlines)}`);
  return d;
}

/**
 * The alerts the term raises (warning, breach, escalation). An acute melding also raises an immediate `acute` alert at
 * registration (docs/terms-and-quality.md, the acute path); that one is checked apart, in the first test.
 */
const alertsOfCase = (s: TestStack, caseId: string): Promise<AlertRow[]> => termAlerts(s.db, { caseId });
const immediateAlertsOfCase = (s: TestStack, caseId: string): Promise<AlertRow[]> => immediateAlerts(s.db, caseId);

const deadlineRow = async (s: TestStack, id: string): Promise<DeadlineRow> =>
  s.db.selectFrom('deadlines').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const levels = levelsOf;

function expectStatus(res: LightMyRequestResponse, status: number): void {
  if (res.statusCode !== status) throw new Error(`expected HTTP ${status}, got ${res.statusCode}: ${res.body}`);
}

describe('deadline firing with BullMQ workers (acute term 6 s, escalation after 3 s of office time)', () => {
  const clock = new OffsetClock(TUESDAY_10);
  let s: TestStack;
  let alice: string; // medewerker, team-zwolle
  let tom: string; // teamleider, team-zwolle
  let olga: string; // teamleider, team-deventer
  let mia: string; // manager

  beforeAll(async () => {
    s = await startTestStack({ clock, env: { DEADLINE_ACUTE_MINUTES: String(ACUTE_MINUTES), ESCALATION_WORKING_MINUTES: String(ESCALATION_MINUTES) } });
    s.startWorkers({ lockDurationMs: 1_000 });
    alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    olga = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    mia = await s.token('mia', 'manager');
  });
  afterAll(async () => s.close());

  async function registerAcute(): Promise<CaseView> {
    // No receivedAt: received now, so the acute term runs from this moment.
    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt: undefined }));
    expectStatus(res, 201);
    return res.json();
  }

  it('an unmet acute deadline gives a warning, a breach at dueAt, then an escalation, in that order, each to the right people', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    const dueAt = new Date(acute.dueAt);
    expect(dueAt.getTime() - new Date(c.receivedAt).getTime()).toBe(ACUTE_MS);
    // One timer per deadline in the timer index, for its next moment: the warning now, the breach once the warning
    // has been handled (the drainer moves it).
    const warnAt = new Date(acute.warnAt);
    expect(warnAt.getTime()).toBeLessThan(dueAt.getTime());
    expect(await timerAt(s, acute.id)).toBe(warnAt.getTime());
    await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'warning'), 10_000, 25);
    await until(() => timerAt(s, acute.id), (at) => at === dueAt.getTime(), 2_000, 25);

    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'escalation'), 15_000);
    expect(levels(rows)).toEqual(['warning', 'breach', 'escalation']);
    const [warning, breach, escalation] = rows as [AlertRow, AlertRow, AlertRow];
    // The teamleider heard of the acute melding at once, before any term alert.
    const immediate = await immediateAlertsOfCase(s, c.id);
    expect(immediate).toHaveLength(1);
    expect(immediate[0]!.created_at.getTime()).toBeLessThan(warning.created_at.getTime());
    expect(warning.created_at.getTime()).toBeLessThan(breach.created_at.getTime());
    expect(breach.created_at.getTime()).toBeLessThan(escalation.created_at.getTime());
    // The breach fires at dueAt, not before, and promptly (BullMQ lag is ~100 ms at Redis hz 10).
    expect(warning.created_at.getTime()).toBeLessThan(dueAt.getTime());
    expect(breach.created_at.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(breach.created_at.getTime() - dueAt.getTime()).toBeLessThan(2_000);
    // The escalation comes only after the escalation time (office time: inside office hours it is wall time).
    expect(breach.escalate_at).not.toBeNull();
    expect(breach.escalate_at!.getTime() - breach.created_at.getTime()).toBe(ESCALATION_MS);
    expect(escalation.created_at.getTime()).toBeGreaterThanOrEqual(breach.escalate_at!.getTime());
    expect(escalation.escalate_at).toBeNull();
    for (const a of rows) expect(a).toMatchObject({ deadline_id: acute.id, team_id: 'team-zwolle', deadline_kind: 'acuut', acknowledged_at: null });

    const d = await deadlineRow(s, acute.id);
    expect(d.status).toBe('breached');
    expect(d.warned_at).not.toBeNull();
    expect(d.breached_at).not.toBeNull();
    expect(d.warned_at!.getTime()).toBeLessThan(d.breached_at!.getTime());
    expect(d.breached_at!.getTime()).toBe(breach.created_at.getTime());

    // The team's teamleider sees all three, newest first.
    const forTom = termAlertItems((await s.request('GET', '/v1/alerts', tom)).json<{ items: Array<{ caseId: string; level: string; alertId: string }> }>().items, c.id);
    expect(levels(forTom)).toEqual(['escalation', 'breach', 'warning']);
    expect(forTom.map((a: { alertId: string }) => a.alertId)).toEqual([escalation.id, breach.id, warning.id]);
    // The manager gets the escalation.
    const forMia = (await s.request('GET', '/v1/alerts?level=escalation', mia)).json().items;
    expect(forMia).toEqual(expect.arrayContaining([expect.objectContaining({ alertId: escalation.id, level: 'escalation', caseId: c.id })]));
    // Another team's teamleider sees nothing of it.
    const forOlga = await s.request('GET', '/v1/alerts', olga);
    expectStatus(forOlga, 200);
    expect(forOlga.json().items).toEqual([]);
  }, 30_000);

  it("an acute term's warning comes at 75 % of the term, also for a fractional term (DEADLINE_ACUTE_MINUTES=0.1)", async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    const received = new Date(c.receivedAt).getTime();
    expect(new Date(acute.warnAt).getTime() - received).toBeGreaterThanOrEqual(0.75 * ACUTE_MS - 1);
    expect(new Date(acute.warnAt).getTime() - received).toBeLessThanOrEqual(0.75 * ACUTE_MS + 1);
    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'warning'), 10_000);
    const warning = rows.find((a) => a.level === 'warning');
    expect(warning).toBeDefined();
    expect(warning!.created_at.getTime() - received).toBeGreaterThanOrEqual(0.75 * ACUTE_MS);
  }, 20_000);

  it('an acute deadline met before it is due (after its warning) is never breached nor escalated', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    // Act once the warning moment has been handled, so no timer of this deadline runs at the same time.
    await until(() => deadlineRow(s, acute.id), (d) => d.warned_at !== null, 0.75 * ACUTE_MS + 3_000, 25);
    expect(clock.now().getTime()).toBeLessThan(new Date(acute.dueAt).getTime());
    const res = await s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ACUTE_ACTION_STARTED', expectedVersion: c.version, description: 'Politie en crisisdienst ingeschakeld' });
    expectStatus(res, 200);
    expect(acuteOf(res.json()).status).toBe('met');

    await pastClock(clock, new Date(acute.dueAt), 1_500);
    // A late job (or the reconciler) finds nothing to do.
    expect(await s.services.firing.breach(acute.id)).toBe('skipped');
    expect(levels(await alertsOfCase(s, c.id))).toEqual(['warning']);
    const d = await deadlineRow(s, acute.id);
    expect(d.status).toBe('met');
    expect(d.breached_at).toBeNull();
  }, 20_000);

  it('an acute deadline met right after receipt, before its warning moment, gives no term alert (only the immediate one)', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    // The premise: there is a moment before the warning. A warning due at receipt fires before anyone can act.
    expect(new Date(acute.warnAt).getTime()).toBeGreaterThan(new Date(c.receivedAt).getTime());
    const res = await s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ACUTE_ACTION_STARTED', expectedVersion: c.version, description: 'Politie ingeschakeld' });
    expectStatus(res, 200);
    await pastClock(clock, new Date(acute.dueAt), 1_500);
    expect(await alertsOfCase(s, c.id)).toEqual([]);
    expect((await s.request('GET', '/v1/alerts', tom)).json().items.filter((a: { caseId: string; level: string }) => a.caseId === c.id).map((a: { level: string }) => a.level)).toEqual(['acute']);
  }, 20_000);

  it('a breach acknowledged before the escalation moment does not escalate; the ack is in the case history; a second ack is 409', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'breach'), 10_000, 25);
    const breach = rows.find((a) => a.level === 'breach');
    expect(breach).toBeDefined();
    expect(clock.now().getTime()).toBeLessThan(breach!.escalate_at!.getTime()); // still in time to acknowledge

    const ack = await s.request('POST', `/v1/alerts/${breach!.id}/ack`, tom, { note: 'Opgepakt: crisisdienst is onderweg' });
    expectStatus(ack, 200);
    expect(ack.json()).toMatchObject({ alertId: breach!.id, level: 'breach', acknowledgedBy: 'tom' });
    expect(ack.json().acknowledgedAt).not.toBeNull();

    const again = await s.request('POST', `/v1/alerts/${breach!.id}/ack`, tom, { note: 'nogmaals' });
    expect(again.statusCode).toBe(409);
    expect(apiError(again.json())).toMatchObject({ code: 'ALERT.ALREADY_ACKNOWLEDGED' });

    // The escalation timer still fires, and does nothing.
    const job = await until(
      async () => {
        const j = await s.timer!.deadlines.getJob(jobIds.escalate(breach!.id));
        return j ? { state: await j.getState(), value: j.returnvalue as unknown } : undefined;
      },
      (j) => j?.state === 'completed',
      10_000,
    );
    expect(job).toEqual({ state: 'completed', value: 'skipped' });
    await pastClock(clock, breach!.escalate_at!, 500);
    expect(levels(await alertsOfCase(s, c.id)).filter((l) => l === 'escalation')).toEqual([]);
    const forMia = (await s.request('GET', '/v1/alerts?level=escalation', mia)).json().items;
    expect(forMia.filter((a: { caseId: string }) => a.caseId === c.id)).toEqual([]);

    const history = await s.request('GET', `/v1/cases/${c.id}/history`, tom);
    expectStatus(history, 200);
    const acks = history.json().items.filter((e: { type: string }) => e.type === 'ALERT_ACKNOWLEDGED');
    expect(acks).toEqual([
      expect.objectContaining({
        actor: { id: 'tom', role: 'teamleider' },
        payload: expect.objectContaining({ alertId: breach!.id, level: 'breach', deadlineKind: 'acuut', note: 'Opgepakt: crisisdienst is onderweg' }),
      }),
    ]);
    expect((await deadlineRow(s, acute.id)).status).toBe('breached');
  }, 30_000);

  it("another team's teamleider cannot acknowledge the alert, and a medewerker cannot acknowledge at all", async () => {
    const c = await registerAcute();
    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'breach'), 10_000, 25);
    const breach = rows.find((a) => a.level === 'breach')!;
    expect((await s.request('POST', `/v1/alerts/${breach.id}/ack`, olga, {})).statusCode).toBe(404);
    expect((await s.request('POST', `/v1/alerts/${breach.id}/ack`, alice, {})).statusCode).toBe(403);
    expect((await s.db.selectFrom('alerts').select('acknowledged_at').where('id', '=', breach.id).executeTakeFirstOrThrow()).acknowledged_at).toBeNull();
  }, 20_000);

  it('an extended deadline does not breach at its old due moment; a stale timer is a no-op; a medewerker may not extend', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    const oldDue = new Date(acute.dueAt);
    const body = { kind: 'verlenging', werkdagen: 2, reason: 'Politie vraagt uitstel (synthetisch)' };

    const denied = await s.request('POST', `/v1/deadlines/${acute.id}/adjustments`, alice, body);
    expect(denied.statusCode).toBe(403);
    expect((await deadlineRow(s, acute.id)).due_at.toISOString()).toBe(acute.dueAt);

    const res = await s.request('POST', `/v1/deadlines/${acute.id}/adjustments`, tom, body);
    expectStatus(res, 200);
    const moved = res.json();
    expect(moved).toMatchObject({ id: acute.id, status: 'open', originalDueAt: acute.dueAt });
    // Tuesday 24 Nov + 2 werkdagen = Thursday 26 Nov (the adjustment moves the end to the end of that werkdag).
    const cal = s.services.calendar;
    expect(cal.localDate(oldDue)).toBe('2026-11-24');
    expect(cal.localDate(new Date(moved.dueAt))).toBe(cal.addWerkdagen('2026-11-24', 2));
    expect(cal.localDate(new Date(moved.dueAt))).toBe('2026-11-26');
    expect(new Date(moved.dueAt).getTime()).toBeGreaterThan(oldDue.getTime() + 2 * 24 * 3600_000);

    // The adjustment moved the timer to the new next moment. A stale timer put back at the old moment (as a
    // reordered write could leave it) must fire nothing: the drainer reads the row and moves it forward again.
    const nextAt = Math.min(new Date(moved.warnAt).getTime(), new Date(moved.dueAt).getTime());
    expect(await timerAt(s, acute.id)).toBe(nextAt);
    await s.redis!.zadd(s.timer!.timerKey, oldDue.getTime(), compactUuid(acute.id));
    await pastClock(clock, oldDue, 0);
    await until(() => timerAt(s, acute.id), (at) => at === nextAt, 10_000, 25);
    await pastClock(clock, oldDue, 1_000);
    expect(await s.services.firing.breach(acute.id)).toBe('skipped');

    expect(levels(await alertsOfCase(s, c.id)).filter((l) => l !== 'warning')).toEqual([]);
    const after = acuteOf((await s.request('GET', `/v1/cases/${c.id}`, tom)).json());
    expect(after).toMatchObject({ status: 'open', dueAt: moved.dueAt, originalDueAt: acute.dueAt, breachedAt: null });
    const history = (await s.request('GET', `/v1/cases/${c.id}/history`, tom)).json().items;
    expect(history.filter((e: { type: string }) => e.type === 'DEADLINE_ADJUSTED')).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ deadlineId: acute.id, kind: 'verlenging', werkdagen: 2, dueBefore: acute.dueAt, dueAfter: moved.dueAt }) }),
    ]);
  }, 30_000);
});

describe('concurrent firing of one deadline (no workers; the clock jumps)', () => {
  const clock = new OffsetClock(TUESDAY_10);
  let s: TestStack;

  beforeAll(async () => {
    // Default terms: acute 240 min (warning at 180), escalation after 240 working minutes.
    s = await startTestStack({ clock });
  });
  afterAll(async () => s.close());

  it('10 concurrent warn() and breach() calls create exactly one alert per level; 10 concurrent escalate() one escalation', async () => {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt: undefined }));
    expectStatus(res, 201);
    const acute = acuteOf(res.json());
    const count = (outcomes: string[]) => outcomes.filter((o) => o === 'alerted').length;
    const byLevel = async () => levels(await termAlerts(s.db, { deadlineIds: [acute.id] }));
    const ten = <T>(fn: () => Promise<T>) => Array.from({ length: 10 }, fn);

    // Past the warning moment, before the end.
    clock.jump(181 * 60_000);
    const early = await Promise.all([...ten(() => s.services.firing.warn(acute.id)), ...ten(() => s.services.firing.breach(acute.id))]);
    expect(count(early.slice(0, 10))).toBe(1);
    expect(count(early.slice(10))).toBe(0);
    expect(await byLevel()).toEqual(['warning']);

    // Past the end: one breach, and no second warning.
    clock.jump(60 * 60_000);
    const due = await Promise.all([...ten(() => s.services.firing.breach(acute.id)), ...ten(() => s.services.firing.warn(acute.id))]);
    expect(count(due.slice(0, 10))).toBe(1);
    expect(count(due.slice(10))).toBe(0);
    expect(await byLevel()).toEqual(['warning', 'breach']);
    const breach = await s.db.selectFrom('alerts').selectAll().where('deadline_id', '=', acute.id).where('level', '=', 'breach').executeTakeFirstOrThrow();
    // Breached Tuesday 14:01: 2 h 59 min of office time left that day, the rest from Wednesday 08:00: 19 h later.
    expect(breach.escalate_at!.getTime() - breach.created_at.getTime()).toBe(19 * 3600_000);
    const d = await deadlineRow(s, acute.id);
    expect(d.status).toBe('breached');

    // Before the escalation moment nothing escalates; after it, exactly once.
    expect(count(await Promise.all(ten(() => s.services.firing.escalate(breach.id))))).toBe(0);
    clock.jump(19 * 3600_000 + 60_000);
    expect(count(await Promise.all(ten(() => s.services.firing.escalate(breach.id))))).toBe(1);
    expect(await byLevel()).toEqual(['warning', 'breach', 'escalation']);

    // The reconciler finds nothing left to do.
    const report = await s.services.firing.reconcile();
    expect(report).toMatchObject({ warnings: 0, breaches: 0, escalations: 0 });
    expect(await byLevel()).toEqual(['warning', 'breach', 'escalation']);
  }, 30_000);

  it('a case event that meets a deadline at the very moment it fires succeeds, and so does the firing (no deadlock)', async () => {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const failures: string[] = [];
    for (let i = 0; i < 8; i++) {
      // Even rounds: past due, the breach fires. Odd rounds: past the warning moment (180 of 240 min), the warning fires.
      const receivedAt = new Date(clock.now().getTime() - (i % 2 === 0 ? 300 : 200) * 60_000);
      const reg = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt: receivedAt.toISOString() }));
      expectStatus(reg, 201);
      const c: CaseView = reg.json();
      const acute = acuteOf(c);
      const fire = i % 2 === 0 ? () => s.services.firing.breach(acute.id) : () => s.services.firing.warn(acute.id);
      const [event, fired] = await Promise.allSettled([
        s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ACUTE_ACTION_STARTED', expectedVersion: c.version, description: 'Politie ingeschakeld' }),
        fire(),
      ]);
      if (event.status === 'rejected') failures.push(`round ${i}: event threw ${String(event.reason)}`);
      else if (event.value.statusCode !== 200) failures.push(`round ${i}: event answered ${event.value.statusCode} ${event.value.body}`);
      if (fired.status === 'rejected') failures.push(`round ${i}: ${i % 2 === 0 ? 'breach' : 'warn'}() threw ${String(fired.reason)}`);
      const d = await deadlineRow(s, acute.id);
      if (event.status === 'fulfilled' && event.value.statusCode === 200 && d.status !== 'met') failures.push(`round ${i}: deadline is ${d.status} after the event`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('fireAll fires many due deadlines in one statement, leaves a held case to the waiting path, and never alerts twice', async () => {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const receivedAt = new Date(clock.now().getTime() - 300 * 60_000).toISOString();
    const ids: string[] = [];
    const cases: string[] = [];
    for (let i = 0; i < 6; i++) {
      const reg = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt }));
      expectStatus(reg, 201);
      cases.push(reg.json<CaseView>().id);
      ids.push(acuteOf(reg.json()).id);
    }
    // Another transaction holds the first case (a change in flight): the batch must not wait for it.
    let pending: Promise<Map<string, string>> | undefined;
    let alertsWhileHeld = -1;
    await s.db.transaction().execute(async (trx) => {
      await trx.selectFrom('cases').select('id').where('id', '=', cases[0]!).forUpdate().execute();
      pending = s.services.firing.fireAll([...ids, ...ids], 'breach');
      // The other five are breached while the case is still held.
      await until(async () => (await termAlerts(s.db, { deadlineIds: ids.slice(1) })).length, (n) => n === 5, 10_000, 20);
      alertsWhileHeld = (await termAlerts(s.db, { deadlineIds: [ids[0]!] })).length;
    });
    expect(alertsWhileHeld).toBe(0);
    // The five came in one transaction (one statement), not one each.
    const { rows: tx } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from alerts where level = 'breach' and deadline_id = any(${ids.slice(1)}::uuid[])`.execute(s.db);
    expect(tx[0]!.n).toBe(1);
    // Once the case is free, the held one is fired on its own.
    const first = await pending!;
    expect(ids.map((id) => first.get(id))).toEqual(ids.map(() => 'alerted'));
    const again = await s.services.firing.fireAll(ids, 'breach');
    expect([...again.values()]).toEqual(ids.map(() => 'skipped'));
    const alerts = await termAlerts(s.db, { deadlineIds: ids });
    expect(alerts.filter((a) => a.level === 'breach').map((a) => a.deadline_id).sort()).toEqual([...ids].sort());
    // Concurrent batches over the same deadlines: still one alert per deadline and level.
    const more: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reg = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt }));
      more.push(acuteOf(reg.json()).id);
    }
    const runs = await Promise.all([s.services.firing.fireAll(more, 'breach'), s.services.firing.fireAll([...more].reverse(), 'breach'), ...more.map((id) => s.services.firing.breach(id))]);
    const alerted = runs.flatMap((r) => (r instanceof Map ? [...r.values()] : [r])).filter((o) => o === 'alerted');
    expect(alerted).toHaveLength(4);
    expect((await termAlerts(s.db, { deadlineIds: more })).map((a) => a.level)).toEqual(['breach', 'breach', 'breach', 'breach']);
  }, 60_000);
});
