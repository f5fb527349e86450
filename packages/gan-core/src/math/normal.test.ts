import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';

describe('normal CDF / quantile', () => {
  it('matches tabulated values', () => {
    // Reference values from scipy.stats.norm.cdf / norm.ppf (double precision).
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 15);
    expect(normalCdf(5)).toBeCloseTo(0.9999997133484281, 15);
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it('quantile inverts the CDF across (0, 1)', () => {
    let worst = 0;
    for (let p = 1e-6; p < 1; p += 0.000731) worst = Math.max(worst, Math.abs(normalCdf(normalQuantile(p)) - p));
    expect(worst).toBeLessThan(1e-14);
  });
});
