import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../db/database';
import { parseConfig, type Config } from '../../src/config/config';
import { buildHttpApp } from '../../src/http/app';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { createServices, databaseProbe, type Services } from '../../src/services';
import type { Clock } from '../../src/shared/clock';
import { TEST_JWT_SECRET } from './test-app';
import type { TestDatabase } from './test-database';

/** The connection string of `url` with every session running as `role` (SET ROLE at connection start). */
export function asRole(url: string, role: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c role=${role}`);
  return u.toString();
}

export interface RoleApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  services: Services;
  close(): Promise<void>;
}

/**
 * The HTTP app on `database`, connected as the database role `role` (as production connects it: not the owner).
 * The region is synced by the owner first, as the migration step would.
 */
export async function startAppAsRole(database: TestDatabase, role: string, clock: Clock, env: Record<string, string> = {}): Promise<RoleApp> {
  const url = asRole(database.url, role);
  const config = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: url, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '10000000', ...env });
  await syncRegion(database.db, config.region);
  const { db, close } = await openDatabase({ url, embeddedDir: '', poolSize: 4 });
  const services = createServices(config, { db, clock });
  const app = await buildHttpApp({
    ...services,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    region: config.region,
    logLevel: 'silent',
    rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
    health: { database: databaseProbe(db, 'postgres'), redis: async () => ({ ok: false, configured: false, mode: 'embedded' }) },
  });
  await app.ready();
  return {
    app,
    db,
    config,
    services,
    close: async () => {
      await app.close();
      await close();
    },
  };
}
