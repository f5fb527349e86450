import { createRng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { panelFromColumns, rollingSums, type ReturnPanel } from './return-panel.js';
import { compareStylizedFacts, stylizedFacts } from './stylized-facts.js';
import { valueAtRisk } from './var-es.js';

const rng = createRng(123);
function ar1(n: number, phi: number): Float64Array {
  const x = new Float64Array(n);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + rng.normal();
  return x;
}
function iid(n: number, sd = 1, m = 0): Float64Array {
  return Float64Array.from({ length: n }, () => m + sd * rng.normal());
}

describe('stylizedFacts', () => {
  it('ACF of an AR(1) with phi = 0.5 is phi^k: 0.5, 0.25, 0.125', () => {
    const f = stylizedFacts(panelFromColumns({ assets: ['x'], returns: [ar1(100_000, 0.5)] }), { maxLag: 3 });
    expect(f.perAsset[0].acf[0]).toBeCloseTo(0.5, 1);
    expect(Math.abs(f.perAsset[0].acf[0] - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(f.perAsset[0].acf[1] - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(f.perAsset[0].acf[2] - 0.125)).toBeLessThan(0.01);
  });

  it('averages ACFs per path instead of gluing independent paths together', () => {
    // Path 0 ~ N(+3, 1), path 1 ~ N(-3, 1): each path is white noise (ACF ~ 0); glued, the level shift would give ~0.9.
    const n = 5000;
    const data = new Float64Array(2 * n);
    data.set(iid(n, 1, 3), 0);
    data.set(iid(n, 1, -3), n);
    const f = stylizedFacts({ data, paths: 2, steps: n, assets: ['x'] }, { maxLag: 2 });
    expect(Math.abs(f.perAsset[0].acf[0])).toBeLessThan(0.05);
  });

  it('detects the leverage effect of an asymmetric volatility recursion and none in white noise', () => {
    // h_t = 0.2 + 0.7 * r_{t-1}^2 * [r_{t-1} < 0]: a fall raises the next volatility, a rise does not.
    const n = 50_000;
    const r = new Float64Array(n);
    let h = 1;
    for (let t = 0; t < n; t++) {
      r[t] = Math.sqrt(h) * rng.normal();
      h = 0.2 + (r[t] < 0 ? 0.7 * r[t] * r[t] : 0);
    }
    const lev = stylizedFacts(panelFromColumns({ assets: ['x'], returns: [r] }), { leverageLags: 2 }).perAsset[0].leverage;
    expect(lev[0]).toBeLessThan(-0.1);
    const noise = stylizedFacts(panelFromColumns({ assets: ['x'], returns: [iid(n)] }), { leverageLags: 2 }).perAsset[0].leverage;
    expect(Math.abs(noise[0])).toBeLessThan(0.02);
  });

  it('measures heavy tails: excess kurtosis ~0 for normal, ~6 for Student t5 (theory 6 / (nu - 4))', () => {
    const n = 400_000;
    const t5 = Float64Array.from({ length: n }, () => {
      let chi = 0;
      for (let i = 0; i < 5; i++) chi += rng.normal() ** 2;
      return rng.normal() / Math.sqrt(chi / 5);
    });
    const f = stylizedFacts(panelFromColumns({ assets: ['n', 't'], returns: [iid(n), t5] }), { maxLag: 1, leverageLags: 1 });
    expect(Math.abs(f.perAsset[0].excessKurtosis)).toBeLessThan(0.05);
    // The sample kurtosis of t5 converges slowly (its 8th moment is infinite): accept 3.5..9.
    expect(f.perAsset[1].excessKurtosis).toBeGreaterThan(3.5);
    expect(f.perAsset[1].excessKurtosis).toBeLessThan(9);
    // Normal tail quantiles: +-1.6449 (5%/95%), +-2.3263 (1%/99%).
    const q = f.perAsset[0].tailQuantiles;
    expect(q[0]).toBeCloseTo(-2.3263, 1);
    expect(q[1]).toBeCloseTo(-1.6449, 1);
    expect(q[3]).toBeCloseTo(2.3263, 1);
  });
});

describe('VaR / ES', () => {
  it('hand-computed on -0.05, -0.04, ..., 0.04 at 90%', () => {
    // Type-7 10% quantile: position 0.9 between -0.05 and -0.04 -> -0.041; ES averages the one value below: 0.05.
    const x = Array.from({ length: 10 }, (_, i) => (i - 5) / 100);
    const r = valueAtRisk(x, 0.9);
    expect(r.var).toBeCloseTo(0.041, 12);
    expect(r.es).toBeCloseTo(0.05, 12);
  });
  it('of N(0, sigma^2): VaR95 = 1.6449 sigma, ES95 = phi(1.6449) / 0.05 sigma = 2.0627 sigma', () => {
    const r = valueAtRisk(iid(400_000, 0.02), 0.95);
    expect(r.var / 0.02).toBeCloseTo(1.6449, 1);
    expect(r.es / 0.02).toBeCloseTo(2.0627, 1);
  });
  it('h-step returns are rolling sums within each path, never across paths', () => {
    const panel: ReturnPanel = { data: [1, 2, 3, 10, 20, 30], paths: 2, steps: 3, assets: ['x'] };
    expect(Array.from(rollingSums(panel, 0, 2))).toEqual([3, 5, 30, 50]);
  });
});

describe('compareStylizedFacts', () => {
  const a = iid(3000, 0.01);
  const b = Float64Array.from(a, (v, i) => 0.5 * v + 0.01 * Math.sin(i));
  const real = panelFromColumns({ assets: ['A', 'B'], returns: [a, b] });

  it('is 0 everywhere for a panel against itself', () => {
    const c = compareStylizedFacts(real, real);
    for (const key of [
      'wasserstein',
      'ks',
      'acfMae',
      'acfAbsMae',
      'acfSqMae',
      'leverageMae',
      'corrMatrixError',
      'varRelError',
      'esRelError',
      'tailQuantileRelError',
    ] as const) {
      expect(c[key]).toBe(0);
    }
    expect(c.excessKurtosis).toBeCloseTo((c.real.perAsset[0].excessKurtosis + c.real.perAsset[1].excessKurtosis) / 2, 12);
  });

  it('doubling the returns: W1 = mean |r|, VaR/ES/quantile errors = 1, ACF/correlation errors = 0', () => {
    const doubled: ReturnPanel = { ...real, data: Float64Array.from(real.data as Float64Array, (v) => 2 * v) };
    const c = compareStylizedFacts(real, doubled);
    // The monotone coupling of X and 2X moves each point by |x|, so W1 = E|X| (mean over the two assets).
    const meanAbs = (x: Float64Array) => x.reduce((s, v) => s + Math.abs(v), 0) / x.length;
    expect(c.wasserstein).toBeCloseTo((meanAbs(a) + meanAbs(b)) / 2, 12);
    expect(c.varRelError).toBeCloseTo(1, 9);
    expect(c.esRelError).toBeCloseTo(1, 9);
    expect(c.tailQuantileRelError).toBeCloseTo(1, 9);
    expect(c.acfMae).toBeCloseTo(0, 12);
    expect(c.corrMatrixError).toBeCloseTo(0, 12);
  });

  it('corrMatrixError is the mean absolute off-diagonal difference', () => {
    // Independent B': real corr(A, B) vs ~0 -> error ~ |corr(A, B)|.
    const indep = panelFromColumns({ assets: ['A', 'B'], returns: [a, iid(3000, 0.005)] });
    const c = compareStylizedFacts(real, indep);
    expect(Math.abs(c.corrMatrixError - Math.abs(c.real.corr[0][1]))).toBeLessThan(0.05);
    expect(c.real.corr[0][1]).toBeGreaterThan(0.5);
  });

  it('rejects panels of different assets and too-short paths', () => {
    const other = panelFromColumns({ assets: ['A', 'C'], returns: [a, b] });
    expect(() => compareStylizedFacts(real, other)).toThrow(/simulated assets A, C differ from the real ones A, B/);
    expect(() => stylizedFacts({ data: [1, 2], paths: 1, steps: 2, assets: ['x'] })).toThrow(/at least 3 steps/);
    expect(() => stylizedFacts({ data: [1, 2, 3], paths: 2, steps: 3, assets: ['x'] })).toThrow(/do not form 2 paths/);
  });
});
