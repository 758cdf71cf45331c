import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { TokenVerifier } from '../auth/token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Verifies the bearer token of every /v1 request; the principal is then on `request.principal`. */
export function registerAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // Decide by the matched route, not the raw URL: '/%761/cases' and absolute-form targets route to /v1 too.
    if (!request.routeOptions.url?.startsWith('/v1/')) return;
    // The contract itself is public (NL API Design Rules): integrators read it before they have a token.
    if (request.routeOptions.url === '/v1/openapi.json') return;
    // The rate limiter (src/http/hardening.ts) runs first and may already have verified this request's token.
    request.principal ??= await verifier.verify(request.headers.authorization);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not behind authentication');
  return request.principal;
}
