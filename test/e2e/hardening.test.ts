import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { buildHttpApp } from '../../src/http/app';
import { databaseProbe } from '../../src/services';
import { createRateLimitRedis } from '../../workers/redis-connection';
import { TEST_REDIS_URL } from '../support/test-env';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { apiError } from '../support/api-error';

const silentWatch = { failed: () => undefined, recovered: () => undefined };

describe('rate limits per token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(async () => t.close());

  it('limits each token subject on its own, answers 429 with Retry-After, and never limits /health', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    const bob = await t.token('bob', 'medewerker', { teams: ['team-a'] });
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/v1/cases', alice)).statusCode).toBe(200);
    const limited = await t.request('GET', '/v1/cases', alice);
    expect(limited.statusCode).toBe(429);
    expect(apiError(limited.json()).code).toBe('REQUEST.RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A second token of the same subject shares the bucket; another subject has its own.
    const alice2 = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    expect((await t.request('GET', '/v1/cases', alice2)).statusCode).toBe(429);
    expect((await t.request('GET', '/v1/cases', bob)).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) expect((await t.request('GET', '/health', null)).statusCode).toBe(200);
  });

  it('limits requests without a valid token by address, before authentication', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await t.request('GET', '/v1/cases', null)).statusCode);
    for (let i = 0; i < 2; i++) codes.push((await t.request('GET', '/v1/cases', 'not-a-token')).statusCode);
    codes.push((await t.request('GET', '/v1/cases', 'forged.token.here')).statusCode);
    codes.push((await t.request('GET', '/openapi.json', null)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('shares one limit per token across API processes through Redis', async () => {
    const nameSpace = `test-rl-${randomUUID().slice(0, 8)}-`;
    const redisA = createRateLimitRedis(TEST_REDIS_URL, silentWatch);
    const redisB = createRateLimitRedis(TEST_REDIS_URL, silentWatch);
    const build = (redis: Redis) =>
      buildHttpApp({
        ...t.services,
        publicBaseUrl: t.config.PUBLIC_BASE_URL,
        region: t.config.region,
        logLevel: 'silent',
        rateLimit: { max: 4, windowMs: 60_000, redis, nameSpace },
        health: { database: databaseProbe(t.db, 'postgres'), redis: async () => ({ ok: true, configured: true, mode: 'bullmq' }) },
      });
    const [a, b] = [await build(redisA), await build(redisB)];
    try {
      const token = await t.token(`carol-${randomUUID()}`, 'medewerker', { teams: ['team-a'] });
      const get = (app: typeof a) => app.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: `Bearer ${token}` } });
      const codes = [(await get(a)).statusCode, (await get(b)).statusCode, (await get(a)).statusCode, (await get(b)).statusCode, (await get(a)).statusCode, (await get(b)).statusCode];
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await a.close();
      await b.close();
      const keys = await redisA.keys(`${nameSpace}*`);
      if (keys.length > 0) await redisA.del(...keys);
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});

