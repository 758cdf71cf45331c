import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('deadline alerts (smoke, BullMQ on real Redis)', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ clock: new OffsetClock(new Date()) });
    s.startWorkers();
  });
  afterAll(async () => s.close());

  it('a melding whose assessment term already passed gets a breach alert within 5 seconds, seen by its teamleider only', async () => {
    const alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    const tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    const other = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    const res = await s.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-09-01T10:00:00+02:00' }));
    expect(res.statusCode).toBe(201);
    const started = Date.now();
    let alerts: Array<{ level: string; caseId: string; deadlineKind: string }> = [];
    while (Date.now() - started < 5_000) {
      alerts = (await s.request('GET', '/v1/alerts', tom)).json().items;
      if (alerts.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(alerts).toEqual([expect.objectContaining({ level: 'breach', caseId: res.json().id, deadlineKind: 'veiligheidsbeoordeling' })]);
    expect((await s.request('GET', '/v1/alerts', other)).json().items).toEqual([]);
  });
});
