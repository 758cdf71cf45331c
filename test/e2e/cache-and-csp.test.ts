/**
 * Responses with personal data are not kept by browsers or proxies (`Cache-Control: no-store` on every /v1 answer,
 * errors included), and the CSP is the one the README documents: no inline styles except for Swagger UI at /docs.
 */
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

describe('caching and content security policy', () => {
  let t: TestApp;
  let alice: string;
  let beheerder: string;
  let caseId: string;
  let adviesId: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    beheerder = await t.token('ben', 'beheerder');
    const created = await t.request('POST', '/v1/meldingen', alice, meldingBody({ reporter: { professional: false, shielded: true, name: 'Buur Afgeschermd', contact: '06-00000000' } }));
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    caseId = created.json<{ id: string }>().id;
    const advies = await t.request('POST', '/v1/adviezen', alice, { gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], caller: { professional: false }, summary: 'Vraag.' });
    expect(advies.headers['cache-control']).toBe('no-store');
    adviesId = advies.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  it('every /v1 answer, success or error, carries Cache-Control: no-store', async () => {
    const calls: Array<[string, string | null, number]> = [
      [`/v1/cases/${caseId}`, alice, 200],
      [`/v1/cases/${caseId}/melder`, alice, 200],
      [`/v1/cases/${caseId}/history`, alice, 200],
      [`/v1/cases/${caseId}/transitions`, alice, 200],
      ['/v1/cases', alice, 200],
      [`/v1/adviezen/${adviesId}`, alice, 200],
      ['/v1/audit', beheerder, 200],
      ['/v1/alerts', alice, 200],
      ['/v1/workflow/melding/definition', alice, 200],
      [`/v1/cases/${caseId}`, null, 401],
      ['/v1/audit', alice, 403],
      ['/v1/cases/not-a-uuid', alice, 400],
      ['/v1/no-such-route', alice, 404],
    ];
    for (const [url, token, status] of calls) {
      const res = await t.request('GET', url, token);
      expect({ url, status: res.statusCode, cache: res.headers['cache-control'] }).toEqual({ url, status, cache: 'no-store' });
    }
  });

  it('the CSP allows no inline styles, except on /docs for Swagger UI', async () => {
    for (const url of ['/', '/v1/cases', '/health']) {
      const csp = String((await t.request('GET', url, alice)).headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(/style-src 'self'(;|$)/);
      expect(csp).not.toContain('unsafe-inline');
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(String(docs.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
    expect(String(docs.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
