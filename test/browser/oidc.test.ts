/// <reference lib="dom" />
/**
 * Signing in to the dashboard with OpenID Connect where AUTH_OIDC_ISSUER is set: authorization code with PKCE in
 * real Chromium, against a small provider on 127.0.0.1 (test/browser/oidc-provider.ts) whose RS256 tokens the API
 * verifies through AUTH_JWKS_URL. The code must leave the address bar, and the token never enters a URL.
 */
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';
import { launchChromium, STRICT_CSP } from './chromium';
import { startOidcProvider, type TestOidcProvider } from './oidc-provider';

jest.setTimeout(60_000);

describe('dashboard sign-in with OIDC (authorization code + PKCE)', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    provider = await startOidcProvider({ clientId: 'vt-dashboard', audience: 'vt-api', user: { sub: 'tl-oidc', role: 'teamleider', teams: ['team-zwolle'] } });
    t = await startTestApp({
      env: {
        AUTH_JWKS_URL: provider.jwksUrl,
        AUTH_ISSUER: provider.issuer,
        AUTH_AUDIENCE: 'vt-api',
        AUTH_OIDC_ISSUER: provider.issuer,
        AUTH_OIDC_CLIENT_ID: 'vt-dashboard',
      },
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  it('signs in at the provider, comes back with a code, exchanges it, and calls the API with the access token', async () => {
    // Chromium's Local Network Access asks before a page reaches a loopback address on another port; here both the
    // provider and the dashboard are on 127.0.0.1 (in production the provider is a public host), so it is granted.
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'nl-NL', permissions: ['local-network-access'] });
    // The same strict policy, with the provider's origin allowed for the discovery and token requests.
    const csp = STRICT_CSP.replace("connect-src 'self'", `connect-src 'self' ${provider.issuer}`);
    await context.route(new RegExp(`^${baseUrl}/(\\?.*)?$`), async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const apiCalls: Array<{ url: string; authorization: string | undefined }> = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${baseUrl}/v1/`)) apiCalls.push({ url: r.url(), authorization: r.headers().authorization });
    });

    await page.goto(`${baseUrl}/`);
    // No paste field where OIDC is configured: one button to the provider.
    await expect(page.getByLabel('Toegangstoken').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Aanmelden' }).click();

    await page.getByRole('heading', { name: 'Signalen en zaken', level: 1 }).waitFor();
    await page.locator('.stream-status[data-status="verbonden"]').waitFor();
    await expect(page.locator('.who').textContent()).resolves.toContain('tl-oidc');
    await page.getByText('Geen open signalen.').waitFor();
    // The code went to the provider's token endpoint with a matching PKCE verifier, and left the address bar.
    expect(provider.tokenRequests).toEqual([{ pkceOk: true, clientId: 'vt-dashboard' }]);
    expect(page.url()).toBe(`${baseUrl}/`);
    expect(urls.some((u) => u.startsWith(`${provider.issuer}/authorize?`) && u.includes('code_challenge_method=S256'))).toBe(true);

    // Every API call carries the provider's access token in the header, which the API accepted (RS256 via JWKS).
    expect(apiCalls.length).toBeGreaterThan(0);
    const bearer = apiCalls[0]!.authorization!;
    expect(bearer).toMatch(/^Bearer ey/);
    for (const call of apiCalls) expect(call.authorization).toBe(bearer);
    const token = bearer.slice('Bearer '.length);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256' });
    for (const u of urls) expect(u).not.toContain(token);
    expect((await t.request('GET', '/v1/alerts', token)).statusCode).toBe(200);
    expect(violations).toEqual([]);

    // Signing out forgets the session: a reload shows the sign-in button again.
    await page.getByRole('button', { name: 'Afmelden' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Aanmelden' }).waitFor();
    await context.close();
  });
});
