import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import * as api from './index.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-credit-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The README opens with a runnable example; it runs here as written except for one epoch instead of the default
// training (the benchmark measures that), the data path and the output directory.
it('the README example runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme.indexOf('```ts')).toBeLessThan(40);
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  expect(code.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
  expect(code).toContain('await synth.fit(train);');
  const body = code
    .replace(/^import .*$/m, '')
    .replace('await synth.fit(train);', 'await synth.fit(train, { epochs: 1 });')
    .replace(/'data\//g, `'${fileURLToPath(new URL('../../../data/', import.meta.url))}`)
    .replace(/'out\/credit-model'/g, 'OUT_DIR')
    .replace(/console\.log\(/g, 'LOG(');
  const logged: unknown[][] = [];
  const run = new Function('api', 'LOG', 'OUT_DIR', `const { ${Object.keys(api).join(', ')} } = api; return (async () => { ${body} })();`);
  await run(api, (...a: unknown[]) => logged.push(a), join(tmp, 'model'));
  const [metrics, first] = logged[0] as [Record<string, number>, string];
  expect(typeof metrics.columnShapes).toBe('number');
  expect(typeof metrics.tstrAuc).toBe('number');
  expect(first).toBe('bad');
  expect(existsSync(join(tmp, 'model', 'manifest.json'))).toBe(true);
});
