import { defineConfig } from 'vitest/config';

// The alert end-to-end test (npm run test:e2e): kept out of `npm test`, because the shipped
// windows and for: run in real time (minutes); CI runs it after the suite (.ci/run).
export default defineConfig({
  test: {
    include: ['alerts/e2e/**/*.e2e.test.ts'],
    testTimeout: 16 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
