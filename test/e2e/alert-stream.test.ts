/**
 * The live stream of alerts as server-sent events over real HTTP (src/deadlines/alert-stream.ts): latency, team
 * scope, Last-Event-ID replay, and every committed alert reaching the stream whatever the commit order. The stack, the
 * clock and the four meldingen: test/support/alerts-stack.ts.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { AlertJson } from '../support/alert-stream';
import { LONG_PASSED, useAlertsStack } from '../support/alerts-stack';
import { pause, waitFor } from '../support/poll';

jest.setTimeout(60_000);

describe('alert stream (BullMQ on real Redis, in-process workers)', () => {
  const f = useAlertsStack('bullmq');
  const { alertOf, get, register, alertRows, stream } = f;

  describe('GET /v1/alerts/stream (server-sent events over real HTTP)', () => {
    it('gemeente and beheerder get 403; no token gets 401', async () => {
      for (const who of ['gert', 'bea'] as const) {
        const st = await stream(who);
        expect(`${who}: ${st.status}`).toBe(`${who}: 403`);
        await st.close();
      }
      const res = await fetch(`${f.baseUrl}/v1/alerts/stream`);
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
      await pause(400);
      const offsetMs = f.clock.now().getTime() - Date.now();

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
      await pause(700);
      expect(olga.alerts()).toEqual([]);
      // Each alert once per stream.
      expect(tom.alerts().filter((a) => a.caseId === created.id)).toHaveLength(1);
      alertOf[created.id] = view;
    });

    it("a Deventer alert reaches Deventer's teamleider but not Zwolle's", async () => {
      const tom = await stream('tom');
      const olga = await stream('olga');
      await pause(400);
      const created = await register('dirk', '2026-11-09T11:00:00+01:00');
      const seen = await waitFor('the Deventer event', () => olga.alerts().find((a) => a.caseId === created.id), 3_000);
      expect(seen.teamId).toBe('team-deventer');
      await pause(700);
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
      await pause(400);
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
      await pause(400);
      expect(st.alerts().map((a) => a.seq)).toEqual([...expected.map((a) => a.seq), live.seq]);
    });

    it('a Last-Event-ID at the newest alert replays nothing', async () => {
      const newest = (await get('/v1/alerts?limit=1', 'mia')).json<{ items: AlertJson[] }>().items[0]!;
      const st = await stream('mia', newest.seq);
      await pause(800);
      expect(st.alerts()).toEqual([]);
    });
  });
});

describe('alert stream (embedded mode, firing driven by the test)', () => {
  const f = useAlertsStack('embedded');
  const { tokens, register, stream } = f;

  it('every alert reaches the stream, also one whose transaction commits after a later alert (seq order is not commit order)', async () => {
    // Zwolle has an alert channel, so raising its alert also writes a delivery row; Deventer has none.
    expect((await f.s.request('PUT', '/v1/teams/team-zwolle/alert-channels', tokens.tom, { email: 'team-zwolle@vt.test' })).statusCode).toBe(200);
    const x = await register('alice', LONG_PASSED);
    const y = await register('dirk', LONG_PASSED);
    const st = await stream('mia');
    expect(st.status).toBe(200);
    await pause(400);

    // A slow transaction: the Zwolle alert takes its seq, then its transaction stays open (in production: I/O,
    // contention) while the Deventer alert takes the next seq and commits first.
    const slowTx = new Client({ connectionString: f.s.database.url });
    await slowTx.connect();
    const alertRow = (c: { id: string; deadlines: Array<{ id: string; kind: string }> }, team: string) => [
      randomUUID(), c.deadlines[0]!.id, c.id, team, 'breach', c.deadlines[0]!.kind, f.clock.now().toISOString(), f.clock.now().toISOString(),
    ];
    const insert = 'insert into alerts (id, deadline_id, case_id, team_id, level, deadline_kind, due_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)';
    try {
      await slowTx.query('begin');
      await slowTx.query(insert, alertRow(x, 'team-zwolle'));
      const fast = new Client({ connectionString: f.s.database.url });
      await fast.connect();
      await fast.query(insert, alertRow(y, 'team-deventer'));
      await fast.end();
      await waitFor('the Deventer event', () => st.alerts().find((a) => a.caseId === y.id), 3_000);
      await slowTx.query('commit');
    } finally {
      await slowTx.end();
    }
    const rows = await f.s.db.selectFrom('alerts').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.case_id)).toEqual([x.id, y.id]);

    // Both alerts were committed; the live stream must show both, not only the one that committed first.
    await pause(1_500);
    expect(st.alerts().map((a) => a.caseId).sort()).toEqual([x.id, y.id].sort());
  });
});
