/**
 * Embedded single-node mode (no Redis): the in-process reconciler, run on a short interval as main.ts does, is the
 * only timer. It must fire warning, breach and escalation in order, deliver notifications, and stay quiet for a
 * met or acknowledged deadline.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertRow } from '../../db/schema';
import type { ReconcileReport } from '../../src/deadlines/deadline-firing.service';
import { OffsetClock } from '../support/clocks';
import { standardWebhookVerdict } from '../support/standard-webhook';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { pause, until } from '../support/poll';
import { immediateAlerts, levelsOf, termAlertItems, termAlerts } from '../support/term-alerts';

const TUESDAY_10 = new Date('2026-11-24T10:00:00+01:00');
const ACUTE_MINUTES = 0.05; // 3 s
const ACUTE_MS = ACUTE_MINUTES * 60_000;
const ESCALATION_MINUTES = 0.05; // 3 s of office time
const TICK_MS = 100;

interface DeadlineView {
  id: string;
  kind: string;
  status: string;
  dueAt: string;
}
interface CaseView {
  id: string;
  version: number;
  receivedAt: string;
  deadlines: DeadlineView[];
}

const acuteOf = (c: CaseView): DeadlineView => c.deadlines.find((d) => d.kind === 'acuut')!;
/** The term's alerts; the immediate `acute` alert an acute melding raises at registration is checked apart. */
const alertsOfCase = (s: TestStack, caseId: string): Promise<AlertRow[]> => termAlerts(s.db, { caseId });
const immediateAlertsOfCase = (s: TestStack, caseId: string): Promise<AlertRow[]> => immediateAlerts(s.db, caseId);

