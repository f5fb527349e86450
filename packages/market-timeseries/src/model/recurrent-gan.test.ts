import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidDataError, ModelFormatError, saveModelDir, tf, UsageError } from '@fingan/gan-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GarchModel } from '../baselines/garch.js';
import type { PriceSeries } from '../schema/prices.js';
import { stationaryVarianceQuantile, type StartState } from './scenario.js';
import { simulatePaths } from './simulate.js';
import { fitRecurrentGan, loadRecurrentGan, type RecurrentGanModel } from './recurrent-gan.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-gan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 700 days of two correlated GARCH-t assets as prices starting at 100 and 50. */
function garchPrices(n = 701): PriceSeries {
  const g = new GarchModel({
    assets: ['A', 'B'],
    perAsset: [
      { mu: 3e-4, omega: 4e-6, alpha: 0.08, beta: 0.88, nu: 6, nextVariance: 1e-4 },
      { mu: 1e-4, omega: 6e-6, alpha: 0.06, beta: 0.9, nu: 8, nextVariance: 1.5e-4 },
    ],
    corr: [
      [1, 0.4],
      [0.4, 1],
    ],
  });
  const r = g.simulateReturns({ horizon: n - 1, paths: 1, seed: 11 });
  const prices = [new Float64Array(n), new Float64Array(n)];
  prices[0][0] = 100;
  prices[1][0] = 50;
  for (let t = 1; t < n; t++) for (let a = 0; a < 2; a++) prices[a][t] = prices[a][t - 1] * Math.exp(r[(t - 1) * 2 + a]);
  const day = Date.UTC(2001, 0, 1);
  return { dates: Array.from({ length: n }, (_, t) => new Date(day + t * 86_400_000).toISOString().slice(0, 10)), assets: ['A', 'B'], prices };
}

const TINY = { window: 16, units: 8, hidden: 8, criticFilters: 8, batchSize: 16, steps: 6, calibrationPaths: 16, seed: 3 };
const prices = garchPrices();
let model: RecurrentGanModel;

beforeAll(async () => {
  model = await fitRecurrentGan(prices, TINY);
});

describe('fitRecurrentGan', () => {
  it('trains with WGAN-GP for the given steps and keeps the loss history, but no training return or price', () => {
    expect(model.name).toBe('gan');
    expect(model.assets).toEqual(['A', 'B']);
    expect(model.state.training).toMatchObject({ steps: 6, stoppedBy: 'completed', seed: 3 });
    expect(model.lossHistory).toHaveLength(6);
    expect(model.lossHistory.every((l) => Number.isFinite(l.critic) && Number.isFinite(l.penalty))).toBe(true);
    // The start state is the latent variance per asset at the end of the data: an aggregate, not a price or return.
    expect(Object.keys(model.state.start)).toEqual(['variance']);
    expect(model.state.start.variance).toHaveLength(2);
    expect(model.state.start.variance.every((v) => v > 0)).toBe(true);
    const text = JSON.stringify(model.state);
    const tail = prices.prices.flatMap((col) => Array.from(col.slice(600)));
    const returns = prices.prices.flatMap((col) => Array.from(col.slice(600), (p, t) => Math.log(p / col[599 + t])));
    expect([...tail, ...returns].filter((v) => text.includes(String(v)))).toEqual([]);
  });

  it('resumes a fit from its checkpoint to the weights of an uninterrupted fit (what `fingan market fit --resume` uses)', async () => {
    const checkpoint = { dir: join(dir, 'checkpoint'), every: 1 };
    (await fitRecurrentGan(prices, { ...TINY, steps: 3, checkpoint })).dispose(); // "killed" after step 3 of 6
    let resumedAt = -1;
    const resumed = await fitRecurrentGan(prices, {
      ...TINY,
      checkpoint,
      resume: true,
      onEvent: (e) => void (e.type === 'start' && e.resumed && (resumedAt = e.step)),
    });
    expect(resumedAt).toBe(3);
    await resumed.save(join(dir, 'resumed'));
    await model.save(join(dir, 'whole'));
    resumed.dispose();
    expect(readFileSync(join(dir, 'resumed', 'weights.bin')).equals(readFileSync(join(dir, 'whole', 'weights.bin')))).toBe(true);
  });

  it('calibrates the free-running innovations to the real mean and standard deviation', () => {
    const { z } = model.generate({ horizon: 300, paths: 16, seed: 1 }, model.state.calibration, true);
    const x = Array.from(z as Float32Array).filter((_, i) => i % 2 === 0);
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length);
    // GARCH-t innovations are standardized: the real ones have mean ~0 and std ~1.
    expect(Math.abs(m)).toBeLessThan(0.1);
    expect(sd).toBeGreaterThan(0.85);
    expect(sd).toBeLessThan(1.15);
  });

  it('optionally conditions on regime features recomputed from each simulated path', async () => {
    const m = await fitRecurrentGan(prices, { ...TINY, steps: 2, regime: true });
    expect(m.generator.inputs).toHaveLength(2);
    expect(m.generator.inputs[1].shape).toEqual([null, null, 4]);
    // It stores no training returns, so it starts from a history the caller gives.
    expect(() => m.simulateReturns({ horizon: 50, paths: 3, seed: 1 })).toThrow(
      /conditioned on regime features and stores no training returns; give a history/,
    );
    const history = [0, 1].map(() => Float64Array.from({ length: 40 }, (_, t) => (t % 2 ? 0.01 : -0.01)));
    const r = m.simulateReturns({ horizon: 50, paths: 3, seed: 1, history });
    expect(r).toHaveLength(3 * 50 * 2);
    expect(r.every(Number.isFinite)).toBe(true);
    expect(Array.from(m.simulateReturns({ horizon: 50, paths: 3, seed: 1, history }))).toEqual(Array.from(r));
    m.dispose();
  });

  it('refuses data shorter than the regime warm-up plus one training window, and bad options', async () => {
    const short = garchPrices(30);
    await expect(fitRecurrentGan(short, TINY)).rejects.toThrow(InvalidDataError);
    await expect(fitRecurrentGan(short, TINY)).rejects.toThrow(/needs at least 38 prices/);
    await expect(fitRecurrentGan(prices, { ...TINY, window: 20 })).rejects.toThrow(/multiple of 16/);
    await expect(fitRecurrentGan(prices, { ...TINY, noiseNu: 2 })).rejects.toThrow(UsageError);
  });
});

