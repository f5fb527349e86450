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
      testTimeout: overrides.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      maxWorkers: 1,
      // A JSON report per package lets `npm test` end with one 'N passed, N failed' line (tools/test-summary.mjs).
      reporters: ['default', ['json', { outputFile: resolve(root, '.test-results', `${basename(process.cwd())}.json`) }]],
    },
  });
}
