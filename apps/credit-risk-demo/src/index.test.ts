import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, initBackend, readTable } from '@fingan/gan-core';
import { CREDIT_DATA, creditDemo, runCreditDemo } from './index.js';

const out = mkdtempSync(join(tmpdir(), 'fingan-credit-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

it('the demo is registered as "credit" and reads the bundled book', () => {
  expect(creditDemo.name).toBe('credit');
  expect(existsSync(CREDIT_DATA)).toBe(true);
});

it('quick run on the second bundled book: split, fit, sample, evaluate, every file written', async () => {
  // HMDA (2,380 rows) keeps this test short; `fingan demo credit` runs the same code on the credit book.
  const data = fileURLToPath(new URL('../../../data/hmda_boston_mortgage.csv', import.meta.url));
  const { summary } = await runCreditDemo({ out, quick: true, seed: 0, log: createLogger({ quiet: true }), data, target: 'deny', steps: 30 });
  for (const f of ['train.csv', 'test.csv', 'synthetic.csv', 'metrics.json', 'report.html', 'model/manifest.json']) expect(existsSync(join(out, f))).toBe(true);
  // 70/30 of 2,380 rows, stratified: 1,665 training rows, and as many synthetic ones.
  expect(readTable(join(out, 'synthetic.csv')).table.deny).toHaveLength(1665);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  expect(metrics.rows).toEqual({ train: 1665, test: 715, synthetic: 1665 });
  expect(summary).toMatchObject({ steps: 30, stoppedBy: 'completed', exactCopies: 0, columnShapes: Number(metrics.columnShapes.toFixed(4)) });
  // Nothing in metrics.json comes from the clock: a busy machine writes the same file.
  expect(JSON.stringify(metrics)).not.toMatch(/[Ss]econds|elapsed/);
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('fingan demo credit --quick --seed 0');
});
