import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdempotencyStore, StoredResponse } from '../idempotency/idempotency.store';
import { AppError, validationError } from '../shared/errors';
import { principalOf } from './authenticate';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers replayed with the stored body. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
/** A retry waits this long for the first request with its key to answer, then gets 409. */
const WAIT_MS = 30_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim: { subject: string; key: string } | null;
  }
}

/** JSON with object keys sorted, so two equal bodies hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256').update(`${request.method} ${request.url}\n${request.headers['if-match'] ?? ''}\n${canonical(request.body)}`).digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `Idempotency-Key` on every POST and PUT under /v1: the same key with the same request by the same subject answers
 * the first response (status, body, content type) without running the handler again, also while the first is still
 * running (the retry waits for it); the same key with another request answers 422. A 5xx is not kept: nothing was
 * written, so a retry with the same key runs again. Without the header a request runs as before.
 */
export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' && request.method !== 'PUT') return;
    if (!request.routeOptions.url?.startsWith('/v1/')) return;
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw validationError([{ field: `headers.${IDEMPOTENCY_HEADER}`, rule: 'must be 1 to 255 visible ASCII characters, e.g. a UUID' }]);
    }
    const subject = principalOf(request).sub;
    const hash = requestHash(request);
    const started = Date.now();
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const claim = await store.claim(subject, key, hash);
      if (claim.kind === 'claimed') {
        request.idempotencyClaim = { subject, key };
        return;
      }
      if (claim.kind === 'mismatch') throw new AppError('REQUEST.IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request (method, path or body); use a new key for a new request');
      if (claim.kind === 'replay') {
        for (const [name, value] of Object.entries(claim.response.headers)) void reply.header(name, value);
        return reply.status(claim.response.status).header('idempotent-replayed', 'true').send(claim.response.body);
      }
      if (Date.now() - started > WAIT_MS) throw new AppError('REQUEST.IDEMPOTENCY_IN_PROGRESS', 'the first request with this Idempotency-Key has not answered yet; retry later with the same key');
      await sleep(delay);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await store.release(claim.subject, claim.key);
      return payload;
    }
    const headers: StoredResponse['headers'] = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await store.complete(claim.subject, claim.key, { status: reply.statusCode, headers, body: payload });
    return payload;
  });
}
