import { defineConfig } from 'vitest/config';

// Two projects: the fast suites (unit, generator, CLI, conformance) and the live suite
// that drives a real Docker Engine. `npm test` runs both.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup: ['test/unit/helpers/build.ts'],
          setupFiles: ['test/unit/helpers/setup.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/live/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
