/** Where the tests find PostgreSQL and Redis: the README's defaults, overridable by the environment. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Databases of one test run carry its start time, so a run never drops another run's databases: the global setup
 * removes only those older than two hours (left behind by a crashed run).
 */
export const RUN_STAMP = (process.env.VT_TEST_RUN_STAMP ??= String(Math.floor(Date.now() / 1000)));
export const TEMPLATE_DB = `test_vt_${RUN_STAMP}_template`;
export const STALE_AFTER_SECONDS = 2 * 3600;

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Tests create and drop databases: refuse anything that is not plainly a test database. */
export function assertTestDatabase(url: string): void {
  const name = databaseName(url);
  if (!name.includes('test')) throw new Error(`refusing to run tests against database '${name}': its name must contain "test"`);
}
