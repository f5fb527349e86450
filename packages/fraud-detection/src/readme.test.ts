import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as api from './index.js';

/** The README opens with a runnable SMOTE example; run it as written (only the import is swapped for the source). */
test('the README example runs and adds 2 positives', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = readme.match(/```ts\n([\s\S]*?)```/)![1];
  expect(readme.indexOf('```ts')).toBeLessThan(40); // it is the first thing after the title
  expect(code.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
  const body = code.replace(/^import \{ augment \} from '@fingan\/fraud-detection';\n/, '');
  expect(body).not.toContain('import');
  const logged: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction('augment', 'console', body)(api.augment, { log: (...a: unknown[]) => logged.push(a) });
  // 3 positives, 5 negatives, default ratio 1: floor(1 * 5 - 3) = 2 new rows, both labelled 'fraud', with amounts
  // between the positives' smallest and largest (1500 .. 3100).
  expect(logged).toHaveLength(1);
  const [added, amounts, labels] = logged[0] as [number, number[], string[]];
  expect(added).toBe(2);
  expect(labels).toEqual(['fraud', 'fraud']);
  for (const a of amounts) {
    expect(a).toBeGreaterThanOrEqual(1500);
    expect(a).toBeLessThanOrEqual(3100);
  }
});
