import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'common/**/*.test.ts',
      'main/**/*.test.ts',
      'sync-server/**/*.test.ts',
      'renderer/src/**/*.test.{ts,tsx}',
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
    ],
    environment: 'node',
    // VIGIE_TEST_STORE=postgres: one PostgreSQL cluster for the run (sync-server/src/testing/stores.ts).
    globalSetup: ['sync-server/src/testing/pgGlobalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers and child processes: keep the machine's 2 cores calm.
    maxWorkers: 2,
  },
});
