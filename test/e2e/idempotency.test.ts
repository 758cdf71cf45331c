import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { jobHandlers } from '../../src/services';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { expectNothingWritten, rowCounts } from './row-counts';

/** Idempotency-Key on POST and PUT: retries answer the first response and do nothing again (src/http/idempotency.ts). */
describe('Idempotency-Key', () => {
  let t: TestApp;
  let alice: string;
  let tom: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tom = await t.token('tom', 'teamleider', { teams: ['team-zwolle'] });
  });
  afterAll(async () => t.close());

  const send = (method: 'POST' | 'PUT', url: string, token: string, key: string | undefined, body: unknown): Promise<LightMyRequestResponse> =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) }, payload: body as object });
  const caseCount = async () => Number((await sql<{ n: string }>`select count(*)::text as n from cases`.execute(t.db)).rows[0]!.n);

  it('20 concurrent retries of one POST /v1/meldingen create exactly one case and get 20 identical answers', async () => {
    const key = randomUUID();
    const body = meldingBody({ summary: 'Twintig keer verstuurd na een time-out.' });
    const before = await rowCounts(t.db);
    const responses = await Promise.all(Array.from({ length: 20 }, () => send('POST', '/v1/meldingen', alice, key, body)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const first = responses[0]!.body;
    expect(responses.filter((r) => r.body !== first)).toEqual([]);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    for (const r of responses) expect(r.headers['content-type']).toMatch(/^application\/json/);
    const after = await rowCounts(t.db);
    expect(after.cases - before.cases).toBe(1);
    expect(after.case_events - before.case_events).toBe(1);
    const stored = await t.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute();
    expect(stored).toEqual([expect.objectContaining({ subject: 'alice', status_code: 201, response_body: first })]);
  });

  it('a retry after the answer gets the same status and body, and the case is not changed again', async () => {
    const created = await send('POST', '/v1/meldingen', alice, undefined, meldingBody());
    const caseId = created.json<{ id: string }>().id;
    const key = randomUUID();
    const note = { type: 'NOTE_ADDED', expectedVersion: 1, text: 'Eén notitie, twee keer verstuurd.' };
    const first = await send('POST', `/v1/cases/${caseId}/events`, alice, key, note);
    expect(first.statusCode).toBe(200);
    const again = await expectNothingWritten(t.db, () => send('POST', `/v1/cases/${caseId}/events`, alice, key, note));
    expect({ status: again.statusCode, body: again.body, replayed: again.headers['idempotent-replayed'] }).toEqual({ status: 200, body: first.body, replayed: 'true' });
    // Without the key the same body is a new request: a stale expectedVersion now.
    expect((await send('POST', `/v1/cases/${caseId}/events`, alice, undefined, note)).statusCode).toBe(409);
  });

  it('the same key with a different body answers 422 and writes nothing; another subject has keys of its own', async () => {
    const key = randomUUID();
    expect((await send('POST', '/v1/meldingen', alice, key, meldingBody())).statusCode).toBe(201);
    const other = await expectNothingWritten(t.db, () => send('POST', '/v1/meldingen', alice, key, meldingBody({ acuteDanger: true })));
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(apiError(other.json()).code).toBe('REQUEST.IDEMPOTENCY_KEY_REUSED');
    const otherPath = await expectNothingWritten(t.db, () => send('POST', '/v1/adviezen', alice, key, { gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'Zelfde sleutel, ander pad.' }));
    expect(otherPath.statusCode).toBe(422);

    const bea = await t.token('bea', 'medewerker', { teams: ['team-zwolle'] });
    const cases = await caseCount();
    expect((await send('POST', '/v1/meldingen', bea, key, meldingBody())).statusCode).toBe(201);
    expect(await caseCount()).toBe(cases + 1);
  });

  it('key order in the body does not matter; a PUT is idempotent too', async () => {
    const key = randomUUID();
    const url = '/v1/teams/team-zwolle/alert-channels';
    const first = await send('PUT', url, tom, key, { email: 'zwolle@vt.test', webhookUrl: null });
    expect(first.statusCode).toBe(200);
    const again = await send('PUT', url, tom, key, { webhookUrl: null, email: 'zwolle@vt.test' });
    expect({ status: again.statusCode, body: again.body, replayed: again.headers['idempotent-replayed'] }).toEqual({ status: 200, body: first.body, replayed: 'true' });
  });

  it('a key that is not 1 to 255 visible ASCII characters is a 400 naming the header', async () => {
    for (const key of ['', 'x'.repeat(256), 'met spatie']) {
      const res = await expectNothingWritten(t.db, () => send('POST', '/v1/meldingen', alice, key, meldingBody()));
      expect(res.statusCode).toBe(400);
      expect(apiError(res.json()).issues).toEqual([{ field: 'headers.idempotency-key', rule: expect.any(String) }]);
    }
  });

  it('keys are kept for 24 hours and purged by the nightly job after; then the key is free again', async () => {
    const key = randomUUID();
    const body = meldingBody();
    const first = await send('POST', '/v1/meldingen', alice, key, body);
    const purge = jobHandlers(t.services, t.db, t.clock)['idempotency-purge'];
    t.clock.advance(23 * 60 * 60 * 1000);
    await purge();
    expect((await send('POST', '/v1/meldingen', alice, key, body)).body).toBe(first.body);
    t.clock.advance(2 * 60 * 60 * 1000);
    expect((await purge()).purged).toBeGreaterThan(0);
    expect(await t.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute()).toEqual([]);
    const fresh = await send('POST', '/v1/meldingen', alice, key, body);
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
  });
});
