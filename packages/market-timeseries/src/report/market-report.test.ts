import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitGarch } from '../baselines/garch.js';
import { fitGbm } from '../baselines/gbm.js';
import { readPricesCsv } from '../schema/prices-csv.js';
import { logReturns } from '../encoder/log-returns.js';
import { evaluateModels } from '../metrics/evaluate.js';
import { panelFromColumns, simulatePanel } from '../metrics/return-panel.js';
import { simulatePaths } from '../model/simulate.js';
import { varBacktest } from '../metrics/backtest.js';
import { stylizedFactVerdicts } from '../metrics/verdicts.js';
import { marketReport, writeMarketReport } from './market-report.js';

const dataFile = (name: string) => new URL(`../../../../data/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fingan-market-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('marketReport', () => {
  const history = readPricesCsv(dataFile('dowjones30_daily.csv'), { assets: ['AA', 'KO'] });
  const lr = logReturns(history);
  const real = panelFromColumns(lr);
  const fitted = [fitGbm(lr), fitGarch(lr), fitGarch(lr, { innovation: 'normal' })];
  const models = fitted.map((m) => ({
    name: m.name,
    returns: simulatePanel(m, { horizon: 300, paths: 20, seed: 1 }),
    prices: simulatePaths({ model: m, startPrices: history.prices.map((p) => p[p.length - 1]), horizon: 60, paths: 200, seed: 2 }),
  }));
  const evaluation = evaluateModels({ real, models, discriminative: false });
  const html = marketReport({ evaluation, real, models, history, generatedAt: 'fixed' });

  it('has every section and one chart per asset, model and kind', () => {
    for (const h of [
      'Metrics against the real data',
      'Simulated price paths',
      'Return distributions (heavy tails)',
      'Volatility clustering and leverage',
      'Cross-asset correlation',
    ]) {
      expect(html).toContain(`<h2>${h}</h2>`);
    }
    const svgs = html.match(/<svg/g)?.length ?? 0;
    // fans: 3 models x 2 assets; histograms 2 + QQ 2; 3 line charts; heatmaps: real + 3 models.
    expect(svgs).toBe(6 + 4 + 3 + 4);
    expect(html).toContain('AA: garch (200 paths)');
    expect(html).toContain('Generated fixed');
  });

  it('puts the real reference row and every model in the metric table', () => {
    const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'));
    // One column per model (a narrow table however many metrics), one row per metric.
    expect(table).toMatch(/<th[^>]*>real<\/th>/);
    expect(table).toMatch(/<th[^>]*>gbm<\/th>/);
    expect(table).toMatch(/<th[^>]*>garch<\/th>/);
    expect(table).toMatch(/<th[^>]*>garch-normal<\/th>/);
    expect(table).toMatch(/<td[^>]*>acfAbsMae<\/td>/);
  });

  it('states the periods, a verdict per stylized fact, and the backtests when given', () => {
    const verdicts = stylizedFactVerdicts(evaluation, real, models);
    expect(verdicts.map((v) => v.fact)).toEqual([
      'heavy tails',
      'extreme moves',
      'no linear predictability',
      'volatility clustering',
      'return distribution',
      'indistinguishable windows',
      'cross-asset correlation',
    ]);
    // GBM has no heavy tails (excess kurtosis ~0 against the Dow's ~4-7). The plain GARCH(1,1) is the reference of the
    // relative targets, GARCH-t is shown beside it.
    expect(verdicts[0].models.gbm.pass).toBe(false);
    expect(verdicts[3].target).toBe("ACF(|r|) error at least 10% below garch-normal's (garch's shown beside it)");
    expect(verdicts[3].models['garch-normal'].pass).toBeNull();
    expect(typeof verdicts[3].models.garch.pass).toBe('boolean');
    expect(verdicts[3].models.garch.stronger).toBeUndefined();
    const g = verdicts[4].models.gbm;
    expect(g.stronger?.model).toBe('garch');
    expect(g.stronger?.value).toBe(evaluation.rows.find((r) => r.model === 'garch')!.wasserstein);
    expect(g.value).toMatch(/^\d\.\d{5} vs \d\.\d{5}; garch \d\.\d{5}/);
    const own = stylizedFactVerdicts(evaluation, real, models, { reference: 'garch', strongerReference: 'garch' });
    expect(own[3].models.garch.pass).toBeNull();
    expect(own[3].models.gbm.stronger).toBeUndefined();
    expect(verdicts[5].models.gbm).toEqual({ value: 'not computed', pass: null });
    const from = lr.dates.length - 60;
    const backtests = fitted.map((m) => varBacktest(m, lr, { from, paths: 200, seed: 1 }));
    const page = marketReport({
      evaluation,
      real,
      models,
      history,
      verdicts,
      backtests,
      generatedAt: 'fixed',
      realised: { ...history, dates: history.dates.slice(-61), prices: history.prices.map((p) => p.slice(-61)) },
      periods: {
        fit: { from: lr.dates[0], to: lr.dates[from - 1], returns: from },
        evaluation: { from: lr.dates[from], to: lr.dates[lr.dates.length - 1], returns: 60 },
      },
    });
    for (const h of ['Periods', 'Verdict per stylized fact', 'Risk backtests (one day ahead)']) expect(page).toContain(`<h2>${h}</h2>`);
    expect(page).toContain(`Fit period: ${lr.dates[0]} to ${lr.dates[from - 1]}`);
    expect(page).toMatch(/gbm: \d of \d targets met/);
    expect(page).toContain('MISSED: worst');
    expect(page).toContain('KO: daily loss and one-day 99% VaR forecasts');
    expect(page).toContain('realised (evaluation period)');
  });

  it('writes the file atomically', () => {
    const file = join(dir, 'report.html');
    writeMarketReport(file, { evaluation, real, models, history });
    expect(readFileSync(file, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});
