/**
 * Deadline adjustments (src/deadlines/deadline-adjustment.service.ts): validation, team scope, roles, only open
 * deadlines, a verlenging in whole werkdagen in the history, and the warning re-armed for the new end. The stack, the
 * clock and the four meldingen: test/support/alerts-stack.ts.
 */
import { apiError } from '../support/api-error';
import { DUE_TODAY, useAlertsStack } from '../support/alerts-stack';

jest.setTimeout(60_000);

describe('deadline adjustments (BullMQ on real Redis, in-process workers)', () => {
  const f = useAlertsStack('bullmq');
  const { cases, get, post, register } = f;

  describe('POST /v1/deadlines/:id/adjustments', () => {
    const body = { kind: 'verlenging', werkdagen: 2, reason: 'Gezin tijdelijk onbereikbaar.' };
    const deadlineOf = async (caseId: string, kind = 'veiligheidsbeoordeling') =>
      (await f.s.db.selectFrom('deadlines').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).executeTakeFirstOrThrow());

    it('werkdagen 0, a bad kind, an empty reason, a bad id or an unknown field is a 400', async () => {
      const d = await deadlineOf(cases.b);
      for (const bad of [
        { ...body, werkdagen: 0 },
        { ...body, werkdagen: 1.5 },
        { ...body, werkdagen: 61 },
        { ...body, kind: 'pauze' },
        { ...body, reason: ' ' },
        { ...body, extra: true },
      ]) {
        const res = await post(`/v1/deadlines/${d.id}/adjustments`, 'tom', bad);
        expect(`${JSON.stringify(bad)}: ${res.statusCode}`).toBe(`${JSON.stringify(bad)}: 400`);
        expect(apiError(res.json()).code).toBe('REQUEST.VALIDATION');
      }
      expect((await post('/v1/deadlines/nope/adjustments', 'tom', body)).statusCode).toBe(400);
      expect((await deadlineOf(cases.b)).due_at).toEqual(d.due_at);
    });

    it('an unknown deadline, or one of another team, is a 404', async () => {
      const unknown = await post('/v1/deadlines/00000000-0000-4000-8000-000000000000/adjustments', 'tom', body);
      expect(unknown.statusCode).toBe(404);
      expect(apiError(unknown.json()).code).toBe('DEADLINE.NOT_FOUND');
      const d = await deadlineOf(cases.b);
      const other = await post(`/v1/deadlines/${d.id}/adjustments`, 'olga', body);
      expect(other.statusCode).toBe(404);
      expect(apiError(other.json()).code).toBe('DEADLINE.NOT_FOUND');
    });

    it('only a teamleider adjusts (medewerker and manager 403)', async () => {
      const d = await deadlineOf(cases.b);
      for (const who of ['alice', 'mia'] as const) {
        const res = await post(`/v1/deadlines/${d.id}/adjustments`, who, body);
        expect(`${who}: ${res.statusCode}`).toBe(`${who}: 403`);
      }
    });

    it('a met deadline, and a breached one, are 422 DEADLINE.NOT_OPEN', async () => {
      const acute = await register('alice', undefined, { acuteDanger: true });
      const acuut = acute.deadlines.find((d) => d.kind === 'acuut')!;
      expect(acuut.status).toBe('open');
      const ev = await post(`/v1/cases/${acute.id}/events`, 'alice', { type: 'ACUTE_ACTION_STARTED', expectedVersion: 1, description: 'Politie en crisisdienst ingeschakeld.' });
      expect(ev.statusCode).toBe(200);
      expect(ev.json().deadlines.find((d: { id: string }) => d.id === acuut.id).status).toBe('met');
      const met = await post(`/v1/deadlines/${acuut.id}/adjustments`, 'tom', body);
      expect(met.statusCode).toBe(422);
      expect(apiError(met.json()).code).toBe('DEADLINE.NOT_OPEN');

      const breached = await deadlineOf(cases.c);
      expect(breached.status).toBe('breached');
      const res = await post(`/v1/deadlines/${breached.id}/adjustments`, 'tom', body);
      expect(res.statusCode).toBe(422);
      expect(apiError(res.json()).code).toBe('DEADLINE.NOT_OPEN');
      expect(await f.s.db.selectFrom('deadline_adjustments').selectAll().execute()).toEqual([]);
    });

    it('a verlenging of an open deadline moves it by whole werkdagen, keeps the statutory term, and is in the history', async () => {
      const d = await deadlineOf(cases.b);
      const res = await post(`/v1/deadlines/${d.id}/adjustments`, 'tom', body);
      expect(res.statusCode).toBe(200);
      // Due the end of Tuesday 24 Nov; two werkdagen later is the end of Thursday 26 Nov (CET).
      expect(res.json()).toEqual({
        id: d.id,
        kind: 'veiligheidsbeoordeling',
        status: 'open',
        dueAt: '2026-11-26T22:59:59.999Z',
        originalDueAt: d.original_due_at.toISOString(),
        warnAt: '2026-11-25T23:00:00.000Z',
      });
      expect(d.original_due_at.toISOString()).toBe('2026-11-24T22:59:59.999Z');
      const history = (await get(`/v1/cases/${cases.b}/history`, 'tom')).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>().items;
      expect(history[history.length - 1]).toMatchObject({
        type: 'DEADLINE_ADJUSTED',
        payload: { deadlineId: d.id, kind: 'verlenging', werkdagen: 2, reason: body.reason, dueBefore: '2026-11-24T22:59:59.999Z', dueAfter: '2026-11-26T22:59:59.999Z' },
      });
    });
  });
});

describe('deadline adjustments (embedded mode, firing driven by the test)', () => {
  const f = useAlertsStack('embedded');
  const { tokens, register } = f;

  it('after a verlenging of a deadline that was already warned, the new warning moment raises a new warning', async () => {
    const w = await register('dirk', DUE_TODAY);
    const deadlineId = w.deadlines[0]!.id;
    await f.s.services.firing.reconcile();
    const warnings = () => f.s.db.selectFrom('alerts').selectAll().where('deadline_id', '=', deadlineId).where('level', '=', 'warning').orderBy('seq').execute();
    expect((await warnings()).map((a) => a.due_at.toISOString())).toEqual(['2026-11-24T22:59:59.999Z']);

    const res = await f.s.request('POST', `/v1/deadlines/${deadlineId}/adjustments`, tokens.olga, { kind: 'verlenging', werkdagen: 2, reason: 'Gezin tijdelijk onbereikbaar.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dueAt: '2026-11-26T22:59:59.999Z', warnAt: '2026-11-25T23:00:00.000Z', status: 'open' });
    const moved = await f.s.db.selectFrom('deadlines').selectAll().where('id', '=', deadlineId).executeTakeFirstOrThrow();
    // The adjustment re-arms the warning (warned_at cleared) for the new end.
    expect(moved.warned_at).toBeNull();

    // Thursday 26 Nov 10:00: the new warning moment has passed, the new end has not.
    f.clock.jump(2 * 24 * 3600_000);
    await f.s.services.firing.reconcile();
    const after = await f.s.db.selectFrom('deadlines').selectAll().where('id', '=', deadlineId).executeTakeFirstOrThrow();
    expect(after.warned_at).not.toBeNull();
    // The supervisor must be told that the extended term ends today, as for the original term.
    expect((await warnings()).map((a) => a.due_at.toISOString())).toEqual(['2026-11-24T22:59:59.999Z', '2026-11-26T22:59:59.999Z']);
  });
});
