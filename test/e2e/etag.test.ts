import type { LightMyRequestResponse } from 'fastify';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { expectNothingWritten } from './row-counts';

/** Optimistic concurrency over HTTP: ETag on a case, If-Match on its events, If-None-Match for a cheap re-read. */
describe('ETags on cases', () => {
  let t: TestApp;
  let alice: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    caseId = (await t.request('POST', '/v1/meldingen', alice, meldingBody())).json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const get = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: { authorization: `Bearer ${alice}`, ...headers } });
  const post = (body: object, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/events`, headers: { authorization: `Bearer ${alice}`, ...headers }, payload: body });

  it('GET sends the version as a strong ETag; If-None-Match with it answers 304 without a body, a stale one 200', async () => {
    const res = await get();
    const version = res.json<{ version: number }>().version;
    expect(res.headers.etag).toBe(`"${version}"`);
    const same = await get({ 'if-none-match': `"${version}"` });
    expect({ status: same.statusCode, body: same.body, etag: same.headers.etag }).toEqual({ status: 304, body: '', etag: `"${version}"` });
    expect((await get({ 'if-none-match': `"${version + 5}", W/"${version}"` })).statusCode).toBe(304);
    expect((await get({ 'if-none-match': `"${version + 5}"` })).statusCode).toBe(200);
  });

  it('POST /events with If-Match instead of expectedVersion applies the event and sends the new ETag', async () => {
    const etag = (await get()).headers.etag as string;
    const res = await post({ type: 'NOTE_ADDED', text: 'Met If-Match.' }, { 'if-match': etag });
    expect(res.statusCode).toBe(200);
    const version = res.json<{ version: number }>().version;
    expect(`"${version - 1}"`).toBe(etag);
    expect(res.headers.etag).toBe(`"${version}"`);
  });

  it('a stale If-Match answers 412 with the current version, and nothing is written', async () => {
    const current = (await get()).json<{ version: number }>().version;
    const res = await expectNothingWritten(t.db, () => post({ type: 'NOTE_ADDED', text: 'Verouderd.' }, { 'if-match': `"${current - 1}"` }));
    expect(res.statusCode).toBe(412);
    expect(apiError(res.json())).toMatchObject({ code: 'CASE.PRECONDITION_FAILED', currentVersion: current });
    expect((await get()).json<{ version: number }>().version).toBe(current);
  });

  it('neither If-Match nor expectedVersion, a malformed If-Match, or two different versions: 400 naming the field, nothing written', async () => {
    const current = (await get()).json<{ version: number }>().version;
    const cases: Array<[object, Record<string, string>, string]> = [
      [{ type: 'NOTE_ADDED', text: 'x' }, {}, 'expectedVersion'],
      [{ type: 'NOTE_ADDED', text: 'x' }, { 'if-match': 'W/"1"' }, 'headers.if-match'],
      [{ type: 'NOTE_ADDED', text: 'x' }, { 'if-match': '*' }, 'headers.if-match'],
      [{ type: 'NOTE_ADDED', text: 'x', expectedVersion: current + 1 }, { 'if-match': `"${current}"` }, 'expectedVersion'],
    ];
    for (const [body, headers, field] of cases) {
      const res = await expectNothingWritten(t.db, () => post(body, headers));
      expect({ status: res.statusCode, issues: apiError(res.json()).issues.map((i) => i.field) }).toEqual({ status: 400, issues: [field] });
    }
    // expectedVersion in the body still works, and a stale one is still 409.
    expect((await post({ type: 'NOTE_ADDED', text: 'x', expectedVersion: current - 1 })).statusCode).toBe(409);
    expect((await post({ type: 'NOTE_ADDED', text: 'x', expectedVersion: current })).statusCode).toBe(200);
  });
});
