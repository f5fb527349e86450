import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitGarch } from '../baselines/garch.js';
import { fitGbm } from '../baselines/gbm.js';
import { readPricesCsv } from '../data/prices-csv.js';
import { logReturns } from '../encoder/log-returns.js';
import { evaluateModels } from '../evaluate.js';
import { panelFromColumns, simulatePanel } from '../metrics/return-panel.js';
import { simulatePaths } from '../simulate.js';
import { marketReport, writeMarketReport } from './market-report.js';

const dataFile = (name: string) => new URL(`../../../../data/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fingan-market-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('marketReport', () => {
  const history = readPricesCsv(dataFile('dowjones30_daily.csv'), { assets: ['AA', 'KO'] });
  const lr = logReturns(history);
  const real = panelFromColumns(lr);
  const fitted = [fitGbm(lr), fitGarch(lr)];
  const models = fitted.map((m) => ({
    name: m.name,
    returns: simulatePanel(m, { horizon: 300, paths: 20, seed: 1 }),
    prices: simulatePaths({ model: m, startPrices: history.prices.map((p) => p[p.length - 1]), horizon: 60, paths: 200, seed: 2 }),
  }));
  const evaluation = evaluateModels({ real, models, discriminative: false });
  const html = marketReport({ evaluation, real, models, history, generatedAt: 'fixed' });

  it('has every section and one chart per asset, model and kind', () => {
    for (const h of ['Metrics against the real data', 'Simulated price paths', 'Return distributions (heavy tails)', 'Volatility clustering and leverage', 'Cross-asset correlation']) {
      expect(html).toContain(`<h2>${h}</h2>`);
    }
    const svgs = html.match(/<svg/g)?.length ?? 0;
    // fans: 2 models x 2 assets; histograms 2 + QQ 2; 3 line charts; heatmaps: real + 2 models.
    expect(svgs).toBe(4 + 4 + 3 + 3);
    expect(html).toContain('AA: garch (200 paths)');
    expect(html).toContain('Generated fixed');
  });

  it('puts the real reference row and both models in the metric table', () => {
    const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'));
    expect(table).toMatch(/<td[^>]*>real<\/td>/);
    expect(table).toMatch(/<td[^>]*>gbm<\/td>/);
    expect(table).toMatch(/<td[^>]*>garch<\/td>/);
    expect(table).toContain('acfAbsMae');
  });

  it('writes the file atomically', () => {
    const file = join(dir, 'report.html');
    writeMarketReport(file, { evaluation, real, models, history });
    expect(readFileSync(file, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});