describe('rate limits when the shared store is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('lets requests through at once instead of hanging or failing (staff must reach an acute melding)', async () => {
    const redis = createRateLimitRedis('redis://127.0.0.1:1', silentWatch);
    const app = await buildHttpApp({
      ...t.services,
      publicBaseUrl: t.config.PUBLIC_BASE_URL,
      region: t.config.region,
      logLevel: 'silent',
      rateLimit: { max: 1, windowMs: 60_000, redis },
      health: { database: databaseProbe(t.db, 'postgres'), redis: async () => ({ ok: false, configured: true, mode: 'bullmq' }) },
    });
    try {
      const token = await t.token('dora', 'medewerker', { teams: ['team-a'] });
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
      }
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('sends Helmet headers with a CSP that allows self-hosted scripts only', async () => {
    const res = await t.request('GET', '/health', null);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toMatch(/script-src[^;]*https?:/);
  });

  it('serves Swagger UI with only its own external scripts, which the CSP allows', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    const html = page.statusCode === 302 ? (await t.app.inject({ method: 'GET', url: String(page.headers.location) })).body : page.body;
    expect(html).toContain('swagger-ui');
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(inline!.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attrs!)?.[1];
      expect(src).toBeDefined();
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const url = src!.startsWith('/') ? src! : `/docs/${src!.replace(/^\.\//, '')}`;
      const asset = await t.app.inject({ method: 'GET', url });
      expect(`${url} ${asset.statusCode}`).toBe(`${url} 200`);
    }
    expect(html).not.toMatch(/\son[a-z]+="/i);
  });

  it('refuses a body over 1 MiB with 413 and a stable code', async () => {
    const token = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    const res = await t.request('POST', '/v1/meldingen', token, meldingBody({ summary: 'x'.repeat(1_100_000) }));
    expect(res.statusCode).toBe(413);
    expect(apiError(res.json()).code).toBe('REQUEST.CTP_BODY_TOO_LARGE');
  });
});

/** Names, BSNs and contact details of the persons below; none may reach a log line or an error body. */
const PII = {
  parent: 'Priva Tegeheim',
  child: 'Kindje Verborgen',
  melder: 'Melder Onzichtbaar',
  contact: 'geheim@voorbeeld.nl',
  bsn: '123456782',
  badBsn: '987654321',
  street: 'Stillestraat 12',
};

