import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/** Shared vitest settings: tests import workspace packages from source (the `@fingan/source` condition). */
export function fingan(overrides: { testTimeout?: number; isolated?: string[] } = {}) {
  const isolated = overrides.isolated ?? [];
  const conditions = { resolve: { conditions: ['@fingan/source'] }, ssr: { resolve: { conditions: ['@fingan/source'] } } };
  const include = ['src/**/*.test.ts', 'test/**/*.test.ts'];
  const run = {
    // Tests train for a fixed number of steps, never on the clock, so a timeout only catches a hang: it is generous
    // enough for a 2-core CI machine shared with other work (tools/stress-test.sh runs the suite beside busy loops).
    testTimeout: overrides.testTimeout ?? 600_000,
    hookTimeout: 600_000,
    pool: 'forks' as const,
    maxWorkers: 1,
  };
  return defineConfig({
    ...conditions,
    test: {
      include,
      ...run,
      // One module graph per package run: tfjs, its wasm backend and polars load once instead of once per test file
      // (per-file isolation spent more time importing than testing). Test files must not leave global state behind
      // (backend, env vars, spies): the ones that change it restore it.
      isolate: false,
      // Test files that need a fresh tfjs (they check its behaviour before fingan patches it) run as a project of
      // their own, each file in a fresh module graph.
      ...(isolated.length
        ? {
            projects: [
              { ...conditions, test: { ...run, name: 'shared', include, exclude: [...configDefaults.exclude, ...isolated], isolate: false } },
              { ...conditions, test: { ...run, name: 'isolated', include: isolated, isolate: true } },
            ],
          }
        : {}),
      // A JSON report per package lets `npm test` end with one 'N passed, N failed' line (tools/test-summary.mjs).
      reporters: ['default', ['json', { outputFile: resolve(root, '.test-results', `${basename(process.cwd())}.json`) }]],
    },
  });
}
