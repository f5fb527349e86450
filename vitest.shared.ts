import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/** Shared vitest settings: tests import workspace packages from source (the `@fingan/source` condition). */
export function fingan(overrides: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ['@fingan/source'] },
    ssr: { resolve: { conditions: ['@fingan/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Tests train for a fixed number of steps, never on the clock, so a timeout only catches a hang: it is generous
      // enough for a 2-core CI machine shared with other work (tools/stress-test.sh runs the suite beside busy loops).
      testTimeout: overrides.testTimeout ?? 600_000,
      hookTimeout: 600_000,
      pool: 'forks',
      maxWorkers: 1,
      // A JSON report per package lets `npm test` end with one 'N passed, N failed' line (tools/test-summary.mjs).
      reporters: ['default', ['json', { outputFile: resolve(root, '.test-results', `${basename(process.cwd())}.json`) }]],
    },
  });
}
