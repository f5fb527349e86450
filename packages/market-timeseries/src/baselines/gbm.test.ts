import { createRng, InvalidDataError, ModelFormatError, UsageError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { fitGbm, GbmModel } from './gbm.js';

/** Column a of a [paths, horizon, k] block as one long series (paths concatenated). */
function column(x: Float32Array, k: number, a: number): Float64Array {
  const out = new Float64Array(x.length / k);
  for (let i = 0; i < out.length; i++) out[i] = x[i * k + a];
  return out;
}
const meanOf = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
const sdOf = (x: ArrayLike<number>) => {
  const m = meanOf(x);
  return Math.sqrt(Array.from(x).reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
};

describe('GBM', () => {
  it('recovers drift and volatility from data it simulated', () => {
    // Daily mu = 0.0004, sigma = 0.015 -> mean log return m = mu - sigma^2/2 = 0.0002875.
    const truth = new GbmModel({ assets: ['X'], meanLogReturn: [0.0004 - 0.015 ** 2 / 2], drift: [0.0004], vol: [0.015], corr: [[1]] });
    const r = truth.simulateReturns({ horizon: 200_000, paths: 1, seed: 3 });
    const fit = fitGbm({ assets: ['X'], returns: [r] });
    // Standard errors with n = 2e5: mean 0.015 / sqrt(2e5) = 3.4e-5, sigma 0.015 / sqrt(4e5) = 2.4e-5.
    expect(Math.abs(fit.params.drift[0] - 0.0004)).toBeLessThan(1.2e-4);
    expect(Math.abs(fit.params.vol[0] - 0.015)).toBeLessThan(1e-4);
    expect(fit.params.drift[0] - fit.params.meanLogReturn[0]).toBeCloseTo(fit.params.vol[0] ** 2 / 2, 12);
  });

  it('reproduces the correlation of correlated assets through the Cholesky factor', () => {
    // Build 3 correlated series from independent normals with a known correlation matrix.
    const rng = createRng(11);
    const n = 50_000;
    const target = [
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ];
    const truth = new GbmModel({ assets: ['A', 'B', 'C'], meanLogReturn: [0, 0, 0], drift: [0, 0, 0], vol: [0.01, 0.02, 0.03], corr: target });
    const sim = truth.simulateReturns({ horizon: n, paths: 1, seed: rng.uint32() });
    const fit = fitGbm({ assets: ['A', 'B', 'C'], returns: [0, 1, 2].map((a) => column(sim, 3, a)) });
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(fit.params.corr[a][b] - target[a][b])).toBeLessThan(0.02);
    // Refit model simulates with the same correlation again.
    const again = fit.simulateReturns({ horizon: n, paths: 1, seed: 5 });
    const x = column(again, 3, 0);
    const y = column(again, 3, 1);
    const mx = meanOf(x),
      my = meanOf(y);
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += (x[i] - mx) * (y[i] - my);
    expect(sxy / (n - 1) / (sdOf(x) * sdOf(y))).toBeCloseTo(0.6, 1);
    expect(sdOf(column(again, 3, 2))).toBeCloseTo(0.03, 3);
  });

  it('is reproducible from the seed and shapes its output [paths, horizon, nAssets]', () => {
    const m = new GbmModel({
      assets: ['A', 'B'],
      meanLogReturn: [0, 0],
      drift: [0, 0],
      vol: [0.01, 0.01],
      corr: [
        [1, 0],
        [0, 1],
      ],
    });
    const a = m.simulateReturns({ horizon: 7, paths: 3, seed: 9 });
    expect(a.length).toBe(3 * 7 * 2);
    expect(m.simulateReturns({ horizon: 7, paths: 3, seed: 9 })).toEqual(a);
    expect(m.simulateReturns({ horizon: 7, paths: 3, seed: 10 })).not.toEqual(a);
    expect(() => m.simulateReturns({ horizon: 0, paths: 3, seed: 1 })).toThrow(UsageError);
    expect(() => m.simulateReturns({ horizon: 5, paths: -1, seed: 1 })).toThrow(/paths must be a positive integer/);
  });

  it('round-trips through JSON and rejects bad states and data', () => {
    const m = fitGbm({
      assets: ['A', 'B'],
      returns: [
        [0.01, -0.02, 0.005],
        [0.0, 0.01, -0.01],
      ],
    });
    const back = GbmModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.params.drift[1]).toBeCloseTo(m.params.drift[1], 15);
    expect(back.simulateReturns({ horizon: 3, paths: 2, seed: 1 })).toEqual(m.simulateReturns({ horizon: 3, paths: 2, seed: 1 }));
    expect(() => GbmModel.fromJSON({ ...m.toJSON(), vol: [0.1] })).toThrow(ModelFormatError);
    expect(() => fitGbm({ assets: ['A'], returns: [[0.1]] })).toThrow('needs at least 2 returns');
    expect(() => fitGbm({ assets: ['A'], returns: [[0.1, NaN]] })).toThrow(InvalidDataError);
  });
});
