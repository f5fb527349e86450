import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { LogisticRegression } from './logistic-regression.js';

describe('LogisticRegression', () => {
  it('reproduces the closed-form MLE for one binary feature', () => {
    // x = 0: 30 of 100 positive; x = 1: 80 of 100 positive. Unpenalised MLE (saturated model):
    //   intercept = logit(0.3) = -0.8472978603872037, slope = logit(0.8) - logit(0.3) = 2.2335922215070942
    const X: number[][] = [],
      y: number[] = [];
    for (let i = 0; i < 100; i++) {
      X.push([0]);
      y.push(i < 30 ? 1 : 0);
      X.push([1]);
      y.push(i < 80 ? 1 : 0);
    }
    const m = new LogisticRegression({ l2: 0 }).fit(X, y);
    expect(m.converged).toBe(true);
    expect(m.intercept).toBeCloseTo(-0.8472978603872037, 8);
    expect(m.coefficients[0]).toBeCloseTo(2.2335922215070942, 8);
    const p = m.predictProba([[0], [1]]);
    expect(p[0]).toBeCloseTo(0.3, 8);
    expect(p[1]).toBeCloseTo(0.8, 8);
  });

  it('recovers known coefficients from simulated data (n = 20000)', () => {
    const rng = createRng(2024);
    const b0 = -0.5,
      b = [1.0, -2.0, 0.5];
    const X: Float64Array[] = [],
      y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = Float64Array.from([rng.normal(), rng.normal(), rng.normal()]);
      const z = b0 + b[0] * x[0] + b[1] * x[1] + b[2] * x[2];
      X.push(x);
      y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    const m = new LogisticRegression().fit(X, y);
    expect(Math.abs(m.intercept - b0)).toBeLessThan(0.05);
    b.forEach((v, j) => expect(Math.abs(m.coefficients[j] - v)).toBeLessThan(0.05));
    expect(m.iterations).toBeLessThan(15);
  });

  it('penalises coefficients but not the intercept', () => {
    // With a huge penalty the slope is ~0 and the intercept is logit(mean y) = logit(0.25) = -1.0986122886681098.
    const X = [[1], [2], [3], [4], [5], [6], [7], [8]];
    const y = [0, 0, 0, 0, 0, 1, 0, 1];
    const m = new LogisticRegression({ l2: 1e6 }).fit(X, y);
    expect(Math.abs(m.coefficients[0])).toBeLessThan(1e-5);
    expect(m.intercept).toBeCloseTo(-1.0986122886681098, 3);
  });

  it('stays finite on perfectly separable data', () => {
    const X = [[-2], [-1], [1], [2]];
    const y = [0, 0, 1, 1];
    const m = new LogisticRegression().fit(X, y);
    expect(Number.isFinite(m.coefficients[0])).toBe(true);
    const p = m.predictProba(X);
    expect(p[0]).toBeLessThan(0.05);
    expect(p[3]).toBeGreaterThan(0.95);
  });

  it('rejects NaN features and bad labels', () => {
    expect(() => new LogisticRegression().fit([[NaN], [1]], [0, 1])).toThrow('X[0][0] is not finite');
    expect(() => new LogisticRegression().fit([[0], [1]], [0, 2])).toThrow('y[1] must be 0 or 1');
    expect(() => new LogisticRegression().predictProba([[1]])).toThrow('not fitted');
  });
});
