import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../shared/errors';

export interface RateLimitOptions {
  /** Requests per key per window. */
  max: number;
  windowMs: number;
  /** Shared store, so several API processes share one limit per token; in-memory per process without it. */
  redis?: Redis;
  /** Key prefix in Redis. */
  nameSpace?: string;
}

/** Routes a load balancer or orchestrator polls: never limited. */
const EXEMPT_ROUTES = new Set(['/health', '/health/live', '/health/ready']);

/**
 * Security headers and rate limiting, before authentication.
 *
 * Headers: Helmet (its middleware, built once) with a CSP of self-hosted resources only (Swagger UI at /docs loads its own scripts and styles;
 * a dashboard served from / must do the same): no inline or remote scripts, no framing, no plugins.
 * `upgrade-insecure-requests` is left out because the development server speaks plain HTTP on 127.0.0.1.
 *
 * Rate limit: one bucket per verified token subject, else per client IP (no token, or a token that does not verify,
 * so floods of bad tokens are limited too). It runs as the first onRequest hook, before body parsing.
 */
export async function registerHardening(app: FastifyInstance, deps: { verifier: TokenVerifier; rateLimit: RateLimitOptions; connectOrigins?: string[] }): Promise<void> {
  // Built once: @fastify/helmet built helmet's middleware (parsing the CSP directives) again on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // No inline styles; only Swagger UI at /docs and Bull Board at /admin/queues get them (below).
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        // The dashboard's OIDC sign-in fetches the issuer's discovery document and token endpoint.
        connectSrc: ["'self'", ...(deps.connectOrigins ?? [])],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // An API answers JSON to its own origin's pages and to server-side clients.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });

  await app.register(fastifyRateLimit, {
    global: false,
    max: deps.rateLimit.max,
    timeWindow: deps.rateLimit.windowMs,
    redis: deps.rateLimit.redis,
    nameSpace: deps.rateLimit.nameSpace ?? 'vt-rate-limit-',
    // Fail open: if the shared store is unreachable, staff can still register an acute melding.
    skipOnError: true,
    allowList: (request: FastifyRequest) => EXEMPT_ROUTES.has(request.routeOptions.url ?? ''),
    keyGenerator: async (request: FastifyRequest) => {
      if (request.headers.authorization) {
        try {
          const principal = await deps.verifier.verify(request.headers.authorization);
          // Authentication (src/http/authenticate.ts) takes the principal verified here instead of verifying twice.
          request.principal = principal;
          return `sub:${principal.sub}`;
        } catch {
          // Not a valid token: limited by address like any anonymous caller; authentication answers 401 after.
        }
      }
      return `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('REQUEST.RATE_LIMITED', `too many requests: at most ${context.max} per ${Math.round(deps.rateLimit.windowMs / 1000)} s; retry in ${context.after}`),
  });
  app.addHook('onRequest', app.rateLimit());
  app.addHook('onSend', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    // Every /v1 answer may carry personal data (or say who may see what): no browser or proxy keeps a copy.
    if (route.startsWith('/v1/') || request.url.startsWith('/v1/') || request.url === '/v1') void reply.header('cache-control', 'no-store');
    // Swagger UI and Bull Board (/admin/queues, src/http/queue-board.ts) set style attributes at run time; scripts stay 'self'.
    if (route === '/docs' || route.startsWith('/docs/') || ((route === '/admin/queues' || route.startsWith('/admin/queues/')) && !route.startsWith('/admin/queues/sign-'))) {
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') void reply.header('content-security-policy', csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    }
  });
}
