/**
 * Tokens expire: `exp` is required, a token lives at most AUTH_TOKEN_MAX_LIFETIME_MINUTES (12 h), one issued in the
 * future is refused, and an open alert stream ends when the token that opened it expires.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { signDevelopmentToken } from '../../src/auth/token-verifier';
import { apiError } from '../support/api-error';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

function token(claims: { iat?: number; exp?: number }): Promise<string> {
  let jwt = new SignJWT({ role: 'medewerker', teams: ['team-zwolle'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice');
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

describe('token lifetime', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  async function status(tok: string, app = t): Promise<{ status: number; code?: string }> {
    const res = await app.request('GET', '/v1/cases', tok);
    return res.statusCode === 200 ? { status: 200 } : { status: res.statusCode, code: apiError(res.json()).code };
  }

  it.each([
    ['without exp', { iat: now() }],
    ['with exp in the year 9999', { iat: now(), exp: 253_402_300_799 }],
    ['living 13 hours', { iat: now(), exp: now() + 13 * HOUR }],
    ['without iat and exp 13 hours ahead', { exp: now() + 13 * HOUR }],
    ['issued a year ahead', { iat: now() + 365 * 24 * HOUR, exp: now() + 365 * 24 * HOUR + HOUR }],
    ['issued ten minutes ahead', { iat: now() + 600, exp: now() + HOUR }],
  ])('a token %s is refused (401)', async (_label, claims) => {
    expect(await status(await token(claims))).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  });

  it('a token of 11 hours, or issued a few seconds ahead (clock skew), is accepted', async () => {
    expect(await status(await token({ iat: now(), exp: now() + 11 * HOUR }))).toEqual({ status: 200 });
    expect(await status(await token({ iat: now() + 5, exp: now() + HOUR }))).toEqual({ status: 200 });
  });

  it('the maximum is a setting (AUTH_TOKEN_MAX_LIFETIME_MINUTES)', async () => {
    const short = await startTestApp({ env: { AUTH_TOKEN_MAX_LIFETIME_MINUTES: '30' } });
    try {
      expect(await status(await token({ iat: now(), exp: now() + HOUR }), short)).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
      expect(await status(await token({ iat: now(), exp: now() + 20 * 60 }), short)).toEqual({ status: 200 });
    } finally {
      await short.close();
    }
  });

  it('the alert stream closes when its token expires', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const tok = await signDevelopmentToken(TEST_JWT_SECRET, { sub: 'alice', role: 'medewerker', teams: ['team-zwolle'], expiresIn: '3s' });
    const opened = Date.now();
    const { chunks, closedAfterMs } = await new Promise<{ chunks: string; closedAfterMs: number }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/alerts/stream', headers: { authorization: `Bearer ${tok}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toMatch(/no-store/);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ chunks: body, closedAfterMs: Date.now() - opened }));
      });
      req.on('error', reject);
      req.setTimeout(15_000, () => req.destroy(new Error('the stream stayed open after its token expired')));
      req.end();
    });
    expect(chunks).toContain('event: token-expired');
    // exp has second precision, so the stream ends between 2 and 3 s after it opened (plus scheduling).
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_500);
    expect(closedAfterMs).toBeLessThan(10_000);
  });
});
