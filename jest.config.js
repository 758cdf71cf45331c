/** Tests run in tiers: unit (pure, no services), integration and e2e (real PostgreSQL and Redis). */
const transform = { '^.+\\.c?(t|j)s$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }] };
// jose, cookie and content-disposition are ESM-only, PGlite imports its internals dynamically; let swc turn them into CommonJS for Jest's module system.
const transformIgnorePatterns = ['/node_modules/(?!(jose|content-disposition|cookie|@electric-sql/pglite)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node' };

module.exports = {
  // Integration tests run against real services on a shared 2-core machine: a fixture can take seconds under load.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // PostgreSQL and Redis failing under load: a cluster and a redis-server of the suite's own (test/faults/fault-services.ts).
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
    },
    {
      // The dashboard in real headless Chromium (Debian's chromium), against the real API on PostgreSQL and Redis.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
