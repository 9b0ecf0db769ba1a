import { defineConfig } from 'vitest/config';

/**
 * Three projects: plain Node (unit and integration tests against real peers on
 * loopback), jsdom (renderer components) and end to end (Chromium against
 * browser mode). They share one run so `npm test` is one command.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Tests that run bin/mailflow-doctor.js need the built command (out/cli) of these sources.
          globalSetup: ['test/support/build-cli.ts'],
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
