import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import * as api from './index.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-market-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The README's js blocks, with the data and output paths redirected and console output captured. */
function block(i: number): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = [...readme.matchAll(/```js\n([\s\S]*?)```/g)][i][1];
  return code
    .replace(/^import .*$/gm, '')
    .replace(/'data\//g, `'${fileURLToPath(new URL('../../../data/', import.meta.url))}`)
    .replace(/'(out|models)\//g, `'${tmp}/$1-`)
    .replace(/console\.(log|table)\(/g, 'LOG(');
}

function run(body: string, tail: string): Promise<Record<string, unknown>> {
  const names = Object.keys(api).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const fn = new Function('API', 'LOG', `const { ${names.join(', ')} } = API; return (async () => { ${body}; ${tail} })();`);
  return fn(api, () => undefined);
}

// The first example runs as written except for a short training run and fewer paths (the benchmark measures the rest).
it('the README example of the recurrent GAN runs: fit, save, load, stream paths from given start prices', async () => {
  const body = block(0).replace('{ seed: 1 }', '{ seed: 1, steps: 2, calibrationPaths: 16 }').replace('paths: 10_000', 'paths: 20');
  expect(body).toContain('steps: 2');
  expect(body).toContain('paths: 20');
  await run(body, 'return {};');
  expect(existsSync(join(tmp, 'models-dow5', 'manifest.json'))).toBe(true);
  const lines = readFileSync(join(tmp, 'out-paths.csv'), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('path,step,asset,price');
  expect(lines).toHaveLength(1 + 20 * 252 * 5);
});

// The second runs as written and gives the figures the README quotes.
it('the README example of the baselines runs and gives the figures the README quotes', async () => {
  const { rows } = (await run(block(1), 'return { rows };')) as { rows: { model: string; excessKurtosis: number; acfAbsMae: number; es99: number }[] };
  const row = (m: string) => rows.find((r) => r.model === m)!;
  const r = (x: number, d: number) => Number(x.toFixed(d));
  expect(r(row('real').excessKurtosis, 2)).toBe(4.3);
  expect([r(row('gbm').excessKurtosis, 2), r(row('gbm').acfAbsMae, 3), r(row('gbm').es99, 3)]).toEqual([0.01, 0.088, 0.051]);
  expect([r(row('garch').excessKurtosis, 2), r(row('garch').acfAbsMae, 3), r(row('garch').es99, 3)]).toEqual([6.46, 0.057, 0.07]);
  expect(r(row('real').es99, 3)).toBe(0.066);
  expect(existsSync(join(tmp, 'out-garch-paths.csv'))).toBe(true);
});
