import { defineConfig } from 'vitest/config';

// One runner for the whole repo. Tests that start real servers (Prometheus, Alertmanager, rsyslog,
// the demo services) bind to 127.0.0.1 on free ports and stop what they start.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'stack/test/**/*.test.ts', 'demo-services/**/test/**/*.test.ts', 'deploy/**/test/**/*.test.ts', 'alerts/**/test/**/*.test.ts', 'tools/**/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['packages/instrument/src/**/*.ts', 'packages/cli/src/**/*.ts'],
      exclude: ['packages/*/src/**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'packages/instrument/src/**': { lines: 90 },
        'packages/cli/src/**': { lines: 90 },
      },
    },
  },
});
