import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { autocorrelation, crossCorrelationLagged } from './autocorrelation.js';

describe('autocorrelation', () => {
  it('matches statsmodels acf([1, 2, 3, 4, 5]) = [1, 0.4, -0.1, -0.4, -0.4]', () => {
    // by hand: deviations -2..2, sum of squares 10; lag1 = 4/10, lag2 = -1/10, lag3 = -4/10, lag4 = -4/10
    const r = autocorrelation([1, 2, 3, 4, 5], 4);
    expect(r.length).toBe(4);
    [0.4, -0.1, -0.4, -0.4].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 14));
  });

  it('finds the AR(1) coefficient', () => {
    const rng = createRng(11);
    const n = 20000,
      phi = 0.6;
    const x = new Float64Array(n);
    for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + rng.normal();
    const r = autocorrelation(x, 3);
    expect(r[0]).toBeCloseTo(phi, 1);
    expect(r[1]).toBeCloseTo(phi * phi, 1);
  });

  it('is all zeros for a constant series and rejects bad lags', () => {
    expect(Array.from(autocorrelation([0.3, 0.3, 0.3, 0.3], 2))).toEqual([0, 0]);
    expect(autocorrelation([1, 2, 3], 0).length).toBe(0);
    expect(() => autocorrelation([1, 2, 3], 3)).toThrow('maxLag must be an integer in [0, 2]');
  });

  it('measures lead/lag between two series', () => {
    // y is x delayed by 2 steps: corr(x_t, y_{t+2}) = 1
    const x = [5, 1, 4, 2, 8, 3, 7, 6, 0, 9];
    const y = [0, 0, ...x.slice(0, 8)];
    expect(crossCorrelationLagged(x, y, 2)).toBeCloseTo(1, 14);
    expect(crossCorrelationLagged(y, x, -2)).toBeCloseTo(1, 14);
    expect(crossCorrelationLagged(x, x, 0)).toBeCloseTo(1, 14);
    expect(() => crossCorrelationLagged(x, y, 9)).toThrow(RangeError);
  });
});
