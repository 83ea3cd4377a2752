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
          // The project's own tests, and each service's and target's tests in its folder.
          include: ['test/**/*.test.ts', 'services/**/*.test.ts', 'targets/**/*.test.ts'],
          exclude: ['test/live/**', '**/*.live.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts', 'services/**/*.live.test.ts', 'targets/**/*.live.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
