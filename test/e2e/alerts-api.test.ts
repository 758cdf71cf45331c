import { randomUUID } from 'node:crypto';
/**
 * The alerts API end to end: listing (filters, order, roles), acknowledging (history, roles, teams), the live
 * stream of server-sent events over real HTTP (latency, team scope, Last-Event-ID replay), team alert channels,
 * the dead-letter list and deadline adjustments.
 *
 * Time: an OffsetClock on Tuesday 24 Nov 2026 10:00 CET (a werkdag, office hours). A melding received on
 * Tuesday 10 Nov has its safety-assessment term (end of the 5th werkdag after receipt) long passed, so it breaches
 * at once; one received Tuesday 17 Nov 10:00 is due at the end of today and warned from the start of today.
 */
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { apiError } from '../support/api-error';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-24T10:00:00+01:00');
const LONG_PASSED = '2026-11-10T10:00:00+01:00';
const LONG_PASSED_2 = '2026-11-11T10:00:00+01:00';
/** Due at the end of Tuesday 24 Nov (today), warned from its start. */
const DUE_TODAY = '2026-11-17T10:00:00+01:00';

interface AlertJson {
  alertId: string;
  seq: number;
  level: 'warning' | 'breach' | 'escalation';
  title: string;
  caseId: string;
  deadlineKind: string;
  dueAt: string;
  teamId: string;
  createdAt: string;
  link: string;
  escalateAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

interface SseEvent {
  id: string | null;
  event: string | null;
  data: string;
  receivedAt: number;
}

interface OpenStream {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  alerts(): AlertJson[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 5_000, everyMs = 20): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Opens GET /v1/alerts/stream over real HTTP and parses the server-sent events as they arrive. */
async function openStream(baseUrl: string, token: string, lastEventId?: number): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}) },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  let pump: Promise<void> = Promise.resolve();
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const ev: SseEvent = { id: null, event: null, data: '', receivedAt: Date.now() };
            let hasField = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || line === '') continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') ev.id = value;
              else if (field === 'event') ev.event = value;
              else if (field === 'data') ev.data = ev.data ? `${ev.data}\n${value}` : value;
              else continue;
              hasField = true;
            }
            if (hasField) events.push(ev);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    alerts: () => events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data) as AlertJson),
    close: async () => {
      abort.abort();
      await pump;
      if (res.status !== 200) await res.text().catch(() => undefined);
    },
  };
}

