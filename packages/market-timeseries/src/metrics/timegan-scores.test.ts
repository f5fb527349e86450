import { createRng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { GbmModel } from '../baselines/gbm.js';
import { simulatePanel, type ReturnPanel } from './return-panel.js';
import { discriminativeScore, predictiveScore, splitPanel, windowFeatures } from './timegan-scores.js';

const gbm = (vol: number) =>
  new GbmModel({
    assets: ['A', 'B'],
    meanLogReturn: [0, 0],
    drift: [0, 0],
    vol: [vol, vol],
    corr: [
      [1, 0.4],
      [0.4, 1],
    ],
  });

function ar1Panel(n: number, phi: number, paths: number, seed: number): ReturnPanel {
  const rng = createRng(seed);
  const data = new Float64Array(paths * n);
  for (let p = 0; p < paths; p++) {
    let x = 0;
    for (let t = 0; t < n; t++) data[p * n + t] = x = phi * x + rng.normal();
  }
  return { data, paths, steps: n, assets: ['x'] };
}

describe('TimeGAN-style scores', () => {
  it('splits one history by time and many paths by path', () => {
    const one: ReturnPanel = { data: Float64Array.from({ length: 10 }, (_, i) => i), paths: 1, steps: 10, assets: ['x'] };
    const s = splitPanel(one, 0.2, createRng(1));
    expect(Array.from(s.train.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(s.test.data)).toEqual([8, 9]);
    const many: ReturnPanel = { data: Float64Array.from({ length: 20 }, (_, i) => Math.floor(i / 2)), paths: 10, steps: 2, assets: ['x'] };
    const m = splitPanel(many, 0.2, createRng(1));
    expect([m.train.paths, m.test.paths]).toEqual([8, 2]);
    const testPaths = new Set(Array.from(m.test.data));
    for (const v of m.train.data) expect(testPaths.has(v)).toBe(false);
  });

  it('window features: raw T*k values, 9 per asset, one per asset pair', () => {
    const w = Float64Array.from({ length: 8 * 3 }, (_, i) => Math.sin(i));
    expect(windowFeatures(w, 3).length).toBe(24 + 27 + 3);
    expect(windowFeatures(w, 3, false).length).toBe(30);
    // First per-asset feature is the window sum of asset 0: sin(0) + sin(3) + ... + sin(21).
    const sum0 = Array.from({ length: 8 }, (_, t) => Math.sin(3 * t)).reduce((s, v) => s + v, 0);
    expect(windowFeatures(w, 3, false)[0]).toBeCloseTo(sum0, 12);
  });

  it('discriminative score ~0 for the same process, ~0.5 when the volatility doubles', () => {
    const real = simulatePanel(gbm(0.01), { horizon: 3000, paths: 1, seed: 1 });
    const same = simulatePanel(gbm(0.01), { horizon: 240, paths: 100, seed: 2 });
    const wild = simulatePanel(gbm(0.02), { horizon: 240, paths: 100, seed: 3 });
    const s = discriminativeScore(real, same, { nEstimators: 50 });
    const w = discriminativeScore(real, wild, { nEstimators: 50 });
    expect(s.score).toBeLessThan(0.1);
    expect(w.score).toBeGreaterThan(0.4);
    expect(s.testWindows).toBeGreaterThan(100);
  });

  it('predictive score: training on AR(1) data beats training on white noise, as theory says', () => {
    // Real: AR(1), phi = 0.5, unit innovations: std 1/sqrt(0.75) = 1.1547. A perfect predictor leaves E|eps| = 0.7979,
    // i.e. 0.7979 / 1.1547 = 0.691 in real-std units; predicting 0 (learned from white noise) leaves E|x| = 0.7979.
    const real = ar1Panel(20_000, 0.5, 1, 5);
    const goodSynth = ar1Panel(500, 0.5, 40, 6);
    const noise = ar1Panel(500, 0, 40, 7);
    const good = predictiveScore(real, goodSynth);
    const bad = predictiveScore(real, noise);
    const trtr = predictiveScore(real, 'real');
    expect(Math.abs(good.mae - 0.691)).toBeLessThan(0.02);
    expect(Math.abs(trtr.mae - 0.691)).toBeLessThan(0.02);
    expect(Math.abs(bad.mae - 0.798)).toBeLessThan(0.03);
    expect(good.testSamples).toBe(4000 - 5);
  });

  it('rejects windows longer than the data', () => {
    const real = simulatePanel(gbm(0.01), { horizon: 30, paths: 1, seed: 1 });
    expect(() => discriminativeScore(real, real, { window: 24 })).toThrow(/too few windows of 24 steps/);
    expect(() => discriminativeScore(real, real, { window: 2 })).toThrow(/window must be an integer >= 4/);
  });
});
