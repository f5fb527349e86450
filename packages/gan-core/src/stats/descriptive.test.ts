import { describe, expect, it } from 'vitest';
import { excessKurtosis, mean, median, quantile, quantiles, skewness, std, variance } from './descriptive.js';

// Reference values from numpy 2.4 / scipy 1.17 on the same array:
//   x.mean(), x.var(ddof=1), x.var(), x.std(ddof=1), np.median, np.quantile (linear), st.skew, st.kurtosis.
const x = [2.0, 4.5, -1.0, 3.3, 7.1, 0.0, 2.2, 9.9, -3.4, 5.0];

describe('descriptive statistics', () => {
  it('matches numpy/scipy reference values', () => {
    expect(mean(x)).toBeCloseTo(2.96, 12);
    expect(variance(x)).toBeCloseTo(15.371555555555553, 12);
    expect(variance(x, 0)).toBeCloseTo(13.834399999999997, 12);
    expect(std(x)).toBeCloseTo(3.920657541223864, 12);
    expect(median(x)).toBeCloseTo(2.75, 12);
    expect(quantile(x, 0.1)).toBeCloseTo(-1.24, 12);
    expect(quantile(x, 0.37)).toBeCloseTo(2.066, 12);
    expect(quantile(x, 0.95)).toBeCloseTo(8.64, 12);
    expect(quantile(x, 0)).toBe(-3.4);
    expect(quantile(x, 1)).toBe(9.9);
    expect(Array.from(quantiles(x, [0.1, 0.5]))).toEqual([quantile(x, 0.1), 2.75]);
    expect(skewness(x)).toBeCloseTo(0.13754895740606773, 12);
    expect(excessKurtosis(x)).toBeCloseTo(-0.5983743307245786, 12);
  });

  it('does not reorder its input', () => {
    const y = Float64Array.from([3, 1, 2]);
    expect(median(y)).toBe(2);
    expect(Array.from(y)).toEqual([3, 1, 2]);
  });

  it('gives 0 skew and kurtosis for a constant sample instead of NaN', () => {
    // 0.1 is not exact in binary: the mean differs from 0.1 by rounding, so m2 is tiny but not 0.
    const c = new Array(7).fill(0.1);
    expect(skewness(c)).toBe(0);
    expect(excessKurtosis(c)).toBe(0);
  });

  it('has the textbook moments for a two-point distribution', () => {
    // Symmetric +-1: skew 0, kurtosis m4/m2^2 = 1, so excess kurtosis -2.
    const s = [1, -1, 1, -1];
    expect(skewness(s)).toBe(0);
    expect(excessKurtosis(s)).toBe(-2);
  });

  it('rejects empty and non-finite input and bad q', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => mean([])).toThrow('x is empty');
    expect(() => median([1, NaN])).toThrow('x[1] is not a finite number');
    expect(() => variance([1], 1)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow('q must be in [0, 1]');
  });
});
