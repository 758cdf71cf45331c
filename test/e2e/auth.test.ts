import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { signDevelopmentToken } from '../../src/auth/token-verifier';
import { meldingBody, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { expectNothingWritten, rowCounts } from './row-counts';
import { apiError } from '../support/api-error';

const REPO_ROOT = path.resolve(__dirname, '../..');
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const secretKey = (secret: string) => new TextEncoder().encode(secret);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A refusal: `status` with a code ending in FORBIDDEN, and no table changed. Status first, so a failure shows what came back. */
async function expectForbiddenAndNothingWritten(t: TestApp, send: () => Promise<LightMyRequestResponse>): Promise<void> {
  const before = await rowCounts(t.db);
  const res = await send();
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 403, body: expect.objectContaining({ status: 403, code: expect.stringMatching(/FORBIDDEN$/) }) });
  expect(await rowCounts(t.db)).toEqual(before);
}

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body: expect.objectContaining({ status, code, detail: expect.any(String) }) });
}

describe('authentication and authorisation', () => {
  let t: TestApp;
  let alice: string; // medewerker, team-zwolle
  let bob: string; // medewerker, team-deventer
  let manager: string;
  let gemeente: string;
  let beheerder: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    bob = await t.token('bob', 'medewerker', { teams: ['team-deventer'] });
    manager = await t.token('marit', 'manager');
    gemeente = await t.token('gemma', 'gemeente', { gemeente: 'GM0193' });
    beheerder = await t.token('ben', 'beheerder');
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody());
    expect(res.statusCode).toBe(201);
    caseId = res.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const note = (expectedVersion = 1) => ({ type: 'NOTE_ADDED', expectedVersion, text: 'Mag niet worden opgeslagen.' });
  const currentVersion = async () => (await t.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version;

  describe('tokens', () => {
    const routes = (): Array<['GET' | 'POST', string, unknown?]> => [
      ['POST', '/v1/meldingen', meldingBody()],
      ['GET', '/v1/cases'],
      ['GET', `/v1/cases/${caseId}`],
      ['GET', `/v1/cases/${caseId}/history`],
      ['GET', `/v1/cases/${caseId}/transitions`],
      ['POST', `/v1/cases/${caseId}/events`, note()],
      ['POST', '/v1/adviezen', { gemeente: 'GM0193', violenceTypes: ['partnergeweld'], caller: { professional: false }, summary: 'x' }],
      ['GET', '/v1/adviezen/7c9e6679-7425-40de-944b-e07fc1f90ae7'],
    ];

    it('no token → 401 AUTH.MISSING_TOKEN on every /v1 route, nothing written', async () => {
      for (const [method, url, body] of routes()) {
        const res = await expectNothingWritten(t.db, () => t.request(method, url, null, body));
        expectError(res, 401, 'AUTH.MISSING_TOKEN');
      }
    });

    it('a garbage token → 401 AUTH.INVALID_TOKEN', async () => {
      expectError(await t.request('GET', `/v1/cases/${caseId}`, 'not-a-jwt'), 401, 'AUTH.INVALID_TOKEN');
      expectError(await t.request('GET', `/v1/cases/${caseId}`, 'aaa.bbb.ccc'), 401, 'AUTH.INVALID_TOKEN');
      const basic = await t.app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
      expectError(basic, 401, 'AUTH.INVALID_TOKEN');
    });

    it('a token signed with another secret → 401 AUTH.INVALID_TOKEN, nothing written', async () => {
      const forged = await signDevelopmentToken('another-secret-that-is-also-long-enough-0123456789', { sub: 'alice', role: 'medewerker', teams: ['team-zwolle'] });
      expect(forged).toMatch(JWT_SHAPE);
      expectError(await t.request('GET', `/v1/cases/${caseId}`, forged), 401, 'AUTH.INVALID_TOKEN');
      const res = await expectNothingWritten(t.db, () => t.request('POST', `/v1/cases/${caseId}/events`, forged, note()));
      expectError(res, 401, 'AUTH.INVALID_TOKEN');
    });

    it('an expired token → 401 AUTH.INVALID_TOKEN, while the same token unexpired is accepted', async () => {
      const sign = (exp: number) =>
        new SignJWT({ role: 'medewerker', teams: ['team-zwolle'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('alice')
          .setIssuedAt(nowSeconds() - 7200)
          .setExpirationTime(exp)
          .sign(secretKey(TEST_JWT_SECRET));
      const expired = await sign(nowSeconds() - 3600);
      expectError(await t.request('GET', `/v1/cases/${caseId}`, expired), 401, 'AUTH.INVALID_TOKEN');
      const valid = await sign(nowSeconds() + 3600);
      expect((await t.request('GET', `/v1/cases/${caseId}`, valid)).statusCode).toBe(200);
    });

    it('an unsigned token (alg none) → 401 AUTH.INVALID_TOKEN', async () => {
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'alice', role: 'manager', teams: [], exp: nowSeconds() + 3600 })}.`;
      expectError(await t.request('GET', `/v1/cases/${caseId}`, unsigned), 401, 'AUTH.INVALID_TOKEN');
    });

    it('a correctly signed token with bad claims (unknown role; staff without team) → 401 AUTH.INVALID_TOKEN', async () => {
      const sign = (claims: Record<string, unknown>) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt().setExpirationTime('1h').sign(secretKey(TEST_JWT_SECRET));
      expectError(await t.request('GET', `/v1/cases/${caseId}`, await sign({ role: 'root', teams: ['team-zwolle'] })), 401, 'AUTH.INVALID_TOKEN');
      expectError(await t.request('GET', `/v1/cases/${caseId}`, await sign({ role: 'medewerker', teams: [] })), 401, 'AUTH.INVALID_TOKEN');
      expectError(await t.request('GET', `/v1/cases/${caseId}`, await sign({ role: 'gemeente' })), 401, 'AUTH.INVALID_TOKEN');
    });

    it('the authentication check cannot be sidestepped by spelling the /v1 path differently: 401, not a handler without a principal', async () => {
      // "%76" is "v": the router decodes it and finds the /v1 route, so authentication must apply there too.
      const encoded = await t.request('GET', `/%761/cases/${caseId}`, null);
      expect({ status: encoded.statusCode, body: encoded.json() }).toEqual({ status: 401, body: expect.objectContaining({ status: 401, code: 'AUTH.MISSING_TOKEN' }) });
      const post = await expectNothingWritten(t.db, () => t.request('POST', `/%761/cases/${caseId}/events`, null, note()));
      expectError(post, 401, 'AUTH.MISSING_TOKEN');
    });

    it('an absolute-form request target (GET http://host/v1/…) over a real socket is authenticated too', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () =>
          socket.write(`GET http://127.0.0.1:${port}/v1/cases/${caseId} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
        );
        let out = '';
        socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
      const body: unknown = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, ''));
      expect(raw).not.toContain('Testouder');
      // The route is found (the handler runs), so it must be behind authentication: 401, not a 500 from a missing principal.
      expect({ status, body }).toEqual({ status: 401, body: expect.objectContaining({ status: 401, code: 'AUTH.MISSING_TOKEN' }) });
    });
  });

  describe('roles', () => {
    it("role 'gemeente' cannot register a melding: 403 AUTH.FORBIDDEN, nothing written", async () => {
      const res = await expectNothingWritten(t.db, () => t.request('POST', '/v1/meldingen', gemeente, meldingBody()));
      expectError(res, 403, 'AUTH.FORBIDDEN');
    });

    it.each([
      ['gemeente', () => gemeente],
      ['beheerder', () => beheerder],
    ])("role '%s' cannot read case content: 403 AUTH.FORBIDDEN on the case, its history, its transitions and the list", async (_role, token) => {
      for (const suffix of ['', '/history', '/transitions']) {
        const res = await t.request('GET', `/v1/cases/${caseId}${suffix}`, token());
        expectError(res, 403, 'AUTH.FORBIDDEN');
        expect(res.body).not.toContain('Testouder');
      }
      expectError(await t.request('GET', '/v1/cases', token()), 403, 'AUTH.FORBIDDEN');
    });

    it('beheerder and gemeente cannot send events: 403, nothing written', async () => {
      for (const token of [beheerder, gemeente]) {
        const res = await expectNothingWritten(t.db, () => t.request('POST', `/v1/cases/${caseId}/events`, token, note()));
        expectError(res, 403, 'AUTH.FORBIDDEN');
      }
      expect(await currentVersion()).toBe(1);
    });

    it('a medewerker of another team gets the 404 of a case that does not exist on the case, history and transitions', async () => {
      for (const suffix of ['', '/history', '/transitions']) {
        const res = await t.request('GET', `/v1/cases/${caseId}${suffix}`, bob);
        expectError(res, 404, 'CASE.NOT_FOUND');
        expect(res.body).not.toContain('Testouder');
      }
    });

    it('a medewerker of another team gets 404 CASE.NOT_FOUND on POST /events and nothing is written (the version does not leak either)', async () => {
      const res = await expectNothingWritten(t.db, () => t.request('POST', `/v1/cases/${caseId}/events`, bob, note(1)));
      expectError(res, 404, 'CASE.NOT_FOUND');
      const stale = await expectNothingWritten(t.db, () => t.request('POST', `/v1/cases/${caseId}/events`, bob, note(9)));
      expectError(stale, 404, 'CASE.NOT_FOUND');
      expect(apiError(stale.json())).not.toHaveProperty('currentVersion');
      expect(await currentVersion()).toBe(1);
    });

    it("a medewerker of another team does not see the case in lists and cannot filter on the other team", async () => {
      const list = await t.request('GET', '/v1/cases', bob);
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).not.toContain(caseId);
      expectError(await t.request('GET', '/v1/cases?team=team-zwolle', bob), 403, 'CASE.FORBIDDEN');
    });

    it("a manager reads any team's case, history and transitions with a reason (break the glass; nothing allowed)", async () => {
      expectError(await t.request('GET', `/v1/cases/${caseId}`, manager), 403, 'CASE.REASON_REQUIRED');
      const withReason = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${manager}`, 'x-access-reason': 'Klacht over de afhandeling onderzoeken' } });
      const got = await withReason(`/v1/cases/${caseId}`);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({ id: caseId, teamId: 'team-zwolle' });
      const history = await withReason(`/v1/cases/${caseId}/history`);
      expect(history.statusCode).toBe(200);
      expect(history.json<{ items: unknown[] }>().items).toHaveLength(1);
      const transitions = await withReason(`/v1/cases/${caseId}/transitions`);
      expect(transitions.statusCode).toBe(200);
      expect(transitions.json()).toMatchObject({ allowed: [] });
      const list = await t.request('GET', '/v1/cases', manager);
      expect(list.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toContain(caseId);
    });

    it('a manager cannot send events or register meldingen: 403 AUTH.FORBIDDEN, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () => t.request('POST', `/v1/cases/${caseId}/events`, manager, note()));
      expectError(res, 403, 'AUTH.FORBIDDEN');
      const reg = await expectNothingWritten(t.db, () => t.request('POST', '/v1/meldingen', manager, meldingBody()));
      expectError(reg, 403, 'AUTH.FORBIDDEN');
      expect(await currentVersion()).toBe(1);
    });

    it('a medewerker of the team can send events (the positive control for the refusals above)', async () => {
      const colleague = await t.token('anna', 'teamleider', { teams: ['team-zwolle', 'team-kampen'] });
      const res = await t.request('POST', `/v1/cases/${caseId}/events`, colleague, note(1));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 2 });
    });
  });

  describe('team membership on writes', () => {
    it('a medewerker cannot register a melding for a team they are not in: 403, nothing written', async () => {
      await expectForbiddenAndNothingWritten(t, () => t.request('POST', '/v1/meldingen', alice, meldingBody({ teamId: 'team-deventer' })));
    });

    it('a medewerker in several teams may register for any of them', async () => {
      const multi = await t.token('mo', 'medewerker', { teams: ['team-zwolle', 'team-kampen'] });
      const res = await t.request('POST', '/v1/meldingen', multi, meldingBody({ teamId: 'team-kampen' }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ teamId: 'team-kampen' });
    });

    it('a medewerker cannot register an advies for a team they are not in: 403, nothing written', async () => {
      const body = { gemeente: 'GM0193', violenceTypes: ['partnergeweld'], caller: { professional: false }, summary: 'Advies (synthetisch).', teamId: 'team-deventer' };
      await expectForbiddenAndNothingWritten(t, () => t.request('POST', '/v1/adviezen', alice, body));
    });

    it("a medewerker cannot convert another team's advies into a melding: 404, nothing written", async () => {
      const advies = await t.request('POST', '/v1/adviezen', alice, { gemeente: 'GM0193', violenceTypes: ['partnergeweld'], caller: { professional: false }, summary: 'Advies (synthetisch).' });
      expect(advies.statusCode).toBe(201);
      const adviesId = advies.json<{ id: string }>().id;
      expectError(await t.request('GET', `/v1/adviezen/${adviesId}`, bob), 404, 'ADVIES.NOT_FOUND');
      expectError(await expectNothingWritten(t.db, () => t.request('POST', '/v1/meldingen', bob, meldingBody({ adviesId }))), 404, 'ADVIES.NOT_FOUND');
      const row = await t.db.selectFrom('adviezen').select('converted_case_id').where('id', '=', adviesId).executeTakeFirstOrThrow();
      expect(row.converted_case_id).toBeNull();
    });
  });

  describe('npm run token (src/auth/token.cli.ts)', () => {
    const cliEnv = (extra: Record<string, string>) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
      for (const key of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'VT_REGION_FILE']) delete env[key];
      return env;
    };
    const runCli = (env: NodeJS.ProcessEnv) =>
      spawnSync('npx', ['tsx', 'src/auth/token.cli.ts', '--sub', 'alice', '--role', 'medewerker', '--team', 't1'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });

    it('prints exactly one line, a JWT, and nothing else on stdout; the test app accepts it', async () => {
      const result = runCli(cliEnv({ NODE_ENV: 'development', AUTH_JWT_SECRET: TEST_JWT_SECRET }));
      expect({ status: result.status, error: result.error, stderr: result.stderr }).toEqual({ status: 0, error: undefined, stderr: expect.any(String) });
      const lines = result.stdout.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      const token = lines[0]!;
      expect(token).toMatch(JWT_SHAPE);

      const res = await t.request('POST', '/v1/meldingen', token, meldingBody());
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ teamId: 't1', registeredBy: 'alice' });
    }, 60_000);

    it('refuses with NODE_ENV=production: non-zero exit and nothing on stdout', () => {
      const result = runCli(cliEnv({ NODE_ENV: 'production', AUTH_JWT_SECRET: TEST_JWT_SECRET }));
      expect(result.error).toBeUndefined();
      expect(result.status).not.toBe(0);
      expect(result.status).not.toBeNull();
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/production/);
    }, 60_000);
  });

  describe('public endpoints', () => {
    it('GET /health needs no token', async () => {
      const res = await t.request('GET', '/health', null);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok', database: { ok: true } });
    });

    it('GET /openapi.json is an OpenAPI 3 document with the workflow paths', async () => {
      const res = await t.request('GET', '/openapi.json', null);
      expect(res.statusCode).toBe(200);
      const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } }>();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/meldingen', '/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/events', '/v1/cases/{id}/history', '/v1/cases/{id}/transitions', '/v1/adviezen', '/health']),
      );
      expect(doc.paths['/v1/meldingen']).toHaveProperty('post.requestBody');
      expect(doc.paths['/v1/cases/{id}/events']).toHaveProperty('post.requestBody');
      expect(doc.paths['/v1/cases/{id}']).toHaveProperty('get');
      expect(doc.components.securitySchemes).toHaveProperty('bearer');
    });

    it('GET /docs answers 200 or redirects to the UI', async () => {
      let res = await t.request('GET', '/docs', null);
      if (res.statusCode >= 300 && res.statusCode < 400) {
        const location = res.headers.location;
        expect(typeof location).toBe('string');
        res = await t.request('GET', new URL(String(location), 'http://localhost/docs').pathname, null);
      }
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });
  });
});
