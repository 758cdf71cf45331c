import { createServices } from '../../src/services';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { levelsOf, termAlerts } from '../support/term-alerts';

/**
 * A warning handled after its term has ended (its timer was lost with Redis' data, or came late) raises no alert, by
 * design: the breach says it all. It is no longer silent: it is logged with the deadline and the reason.
 */
describe('a warning that comes after the end of its term', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('is marked, raises no alert, and is logged with its reason; the breach still comes', async () => {
    const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const services = createServices(t.config, { db: t.db, clock: t.clock, log: { warn: (obj, msg) => void lines.push({ obj: obj as Record<string, unknown>, msg }) } });
    const alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    // An acute melding received a day ago: its 4-hour term, and so its warning moment, have long passed.
    const receivedAt = new Date(t.clock.now().getTime() - 24 * 3600_000).toISOString();
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt, acuteDanger: true }));
    expect(res.statusCode).toBe(201);
    const caseId = res.json<{ id: string }>().id;
    const deadline = await t.db.selectFrom('deadlines').selectAll().where('case_id', '=', caseId).where('kind', '=', 'acuut').executeTakeFirstOrThrow();

    expect(await services.firing.warn(deadline.id)).toBe('skipped');
    expect(lines).toEqual([
      {
        msg: 'deadline warning skipped',
        obj: { deadlineId: deadline.id, caseId, kind: 'acuut', dueAt: deadline.due_at.toISOString(), reason: expect.stringContaining('the term had already ended') },
      },
    ]);
    const after = await t.db.selectFrom('deadlines').select(['warned_at', 'status']).where('id', '=', deadline.id).executeTakeFirstOrThrow();
    expect(after.warned_at).not.toBeNull();
    // Handled once: a second warning job finds nothing to do and logs nothing.
    expect(await services.firing.warn(deadline.id)).toBe('skipped');
    expect(lines).toHaveLength(1);

    expect(await services.firing.breach(deadline.id)).toBe('alerted');
    // The immediate alert an acute melding raises at registration is not the term's; the term raised only its breach.
    expect(levelsOf(await termAlerts(t.db, { deadlineIds: [deadline.id] }))).toEqual(['breach']);
  });
});
