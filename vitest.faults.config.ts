import { defineConfig } from 'vitest/config';

// The fault-injection suite (test/faults, `npm run test:faults`): each file starts its own PostgreSQL
// cluster, Redis and proxies, and Corkboard processes, and breaks them. Files run one at a time, since
// they measure recovery times and each starts several processes.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
