import { MELDER_SECTOR_LABELS, ONDERZOEK_OUTCOME_LABELS } from '../../workflows/reference';
import { MELDING_STATES } from '../../workflows/melding';
/**
 * What the dashboard needs from the API, over HTTP: the static files at `/` (fresh index.html, immutable hashed
 * assets, the JSON 404 elsewhere), its config endpoint, the machine definition and werkdagen left per term.
 */
import { dashboardOidcOf, parseConfig } from '../../src/config/config';
import { meldingBody, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';

describe('the dashboard routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Tuesday 24 Nov 2026 09:00 CET.
    t = await startTestApp({ now: new Date('2026-11-24T09:00:00+01:00') });
  });
  afterAll(async () => t.close());

  it('serves the dashboard at / with its hashed assets, and keeps the JSON 404 for anything else', async () => {
    const index = await t.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const asset = await t.app.inject({ method: 'GET', url: script! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await t.app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(apiError(missing.json())).toMatchObject({ code: 'ROUTE.NOT_FOUND' });
  });

  it('tells the dashboard how to sign in, the service time and the region; no token needed', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/dashboard/config.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.oidc).toBeNull();
    expect(body.now).toBe('2026-11-24T08:00:00.000Z');
    expect(body.region).toMatchObject({ id: 'ijsselland', centrumgemeente: 'GM0193' });
    expect(body.region.gemeenten).toHaveLength(11);
    expect(body.region.gemeenten[0]).toEqual({ code: expect.stringMatching(/^GM\d{4}$/), name: expect.any(String) });
    expect(Object.keys(body.labels.milestones)).toEqual(['gap_analyse', 'interne_audit', 'directiebeoordeling', 'certificatie_audit', 'certificaat_behaald']);
    expect(body.labels.melderSectors).toEqual(MELDER_SECTOR_LABELS);
    expect(body.labels.onderzoekOutcomes).toEqual(ONDERZOEK_OUTCOME_LABELS);
    expect(Object.keys(body.labels.onderzoekOutcomes)).toEqual(['bevestigd', 'niet_bevestigd', 'geen_oordeel_mogelijk']);
    expect(body.labels).toMatchObject({ certificationSchemes: ['HKZ', 'ISO 9001'], planStatuses: ['gepland', 'in_uitvoering', 'gereed', 'vervallen'] });
  });

  it('serves the machine definition to any signed-in role, and to nobody else', async () => {
    expect((await t.request('GET', '/v1/workflow/melding/definition', null)).statusCode).toBe(401);
    const gm = await t.token('ana', 'gemeente', { gemeente: 'GM0193' });
    const res = await t.request('GET', '/v1/workflow/melding/definition', gm);
    expect(res.statusCode).toBe(200);
    const graph = res.json();
    expect(graph.initial).toBe('veiligheidsbeoordeling');
    expect(graph.states).toHaveLength(MELDING_STATES.length);
    expect(graph.states).toHaveLength(12);
    expect(graph.transitions).toContainEqual({ from: 'veiligheidsbeoordeling', to: 'besluit_ter_goedkeuring', event: 'DECISION_PROPOSED', guard: 'allowed', internal: false });
    const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/workflow/melding/definition', '/dashboard/config.json']));
  });

  it('gives werkdagen left per term, in the list and on the case, so the browser needs no holiday calendar', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    // Received Thu 19 Nov: due at the end of Thu 26 Nov, two werkdagen after today (Wed 25, Thu 26).
    const soon = (await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-11-19T10:00:00+01:00' }))).json();
    // Received Mon 9 Nov: due at the end of Mon 16 Nov, six werkdagen ago (17–20 and 23, 24 Nov).
    const late = (await t.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-11-09T10:00:00+01:00' }))).json();
    const list = (await t.request('GET', '/v1/cases', alice)).json();
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([late.id, soon.id]);
    expect(list.items[0].nextDueTimeLeft).toEqual({ werkdagenLeft: -6, overdue: true });
    expect(list.items[1].nextDueTimeLeft).toEqual({ werkdagenLeft: 2, overdue: false });
    const c = (await t.request('GET', `/v1/cases/${soon.id}`, alice)).json();
    expect(c.deadlines[0]).toMatchObject({ kind: 'veiligheidsbeoordeling', timeLeft: { werkdagenLeft: 2, overdue: false } });
  });
});

describe('dashboard sign-in configuration', () => {
  const base = { NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET };
  it('uses OIDC in the browser only where an issuer and client id are configured', () => {
    expect(dashboardOidcOf(parseConfig(base))).toBeNull();
    expect(dashboardOidcOf(parseConfig({ ...base, AUTH_OIDC_ISSUER: 'https://idp.example.test/realms/vt', AUTH_OIDC_CLIENT_ID: 'vt-dashboard' }))).toEqual({
      issuer: 'https://idp.example.test/realms/vt',
      clientId: 'vt-dashboard',
      scope: 'openid profile',
    });
    expect(() => parseConfig({ ...base, AUTH_OIDC_ISSUER: 'https://idp.example.test/realms/vt' })).toThrow(/AUTH_OIDC_CLIENT_ID: is required when AUTH_OIDC_ISSUER is set/);
    expect(() => parseConfig({ ...base, AUTH_OIDC_ISSUER: 'not a url', AUTH_OIDC_CLIENT_ID: 'x' })).toThrow(/AUTH_OIDC_ISSUER/);
  });
});