describe('no personal data in logs or error bodies', () => {
  let t: TestApp;
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  beforeAll(async () => {
    t = await startTestApp({ log: { stream, level: 'trace' } });
  });
  afterAll(async () => t.close());

  it('logs a whole melding lifecycle and bad requests full of personal data without any of it', async () => {
    const alice = await t.token('alice', 'medewerker', { teams: ['team-a'] });
    const bob = await t.token('bob', 'medewerker', { teams: ['team-a'] });
    const errors: string[] = [];
    const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string | null, body?: unknown) => {
      const res = await t.request(method, url, token, body);
      if (res.statusCode >= 400) errors.push(`${res.statusCode} ${res.body}`);
      return res;
    };
    const persons = [
      { role: 'ouder', name: PII.parent, birthDate: '1980-03-04', bsn: PII.bsn },
      { role: 'kind', name: PII.child, birthDate: '2015-07-08' },
    ];
    const created = await send('POST', '/v1/meldingen', alice, meldingBody({ persons, reporter: { professional: false, name: PII.melder, contact: PII.contact }, summary: `${PII.parent}, ${PII.street}` }));
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await send('POST', `/v1/cases/${id}/events`, alice, { type: 'NOTE_ADDED', expectedVersion: 1, text: `Gebeld met ${PII.parent} (${PII.bsn})` })).statusCode).toBe(200);
    expect((await send('GET', `/v1/cases/${id}`, alice)).statusCode).toBe(200);
    expect((await send('GET', `/v1/cases/${id}/history`, alice)).statusCode).toBe(200);
    expect((await send('POST', `/v1/cases/${id}/events`, alice, { type: 'DECISION_PROPOSED', expectedVersion: 2, safety: 'geen', code: 'VT-00', rationale: `Over ${PII.child}` })).statusCode).toBe(200);
    expect((await send('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 3, comment: PII.contact })).statusCode).toBe(200);

    // Bad requests carrying personal data in every place a value can go.
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/v1/meldingen', meldingBody({ persons: [{ role: 'ouder', name: PII.parent, bsn: PII.badBsn }] })],
      ['POST', '/v1/meldingen', meldingBody({ persons: PII.parent })],
      ['POST', '/v1/meldingen', meldingBody({ persons: [{ role: PII.parent, name: PII.child }] })],
      ['POST', '/v1/meldingen', meldingBody({ persons: [{ role: 'kind', name: PII.child, birthDate: PII.street }] })],
      ['POST', '/v1/meldingen', meldingBody({ persons: [{ role: 'kind', name: PII.child, birthDate: '2099-01-01' }] })],
      ['POST', '/v1/meldingen', meldingBody({ gemeente: PII.parent, violenceTypes: [PII.child], acuteDanger: PII.bsn })],
      ['POST', '/v1/meldingen', meldingBody({ summary: `${PII.parent} `.repeat(2_000), reporter: { professional: true, name: PII.melder } })],
      ['POST', '/v1/meldingen', meldingBody({ reporter: { professional: false, anonymous: true, name: PII.melder, contact: PII.contact } })],
      ['POST', '/v1/meldingen', meldingBody({ receivedAt: PII.bsn, teamId: PII.parent, adviesId: PII.child })],
      ['POST', `/v1/cases/${id}/events`, { type: PII.parent, expectedVersion: 4, text: PII.child }],
      ['POST', `/v1/cases/${id}/events`, { type: 'NOTE_ADDED', expectedVersion: PII.bsn, text: PII.child }],
      ['POST', `/v1/cases/${id}/events`, { type: 'NOTE_ADDED', expectedVersion: 1, text: PII.child }],
      ['POST', `/v1/cases/${id}/events`, { type: 'PERSON_ADDED', expectedVersion: 4, person: { role: 'kind', name: PII.child, bsn: PII.badBsn } }],
      ['GET', `/v1/cases/${PII.bsn}`, undefined],
      ['GET', `/v1/cases/${encodeURIComponent(PII.parent)}/history`, undefined],
      ['GET', `/v1/zoek/${PII.bsn}/${encodeURIComponent(PII.parent)}`, undefined],
      ['GET', `/v1/cases?gemeente=${encodeURIComponent(PII.parent)}&team=${PII.bsn}&cursor=${encodeURIComponent(PII.child)}`, undefined],
      ['PUT', `/v1/cases/${id}/legal-hold`, { reason: PII.parent }],
      ['POST', '/v1/meldingen', { ...meldingBody(), [PII.bsn]: PII.parent, [PII.child]: true, reporter: { professional: false, [PII.melder]: PII.contact } }],
    ];
    for (const [method, url, body] of bad) {
      const res = await send(method as 'GET', url, alice, body);
      expect(`${method} ${url.slice(0, 60)}: ${res.statusCode}`).toMatch(/: 4\d\d$/);
    }
    const rawJson = await t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload: `{"persons": "${PII.parent}", ${PII.bsn}` });
    errors.push(`${rawJson.statusCode} ${rawJson.body}`);
    expect(rawJson.statusCode).toBe(400);
    const proto = await t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload: `{"__proto__": {"name": "${PII.parent}"}}` });
    errors.push(`${proto.statusCode} ${proto.body}`);
    expect(proto.statusCode).toBe(400);
    for (const [type, status] of [['text/plain', 400], ['application/xml', 415]] as const) {
      const wrongType = await t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': type }, payload: `${PII.parent} ${PII.bsn}` });
      errors.push(`${wrongType.statusCode} ${wrongType.body}`);
      expect(wrongType.statusCode).toBe(status);
    }

    await new Promise((resolve) => setImmediate(resolve));
    const log = lines.join('\n');
    // The capture works: every request was logged, with the case id of the route.
    expect(lines.length).toBeGreaterThan(2 * (bad.length + 8));
    expect(log).toContain(`/v1/cases/${id}/events`);
    expect(log).toContain('(no route)');
    expect(errors.length).toBeGreaterThanOrEqual(bad.length + 3);
    const secrets = Object.values(PII).flatMap((v) => [v, encodeURIComponent(v)]);
    for (const secret of secrets) {
      expect({ secret, inLogs: lines.filter((l) => l.includes(secret)) }).toEqual({ secret, inLogs: [] });
      expect({ secret, inErrors: errors.filter((e) => e.includes(secret)) }).toEqual({ secret, inErrors: [] });
    }
  });
});
