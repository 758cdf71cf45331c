import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CERTIFICATION_SCHEMES, MILESTONE_LABELS, PLAN_STATUSES } from '../../workflows/quality/plan';
import { MELDER_SECTOR_LABELS, ONDERZOEK_OUTCOME_LABELS, type VtRegion } from '../../workflows/reference';
import { systemClock, type Clock } from '../shared/clock';
import { projectRoot } from '../shared/project-root';

/** Where the dashboard's committed build lives (web/build; `npm run build:web` writes it). */
export const DASHBOARD_BUILD_DIR = resolve(projectRoot(), 'web/build');

export interface DashboardOptions {
  /** The directory with index.html and assets/; defaults to the committed build. */
  dir?: string;
  /** Browser sign-in with OIDC (authorization code + PKCE); null: the dashboard asks for a pasted token. */
  oidc: { issuer: string; clientId: string; scope: string } | null;
  /** The service's clock: the dashboard reckons months and 'now' by it, not by the browser's. */
  clock?: Clock;
}

const configSchema = z.object({
  oidc: z.object({ issuer: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
  now: z.string().describe("the service's current time (ISO 8601)"),
  region: z.object({ id: z.string(), name: z.string(), centrumgemeente: z.string(), gemeenten: z.array(z.object({ code: z.string(), name: z.string() })) }),
  labels: z
    .object({
      melderSectors: z.record(z.string(), z.string()).describe("a professional melder's sectors, in order, with their Dutch labels"),
      milestones: z.record(z.string(), z.string()).describe('the milestones of a certification track, in order, with their Dutch labels'),
      onderzoekOutcomes: z.record(z.string(), z.string()).describe("an onderzoek's outcomes per type of violence (art. 4.3.2 h), in order, with their Dutch labels"),
      certificationSchemes: z.array(z.string()),
      planStatuses: z.array(z.string()),
    })
    .describe('code lists the dashboard shows, from the one source the API validates against'),
});

/**
 * The dashboard: static files at `/` (self-hosted, hashed assets, no inline scripts) and its runtime configuration.
 * It signs in with the same bearer tokens as the API and calls the /v1 routes like any other client.
 */
export function dashboardRoutes(options: DashboardOptions, region: VtRegion): FastifyPluginAsyncZod {
  const dir = options.dir ?? DASHBOARD_BUILD_DIR;
  const clock = options.clock ?? systemClock;
  const regionInfo = { id: region.id, name: region.name, centrumgemeente: region.centrumgemeente, gemeenten: region.gemeenten.map((g) => ({ code: g.code, name: g.name })) };
  const labels = { melderSectors: { ...MELDER_SECTOR_LABELS }, milestones: { ...MILESTONE_LABELS }, onderzoekOutcomes: { ...ONDERZOEK_OUTCOME_LABELS }, certificationSchemes: [...CERTIFICATION_SCHEMES], planStatuses: [...PLAN_STATUSES] };
  return async (app) => {
    app.get('/dashboard/config.json', {
      schema: { operationId: 'getDashboardConfig', tags: ['dashboard'], summary: "The dashboard's settings: how it signs in (OIDC, or null for a pasted token), the service's time and the region", security: [], response: { 200: configSchema.describe('The settings') } },
      handler: async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
        return { oidc: options.oidc, now: clock.now().toISOString(), region: regionInfo, labels };
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