describe('embedded mode: the in-process reconciler is the only timer', () => {
  const clock = new OffsetClock(TUESDAY_10);
  let s: TestStack;
  let alice: string;
  let tom: string;
  let mia: string;
  const totals: ReconcileReport = { warnings: 0, breaches: 0, escalations: 0, deliveries: 0, timersRestored: 0 };
  const loopErrors: string[] = [];
  let running = true;
  let paused = false;
  let inFlight: Promise<void> = Promise.resolve();
  let loop: Promise<void>;
  /** Holds the loop between two ticks (waiting for a tick in progress), so the test can act without racing it. */
  const pauseLoop = async () => {
    paused = true;
    await inFlight;
  };

  beforeAll(async () => {
    s = await startTestStack({ clock, redis: false, env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', DEADLINE_ACUTE_MINUTES: String(ACUTE_MINUTES), ESCALATION_WORKING_MINUTES: String(ESCALATION_MINUTES) } });
    alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle', 'team-kampen'] });
    tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle', 'team-kampen'] });
    mia = await s.token('mia', 'manager');
    // As main.ts does in embedded mode: reconcile on an interval, never two at once.
    loop = (async () => {
      while (running) {
        if (!paused) {
          inFlight = (async () => {
            try {
              const r = await s.services.firing.reconcile();
              for (const k of Object.keys(totals) as Array<keyof ReconcileReport>) totals[k] += r[k];
            } catch (error) {
              loopErrors.push(error instanceof Error ? error.message : String(error));
            }
          })();
          await inFlight;
        }
        await pause(TICK_MS);
      }
    })();
  });
  afterAll(async () => {
    running = false;
    await loop;
    await s.close();
  });

  async function registerAcute(teamId = 'team-zwolle'): Promise<CaseView> {
    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ acuteDanger: true, receivedAt: undefined, teamId }));
    if (res.statusCode !== 201) throw new Error(`registration answered ${res.statusCode}: ${res.body}`);
    return res.json();
  }

  it('runs without Redis: the timer is the embedded one', () => {
    expect(s.redis).toBeNull();
    expect(s.timer).toBeNull();
    expect(s.services.timer.mode).toBe('embedded');
  });

  it('fires warning, breach (at dueAt) and escalation, in that order, for an unmet acute deadline', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    const dueAt = new Date(acute.dueAt).getTime();
    expect(dueAt - new Date(c.receivedAt).getTime()).toBe(ACUTE_MS);

    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'escalation'), 15_000);
    expect(rows.map((a) => a.level)).toEqual(['warning', 'breach', 'escalation']);
    const [warning, breach, escalation] = rows as [AlertRow, AlertRow, AlertRow];
    expect(warning.created_at.getTime()).toBeLessThan(breach.created_at.getTime());
    expect(breach.created_at.getTime()).toBeLessThan(escalation.created_at.getTime());
    expect(warning.created_at.getTime()).toBeLessThan(dueAt);
    expect(breach.created_at.getTime()).toBeGreaterThanOrEqual(dueAt);
    expect(breach.created_at.getTime() - dueAt).toBeLessThan(1_500); // within a few ticks
    expect(escalation.created_at.getTime()).toBeGreaterThanOrEqual(breach.escalate_at!.getTime());

    const d = await s.db.selectFrom('deadlines').selectAll().where('id', '=', acute.id).executeTakeFirstOrThrow();
    expect(d.status).toBe('breached');
    expect(d.warned_at).not.toBeNull();
    expect(d.breached_at!.getTime()).toBe(breach.created_at.getTime());

    expect(totals.warnings).toBeGreaterThanOrEqual(1);
    expect(totals.breaches).toBeGreaterThanOrEqual(1);
    expect(totals.escalations).toBeGreaterThanOrEqual(1);
    expect(totals.timersRestored).toBe(0); // there are no timers to restore without Redis
    expect(loopErrors).toEqual([]);

    const forTom = termAlertItems((await s.request('GET', '/v1/alerts', tom)).json<{ items: Array<{ caseId: string; level: string }> }>().items, c.id);
    expect(levelsOf(forTom)).toEqual(['escalation', 'breach', 'warning']);
    expect(await immediateAlertsOfCase(s, c.id)).toHaveLength(1);
    const forMia = (await s.request('GET', '/v1/alerts?level=escalation', mia)).json().items;
    expect(forMia.map((a: { alertId: string }) => a.alertId)).toContain(escalation.id);
  }, 30_000);

  it('a deadline met before the loop ever saw it gives no alert at all', async () => {
    await pauseLoop(); // register and meet between two ticks
    let c: CaseView;
    try {
      c = await registerAcute();
      const res = await s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ACUTE_ACTION_STARTED', expectedVersion: c.version, description: 'Politie ingeschakeld' });
      expect(res.statusCode).toBe(200);
      expect(acuteOf(res.json()).status).toBe('met');
    } finally {
      paused = false;
    }
    const dueAt = new Date(acuteOf(c).dueAt).getTime();
    await until(async () => clock.now().getTime(), (t) => t > dueAt + 1_000, 10_000);
    expect(await alertsOfCase(s, c.id)).toEqual([]);
    const d = await s.db.selectFrom('deadlines').select(['status', 'warned_at', 'breached_at']).where('id', '=', acuteOf(c).id).executeTakeFirstOrThrow();
    expect(d).toEqual({ status: 'met', warned_at: null, breached_at: null });
  }, 20_000);

  it('an acute deadline met after its warning but before dueAt gets no breach and no escalation', async () => {
    const c = await registerAcute();
    const acute = acuteOf(c);
    await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'warning'), 10_000, 25);
    await pauseLoop(); // act between ticks, without racing the loop
    try {
      expect(clock.now().getTime()).toBeLessThan(new Date(acute.dueAt).getTime());
      const res = await s.request('POST', `/v1/cases/${c.id}/events`, alice, { type: 'ACUTE_ACTION_STARTED', expectedVersion: c.version, description: 'Politie ingeschakeld' });
      expect(res.statusCode).toBe(200);
    } finally {
      paused = false;
    }
    await until(async () => clock.now().getTime(), (t) => t > new Date(acute.dueAt).getTime() + 1_000, 10_000);
    expect((await alertsOfCase(s, c.id)).map((a) => a.level)).toEqual(['warning']);
  }, 20_000);

  it('an acknowledged breach does not escalate', async () => {
    const c = await registerAcute();
    const rows = await until(() => alertsOfCase(s, c.id), (r) => r.some((a) => a.level === 'breach'), 10_000, 25);
    const breach = rows.find((a) => a.level === 'breach')!;
    const ack = await s.request('POST', `/v1/alerts/${breach.id}/ack`, tom, { note: 'Gezien' });
    expect(ack.statusCode).toBe(200);
    await until(async () => clock.now().getTime(), (t) => t > breach.escalate_at!.getTime() + 1_000, 10_000);
    expect((await alertsOfCase(s, c.id)).map((a) => a.level)).toEqual(['warning', 'breach']);
  }, 20_000);

  it("delivers the team's signed webhook for each alert from the same loop", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const secret = 'embedded-webhook-secret-0123456789';
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const put = await s.request('PUT', '/v1/teams/team-kampen/alert-channels', tom, { webhookUrl: url, webhookSecret: secret });
      expect(put.statusCode).toBe(200);

      const c = await registerAcute('team-kampen');
      const got = await until(async () => received.filter((r) => JSON.parse(r.body).caseId === c.id), (r) => r.some((x) => JSON.parse(x.body).level === 'breach'), 10_000);
      const breach = got.find((x) => JSON.parse(x.body).level === 'breach');
      expect(breach).toBeDefined();
      expect(standardWebhookVerdict(secret, breach!.headers, breach!.body, { realTime: false })).toEqual({ ok: true });
      expect(JSON.parse(breach!.body)).toMatchObject({ level: 'breach', caseId: c.id, teamId: 'team-kampen', deadlineKind: 'acuut' });
      expect(breach!.body).not.toContain('Testouder'); // no names leave the system

      // The outcome is recorded after the webhook answered: poll for it rather than race it.
      const deliveries = await until(
        () =>
          s.db
            .selectFrom('alert_deliveries as d')
            .innerJoin('alerts as a', 'a.id', 'd.alert_id')
            .select(['a.level', 'd.status', 'd.attempts'])
            .where('a.case_id', '=', c.id)
            .where('a.level', '=', 'breach')
            .execute(),
        (rows) => rows.every((r) => r.status !== 'pending'),
        5_000,
      );
      expect(deliveries).toEqual([{ level: 'breach', status: 'delivered', attempts: 1 }]);
      expect(totals.deliveries).toBeGreaterThanOrEqual(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 20_000);

  it('the reconcile loop never failed and never had timers to restore', () => {
    expect(loopErrors).toEqual([]);
    expect(totals.timersRestored).toBe(0);
  });
});