describe('RecurrentGanModel.simulateReturns', () => {
  it('is seeded: same seed same paths, another seed other paths', () => {
    const a = model.simulateReturns({ horizon: 40, paths: 3, seed: 5 });
    const b = model.simulateReturns({ horizon: 40, paths: 3, seed: 5 });
    const c = model.simulateReturns({ horizon: 40, paths: 3, seed: 6 });
    expect(a).toHaveLength(3 * 40 * 2);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('generates any length by carrying the state: a longer horizon extends the shorter one', () => {
    const short = model.simulateReturns({ horizon: 1, paths: 2, seed: 9 });
    const long = model.simulateReturns({ horizon: 100, paths: 2, seed: 9 });
    // Path p, step 0 of both; the noise of step t is drawn after steps < t, whatever the horizon.
    expect(long[0]).toBeCloseTo(short[0], 6);
    expect(long[1]).toBeCloseTo(short[1], 6);
    expect(long[100 * 2]).toBeCloseTo(short[2], 6);
    const mid = model.simulateReturns({ horizon: 60, paths: 2, seed: 9 });
    for (let t = 0; t < 60; t++) expect(mid[(60 + t) * 2 + 1]).toBeCloseTo(long[(100 + t) * 2 + 1], 5);
  });

  it('starts from a given history: a turbulent history gives larger early moves than a calm one', () => {
    const hist = (amp: number) => [0, 1].map(() => Float64Array.from({ length: 40 }, (_, t) => (t % 2 ? amp : -amp)));
    const meanAbs = (x: Float32Array) => x.slice(0, 5 * 2 * 50).reduce((s, v) => s + Math.abs(v), 0);
    const turbulent = model.simulateReturns({ horizon: 5, paths: 50, seed: 2, history: hist(0.05) });
    const calm = model.simulateReturns({ horizon: 5, paths: 50, seed: 2, history: hist(0.001) });
    expect(meanAbs(turbulent) / meanAbs(calm)).toBeGreaterThan(3);
    expect(() => model.simulateReturns({ horizon: 5, paths: 2, seed: 2, history: hist(0.01).map((h) => h.subarray(0, 10)) })).toThrow(/at least 20/);
  });

  it('simulates stress scenarios: a stressed start gives wider fans than a calm one, a given volatility is honoured', () => {
    // The standard deviation of 20-day cumulative returns over 200 paths, per start state.
    const fan = (start: StartState) => {
      const r = model.simulateReturns({ horizon: 20, paths: 200, seed: 4, start });
      const cum = Array.from({ length: 200 }, (_, p) =>
        r
          .slice(p * 40, p * 40 + 40)
          .filter((_, i) => i % 2 === 0)
          .reduce((a, b) => a + b, 0),
      );
      const m = cum.reduce((a, b) => a + b, 0) / cum.length;
      return Math.sqrt(cum.reduce((a, b) => a + (b - m) ** 2, 0) / cum.length);
    };
    const [calm, normal, stressed] = [fan('calm'), fan('normal'), fan('stressed')];
    expect(normal).toBeGreaterThan(calm);
    expect(stressed).toBeGreaterThan(1.5 * calm);
    const latent = model.toJSON().latent[0];
    expect(Math.sqrt(stationaryVarianceQuantile(latent, 0.95))).toBeGreaterThan(Math.sqrt(stationaryVarianceQuantile(latent, 0.1)));
    // A given volatility: the first day's spread follows it (z has unit scale after calibration).
    const first = (vol: number) => {
      const r = model.simulateReturns({ horizon: 1, paths: 1000, seed: 5, start: { volatility: [vol, vol] } });
      const x = Array.from(r.filter((_, i) => i % 2 === 0));
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
    };
    expect(first(0.04) / first(0.01)).toBeGreaterThan(3.5);
    expect(first(0.04) / first(0.01)).toBeLessThan(4.5);
    expect(() => model.simulateReturns({ horizon: 1, paths: 2, seed: 1, start: { volatility: [0.01] } })).toThrow(/needs 2 numbers/);
    expect(() => model.simulateReturns({ horizon: 1, paths: 2, seed: 1, start: 'panic' as StartState })).toThrow(/calm, normal, stressed/);
  });

  it('drives simulatePaths from the prices the caller gives', () => {
    const out = simulatePaths({ model, startPrices: [prices.prices[0][700], prices.prices[1][700]], horizon: 10, paths: 4, seed: 1, chunkSize: 3 });
    expect(out.shape).toEqual([4, 10, 2]);
    expect(out.data.every((p) => p > 0)).toBe(true);
  });
});

describe('save and load', () => {
  it('round-trips through a gan-core model directory with identical simulations', async () => {
    const path = join(dir, 'gan');
    await model.save(path);
    const back = await loadRecurrentGan(path, { assets: ['A', 'B'] });
    expect(back.state).toEqual(model.state);
    expect(back.lossHistory).toHaveLength(6);
    const args = { horizon: 30, paths: 2, seed: 4 };
    expect(Array.from(back.simulateReturns(args))).toEqual(Array.from(model.simulateReturns(args)));
    back.dispose();
  });

  it('refuses a model trained on other assets, naming the missing column', async () => {
    const path = join(dir, 'gan');
    await expect(loadRecurrentGan(path, { assets: ['A', 'X'] })).rejects.toThrow(InvalidDataError);
    await expect(loadRecurrentGan(path, { assets: ['A', 'X'] })).rejects.toThrow(/trained on assets A, B; the data has A, X \(no column 'B'\)/);
    await expect(loadRecurrentGan(path, { assets: ['B', 'A'] })).rejects.toThrow(/different order/);
  });

  it("refuses another package's model directory", async () => {
    const path = join(dir, 'other');
    const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    await saveModelDir(path, {
      package: '@fingan/credit-risk',
      packageVersion: '0.1.0',
      kind: 'tabular-synthesizer',
      networks: { generator: net },
      state: {},
      seed: 0,
      trainingConfig: {},
      training: { steps: 0, plannedSteps: 0, stoppedBy: 'completed', reproducible: true },
      lossHistory: [],
    });
    await expect(loadRecurrentGan(path)).rejects.toThrow(ModelFormatError);
    await expect(loadRecurrentGan(path)).rejects.toThrow(
      /holds a tabular-synthesizer model from @fingan\/credit-risk, not a recurrent-gan from @fingan\/market-timeseries/,
    );
    await expect(loadRecurrentGan(join(dir, 'missing'))).rejects.toThrow(/does not exist/);
  });

  it('refuses a directory of the old format (training returns and prices stored) with a clear error', async () => {
    const path = join(dir, 'old');
    const old = { ...model.state, version: 1, start: { history: [[0.01], [0.02]], variance: [1e-4, 1e-4], lastPrices: [100, 50], lastDate: '2020-01-01' } };
    await saveModelDir(path, {
      package: '@fingan/market-timeseries',
      packageVersion: '0.1.0',
      kind: 'recurrent-gan',
      networks: { generator: model.generator },
      state: old,
      seed: 0,
      trainingConfig: {},
      lossHistory: [],
    });
    await expect(loadRecurrentGan(path)).rejects.toThrow(ModelFormatError);
    await expect(loadRecurrentGan(path)).rejects.toThrow(/saved by an older fingan and stores the last training returns and prices verbatim; fit it again/);
  });
});
