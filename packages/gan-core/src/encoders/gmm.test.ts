import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { fitGmm1d } from './gmm.js';

/** n draws from a mixture with the given weights, means and sds. */
function mixture(n: number, w: number[], mu: number[], sd: number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.weightedIndex(w);
    x[i] = rng.normal(mu[k], sd[k]);
  }
  return x;
}

describe('fitGmm1d', () => {
  it('recovers the means of a seeded 3-component mixture within 0.1 sd', () => {
    const mu = [-5, 0, 6];
    const sd = [1, 0.5, 1.5];
    const x = mixture(3000, [0.3, 0.5, 0.2], mu, sd, 11);
    const g = fitGmm1d(x, { maxModes: 10, weightThreshold: 0.005, rng: new Rng(1) });
    expect(g.means).toHaveLength(3);
    g.means.forEach((m, k) => expect(Math.abs(m - mu[k])).toBeLessThan(0.1 * sd[k]));
    g.sds.forEach((s, k) => expect(Math.abs(s - sd[k])).toBeLessThan(0.1 * sd[k]));
    expect(g.weights[0]).toBeCloseTo(0.3, 1);
    expect(g.weights[1]).toBeCloseTo(0.5, 1);
    expect(g.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('keeps one mode for a unimodal column even when 10 are allowed', () => {
    const x = mixture(2000, [1], [50], [7], 3);
    const g = fitGmm1d(x, { maxModes: 10, weightThreshold: 0.005, rng: new Rng(2) });
    expect(g.means).toHaveLength(1);
    expect(g.means[0]).toBeCloseTo(50, 0);
    expect(g.sds[0]).toBeCloseTo(7, 0);
  });

  it('drops components below the weight threshold', () => {
    // 1% of the mass far away: a real mode at threshold 0.005, pruned at threshold 0.05.
    const x = Float64Array.from([...mixture(990, [1], [0], [1], 5), ...mixture(10, [1], [40], [1], 6)]);
    expect(fitGmm1d(x, { maxModes: 5, weightThreshold: 0.005, rng: new Rng(1) }).means).toHaveLength(2);
    const pruned = fitGmm1d(x, { maxModes: 5, weightThreshold: 0.05, rng: new Rng(1) });
    expect(pruned.weights.every((w) => w >= 0.05)).toBe(true);
    expect(pruned.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('fits a constant column with one positive-width mode', () => {
    const g = fitGmm1d(new Float64Array(50).fill(3), { maxModes: 10, weightThreshold: 0.005, rng: new Rng(1) });
    expect(g.means).toEqual([3]);
    expect(g.sds[0]).toBeGreaterThan(0);
  });

  it('is deterministic for a given rng seed', () => {
    const x = mixture(500, [0.5, 0.5], [0, 10], [1, 1], 8);
    const a = fitGmm1d(x, { maxModes: 10, weightThreshold: 0.005, rng: new Rng(4) });
    const b = fitGmm1d(x, { maxModes: 10, weightThreshold: 0.005, rng: new Rng(4) });
    expect(a).toEqual(b);
  });
});
