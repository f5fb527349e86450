import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createLogger } from '@fingan/gan-core';
import { DATASETS, marketDemo, runMarketDemo, type MarketDemoMetrics } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-market-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the bundled data sets are where the demo looks for them, split inside their date range', () => {
  expect(marketDemo.name).toBe('market');
  for (const d of DATASETS) expect(existsSync(d.file), d.file).toBe(true);
  expect(DATASETS.map((d) => d.assets.length)).toEqual([1, 5]);
});

test('a shrunken demo (S&P 500 from 2000 to mid-2001 for training, tiny GAN, short paths) writes metrics.json and the reports', async () => {
  const sp = { ...DATASETS[0], splitDate: '2001-06-01' };
  const res = await runMarketDemo({
    out: dir,
    quick: true,
    seed: 2,
    log: createLogger({ quiet: true }),
    overrides: {
      datasets: [sp],
      paths: 8,
      maxHorizon: 150,
      gan: { window: 16, units: 8, hidden: 8, criticFilters: 8, batchSize: 16, steps: 3, calibrationPaths: 16 },
    },
  });
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as MarketDemoMetrics;
  expect(m).toEqual(JSON.parse(JSON.stringify(res.metrics)));
  expect(JSON.stringify(m)).not.toMatch(/[Ss]econds|elapsed/); // nothing from the clock: a busy machine writes the same file
  const d = m.datasets[0];
  // Returns dated 2000-01-04 .. 2001-05-31 (dated by their later day): 355 rows of the CSV fall in that range.
  expect(d.train).toEqual({ from: '2000-01-04', to: '2001-05-31', returns: 355 });
  expect(d.test.from).toBe('2001-06-01');
  expect(d).toMatchObject({ key: 'sp500', paths: 8, horizon: 150, trainingSteps: 3, stoppedBy: 'completed' });
  expect(d.rows.map((r) => r.model)).toEqual(['real', 'gan', 'garch-normal', 'garch', 'gbm']);
  expect(Object.keys(d.discriminativeFromToday)).toEqual(['gan', 'garch-normal', 'garch', 'gbm']);
  // 150 evaluation days: a 24-day path from every 6th day, 22 of them, each conditioned on the 64 days before.
  expect(Object.values(d.discriminativeFromToday).every((v) => v !== null && v >= 0 && v <= 0.5)).toBe(true);
  // The target flags follow from the rows.
  const [real, gan, garchNormal, garch] = d.rows;
  expect(d.targets.beatsGarchWasserstein).toBe(gan.wasserstein < garch.wasserstein);
  expect(d.targets.kurtosisWithin30Percent).toBe(Math.abs(gan.excessKurtosis - real.excessKurtosis) <= 0.3 * Math.abs(real.excessKurtosis));
  expect(res.summary.sp500).toMatchObject({ wasserstein: gan.wasserstein });
  // A verdict per stylized fact for each model; quick mode runs no backtests (the full demo and the bench do).
  expect(d.verdicts).toHaveLength(7);
  expect(Object.keys(d.verdicts[0].models)).toEqual(['gan', 'garch-normal', 'garch', 'gbm']);
  // The relative targets compare with the plain GARCH(1,1) (issue 14); GARCH(1,1)-t is shown beside it.
  const clustering = d.verdicts.find((v) => v.fact === 'volatility clustering')!;
  expect(clustering.models['garch-normal'].pass).toBeNull();
  expect(clustering.models.gan.pass).toBe(gan.acfAbsMae <= 0.9 * garchNormal.acfAbsMae);
  expect(clustering.models.gan.stronger).toEqual({ model: 'garch', value: garch.acfAbsMae, pass: gan.acfAbsMae <= 0.9 * garch.acfAbsMae });
  expect(d.backtests).toEqual([]);
  expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/href="sp500\/report.html"/);
  expect(readFileSync(join(dir, 'sp500', 'report.html'), 'utf8')).toMatch(/<svg/);
});
