import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { until } from '../support/poll';

/** The value of one series in a Prometheus text exposition (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics after an e2e run (BullMQ on real Redis)', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ clock: new OffsetClock(new Date()) });
    s.startWorkers();
  });
  afterAll(async () => s.close());

  it('exposes HTTP, transitions, deadlines, breaches, firing lag, queues, reconciler, deliveries and audit with real values', async () => {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const beheerder = await s.token('bea', 'beheerder');
    // One melding whose assessment term passed long ago (breaches at once), one fresh one (its terms stay open).
    const late = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-09-01T10:00:00+02:00' }));
    const fresh = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: new Date().toISOString() }));
    expect([late.statusCode, fresh.statusCode]).toEqual([201, 201]);
    const note = await s.request('POST', `/v1/cases/${fresh.json().id}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'Gesprek met school gevoerd.' });
    expect(note.statusCode).toBe(200);
    await until(async () => (await s.request('GET', '/v1/alerts', tom)).json().items as unknown[], (items) => items.length > 0, 10_000);
    await s.services.firing.reconcile();

    expect((await s.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await s.request('GET', '/metrics', alice)).statusCode).toBe(403);
    const res = await s.request('GET', '/metrics', beheerder);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;

    expect(sample(text, 'vt_http_request_duration_seconds_count', { method: 'POST', route: '/v1/meldingen', status: '201' })).toBe(2);
    expect(sample(text, 'vt_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '403' })).toBe(1);
    expect(sample(text, 'vt_transitions_total', { event: 'REGISTER' })).toBe(2);
    expect(sample(text, 'vt_transitions_total', { event: 'NOTE_ADDED' })).toBe(1);
    expect(sample(text, 'vt_deadlines', { kind: 'veiligheidsbeoordeling', state: 'open' })).toBe(1);
    expect(sample(text, 'vt_deadlines', { kind: 'veiligheidsbeoordeling', state: 'overdue' })).toBe(0);
    expect(sample(text, 'vt_breaches_unacknowledged', { kind: 'veiligheidsbeoordeling' })).toBe(1);
    // The late melding's breach fired months after its due moment: the lag is real, not zero.
    expect(sample(text, 'vt_deadline_firing_lag_seconds_count', { level: 'breach' })).toBe(1);
    expect(sample(text, 'vt_deadline_firing_lag_seconds_sum', { level: 'breach' })).toBeGreaterThan(30 * 24 * 3600);
    expect(sample(text, 'vt_queue_jobs', { queue: 'deadlines', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vt_queue_jobs', { queue: 'notifications', state: 'failed' })).toBe(0);
    // The timer index: the fresh melding's open deadlines (one timer each), none of them overdue.
    expect(sample(text, 'vt_deadline_timers')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vt_deadline_timer_lag_seconds')).toBe(0);
    expect(sample(text, 'vt_reconciler_runs_total')).toBe(1);
    expect(sample(text, 'vt_notification_dead_letters')).toBe(0);
    expect(sample(text, 'vt_audit_append_duration_seconds_count', { mode: 'transaction' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'vt_process_resident_memory_bytes')).toBeGreaterThan(0);
    // No case id or personal data in any series: labels are route patterns, event types and kinds.
    expect(text).not.toContain(late.json().id);
    expect(text).not.toContain('Voorbeeld');
  });
});
