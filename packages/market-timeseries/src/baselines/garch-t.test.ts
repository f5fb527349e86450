import { createRng, UsageError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { fitGarchNormal, fitGarchT, garchNormalLogLik, garchTLogLik, simulateGarchT } from './garch-t.js';

describe('GARCH(1,1)-t maximum likelihood', () => {
  // Known parameters typical of daily equity returns; n = 5000 as in the spec.
  const truth = { mu: 0.0003, omega: 2e-6, alpha: 0.08, beta: 0.9, nu: 6 };
  const r = simulateGarchT(truth, 5000, createRng(42));

  it('recovers alpha, beta within 0.05 and nu within 30% from a seeded simulated series', () => {
    const fit = fitGarchT(r);
    expect(Math.abs(fit.params.alpha - truth.alpha)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.beta - truth.beta)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.nu - truth.nu) / truth.nu).toBeLessThan(0.3);
    expect(fit.persistence).toBeLessThan(1);
    // The optimum must be at least as likely as the truth (it is the maximum).
    expect(fit.logLik).toBeGreaterThanOrEqual(garchTLogLik(r, { ...truth, mu: fit.params.mu }) - 1e-6);
  });

  it('log-likelihood of one observation matches the standardized t density by hand', () => {
    // h0 = 1, e = 1, nu = 5: log f = lgamma(3) - lgamma(2.5) - 0.5 log(3 pi) - 3 log(1 + 1/3)
    // = 0.6931472 - 0.2846829 - 1.1216588 - 0.8630462 = -1.5762530 (Python math.lgamma/log)
    const ll = garchTLogLik([1], { mu: 0, omega: 0.1, alpha: 0.1, beta: 0.8, nu: 5 }, 1);
    expect(ll).toBeCloseTo(-1.576253, 6);
  });
});

describe('GARCH(1,1) with Gaussian innovations, maximum likelihood', () => {
  const truth = { mu: 0.0002, omega: 3e-6, alpha: 0.07, beta: 0.9 };
  const r = simulateGarchT(truth, 5000, createRng(7));

  it('simulates Gaussian innovations when nu is absent (excess kurtosis of z near 0)', () => {
    const z = simulateGarchT({ mu: 0, omega: 1, alpha: 0, beta: 0 }, 20_000, createRng(3));
    const m2 = z.reduce((s, v) => s + v * v, 0) / z.length;
    const m4 = z.reduce((s, v) => s + v ** 4, 0) / z.length;
    expect(m2).toBeGreaterThan(0.97);
    expect(m2).toBeLessThan(1.03);
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(0.15);
  });

  it('recovers alpha, beta within 0.04 and the persistence within 0.02 from a seeded simulated series', () => {
    const fit = fitGarchNormal(r);
    expect(fit.params.nu).toBeUndefined();
    expect(Math.abs(fit.params.alpha - truth.alpha)).toBeLessThan(0.04);
    expect(Math.abs(fit.params.beta - truth.beta)).toBeLessThan(0.04);
    expect(Math.abs(fit.persistence - 0.97)).toBeLessThan(0.02);
    expect(fit.logLik).toBeGreaterThanOrEqual(garchNormalLogLik(r, { ...truth, mu: fit.params.mu }) - 1e-6);
    // Student-t on Gaussian data: nu goes large, alpha and beta stay close.
    const t = fitGarchT(r);
    expect(t.params.nu).toBeGreaterThan(20);
    expect(Math.abs(t.params.alpha - fit.params.alpha)).toBeLessThan(0.02);
  });

  it('log-likelihood of one observation matches the normal density by hand', () => {
    // h0 = 4, e = 1: log f = -0.5 (log 2 pi + log 4 + 1 / 4) = -0.5 * (1.8378771 + 1.3862944 + 0.25) = -1.7370857
    expect(garchNormalLogLik([1], { mu: 0, omega: 0.1, alpha: 0.1, beta: 0.8 }, 4)).toBeCloseTo(-1.7370857, 6);
    expect(garchNormalLogLik([1], { mu: 0, omega: -1, alpha: 0.1, beta: 0.8 }, 4)).toBe(-Infinity);
  });

  it('refuses bad options, naming them', () => {
    expect(() => fitGarchNormal(r, { maxIterations: 0 })).toThrow(/maxIterations must be a positive integer/);
    try {
      fitGarchT(r, { innovation: 'cauchy' as never });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toMatch(/innovation must be 'normal' or 't', got 'cauchy'/);
    }
  });
});
