import { ModelFormatError, UsageError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { fitGbm } from './gbm.js';
import { fitGarch, GarchModel } from './garch.js';
import { garchFilter } from './garch-t.js';

function column(x: Float32Array, k: number, a: number, from = 0, to = x.length / k): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = x[i * k + a];
  return out;
}
/** Lag-k sample autocorrelation (full-sample mean and denominator, as statsmodels' acf). */
function acf(x: ArrayLike<number>, k: number): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let num = 0,
    den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] - m) ** 2;
    if (i + k < x.length) num += (x[i] - m) * (x[i + k] - m);
  }
  return num / den;
}
const abs = (x: Float64Array) => x.map(Math.abs);

const model = new GarchModel({
  assets: ['A', 'B'],
  perAsset: [
    { mu: 0.0003, omega: 2e-6, alpha: 0.09, beta: 0.89, nu: 6, nextVariance: 1e-4 },
    { mu: 0.0001, omega: 4e-6, alpha: 0.06, beta: 0.92, nu: 9, nextVariance: 2e-4 },
  ],
  corr: [
    [1, 0.5],
    [0.5, 1],
  ],
});

describe('multi-asset GARCH(1,1)-t with constant conditional correlation', () => {
  const sim = model.simulateReturns({ horizon: 20_000, paths: 1, seed: 1 });

  it('shows volatility clustering (ACF of |r| at lag 1 > 0.1) while GBM fitted to it shows none', () => {
    const a = column(sim, 2, 0);
    expect(acf(abs(a), 1)).toBeGreaterThan(0.1);
    expect(Math.abs(acf(a, 1))).toBeLessThan(0.05);
    const gbm = fitGbm({ assets: ['A', 'B'], returns: [a, column(sim, 2, 1)] });
    const g = gbm.simulateReturns({ horizon: 20_000, paths: 1, seed: 2 });
    expect(Math.abs(acf(abs(column(g, 2, 0)), 1))).toBeLessThan(0.03);
  });

  it('keeps the conditional correlation of the innovations across different nu', () => {
    // Standardized innovations e / sqrt(h), with h filtered by the true parameters, correlate with
    // R * E[sqrt(4 / W6) sqrt(7 / (W6 + W3))] = 0.5 * 0.974 = 0.487 under the shared chi-square chain (W_k ~ chi2_k;
    // Monte Carlo with 4e6 draws in numpy). Independent t mixing would give 0.5 * c(6) c(9) = 0.453, where
    // c(nu) = E sqrt((nu - 2) / chi2_nu) = sqrt((nu - 2) / 2) Gamma((nu - 1) / 2) / Gamma(nu / 2).
    const std = (a: number) => {
      const p = model.params.perAsset[a];
      const r = column(sim, 2, a);
      const h = garchFilter(r, p, p.nextVariance).variance;
      return r.map((v, t) => (v - p.mu) / Math.sqrt(h[t]));
    };
    const a = std(0),
      b = std(1);
    const ma = a.reduce((s, v) => s + v, 0) / a.length,
      mb = b.reduce((s, v) => s + v, 0) / b.length;
    let sab = 0,
      saa = 0,
      sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeGreaterThan(0.47);
    expect(sab / Math.sqrt(saa * sbb)).toBeLessThan(0.505);
  });

  it('refits per-asset parameters and the residual correlation from its own simulation', () => {
    const fit = fitGarch({ assets: ['A', 'B'], returns: [column(sim, 2, 0, 0, 8000), column(sim, 2, 1, 0, 8000)] });
    const [pa, pb] = fit.params.perAsset;
    expect(Math.abs(pa.alpha - 0.09)).toBeLessThan(0.05);
    expect(Math.abs(pa.beta - 0.89)).toBeLessThan(0.05);
    expect(Math.abs(pb.alpha + pb.beta - 0.98)).toBeLessThan(0.03);
    expect(Math.abs(fit.params.corr[0][1] - 0.5)).toBeLessThan(0.05);
    for (const info of fit.fitInfo) expect(info.persistence).toBeLessThan(1);
  });

  it('starts from the variance implied by a given history', () => {
    // A calm history vs a violent one: the first simulated step's spread follows it.
    const calm = [new Float64Array(100).fill(0.001), new Float64Array(100).fill(0.001)];
    const wild = [new Float64Array(100).map((_, i) => (i % 2 ? 0.08 : -0.08)), new Float64Array(100).fill(0.001)];
    const sdFirst = (h: Float64Array[]) => {
      const r = model.simulateReturns({ horizon: 1, paths: 4000, seed: 4, history: h });
      const x = column(r, 2, 0);
      return Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    };
    expect(sdFirst(wild)).toBeGreaterThan(5 * sdFirst(calm));
    expect(() => model.simulateReturns({ horizon: 1, paths: 1, seed: 1, history: [new Float64Array(3)] })).toThrow(UsageError);
  });

  it('can start from the unconditional variance instead of the end of the sample', () => {
    const j = model.toJSON();
    const late = GarchModel.fromJSON({ ...j, perAsset: j.perAsset.map((p) => ({ ...p, nextVariance: 9e-4 })) });
    const u = late.withUnconditionalStart();
    // Unconditional variance of A: 2e-6 / (1 - 0.09 - 0.89) = 1e-4; of B: 4e-6 / (1 - 0.06 - 0.92) = 2e-4.
    expect(u.params.perAsset[0].nextVariance).toBeCloseTo(1e-4, 12);
    expect(u.params.perAsset[1].nextVariance).toBeCloseTo(2e-4, 12);
    expect(late.params.perAsset[0].nextVariance).toBe(9e-4);
  });

  it('round-trips through JSON and rejects a non-stationary state', () => {
    const back = GarchModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.simulateReturns({ horizon: 5, paths: 2, seed: 8 })).toEqual(model.simulateReturns({ horizon: 5, paths: 2, seed: 8 }));
    const bad = model.toJSON();
    expect(() => GarchModel.fromJSON({ ...bad, perAsset: [{ ...bad.perAsset[0], alpha: 0.2, beta: 0.85 }, bad.perAsset[1]] })).toThrow(
      /alpha \+ beta must be < 1/,
    );
    expect(() => GarchModel.fromJSON({ ...bad, corr: [[1]] })).toThrow(ModelFormatError);
  });
});

