import { createRng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { fitGarchT, garchTLogLik, simulateGarchT } from './garch-t.js';

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
