import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['machines/**/*.test.ts', 'contract/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts', 'client/**/*.test.ts'],
    // A file whose every suite is PostgreSQL's runs only when PostgreSQL is configured, like the
    // PostgreSQL half of every other file (tests/support/db.ts backends()); without it vitest would
    // fail the file as having no suite, and `npm test` on a fresh clone (SQLite only) with it.
    exclude: ['node_modules', 'dist', 'data', ...(process.env.TEST_DATABASE_URL ? [] : ['tests/reliability/connection-loss.test.ts'])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
