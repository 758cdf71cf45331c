import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { DB } from '../db/schema';
import { parseConfig } from '../src/config/config';
import type { Clock } from '../src/shared/clock';
import { buildApplication } from '../src/application';

/** The `servers` URL of a document built offline; the served document names the deployment's PUBLIC_BASE_URL. */
export const OFFLINE_BASE_URL = 'http://localhost:3000';

/**
 * The OpenAPI document exactly as the app serves it at /v1/openapi.json, built without a server or a database: the
 * same route registrations, over a database handle that refuses every connection (building the document runs no
 * query). `npm run generate:api` turns it into the dashboard's typed client (web/src/api/schema.gen.ts).
 */
export async function buildOpenApiDocument(env: Record<string, string | undefined> = {}): Promise<unknown> {
  const config = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'offline-openapi-document-0123456789abcdef', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: OFFLINE_BASE_URL, ...env });
  const noDatabase: PostgresPool = {
    connect: () => Promise.reject(new Error('building the OpenAPI document needs no database')),
    end: () => Promise.resolve(),
  };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: noDatabase }) });
  const documentTime = new Date('2026-01-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(documentTime) };
  const { app } = await buildApplication(config, { db, databaseKind: 'none', clock, logging: { level: 'silent' } });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await db.destroy();
  }
}
