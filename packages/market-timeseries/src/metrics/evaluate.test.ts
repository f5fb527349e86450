import { describe, expect, it } from 'vitest';
import { fitGarch } from '../baselines/garch.js';
import { fitGbm } from '../baselines/gbm.js';
import { readPricesCsv } from '../schema/prices-csv.js';
import { logReturns } from '../encoder/log-returns.js';
import { evaluateModels } from './evaluate.js';
import { computeMetrics } from '@fingan/gan-core/stats';
import { FACT_METRICS, MARKET_METRICS } from './metric-objects.js';
import { panelFromColumns, simulatePanel } from './return-panel.js';
import { compareStylizedFacts } from './stylized-facts.js';

const dataFile = (name: string) => new URL(`../../../../data/${name}`, import.meta.url).pathname;

describe('evaluateModels on real Dow Jones prices', () => {
  const lr = logReturns(readPricesCsv(dataFile('dowjones30_daily.csv'), { assets: ['AA', 'IBM', 'KO'] }));
  const gbm = fitGbm(lr);
  const garch = fitGarch(lr);
  const sim = { horizon: 500, paths: 40, seed: 1 };
  const ev = evaluateModels({
    real: lr,
    models: [
      { name: 'gbm', returns: simulatePanel(gbm, sim) },
      { name: 'garch', returns: simulatePanel(garch, sim) },
    ],
    discriminative: { nEstimators: 40 },
  });
  const row = (name: string) => ev.rows.find((r) => r.model === name)!;

  it('has a real reference row first and one row per model', () => {
    expect(ev.rows.map((r) => r.model)).toEqual(['real', 'gbm', 'garch']);
    expect(row('real').acfAbsMae).toBe(0);
    expect(row('real').discriminativeScore).toBeNull();
    expect(row('real').predictiveScore).toBeGreaterThan(0.4);
  });

  it('ranks GARCH above GBM on the stylized facts GBM lacks', () => {
    // Real daily stock returns are heavy-tailed (excess kurtosis well above 0) and their |r| are autocorrelated.
    expect(row('real').excessKurtosis).toBeGreaterThan(3);
    expect(ev.real.perAsset[0].acfAbs[0]).toBeGreaterThan(0.05);
    expect(Math.abs(row('gbm').excessKurtosis)).toBeLessThan(0.5);
    expect(row('garch').excessKurtosis).toBeGreaterThan(row('gbm').excessKurtosis + 1);
    expect(row('garch').acfAbsMae).toBeLessThan(row('gbm').acfAbsMae);
    // GBM matches the real volatility, so its 95% VaR is close, but its 99% ES is too small (thin tails).
    expect(row('gbm').es99).toBeLessThan(row('real').es99);
    for (const r of ev.rows) for (const v of Object.values(r)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });

  it('fills each model row from the metric objects, computed on the same comparison', () => {
    const returns = simulatePanel(garch, sim);
    const comparison = ev.comparisons.garch;
    const real = { ...panelFromColumns(lr) };
    const scores = computeMetrics(MARKET_METRICS, { real, synthetic: returns, comparison, discriminative: { nEstimators: 40 } });
    expect(scores.map((s) => s.goal)).toEqual(MARKET_METRICS.map(() => 'minimize'));
    for (const s of scores) expect(row('garch')[s.name as keyof typeof row]).toBe(s.value);
    expect(scores.find((s) => s.name === 'acfAbsMae')!.value).toBeGreaterThan(0);
    // A panel against itself: every distance from the comparison is 0.
    const self = computeMetrics(FACT_METRICS, { real, synthetic: real, comparison: compareStylizedFacts(real, real) });
    expect(self.map((s) => s.value)).toEqual(FACT_METRICS.map(() => 0));
  });

  it('rejects a model called real or a repeated name', () => {
    const returns = simulatePanel(gbm, { horizon: 100, paths: 2, seed: 1 });
    expect(() => evaluateModels({ real: lr, models: [{ name: 'real', returns }] })).toThrow(/reserved or used twice/);
  });
});
