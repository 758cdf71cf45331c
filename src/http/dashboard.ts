import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Where the dashboard's committed build lives (web/build; `npm run build:web` writes it). */
export const DASHBOARD_BUILD_DIR = resolve(__dirname, '../../web/build');

export interface DashboardOptions {
  /** The directory with index.html and assets/; defaults to the committed build. */
  dir?: string;
  /** Browser sign-in with OIDC (authorization code + PKCE); null: the dashboard asks for a pasted token. */
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

const configSchema = z.object({
  oidc: z.object({ issuer: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
});

/**
 * The dashboard: static files at `/` (self-hosted, hashed assets, no inline scripts) and its runtime configuration.
 * It signs in with the same bearer tokens as the API and calls the /v1 routes like any other client.
 */
export function dashboardRoutes(options: DashboardOptions): FastifyPluginAsyncZod {
  const dir = options.dir ?? DASHBOARD_BUILD_DIR;
  return async (app) => {
    app.get('/dashboard/config.json', {
      schema: { tags: ['dashboard'], summary: 'How the dashboard signs in: OIDC settings, or null for a pasted token', security: [], response: { 200: configSchema } },
      handler: async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
        return { oidc: options.oidc };
      },
    });
    if (!existsSync(join(dir, 'index.html'))) {
      app.log.warn({ dir }, 'dashboard build not found; run npm run build:web');
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      // One route per built file, so unknown paths keep the API's JSON 404.
      wildcard: false,
      index: ['index.html'],
      setHeaders: (reply, path) => {
        // Hashed asset names change with their content; index.html must always be fetched fresh.
        void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        void reply.header('x-content-type-options', 'nosniff');
      },
    });
  };
}
