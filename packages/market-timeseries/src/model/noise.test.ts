import { Rng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { fillNoise } from './noise.js';

describe('fillNoise', () => {
  it('is plain Gaussian noise without nu', () => {
    expect(Array.from(fillNoise(new Rng(1), new Float32Array(8), 4, null))).toEqual(Array.from(new Rng(1).fillNormal(new Float32Array(8))));
  });

  it('is multivariate Student-t with nu: variance nu / (nu - 2), one mixing draw per vector', () => {
    const dim = 4;
    const x = fillNoise(new Rng(2), new Float32Array(200_000 * dim), dim, 6);
    let v = 0;
    for (const a of x) v += a * a;
    // Var of t_6 = 6 / 4 = 1.5; 800,000 draws with kurtosis 6 give a standard error of about 0.005.
    expect(v / x.length).toBeGreaterThan(1.47);
    expect(v / x.length).toBeLessThan(1.53);
    // Shared mixing: |x_0| and |x_1| of a vector are positively correlated (independent t's would give 0).
    let sa = 0,
      sb = 0,
      sab = 0,
      saa = 0,
      sbb = 0;
    const n = x.length / dim;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(x[i * dim]);
      const b = Math.abs(x[i * dim + 1]);
      sa += a;
      sb += b;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
    const corr = (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    expect(corr).toBeGreaterThan(0.1);
  });
});