describe('multi-asset Gaussian GARCH(1,1) with constant conditional correlation', () => {
  const normal = new GarchModel({
    innovation: 'normal',
    assets: ['A', 'B'],
    perAsset: [
      { mu: 0.0003, omega: 2e-6, alpha: 0.09, beta: 0.89, nextVariance: 1e-4 },
      { mu: 0.0001, omega: 4e-6, alpha: 0.06, beta: 0.92, nextVariance: 2e-4 },
    ],
    corr: [
      [1, 0.5],
      [0.5, 1],
    ],
  });
  const sim = normal.simulateReturns({ horizon: 8000, paths: 1, seed: 3 });

  it('is named garch-normal and fits back its parameters and correlation (fixed seed)', () => {
    expect(normal.name).toBe('garch-normal');
    expect(model.name).toBe('garch');
    const fit = fitGarch({ assets: ['A', 'B'], returns: [column(sim, 2, 0), column(sim, 2, 1)] }, { innovation: 'normal' });
    expect(fit.name).toBe('garch-normal');
    expect(fit.innovation).toBe('normal');
    const [pa, pb] = fit.params.perAsset;
    expect(pa.nu).toBeUndefined();
    expect(Math.abs(pa.alpha - 0.09)).toBeLessThan(0.03);
    expect(Math.abs(pa.beta - 0.89)).toBeLessThan(0.03);
    expect(Math.abs(pb.alpha + pb.beta - 0.98)).toBeLessThan(0.02);
    expect(Math.abs(fit.params.corr[0][1] - 0.5)).toBeLessThan(0.03);
    // Its standardized innovations are Gaussian: conditional excess kurtosis near 0, where GARCH-t's are heavy.
    const z = (m: GarchModel) => {
      const p = m.params.perAsset[0];
      const r = column(m.simulateReturns({ horizon: 20_000, paths: 1, seed: 5 }), 2, 0);
      const h = garchFilter(r, p, p.nextVariance).variance;
      const s = r.map((v, t) => (v - p.mu) / Math.sqrt(h[t]));
      const m2 = s.reduce((a, v) => a + v * v, 0) / s.length;
      return s.reduce((a, v) => a + v ** 4, 0) / s.length / (m2 * m2) - 3;
    };
    expect(Math.abs(z(normal))).toBeLessThan(0.15);
    expect(z(model)).toBeGreaterThan(1);
  });

  it('is seeded, round-trips through JSON, and honours history, start scenarios and the unconditional start', () => {
    expect(normal.simulateReturns({ horizon: 8000, paths: 1, seed: 3 })).toEqual(sim);
    const json = JSON.parse(JSON.stringify(normal.toJSON()));
    expect(json.kind).toBe('fingan.market.garch-normal-ccc');
    const back = GarchModel.fromJSON(json);
    expect(back.name).toBe('garch-normal');
    expect(back.simulateReturns({ horizon: 5, paths: 2, seed: 8 })).toEqual(normal.simulateReturns({ horizon: 5, paths: 2, seed: 8 }));
    const sd = (args: Partial<Parameters<GarchModel['simulateReturns']>[0]>) => {
      const x = column(normal.simulateReturns({ horizon: 1, paths: 4000, seed: 4, ...args }), 2, 0);
      return Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    };
    expect(sd({ start: 'stressed' })).toBeGreaterThan(1.5 * sd({ start: 'calm' }));
    expect(sd({ start: { volatility: 0.03 } })).toBeCloseTo(0.03, 2);
    const wild = [new Float64Array(100).map((_, i) => (i % 2 ? 0.08 : -0.08)), new Float64Array(100).fill(0.001)];
    expect(sd({ history: wild })).toBeGreaterThan(5 * sd({ history: [new Float64Array(100).fill(0.001), new Float64Array(100).fill(0.001)] }));
    expect(normal.withUnconditionalStart().params.perAsset[0].nextVariance).toBeCloseTo(1e-4, 12);
    expect(normal.withUnconditionalStart().name).toBe('garch-normal');
  });

  it('refuses bad options and inconsistent parameters with errors that name them', () => {
    const data = { assets: ['A'], returns: [column(sim, 2, 0)] };
    expect(() => fitGarch(data, { innovation: 'laplace' as never })).toThrow(/innovation must be 'normal' or 't', got 'laplace'/);
    expect(() => fitGarch({ assets: ['A'], returns: [new Float64Array(20)] }, { innovation: 'normal' })).toThrow(/needs at least 50 returns/);
    const p = normal.params;
    expect(() => new GarchModel({ ...p, perAsset: [{ ...p.perAsset[0], nu: 5 }, p.perAsset[1]] })).toThrow(/normal innovations needs no nu/);
    expect(() => new GarchModel({ ...p, innovation: 't' })).toThrow(/t innovations needs nu > 2 for every asset/);
    const j = normal.toJSON();
    expect(() => GarchModel.fromJSON({ ...j, kind: 'fingan.market.garch-t-ccc' })).toThrow(ModelFormatError);
    expect(() => GarchModel.fromJSON({ ...j, perAsset: [{ ...j.perAsset[0], nu: 5 }, j.perAsset[1]] })).toThrow(ModelFormatError);
  });
});
