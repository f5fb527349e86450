import { UsageError } from '@fingan/gan-core';
import { RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { readPricesCsv } from '../schema/prices-csv.js';
import { logReturns, type LogReturns } from '../encoder/log-returns.js';
import { ConditionTracker, FEATURES_PER_ASSET, realConditions, unconditionalVariance, type ConditionConfig } from './condition.js';

const latent = { mu: 0, omega: 1e-5, alpha: 0.1, beta: 0.8, nu: 8 };

function series(returns: number[][]): LogReturns {
  const n = returns[0].length;
  return {
    dates: Array.from({ length: n }, (_, i) => `2020-01-${String(i + 2).padStart(2, '0')}`),
    assets: returns.map((_, a) => `A${a}`),
    returns: returns.map((r) => Float64Array.from(r)),
    segment: new Int32Array(n),
    dropped: 0,
  };
}

describe('realConditions', () => {
  it('standardizes returns by the latent GARCH variance started at its unconditional level', () => {
    // h0 = 1e-5 / (1 - 0.1 - 0.8) = 1e-4; h1 = 1e-5 + 0.1 * 0.02^2 + 0.8 * 1e-4 = 1.3e-4;
    // h2 = 1e-5 + 0.1 * 0.01^2 + 0.8 * 1.3e-4 = 1.24e-4; next = 1e-5 + 0 + 0.8 * 1.24e-4 = 1.092e-4.
    const rc = realConditions(series([[0.02, -0.01, 0]]), { latent: [latent], volWindow: 2, volHalfLife: 1, rsiPeriod: 2 });
    expect(unconditionalVariance(latent)).toBeCloseTo(1e-4, 12);
    expect(Array.from(rc.variance[0])).toEqual([expect.closeTo(1e-4, 12), expect.closeTo(1.3e-4, 12), expect.closeTo(1.24e-4, 12)]);
    expect(rc.innovations[0][0]).toBeCloseTo(2, 10);
    expect(rc.innovations[0][1]).toBeCloseTo(-0.01 / Math.sqrt(1.3e-4), 10);
    expect(rc.innovations[0][2]).toBe(0);
    expect(rc.nextVariance[0]).toBeCloseTo(1.092e-4, 12);
  });

  it('defines features only after the warm-up and never across a gap', () => {
    const lr = series([[0.01, -0.02, 0.03, 0.01, -0.01, 0.02, 0.01]]);
    lr.segment = Int32Array.from([0, 0, 0, 0, 1, 1, 1]);
    const rc = realConditions(lr, { latent: [latent], volWindow: 2, volHalfLife: 1, rsiPeriod: 2 });
    // Row t needs features at t-1 in the same segment, which need 2 returns of that segment: rows 2, 3 and 6.
    expect(Array.from(rc.valid)).toEqual([0, 0, 1, 1, 0, 0, 1]);
    expect(Number.isNaN(rc.cond[0])).toBe(true);
  });
});

describe('ConditionTracker', () => {
  it('updates realised variance (mean square, then EWMA) and Wilder RSI by hand', () => {
    const config: ConditionConfig = { latent: [latent], volWindow: 2, volHalfLife: 1, rsiPeriod: 2, scaling: { gapCenter: [0], gapScale: [1] } };
    const t = new ConditionTracker(1, config);
    const r = [0.01, -0.02, 0.03];
    t.warmUp([r]);
    const out = new Float32Array(FEATURES_PER_ASSET);
    t.fill(out);
    // Realised variance: (0.01^2 + 0.02^2) / 2 = 2.5e-4, then 0.5 * 2.5e-4 + 0.5 * 0.03^2 = 5.75e-4 (half-life 1).
    // Latent variance after three steps from 1e-4: 1e-5 + 0.1 * 1e-4 + 0.8e-4 = 1e-4, then 1.3e-4, then 2.04e-4.
    expect(out[0]).toBeCloseTo(0.5 * (Math.log(5.75e-4) - Math.log(2.04e-4)), 5);
    // RSI of the price index 1, e^0.01, e^-0.01, e^0.02 with period 2, as technicalindicators computes it.
    const price = [1, Math.exp(0.01), Math.exp(-0.01), Math.exp(0.02)];
    const rsi = RSI.calculate({ period: 2, values: price });
    expect(out[1]).toBeCloseTo((rsi[rsi.length - 1] - 50) / 50, 3);
  });

  it("reproduces realConditions' features (technicalindicators' RSI) on the S&P 500, and broadcasts a warm-up", () => {
    const prices = readPricesCsv(new URL('../../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url).pathname, { assets: ['close'] });
    const full = logReturns(prices);
    const lr: LogReturns = { ...full, dates: full.dates.slice(0, 800), returns: [full.returns[0].slice(0, 800)], segment: full.segment.slice(0, 800) };
    const base = { latent: [{ mu: 3e-4, omega: 2e-6, alpha: 0.08, beta: 0.9, nu: 8 }], volWindow: 20, volHalfLife: 20, rsiPeriod: 14 };
    const rc = realConditions(lr, base);
    const tracker = new ConditionTracker(1, { ...base, scaling: rc.scaling });
    const out = new Float32Array(2);
    let maxDiff = 0;
    let compared = 0;
    for (let t = 0; t < 800; t++) {
      if (tracker.ready && rc.valid[t]) {
        tracker.fill(out);
        maxDiff = Math.max(maxDiff, Math.abs(out[0] - rc.cond[2 * t]), Math.abs(out[1] - rc.cond[2 * t + 1]));
        compared++;
      }
      tracker.push([lr.returns[0][t]]);
    }
    expect(compared).toBe(780);
    // technicalindicators rounds RSI to 2 decimals: at most 0.005 / 50 = 1e-4 in scaled units.
    expect(maxDiff).toBeLessThanOrEqual(1.01e-4);
    const many = new ConditionTracker(3, { ...base, scaling: rc.scaling });
    many.warmUp([lr.returns[0].subarray(0, 100)]);
    const one = new ConditionTracker(1, { ...base, scaling: rc.scaling });
    one.warmUp([lr.returns[0].subarray(0, 100)]);
    const a = new Float32Array(6);
    const b = new Float32Array(2);
    many.fill(a);
    one.fill(b);
    expect(Array.from(a)).toEqual([...b, ...b, ...b]);
    expect(many.sigma(2)).toBe(one.sigma(0));
  });

  it('refuses a history too short for its features, and caps a runaway latent variance', () => {
    const config: ConditionConfig = { latent: [latent], volWindow: 20, volHalfLife: 20, rsiPeriod: 14, scaling: { gapCenter: [0], gapScale: [1] } };
    const t = new ConditionTracker(2, config);
    expect(() => t.warmUp([new Float64Array(19)])).toThrow(UsageError);
    expect(() => t.warmUp([new Float64Array(19)])).toThrow(/at least 20/);
    t.warmUp([new Float64Array(20)]);
    for (let i = 0; i < 50; i++) t.push([1, -1]);
    // 100 x the unconditional variance 1e-4.
    expect(t.variance[0]).toBeCloseTo(1e-2, 12);
  });
});
