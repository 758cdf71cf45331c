/**
 * The alerts API end to end (src/deadlines/alert.service.ts): listing (filters, order, roles) and acknowledging
 * (history, roles, teams). The stack, the clock and the four meldingen: test/support/alerts-stack.ts.
 */
import { apiError } from '../support/api-error';
import type { AlertJson } from '../support/alert-stream';
import { useAlertsStack } from '../support/alerts-stack';

jest.setTimeout(60_000);

describe('alerts API (BullMQ on real Redis, in-process workers)', () => {
  const f = useAlertsStack('bullmq');
  const { tokens, cases, alertOf, get, post } = f;

  describe('GET /v1/alerts', () => {
    it('raised exactly one alert per melding: breaches for the passed terms, a warning for the term ending today', async () => {
      const rows = await f.s.db.selectFrom('alerts').selectAll().orderBy('seq').execute();
      expect(rows.map((r) => ({ caseId: r.case_id, level: r.level, team: r.team_id, kind: r.deadline_kind })).sort((x, y) => x.caseId!.localeCompare(y.caseId!))).toEqual(
        [
          { caseId: cases.a, level: 'breach', team: 'team-zwolle', kind: 'veiligheidsbeoordeling' },
          { caseId: cases.b, level: 'warning', team: 'team-zwolle', kind: 'veiligheidsbeoordeling' },
          { caseId: cases.c, level: 'breach', team: 'team-zwolle', kind: 'veiligheidsbeoordeling' },
          { caseId: cases.d, level: 'breach', team: 'team-deventer', kind: 'veiligheidsbeoordeling' },
        ].sort((x, y) => x.caseId.localeCompare(y.caseId)),
      );
    });

    it('a teamleider sees the alerts of their own team, newest first by seq, with the alert view fields', async () => {
      const items = (await get('/v1/alerts', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(items.map((a) => a.caseId).sort()).toEqual([cases.a, cases.b, cases.c].sort());
      const seqs = items.map((a) => a.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
      const breach = items.find((a) => a.caseId === cases.a)!;
      expect(Object.keys(breach).sort()).toEqual(
        ['alertId', 'seq', 'level', 'title', 'caseId', 'deadlineKind', 'dueAt', 'teamId', 'createdAt', 'link', 'escalateAt', 'acknowledgedAt', 'acknowledgedBy'].sort(),
      );
      expect(breach).toMatchObject({ level: 'breach', teamId: 'team-zwolle', deadlineKind: 'veiligheidsbeoordeling', acknowledgedAt: null, acknowledgedBy: null });
      expect(breach.link).toMatch(new RegExp(`/cases/${cases.a}$`));
      // A breach escalates after the escalation time (default 240 working minutes); a warning does not.
      expect(breach.escalateAt).not.toBeNull();
      expect(items.find((a) => a.caseId === cases.b)!.escalateAt).toBeNull();
    });

    it('level=breach returns breaches only, newest first', async () => {
      const items = (await get('/v1/alerts?level=breach', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(items.map((a) => a.level)).toEqual(['breach', 'breach']);
      expect(items.map((a) => a.caseId).sort()).toEqual([cases.a, cases.c].sort());
      expect(items[0]!.seq).toBeGreaterThan(items[1]!.seq);
      const both = (await get('/v1/alerts?level=breach,warning', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(both).toHaveLength(3);
      const warnings = (await get('/v1/alerts?level=warning', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(warnings.map((a) => a.caseId)).toEqual([cases.b]);
    });

    it('an unknown level or status, or an unknown parameter, is a 400', async () => {
      for (const q of ['level=critical', 'status=closed', 'limit=0', 'limit=501', 'colour=red']) {
        const res = await get(`/v1/alerts?${q}`, 'tom');
        expect(`${q}: ${res.statusCode}`).toBe(`${q}: 400`);
        expect(apiError(res.json()).code).toBe('REQUEST.VALIDATION');
      }
    });

    it('the removed beforeSeq is refused as an unknown parameter (use cursor)', async () => {
      const res = await get('/v1/alerts?limit=2&beforeSeq=3', 'mia');
      expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status: 400, code: 'REQUEST.VALIDATION' });
    });

    it('limit and the opaque cursor page through the list: nextCursor until the list is done, a bad cursor is a 400', async () => {
      const all = (await get('/v1/alerts', 'mia')).json<{ items: AlertJson[] }>().items;
      const seen: AlertJson[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const res = await get(`/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, 'mia');
        const body = res.json<{ items: AlertJson[]; nextCursor: string | null; links: { next: string | null } }>();
        seen.push(...body.items);
        cursor = body.nextCursor;
        // links.next and the RFC 8288 Link header name this request with the next cursor, or nothing on the last page.
        const next = cursor ? `/v1/alerts?limit=2&cursor=${cursor}` : null;
        expect({ links: body.links, link: res.headers.link ?? null }).toEqual({ links: { next }, link: next ? `<${next}>; rel="next"` : null });
        if (!cursor) break;
        expect(cursor).not.toMatch(/^\d+$/);
      }
      expect({ cursor, seen }).toEqual({ cursor: null, seen: all });
      for (const bad of ['bm9wZQ', '12', Buffer.from('audit:1').toString('base64url')]) {
        const res = await get(`/v1/alerts?cursor=${bad}`, 'mia');
        expect({ bad, status: res.statusCode, fields: apiError(res.json()).issues.map((i) => i.field) }).toEqual({ bad, status: 400, fields: ['querystring.cursor'] });
      }
    });

    it('a manager sees every team; a medewerker their own team; gemeente and beheerder get 403', async () => {
      const mia = (await get('/v1/alerts', 'mia')).json<{ items: AlertJson[] }>().items;
      expect(mia.map((a) => a.caseId).sort()).toEqual([cases.a, cases.b, cases.c, cases.d].sort());
      const alice = (await get('/v1/alerts', 'alice')).json<{ items: AlertJson[] }>().items;
      expect(alice.map((a) => a.caseId).sort()).toEqual([cases.a, cases.b, cases.c].sort());
      const dirk = (await get('/v1/alerts', 'dirk')).json<{ items: AlertJson[] }>().items;
      expect(dirk.map((a) => a.caseId)).toEqual([cases.d]);
      const olga = (await get('/v1/alerts', 'olga')).json<{ items: AlertJson[] }>().items;
      expect(olga.map((a) => a.caseId)).toEqual([cases.d]);
      for (const who of ['gert', 'bea'] as const) {
        const res = await get('/v1/alerts', who);
        expect(`${who}: ${res.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect((await f.s.request('GET', '/v1/alerts', null)).statusCode).toBe(401);
    });
  });

  describe('POST /v1/alerts/:id/ack', () => {
    it('a medewerker may not acknowledge (403), and nothing changes', async () => {
      const res = await post(`/v1/alerts/${alertOf[cases.a]!.alertId}/ack`, 'alice', { note: 'gezien' });
      expect(res.statusCode).toBe(403);
      expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      const row = await f.s.db.selectFrom('alerts').selectAll().where('id', '=', alertOf[cases.a]!.alertId).executeTakeFirstOrThrow();
      expect(row.acknowledged_at).toBeNull();
    });

    it("another team's teamleider gets 404, as for an alert that does not exist", async () => {
      const res = await post(`/v1/alerts/${alertOf[cases.a]!.alertId}/ack`, 'olga', { note: 'niet van mij' });
      expect(res.statusCode).toBe(404);
      expect(apiError(res.json()).code).toBe('ALERT.NOT_FOUND');
      const unknown = await post('/v1/alerts/00000000-0000-4000-8000-000000000000/ack', 'tom', {});
      expect(unknown.statusCode).toBe(404);
      expect(apiError(unknown.json()).code).toBe('ALERT.NOT_FOUND');
    });

    it('a bad id or body is a 400', async () => {
      const bad = await post('/v1/alerts/not-a-uuid/ack', 'tom', {});
      expect(bad.statusCode).toBe(400);
      expect(apiError(bad.json()).code).toBe('REQUEST.VALIDATION');
      const extra = await post(`/v1/alerts/${alertOf[cases.a]!.alertId}/ack`, 'tom', { note: 'x', colour: 'red' });
      expect(extra.statusCode).toBe(400);
      const empty = await post(`/v1/alerts/${alertOf[cases.a]!.alertId}/ack`, 'tom', { note: '   ' });
      expect(empty.statusCode).toBe(400);
    });

    it("the team's teamleider acknowledges: the alert records who and when, the case history records ALERT_ACKNOWLEDGED with the note", async () => {
      const alert = alertOf[cases.a]!;
      const before = (await get(`/v1/cases/${cases.a}`, 'tom')).json<{ version: number; state: string }>();
      const res = await post(`/v1/alerts/${alert.alertId}/ack`, 'tom', { note: 'Opgepakt door het team, gesprek gepland.' });
      expect(res.statusCode).toBe(200);
      const acked = res.json<AlertJson>();
      expect(acked).toMatchObject({ alertId: alert.alertId, seq: alert.seq, level: 'breach', acknowledgedBy: 'tom' });
      expect(acked.acknowledgedAt).not.toBeNull();
      expect(Math.abs(new Date(acked.acknowledgedAt!).getTime() - f.clock.now().getTime())).toBeLessThan(5_000);

      const history = (await get(`/v1/cases/${cases.a}/history`, 'tom')).json<{
        items: Array<{ seq: number; type: string; actor: { id: string; role: string }; at: string; fromState: string | null; toState: string; payload: Record<string, unknown> }>;
      }>().items;
      const last = history[history.length - 1]!;
      expect(last).toMatchObject({
        seq: before.version + 1,
        type: 'ALERT_ACKNOWLEDGED',
        actor: { id: 'tom', role: 'teamleider' },
        at: acked.acknowledgedAt,
        fromState: before.state,
        toState: before.state,
      });
      expect(last.payload).toEqual({ alertId: alert.alertId, level: 'breach', deadlineKind: 'veiligheidsbeoordeling', note: 'Opgepakt door het team, gesprek gepland.' });
      expect(history.filter((h) => h.type === 'ALERT_ACKNOWLEDGED')).toHaveLength(1);
    });

    it('a second acknowledgement is a 409 and writes nothing', async () => {
      const alert = alertOf[cases.a]!;
      const versionBefore = (await get(`/v1/cases/${cases.a}`, 'tom')).json<{ version: number }>().version;
      const res = await post(`/v1/alerts/${alert.alertId}/ack`, 'mia', { note: 'nog eens' });
      expect(res.statusCode).toBe(409);
      expect(apiError(res.json()).code).toBe('ALERT.ALREADY_ACKNOWLEDGED');
      expect((await get(`/v1/cases/${cases.a}`, 'tom')).json<{ version: number }>().version).toBe(versionBefore);
      const row = await f.s.db.selectFrom('alerts').selectAll().where('id', '=', alert.alertId).executeTakeFirstOrThrow();
      expect(row.acknowledged_by).toBe('tom');
    });

    it('a manager acknowledges any team, without a note', async () => {
      const alert = alertOf[cases.d]!;
      const res = await post(`/v1/alerts/${alert.alertId}/ack`, 'mia', {});
      expect(res.statusCode).toBe(200);
      expect(res.json<AlertJson>().acknowledgedBy).toBe('mia');
      const history = (await get(`/v1/cases/${cases.d}/history`, 'olga')).json<{ items: Array<{ type: string; actor: { id: string; role: string }; payload: Record<string, unknown> }> }>().items;
      const ack = history.find((h) => h.type === 'ALERT_ACKNOWLEDGED')!;
      expect(ack.actor).toEqual({ id: 'mia', role: 'manager' });
      expect(ack.payload).toEqual({ alertId: alert.alertId, level: 'breach', deadlineKind: 'veiligheidsbeoordeling' });
    });

    it('status=open and status=acknowledged filter on the acknowledgement', async () => {
      const open = (await get('/v1/alerts?status=open', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(open.map((a) => a.caseId).sort()).toEqual([cases.b, cases.c].sort());
      expect(open.every((a) => a.acknowledgedAt === null)).toBe(true);
      expect(open[0]!.seq).toBeGreaterThan(open[1]!.seq);
      const acked = (await get('/v1/alerts?status=acknowledged', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(acked.map((a) => a.caseId)).toEqual([cases.a]);
      const openBreaches = (await get('/v1/alerts?level=breach&status=open', 'tom')).json<{ items: AlertJson[] }>().items;
      expect(openBreaches.map((a) => a.caseId)).toEqual([cases.c]);
      const allAcked = (await get('/v1/alerts?status=acknowledged', 'mia')).json<{ items: AlertJson[] }>().items;
      expect(allAcked.map((a) => a.caseId).sort()).toEqual([cases.a, cases.d].sort());
      expect(allAcked[0]!.seq).toBeGreaterThan(allAcked[1]!.seq);
    });

    it('a POST without a body acknowledges too (the note is optional, the body defaults to {})', async () => {
      const alert = alertOf[cases.c]!;
      const res = await fetch(`${f.baseUrl}/v1/alerts/${alert.alertId}/ack`, { method: 'POST', headers: { authorization: `Bearer ${tokens.tom}` } });
      const text = await res.text();
      expect(`${res.status} ${text}`).toMatch(/^200 /);
      expect(JSON.parse(text)).toMatchObject({ alertId: alert.alertId, acknowledgedBy: 'tom' });
      const history = (await get(`/v1/cases/${cases.c}/history`, 'tom')).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>().items;
      expect(history.filter((h) => h.type === 'ALERT_ACKNOWLEDGED').map((h) => h.payload)).toEqual([{ alertId: alert.alertId, level: 'breach', deadlineKind: 'veiligheidsbeoordeling' }]);
    });
  });
});
