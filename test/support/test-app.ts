import { createWriteStream } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { signDevelopmentToken } from '../../src/auth/token-verifier';
import type { Role } from '../../src/auth/principal';
import { buildApplication } from '../../src/application';
import { parseConfig, type Config } from '../../src/config/config';
import { syncRegion } from '../../src/reference/gemeente.repository';
import type { Services } from '../../src/services';
import { ManualClock } from './clocks';
import type { Database } from '../../db/database';
import { createTestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  clock: ManualClock;
  config: Config;
  services: Services;
  token(sub: string, role: Role, opts?: { teams?: string[]; gemeente?: string; discipline?: string }): Promise<string>;
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string | null, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A development token signed with the tests' secret. */
export function testToken(sub: string, role: Role, opts: { teams?: string[]; gemeente?: string; discipline?: string } = {}): Promise<string> {
  return signDevelopmentToken(TEST_JWT_SECRET, { sub, role, teams: opts.teams ?? [], gemeente: opts.gemeente, discipline: opts.discipline });
}

/** A request to `app` in process, with the bearer token when given and the body as JSON. */
export function injectRequest(app: FastifyInstance): TestApp['request'] {
  return (method, url, token, body) =>
    app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
}

/**
 * The real HTTP app on a fresh PostgreSQL database of its own, with a clock the test drives.
 *
 * `log` sends the app's logs to a stream at a level (default: silent). Unless VT_TEST_LOG_FILE is set: then every
 * test app appends its logs at debug level to that file, so a whole run's logs can be checked for personal data.
 */
export async function startTestApp(options: { now?: Date; env?: Record<string, string>; log?: { stream: NodeJS.WritableStream; level: string } } = {}): Promise<TestApp> {
  const tdb = await createTestDatabase();
  // Rate limiting has its own test; elsewhere it must not get in the way of tests that send many requests.
  const config = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '10000000', ...options.env });
  const log = options.log ?? runLogFile();
  await syncRegion(tdb.db, config.region);
  const clock = new ManualClock(options.now ?? new Date('2026-11-23T09:00:00+01:00'));
  const { app, services } = await buildApplication(config, { db: tdb.db, databaseKind: 'postgres', clock, logging: { level: log?.level ?? 'silent', stream: log?.stream } });
  await app.ready();
  return {
    app,
    db: tdb.db,
    clock,
    config,
    services,
    token: testToken,
    request: injectRequest(app),
    close: async () => {
      await app.close();
      await tdb.drop();
      if (log && log !== options.log) await new Promise<void>((resolve) => log.stream.end(resolve));
    },
  };
}

/** The run's log file (VT_TEST_LOG_FILE, set by the global setup), opened for appending at debug level. */
export function runLogFile(): { stream: NodeJS.WritableStream; level: string } | undefined {
  const file = process.env.VT_TEST_LOG_FILE;
  return file ? { stream: createWriteStream(file, { flags: 'a' }), level: 'debug' } : undefined;
}

/** A valid melding body; override what the test is about. */
export function meldingBody(overrides: Record<string, unknown> = {}) {
  return {
    receivedAt: '2026-11-20T10:00:00+01:00',
    gemeente: 'GM0193',
    violenceTypes: ['kindermishandeling'],
    acuteDanger: false,
    reporter: { professional: true, sector: 'onderwijs', name: 'Juf Testmelder', contact: '038-0000000' },
    persons: [
      { role: 'ouder', name: 'Testouder Een', birthDate: '1985-04-02', bsn: '111222333' },
      { role: 'kind', name: 'Testkind Een', birthDate: '2017-06-15' },
    ],
    summary: 'Zorgen over de thuissituatie (synthetische testmelding).',
    ...overrides,
  };
}
