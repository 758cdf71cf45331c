/**
 * Errors raised before any route runs (Fastify's router, Node's HTTP parser) answer in the one error shape, and never
 * quote the path or headers back.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError } from '../support/api-error';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const SECRET_PATH = 'Testkind-Geheim-123456789';

describe('framework errors', () => {
  let t: TestApp;
  let token: string;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t.close());

  it.each([
    [`/v1/cases/${SECRET_PATH}%E0%A4%A`, 400, 'REQUEST.BAD_URL'],
    [`/%zz${SECRET_PATH}`, 400, 'REQUEST.BAD_URL'],
    [`/v1/cases/${SECRET_PATH}${'x'.repeat(150)}`, 414, 'REQUEST.MAX_PARAM_LENGTH'],
  ])('%s is a %i %s in the error shape, without the path', async (url, status, code) => {
    const res = await t.request('GET', url, token);
    expect({ status: res.statusCode, code: apiError(res.json()).code }).toEqual({ status, code });
    expect(Object.keys(res.json<object>()).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).not.toContain(SECRET_PATH);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('headers too large are a 431 in the error shape, without the header', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1/cases', headers: { 'x-big': `${SECRET_PATH}${'a'.repeat(20_000)}` } }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(apiError(JSON.parse(answer.body)).code).toBe('REQUEST.HEADERS_TOO_LARGE');
    expect(answer.body).not.toContain(SECRET_PATH);
  });
});
