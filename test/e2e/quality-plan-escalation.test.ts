import { startTestApp, type TestApp } from '../support/test-app';

describe('an improvement action nobody picks up (embedded reconciler, injected clock)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-10-14T10:00:00+02:00'), env: { ESCALATION_WORKING_MINUTES: '60' } });
  });
  afterAll(async () => t.close());

  it('warns before the due date, breaches after it, and escalates to the manager when the breach is not acknowledged', async () => {
    const manager = await t.token('mona', 'manager');
    const res = await t.request('POST', '/v1/quality/plan/items', manager, {
      kind: 'verbeteractie',
      title: 'Ketenpartners ouderen: convenant',
      expectations: ['ketenpartners-kwetsbaren'],
      ownerId: 'kees',
      ownerRole: 'teamleider ouderen',
      teamId: 'team-ouderen',
      dueOn: '2026-10-23',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const levels = async () => (await t.request('GET', '/v1/alerts', manager)).json<{ items: Array<{ level: string; planItemId: string }> }>().items.map((a) => [a.level, a.planItemId]);

    expect(await t.services.firing.reconcile()).toMatchObject({ warnings: 0, breaches: 0 });
    // Five werkdagen before the end of Friday 23 October: the start of Monday 19 October.
    t.clock.set(new Date('2026-10-19T00:00:01+02:00'));
    expect(await t.services.firing.reconcile()).toMatchObject({ warnings: 1, breaches: 0 });
    t.clock.set(new Date('2026-10-24T00:00:01+02:00'));
    expect(await t.services.firing.reconcile()).toMatchObject({ breaches: 1, escalations: 0 });
    // Saturday and Sunday are no working time: the hour runs from Monday 08:00.
    t.clock.set(new Date('2026-10-26T08:59:00+01:00'));
    expect(await t.services.firing.reconcile()).toMatchObject({ escalations: 0 });
    t.clock.set(new Date('2026-10-26T09:00:01+01:00'));
    expect(await t.services.firing.reconcile()).toMatchObject({ escalations: 1 });
    expect(await t.services.firing.reconcile()).toMatchObject({ warnings: 0, breaches: 0, escalations: 0 });
    expect((await levels()).sort()).toEqual([
      ['breach', id],
      ['escalation', id],
      ['warning', id],
    ]);
  });
});
