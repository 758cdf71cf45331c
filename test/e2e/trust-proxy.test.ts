import { startTestApp, type TestApp } from '../support/test-app';

const anonymous = (t: TestApp, forwardedFor: string) => t.app.inject({ method: 'GET', url: '/v1/cases', headers: { 'x-forwarded-for': forwardedFor } });

describe('TRUST_PROXY and the rate limiter', () => {
  it('behind a trusted proxy, each client address behind it has a bucket of its own', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      for (let i = 0; i < 3; i++) expect((await anonymous(t, '203.0.113.10')).statusCode).toBe(401);
      expect((await anonymous(t, '203.0.113.10')).statusCode).toBe(429);
      // Another caller behind the same ingress is not limited by the first one's flood.
      expect((await anonymous(t, '203.0.113.11')).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('without it (the default), X-Forwarded-For is ignored: a caller cannot pick a fresh bucket by forging it', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      for (let i = 0; i < 3; i++) expect((await anonymous(t, `198.51.100.${i}`)).statusCode).toBe(401);
      expect((await anonymous(t, '198.51.100.99')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});
