import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { DEFAULT_RDP_ORDERS, dpSgdEpsilon, noiseMultiplierFor, rdpSampledGaussian, rdpToEpsilon } from './rdp.js';

/** The orders TensorFlow Privacy's tutorials used: 1.1, 1.2, ..., 10.9 and 12, 13, ..., 63. */
const TF_ORDERS = [...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10), ...Array.from({ length: 52 }, (_, i) => 12 + i)];

describe('RDP of the sampled Gaussian mechanism', () => {
  it('is alpha / (2 sigma^2) without subsampling (the Gaussian mechanism), and 0 with q = 0', () => {
    for (const a of [1.5, 2, 7.3, 32]) {
      expect(rdpSampledGaussian(1, 2, a)).toBeCloseTo(a / 8, 12);
      expect(rdpSampledGaussian(0, 2, a)).toBe(0);
    }
  });

  it('gives the same value by the binomial sum (integer orders) and by numerical integration (fractional)', () => {
    for (const [q, sigma, a] of [
      [0.01, 1.1, 8],
      [0.05, 0.8, 3],
      [0.004, 4, 20],
      [0.1, 2, 2],
    ] as const) {
      const exact = rdpSampledGaussian(q, sigma, a);
      const integrated = rdpSampledGaussian(q, sigma, a + 1e-9);
      expect(Math.abs(integrated - exact) / exact).toBeLessThan(1e-5);
    }
  });

  it('is at most the unsampled value and grows with q and alpha', () => {
    expect(rdpSampledGaussian(0.01, 1, 4)).toBeLessThan(rdpSampledGaussian(1, 1, 4));
    expect(rdpSampledGaussian(0.01, 1, 4)).toBeLessThan(rdpSampledGaussian(0.02, 1, 4));
    expect(rdpSampledGaussian(0.01, 1, 4)).toBeLessThan(rdpSampledGaussian(0.01, 1, 6));
    // Small q: A_alpha = 1 + C(alpha, 2) q^2 (e^(1 / sigma^2) - 1) + O(q^3) (the k <= 1 terms of the binomial sum
    // add up to 1 - O(q^2)), so the RDP is about (alpha / 2) q^2 (e^(1 / sigma^2) - 1).
    for (const [q, sigma, a] of [
      [0.001, 4, 4],
      [0.0001, 1, 10],
    ] as const) {
      expect(rdpSampledGaussian(q, sigma, a) / ((a / 2) * q * q * Math.expm1(1 / sigma ** 2))).toBeCloseTo(1, 2);
    }
  });
});

describe('DP-SGD epsilon against published values', () => {
  it('Abadi et al. 2016 (section 3.1): q = 0.01, sigma = 4, 10,000 steps, delta = 1e-5 -> epsilon about 1.26', () => {
    const { epsilon } = dpSgdEpsilon({ q: 0.01, sigma: 4, steps: 10_000, delta: 1e-5, orders: TF_ORDERS, conversion: 'classic' });
    expect(epsilon).toBeCloseTo(1.26, 2);
  });

  it('TensorFlow Privacy MNIST tutorial table: 60,000 examples, batch 256, delta = 1e-5', () => {
    const run = (sigma: number, epochs: number) =>
      dpSgdEpsilon({ q: 256 / 60_000, sigma, steps: Math.floor((epochs * 60_000) / 256), delta: 1e-5, orders: TF_ORDERS, conversion: 'classic' }).epsilon;
    expect(run(1.1, 60)).toBeCloseTo(3.01, 2); // published 3.01
    expect(run(0.7, 45)).toBeCloseTo(7.1, 2); // published 7.10
  });

  it('TensorFlow Privacy tutorials/README.md "Select Parameters" table (current version): same setting, delta = 1e-5', () => {
    const run = (sigma: number, epochs: number) =>
      dpSgdEpsilon({ q: 256 / 60_000, sigma, steps: Math.floor((epochs * 60_000) / 256), delta: 1e-5, orders: TF_ORDERS, conversion: 'classic' }).epsilon;
    expect(run(1.12, 60)).toBeCloseTo(2.92, 2); // published 2.92
    expect(run(1.2, 10)).toBeCloseTo(1.2, 2); // published 1.20
    expect(Math.abs(run(0.6, 30) - 9.74)).toBeLessThan(0.02); // published 9.74 (ours 9.753)
  });

  it('the improved conversion is never looser than the classic one, and the default orders do as well', () => {
    const args = { q: 0.01, sigma: 1.1, steps: 2000, delta: 1e-5 };
    const classic = dpSgdEpsilon({ ...args, conversion: 'classic' }).epsilon;
    const improved = dpSgdEpsilon(args).epsilon;
    expect(improved).toBeLessThan(classic);
    expect(improved).toBeGreaterThan(0.8 * classic);
    expect(dpSgdEpsilon({ ...args, orders: DEFAULT_RDP_ORDERS, conversion: 'classic' }).epsilon).toBeLessThanOrEqual(
      dpSgdEpsilon({ ...args, orders: TF_ORDERS, conversion: 'classic' }).epsilon * 1.02,
    );
    expect(dpSgdEpsilon({ ...args, steps: 0 }).epsilon).toBe(0); // nothing released
  });

  it('finds the noise multiplier for a target epsilon', () => {
    const base = { q: 256 / 60_000, steps: 10_546, delta: 1e-5, orders: TF_ORDERS, conversion: 'classic' as const };
    const sigma = noiseMultiplierFor({ ...base, epsilon: 7.1 });
    expect(sigma).toBeCloseTo(0.7, 2);
    expect(dpSgdEpsilon({ ...base, sigma }).epsilon).toBeLessThanOrEqual(7.1);
  });

  it('refuses bad arguments naming the flag', () => {
    expect(() => rdpToEpsilon([1], [2], 0)).toThrow(/delta must be in \(0, 1\)/);
    expect(() => rdpToEpsilon([1], [2], 1)).toThrow(UsageError);
    expect(() => noiseMultiplierFor({ q: 0.01, steps: 10, epsilon: 0, delta: 1e-5 })).toThrow(/epsilon must be a positive number, got 0/);
    expect(() => rdpSampledGaussian(1.5, 1, 2)).toThrow(/sampling rate must be in \[0, 1\]/);
    expect(() => rdpSampledGaussian(0.1, 0, 2)).toThrow(/noise multiplier must be a positive number/);
    expect(() => rdpSampledGaussian(0.1, 1, 1)).toThrow(/orders must be above 1/);
  });
});
