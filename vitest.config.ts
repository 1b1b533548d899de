import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // The fault-injection suite runs on its own (npm run test:faults, vitest.faults.config.ts).
    exclude: ['**/node_modules/**', 'test/faults/**'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each test file gets its own database; files run in parallel workers.
    pool: 'forks',
    // Two workers even on a two-core machine (Vitest's default is one fewer than the cores): most of a
    // file's time is spent waiting on PostgreSQL, Redis, Chromium or a child process, not on the CPU.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
