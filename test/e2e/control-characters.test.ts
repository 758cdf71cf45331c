/**
 * One input rule for every text field, query parameter, header and token claim: no NUL and no other C0 control
 * character (tab and newline only in multi-line text). PostgreSQL refuses 0x00 in text; before this rule such input
 * reached it and came back as a 500.
 */
import { SignJWT } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { apiError } from '../support/api-error';
import { meldingBody, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { expectNothingWritten, rowCounts } from './row-counts';

jest.setTimeout(60_000);

function expectFieldRefused(res: LightMyRequestResponse, field: string): void {
  expect({ status: res.statusCode, field: res.statusCode === 400 ? apiError(res.json()).issues.map((i) => i.field) : res.body }).toEqual({ status: 400, field: expect.arrayContaining([field]) });
  expect(apiError(res.json()).code).toBe('REQUEST.VALIDATION');
}

describe('control characters in input', () => {
  let t: TestApp;
  let alice: string;
  let manager: string;
  let beheerder: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    manager = await t.token('marit', 'manager');
    beheerder = await t.token('ben', 'beheerder');
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody());
    expect(res.statusCode).toBe(201);
    caseId = res.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const controls = ['\u0000', '\u0007', '\u001b[2J', '\u007f', 'a\rb'];

  it.each(controls.map((c) => [JSON.stringify(c).replace(/[\u007f]/g, '\\u007f'), c]))('a melding summary with %s is a 400 naming summary, and writes nothing', async (_label, c) => {
    const res = await expectNothingWritten(t.db, () => t.request('POST', '/v1/meldingen', alice, meldingBody({ summary: `Zorgen ${c} thuis` })));
    expectFieldRefused(res, 'summary');
  });

  it("a person's name with NUL, tab or newline is refused (names are one line)", async () => {
    for (const name of ['Test\u0000kind', 'Test\tkind', 'Test\nkind']) {
      const res = await t.request('POST', '/v1/meldingen', alice, meldingBody({ persons: [{ role: 'kind', name, birthDate: '2017-06-15' }] }));
      expectFieldRefused(res, 'persons.0.name');
    }
  });

  it('multi-line text keeps tab and newline (LF and CR LF)', async () => {
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody({ summary: 'Regel een\n\tRegel twee\r\nRegel drie' }));
    expect(res.statusCode).toBe(201);
    expect(res.json<{ summary: string }>().summary).toBe('Regel een\n\tRegel twee\r\nRegel drie');
  });

  it('a NOTE_ADDED text, an advies summary and a legal-hold reason with NUL are 400s naming the field', async () => {
    expectFieldRefused(await t.request('POST', `/v1/cases/${caseId}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'x\u0000y' }), 'text');
    const advies = { gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'vraag\u0000' };
    expectFieldRefused(await t.request('POST', '/v1/adviezen', alice, advies), 'summary');
    expectFieldRefused(await t.request('PUT', `/v1/cases/${caseId}/legal-hold`, manager, { reason: 'strafzaak\u0000' }), 'reason');
    expectFieldRefused(await t.request('POST', `/v1/cases/${caseId}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'ok', ['x\u0000']: 1 }), '(key)');
  });

  it('query parameters: GET /v1/audit?actor=%00 is a 400 naming querystring.actor', async () => {
    expectFieldRefused(await t.request('GET', '/v1/audit?actor=%00', beheerder), 'querystring.actor');
    expectFieldRefused(await t.request('GET', '/v1/cases?cursor=%1b', alice), 'querystring.cursor');
  });

  it('a break-the-glass reason header with a control character is refused', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: { authorization: `Bearer ${manager}`, 'x-access-reason': 'vervanging\u0001 collega' } });
    expect(res.statusCode).toBe(400);
  });

  it("a token whose sub holds NUL is refused as a token (401 naming the claim), not a 500", async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ role: 'medewerker', teams: ['team-zwolle'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice\u0000')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const before = await rowCounts(t.db);
    for (const [method, url] of [['GET', '/v1/cases'], ['GET', `/v1/cases/${caseId}`], ['POST', '/v1/meldingen']] as const) {
      const res = await t.request(method, url, forged, method === 'POST' ? meldingBody() : undefined);
      expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
      expect(apiError(res.json()).message).toMatch(/sub/);
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
