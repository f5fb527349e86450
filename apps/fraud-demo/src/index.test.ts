import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createLogger, initBackend, readTable } from '@fingan/gan-core';
import { DATA_FILE, fraudDemo, runFraudDemo, type FraudDemoMetrics } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-fraud-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the bundled data is where the demo looks for it', () => {
  expect(existsSync(DATA_FILE)).toBe(true);
  expect(fraudDemo.name).toBe('fraud');
});

/** A GAN that trains in a blink: the test is about the demo's plumbing, not the GAN's quality. */
const tinyGan = { epochs: 1, fineTuneSteps: 2, generatorDims: [16], criticDims: [16], noiseDim: 8, maxModes: 2 };

test('a shrunken demo (first 1500 loans, 2 seeds, tiny GAN) writes metrics.json and report.html for both prevalences', async () => {
  await initBackend({ backend: 'wasm' });
  const lines: string[] = [];
  const log = { ...createLogger({ quiet: true }), info: (m: string) => void lines.push(m) };
  const res = await runFraudDemo({
    out: dir,
    quick: true,
    seed: 4,
    log,
    overrides: { rows: 1500, methods: ['smote', 'gan'], seeds: 2, prevalences: [undefined, 0.02], gan: tinyGan },
  });
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as FraudDemoMetrics;
  expect(m).toEqual(res.metrics);
  expect(m.gan).toEqual(tinyGan);
  // Stratified 70/30 of the first 1500 loans: round(0.3 * positives) and round(0.3 * negatives) go to test.
  const cls = readTable(DATA_FILE).table.Class.slice(0, 1500);
  const pos = cls.filter((v) => v === 'bad').length;
  const testRows = Math.round(0.3 * pos) + Math.round(0.3 * (1500 - pos));
  expect(m.split).toEqual({ testShare: 0.3, seed: 4, trainRows: 1500 - testRows, testRows });
  expect(m.results.map((r) => r.targetPrevalence)).toEqual([null, 0.02]);
  for (const r of m.results) {
    expect(r.seeds).toEqual([5, 6]);
    expect(Object.keys(r.methods)).toEqual(['none', 'smote', 'gan']);
    for (const v of Object.values(r.methods)) {
      for (const k of ['prAuc', 'rocAuc', 'recallAtPrecision90'] as const) {
        expect(v![k].values).toHaveLength(2);
        expect(v![k].mean).toBeGreaterThanOrEqual(0);
        expect(v![k].mean).toBeLessThanOrEqual(1);
      }
    }
  }
  // At 2% the training positives are thinned: round(0.02 * negatives / 0.98) of them.
  const thinned = m.results[1].train;
  expect(thinned.positives).toBe(Math.round((0.02 * thinned.negatives) / 0.98));
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toContain('These are loan defaults, not fraud');
  expect(res.summary).toMatchObject({
    seeds: 2,
    prAuc: { natural: { none: expect.any(Number), gan: expect.any(Number) }, '2%': { smote: expect.any(Number) } },
  });
  expect(lines.filter((l) => / gan: PR-AUC /.test(l))).toHaveLength(4);
  // A recommendation per prevalence, one of the compared methods, in metrics.json and the summary.
  for (const r of m.results) expect(['none', 'smote', 'gan']).toContain(r.recommendation.method);
  expect(res.summary.recommendation).toEqual({ natural: m.results[0].recommendation.method, '2%': m.results[1].recommendation.method });
  expect(html).toContain('<h2>Recommendation, train prevalence');
});