describe('alerts API (BullMQ on real Redis, in-process workers)', () => {
  let s: TestStack;
  let clock: OffsetClock;
  let baseUrl: string;
  const tokens: Record<string, string> = {};
  const streams: OpenStream[] = [];
  /** Case ids of the meldings registered in beforeAll. */
  const cases: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  /** The alerts those produced, by case. */
  const alertOf: Record<string, AlertJson> = {};

  const get = (url: string, who: string) => s.request('GET', url, tokens[who]!);
  const post = (url: string, who: string, body?: unknown) => s.request('POST', url, tokens[who]!, body);
  const put = (url: string, who: string, body?: unknown) => s.request('PUT', url, tokens[who]!, body);

  async function register(who: string, receivedAt: string | undefined, overrides: Record<string, unknown> = {}): Promise<{ id: string; deadlines: Array<{ id: string; kind: string; status: string }> }> {
    const res = await post('/v1/meldingen', who, meldingBody({ ...(receivedAt ? { receivedAt } : { receivedAt: undefined }), ...overrides }));
    if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async function alertRows(caseId: string) {
    return s.db.selectFrom('alerts').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  }

  async function stream(who: string, lastEventId?: number): Promise<OpenStream> {
    const st = await openStream(baseUrl, tokens[who]!, lastEventId);
    streams.push(st);
    return st;
  }

  beforeAll(async () => {
    clock = new OffsetClock(NOW);
    s = await startTestStack({ clock });
    s.startWorkers();
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    tokens.alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.dirk = await s.token('dirk', 'medewerker', { teams: ['team-deventer'] });
    tokens.olga = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    tokens.mia = await s.token('mia', 'manager');
    tokens.gert = await s.token('gert', 'gemeente', { gemeente: 'GM0193' });
    tokens.bea = await s.token('bea', 'beheerder');

    // Zwolle: two breaches and a warning; Deventer: one breach.
    cases.a = (await register('alice', LONG_PASSED)).id;
    cases.b = (await register('alice', DUE_TODAY)).id;
    cases.c = (await register('alice', LONG_PASSED_2)).id;
    cases.d = (await register('dirk', LONG_PASSED)).id;
    await waitFor('the four alerts', async () => (await s.db.selectFrom('alerts').select('id').execute()).length >= 4, 15_000);
    const all = (await get('/v1/alerts', 'mia')).json<{ items: AlertJson[] }>().items;
    for (const a of all) alertOf[a.caseId] = a;
  });

  afterAll(async () => {
    for (const st of streams) await st.close();
    await s?.close();
  });

  describe('GET /v1/alerts', () => {
    it('raised exactly one alert per melding: breaches for the passed terms, a warning for the term ending today', async () => {
      const rows = await s.db.selectFrom('alerts').selectAll().orderBy('seq').execute();
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
      for (const who of ['gert', 'bea']) {
        const res = await get('/v1/alerts', who);
        expect(`${who}: ${res.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect((await s.request('GET', '/v1/alerts', null)).statusCode).toBe(401);
    });
  });

  describe('POST /v1/alerts/:id/ack', () => {
    it('a medewerker may not acknowledge (403), and nothing changes', async () => {
      const res = await post(`/v1/alerts/${alertOf[cases.a]!.alertId}/ack`, 'alice', { note: 'gezien' });
      expect(res.statusCode).toBe(403);
      expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      const row = await s.db.selectFrom('alerts').selectAll().where('id', '=', alertOf[cases.a]!.alertId).executeTakeFirstOrThrow();
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
      expect(Math.abs(new Date(acked.acknowledgedAt!).getTime() - clock.now().getTime())).toBeLessThan(5_000);

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
      const row = await s.db.selectFrom('alerts').selectAll().where('id', '=', alert.alertId).executeTakeFirstOrThrow();
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
      const res = await fetch(`${baseUrl}/v1/alerts/${alert.alertId}/ack`, { method: 'POST', headers: { authorization: `Bearer ${tokens.tom}` } });
      const text = await res.text();
      expect(`${res.status} ${text}`).toMatch(/^200 /);
      expect(JSON.parse(text)).toMatchObject({ alertId: alert.alertId, acknowledgedBy: 'tom' });
      const history = (await get(`/v1/cases/${cases.c}/history`, 'tom')).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>().items;
      expect(history.filter((h) => h.type === 'ALERT_ACKNOWLEDGED').map((h) => h.payload)).toEqual([{ alertId: alert.alertId, level: 'breach', deadlineKind: 'veiligheidsbeoordeling' }]);
    });
  });

  describe('GET /v1/alerts/stream (server-sent events over real HTTP)', () => {
    it('gemeente and beheerder get 403; no token gets 401', async () => {
      for (const who of ['gert', 'bea']) {
        const st = await stream(who);
        expect(`${who}: ${st.status}`).toBe(`${who}: 403`);
        await st.close();
      }
      const res = await fetch(`${baseUrl}/v1/alerts/stream`);
      expect(res.status).toBe(401);
      await res.text();
    });

    it("a new alert reaches its team's teamleider within 1 second of its row being written, and not another team's", async () => {
      const tom = await stream('tom');
      const olga = await stream('olga');
      const mia = await stream('mia');
      expect(tom.status).toBe(200);
      expect(tom.contentType).toMatch(/^text\/event-stream/);
      // Let the subscriptions settle before anything is raised.
      await sleep(400);
      const offsetMs = clock.now().getTime() - Date.now();

      const created = await register('alice', '2026-11-09T10:00:00+01:00');
      const row = await waitFor('the breach row', async () => (await alertRows(created.id))[0], 5_000, 5);
      const seenInDbAt = Date.now();
      const writtenAt = row.created_at.getTime() - offsetMs;

      const event = await waitFor('the alert event', () => tom.events.find((e) => e.event === 'alert' && (JSON.parse(e.data) as AlertJson).caseId === created.id), 3_000, 5);
      expect(event.id).toBe(String(row.seq));
      expect(event.receivedAt - writtenAt).toBeLessThan(1_000);
      expect(event.receivedAt - seenInDbAt).toBeLessThan(1_000);

      const view = (await get('/v1/alerts', 'tom')).json<{ items: AlertJson[] }>().items.find((a) => a.caseId === created.id)!;
      expect(JSON.parse(event.data)).toEqual(view);
      expect(view).toMatchObject({ alertId: row.id, seq: Number(row.seq), level: 'breach', teamId: 'team-zwolle', deadlineKind: 'veiligheidsbeoordeling' });

      await waitFor("the manager's event", () => mia.alerts().find((a) => a.caseId === created.id), 2_000);
      await sleep(700);
      expect(olga.alerts()).toEqual([]);
      // Each alert once per stream.
      expect(tom.alerts().filter((a) => a.caseId === created.id)).toHaveLength(1);
      alertOf[created.id] = view;
    });

    it("a Deventer alert reaches Deventer's teamleider but not Zwolle's", async () => {
      const tom = await stream('tom');
      const olga = await stream('olga');
      await sleep(400);
      const created = await register('dirk', '2026-11-09T11:00:00+01:00');
      const seen = await waitFor('the Deventer event', () => olga.alerts().find((a) => a.caseId === created.id), 3_000);
      expect(seen.teamId).toBe('team-deventer');
      await sleep(700);
      expect(tom.alerts()).toEqual([]);
      alertOf[created.id] = seen;
    });

    it('Last-Event-ID replays the alerts after that id that the caller may see, in seq order, then streams on', async () => {
      const zwolle = (await get('/v1/alerts', 'tom')).json<{ items: AlertJson[] }>().items.sort((x, y) => x.seq - y.seq);
      expect(zwolle.length).toBeGreaterThanOrEqual(4);
      const from = zwolle[0]!.seq;
      const st = await stream('tom', from);
      const expected = zwolle.filter((a) => a.seq > from);
      await waitFor('the replay', () => st.alerts().length >= expected.length, 3_000);
      await sleep(400);
      const replayed = st.alerts();
      expect(replayed.map((a) => a.seq)).toEqual(expected.map((a) => a.seq));
      expect(replayed).toEqual(expected);
      expect(st.events.filter((e) => e.event === 'alert').map((e) => e.id)).toEqual(expected.map((a) => String(a.seq)));
      // Nothing of the other team, nothing at or before the id.
      expect(replayed.every((a) => a.teamId === 'team-zwolle' && a.seq > from)).toBe(true);

      // …and then live alerts follow.
      const created = await register('alice', '2026-11-09T12:00:00+01:00');
      const live = await waitFor('the live event after the replay', () => st.alerts().find((a) => a.caseId === created.id), 3_000);
      expect(live.seq).toBeGreaterThan(expected[expected.length - 1]!.seq);
      await sleep(400);
      expect(st.alerts().map((a) => a.seq)).toEqual([...expected.map((a) => a.seq), live.seq]);
    });

    it('a Last-Event-ID at the newest alert replays nothing', async () => {
      const newest = (await get('/v1/alerts?limit=1', 'mia')).json<{ items: AlertJson[] }>().items[0]!;
      const st = await stream('mia', newest.seq);
      await sleep(800);
      expect(st.alerts()).toEqual([]);
    });
  });

  describe('PUT /v1/teams/:teamId/alert-channels', () => {
    const url = '/v1/teams/team-zwolle/alert-channels';

    it('a webhook without a secret, a short secret, a bad e-mail, a non-http URL or an unknown field is a 400 and writes nothing', async () => {
      const cases400: Array<[unknown, string]> = [
        [{ webhookUrl: 'https://hooks.example.test/vt' }, 'webhookSecret'],
        [{ webhookUrl: 'https://hooks.example.test/vt', webhookSecret: 'kort' }, 'webhookSecret'],
        [{ email: 'geen-adres' }, 'email'],
        [{ webhookUrl: 'ftp://hooks.example.test/vt', webhookSecret: 'a-secret-of-at-least-16' }, 'webhookUrl'],
        [{ email: 'team@vt.test', colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases400) {
        const res = await put(url, 'tom', body);
        expect(`${JSON.stringify(body)}: ${res.statusCode}`).toBe(`${JSON.stringify(body)}: 400`);
        expect(apiError(res.json()).code).toBe('REQUEST.VALIDATION');
        expect(apiError(res.json()).issues.map((i: { field: string }) => i.field)).toContain(field);
      }
      expect(await s.db.selectFrom('team_alert_channels').selectAll().execute()).toEqual([]);
    });

    it("a teamleider of another team, a medewerker, a manager and a gemeente get 403", async () => {
      for (const who of ['olga', 'alice', 'mia', 'gert']) {
        const res = await put(url, who, { email: 'team-zwolle@vt.test' });
        expect(`${who}: ${res.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect(await s.db.selectFrom('team_alert_channels').selectAll().execute()).toEqual([]);
    });

    it("the team's teamleider sets them; the secret is stored but never echoed", async () => {
      const res = await put(url, 'tom', { webhookUrl: 'https://hooks.example.test/vt', webhookSecret: 'zwolle-secret-0123456789', email: 'team-zwolle@vt.test' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ teamId: 'team-zwolle', webhookUrl: 'https://hooks.example.test/vt', webhookSecretSet: true, email: 'team-zwolle@vt.test' });
      expect(res.body).not.toContain('zwolle-secret-0123456789');
      const row = await s.db.selectFrom('team_alert_channels').selectAll().where('team_id', '=', 'team-zwolle').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ webhook_url: 'https://hooks.example.test/vt', webhook_secret: 'zwolle-secret-0123456789', email: 'team-zwolle@vt.test', updated_by: 'tom' });
    });

    it('a beheerder may set any team, also one without cases yet; PUT replaces the channels', async () => {
      const res = await put(url, 'bea', { email: 'zwolle-alerts@vt.test' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ teamId: 'team-zwolle', webhookUrl: null, webhookSecretSet: false, email: 'zwolle-alerts@vt.test' });
      const row = await s.db.selectFrom('team_alert_channels').selectAll().where('team_id', '=', 'team-zwolle').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ webhook_url: null, webhook_secret: null, email: 'zwolle-alerts@vt.test', updated_by: 'bea' });

      const other = await put('/v1/teams/team-kampen/alert-channels', 'bea', { email: 'kampen@vt.test' });
      expect(other.statusCode).toBe(200);
      expect(await s.db.selectFrom('teams').select('id').where('id', '=', 'team-kampen').executeTakeFirst()).toEqual({ id: 'team-kampen' });
      const badTeam = await put('/v1/teams/-bad%20team/alert-channels', 'bea', { email: 'x@vt.test' });
      expect(badTeam.statusCode).toBe(400);
    });
  });

  describe('GET /v1/admin/dead-letters', () => {
    it('is for a beheerder only', async () => {
      const res = await get('/v1/admin/dead-letters', 'bea');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [] });
      for (const who of ['alice', 'tom', 'mia', 'gert']) {
        const r = await get('/v1/admin/dead-letters', who);
        expect(`${who}: ${r.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(r.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect((await s.request('GET', '/v1/admin/dead-letters', null)).statusCode).toBe(401);
      expect((await get('/v1/admin/dead-letters?limit=0', 'bea')).statusCode).toBe(400);
    });
  });

  describe('POST /v1/deadlines/:id/adjustments', () => {
    const body = { kind: 'verlenging', werkdagen: 2, reason: 'Gezin tijdelijk onbereikbaar.' };
    const deadlineOf = async (caseId: string, kind = 'veiligheidsbeoordeling') =>
      (await s.db.selectFrom('deadlines').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).executeTakeFirstOrThrow());

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
      for (const who of ['alice', 'mia']) {
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
      expect(await s.db.selectFrom('deadline_adjustments').selectAll().execute()).toEqual([]);
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

describe('alert stream and deadline adjustments (embedded mode, firing driven by the test)', () => {
  let s: TestStack;
  let clock: OffsetClock;
  let baseUrl: string;
  const tokens: Record<string, string> = {};
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    clock = new OffsetClock(NOW);
    s = await startTestStack({ clock, redis: false });
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    tokens.alice = await s.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.tom = await s.token('tom', 'teamleider', { teams: ['team-zwolle'] });
    tokens.dirk = await s.token('dirk', 'medewerker', { teams: ['team-deventer'] });
    tokens.olga = await s.token('olga', 'teamleider', { teams: ['team-deventer'] });
    tokens.mia = await s.token('mia', 'manager');
  });

  afterAll(async () => {
    for (const st of streams) await st.close();
    await s?.close();
  });

  async function register(who: string, receivedAt: string) {
    const res = await s.request('POST', '/v1/meldingen', tokens[who]!, meldingBody({ receivedAt }));
    if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string; deadlines: Array<{ id: string; kind: string }> }>();
  }

  it('every alert reaches the stream, also one whose transaction commits after a later alert (seq order is not commit order)', async () => {
    // Zwolle has an alert channel, so raising its alert also writes a delivery row; Deventer has none.
    expect((await s.request('PUT', '/v1/teams/team-zwolle/alert-channels', tokens.tom!, { email: 'team-zwolle@vt.test' })).statusCode).toBe(200);
    const x = await register('alice', LONG_PASSED);
    const y = await register('dirk', LONG_PASSED);
    const st = await openStream(baseUrl, tokens.mia!);
    streams.push(st);
    expect(st.status).toBe(200);
    await sleep(400);

    // A slow transaction: the Zwolle alert takes its seq, then its transaction stays open (in production: I/O,
    // contention) while the Deventer alert takes the next seq and commits first.
    const slowTx = new Client({ connectionString: s.database.url });
    await slowTx.connect();
    const alertRow = (c: { id: string; deadlines: Array<{ id: string; kind: string }> }, team: string) => [
      randomUUID(), c.deadlines[0]!.id, c.id, team, 'breach', c.deadlines[0]!.kind, clock.now().toISOString(), clock.now().toISOString(),
    ];
    const insert = 'insert into alerts (id, deadline_id, case_id, team_id, level, deadline_kind, due_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)';
    try {
      await slowTx.query('begin');
      await slowTx.query(insert, alertRow(x, 'team-zwolle'));
      const fast = new Client({ connectionString: s.database.url });
      await fast.connect();
      await fast.query(insert, alertRow(y, 'team-deventer'));
      await fast.end();
      await waitFor('the Deventer event', () => st.alerts().find((a) => a.caseId === y.id), 3_000);
      await slowTx.query('commit');
    } finally {
      await slowTx.end();
    }
    const rows = await s.db.selectFrom('alerts').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.case_id)).toEqual([x.id, y.id]);

    // Both alerts were committed; the live stream must show both, not only the one that committed first.
    await sleep(1_500);
    expect(st.alerts().map((a) => a.caseId).sort()).toEqual([x.id, y.id].sort());
  });

  it('after a verlenging of a deadline that was already warned, the new warning moment raises a new warning', async () => {
    const w = await register('dirk', DUE_TODAY);
    const deadlineId = w.deadlines[0]!.id;
    await s.services.firing.reconcile();
    const warnings = () => s.db.selectFrom('alerts').selectAll().where('deadline_id', '=', deadlineId).where('level', '=', 'warning').orderBy('seq').execute();
    expect((await warnings()).map((a) => a.due_at.toISOString())).toEqual(['2026-11-24T22:59:59.999Z']);

    const res = await s.request('POST', `/v1/deadlines/${deadlineId}/adjustments`, tokens.olga!, { kind: 'verlenging', werkdagen: 2, reason: 'Gezin tijdelijk onbereikbaar.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dueAt: '2026-11-26T22:59:59.999Z', warnAt: '2026-11-25T23:00:00.000Z', status: 'open' });
    const moved = await s.db.selectFrom('deadlines').selectAll().where('id', '=', deadlineId).executeTakeFirstOrThrow();
    // The adjustment re-arms the warning (warned_at cleared) for the new end.
    expect(moved.warned_at).toBeNull();

    // Thursday 26 Nov 10:00: the new warning moment has passed, the new end has not.
    clock.jump(2 * 24 * 3600_000);
    await s.services.firing.reconcile();
    const after = await s.db.selectFrom('deadlines').selectAll().where('id', '=', deadlineId).executeTakeFirstOrThrow();
    expect(after.warned_at).not.toBeNull();
    // The supervisor must be told that the extended term ends today, as for the original term.
    expect((await warnings()).map((a) => a.due_at.toISOString())).toEqual(['2026-11-24T22:59:59.999Z', '2026-11-26T22:59:59.999Z']);
  });
});
