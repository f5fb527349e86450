import { defineConfig } from 'vitest/config';

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
      reporters: ['default'],
    },
  });
}
