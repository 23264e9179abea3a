import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The central API refuses PostgreSQL without an explicit data-encryption key (apps/server/src/secrets).
    env: { HALL_DATA_KEYS: 'test1:dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLi4uLi4=' },
  },
});
