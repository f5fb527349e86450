import {
  fanChart,
  heatmap,
  histogramChart,
  htmlPage,
  htmlTable,
  lineChart,
  paragraph,
  quantileSorted,
  scatterChart,
  section,
  writeReport,
  type XYSeries,
} from '@fingan/gan-core';
import type { PriceSeries } from '../data/prices.js';
import type { Evaluation } from '../evaluate.js';
import { assetPooled, type ReturnPanel } from '../metrics/return-panel.js';
import type { PricePaths } from '../simulate.js';

export interface MarketReportArgs {
  title?: string;
  subtitle?: string;
  /** Fixed string for reproducible files (default: none shown). */
  generatedAt?: string;
  evaluation: Evaluation;
  /** Real log returns (one-path panel) for histograms and QQ plots. */
  real: ReturnPanel;
  /** Each model's simulated returns, and optionally the price paths for a fan chart. */
  models: { name: string; returns: ReturnPanel; prices?: PricePaths }[];
  /** Real prices; the last `historyDays` are drawn before the fan of simulated paths. */
  history?: PriceSeries;
  historyDays?: number;
  /** Charts per asset are drawn for the first `maxAssets` assets (default 3). */
  maxAssets?: number;
}

const QQ_LEVELS = Array.from({ length: 199 }, (_, i) => 0.0025 + (i * 0.995) / 198);

/**
 * The market report: fan charts of simulated prices after the real history, log-scale return histograms,
 * QQ plots, ACF of |r| and leverage curves (real against each model), correlation heatmaps and the metric table
 * with the real reference row. Returns the HTML page.
 */
export function marketReport(args: MarketReportArgs): string {
  const { evaluation, real, models } = args;
  const assets = real.assets;
  const shown = assets.slice(0, args.maxAssets ?? 3);
  const sections: string[] = [];

  sections.push(
    section(
      'Metrics against the real data',
      htmlTable(evaluation.rows as unknown as Record<string, unknown>[], { caption: "Distances are 0 for the 'real' row; kurtosis, skew, VaR and ES are values (means over assets)." }),
      paragraph(
        'wasserstein/ks: pooled 1-step log returns. acf*Mae: mean absolute error of the ACF of r, |r| and r² over the lags (per-path ACFs averaged). ' +
          'leverageMae: corr(r_t, |r_t+k|). discriminativeScore: |accuracy - 0.5| of a tree classifier on held-out windows (0 is best). ' +
          'predictiveScore: MAE of a ridge next-step predictor trained on the model and tested on the last 20% of the real data, in units of real volatility (real row: trained on real).',
      ),
    ),
  );

  const fanCharts: string[] = [];
  for (const m of models) {
    if (!m.prices) continue;
    for (const asset of shown) {
      const a = m.prices.assets.indexOf(asset);
      if (a < 0) continue;
      fanCharts.push(fanFor(m.name, asset, a, m.prices, args.history, args.historyDays ?? 250));
    }
  }
  if (fanCharts.length) sections.push(section('Simulated price paths', ...fanCharts));

  const hist = shown.map((asset) => {
    const a = assets.indexOf(asset);
    return histogramChart({
      title: `Daily log returns: ${asset}`,
      series: [{ name: 'real', values: assetPooled(real, a) }, ...models.map((m) => ({ name: m.name, values: assetPooled(m.returns, a) }))],
      bins: 60,
      logY: true,
      xLabel: 'log return',
    });
  });
  const qq = shown.map((asset) => {
    const a = assets.indexOf(asset);
    const rq = levelsOf(assetPooled(real, a));
    return scatterChart({
      title: `QQ plot: ${asset}`,
      series: models.map((m) => ({ name: m.name, x: rq, y: levelsOf(assetPooled(m.returns, a)) })),
      diagonal: true,
      xLabel: 'real quantile',
      yLabel: 'simulated quantile',
    });
  });
  sections.push(section('Return distributions (heavy tails)', ...hist, ...qq));

  const curve = (pick: 'acfAbs' | 'acf' | 'leverage', f: Evaluation['real']): Float64Array => {
    const len = f.perAsset[0][pick].length;
    const out = new Float64Array(len);
    for (const p of f.perAsset) for (let i = 0; i < len; i++) out[i] += p[pick][i] / f.perAsset.length;
    return out;
  };
  const curves = (pick: 'acfAbs' | 'acf' | 'leverage'): XYSeries[] => {
    const series: XYSeries[] = [];
    const realCurve = curve(pick, evaluation.real);
    series.push({ name: 'real', x: realCurve.map((_, i) => i + 1), y: realCurve });
    for (const m of models) {
      const c = evaluation.comparisons[m.name];
      if (!c) continue;
      const y = curve(pick, c.simulated);
      series.push({ name: m.name, x: y.map((_, i) => i + 1), y });
    }
    return series;
  };
  sections.push(
    section(
      'Volatility clustering and leverage',
      lineChart({ title: 'ACF of |r| (mean over assets)', series: curves('acfAbs'), xLabel: 'lag', yLabel: 'autocorrelation' }),
      lineChart({ title: 'ACF of r (mean over assets)', series: curves('acf'), xLabel: 'lag', yLabel: 'autocorrelation' }),
      lineChart({ title: 'Leverage corr(r_t, |r_t+k|)', series: curves('leverage'), xLabel: 'k', yLabel: 'correlation' }),
    ),
  );

  if (assets.length > 1) {
    const maps = [
      heatmap({ title: 'Correlation: real', matrix: evaluation.real.corr, rowLabels: assets, colLabels: assets, min: -1, max: 1, diverging: true }),
      ...models
        .filter((m) => evaluation.comparisons[m.name])
        .map((m) =>
          heatmap({ title: `Correlation: ${m.name}`, matrix: evaluation.comparisons[m.name].simulated.corr, rowLabels: assets, colLabels: assets, min: -1, max: 1, diverging: true }),
        ),
    ];
    sections.push(section('Cross-asset correlation', ...maps));
  }

  return htmlPage({
    title: args.title ?? 'Market paths: simulated vs real',
    subtitle: args.subtitle ?? `${assets.length} assets, ${real.steps} real returns; models: ${models.map((m) => m.name).join(', ')}`,
    sections,
    generatedAt: args.generatedAt,
  });
}

export function writeMarketReport(path: string, args: MarketReportArgs): void {
  writeReport(path, marketReport(args));
}

function levelsOf(x: Float64Array): Float64Array {
  const s = Float64Array.from(x).sort();
  return Float64Array.from(QQ_LEVELS, (q) => quantileSorted(s, q));
}

/** Fan of simulated prices (5-95 % and 25-75 % bands, median) after the last `days` real prices. */
function fanFor(model: string, asset: string, a: number, prices: PricePaths, history: PriceSeries | undefined, days: number): string {
  const [paths, horizon, k] = prices.shape;
  const x = Float64Array.from({ length: horizon }, (_, t) => t + 1);
  const q = [0.05, 0.25, 0.5, 0.75, 0.95].map(() => new Float64Array(horizon));
  const col = new Float64Array(paths);
  for (let t = 0; t < horizon; t++) {
    for (let p = 0; p < paths; p++) col[p] = prices.data[(p * horizon + t) * k + a];
    col.sort();
    [0.05, 0.25, 0.5, 0.75, 0.95].forEach((lv, i) => (q[i][t] = quantileSorted(col, lv)));
  }
  const overlays: XYSeries[] = [];
  const h = history ? history.assets.indexOf(asset) : -1;
  if (history && h >= 0) {
    const all = history.prices[h];
    const from = Math.max(0, all.length - days);
    const y = all.slice(from);
    overlays.push({ name: 'real history', x: Float64Array.from(y, (_, i) => i - (y.length - 1)), y });
  }
  return fanChart({
    title: `${asset}: ${model} (${paths} paths)`,
    x,
    bands: [
      { lo: q[0], hi: q[4], label: '5-95 %' },
      { lo: q[1], hi: q[3], label: '25-75 %' },
    ],
    median: q[2],
    overlays,
    xLabel: 'trading day (0 = last real close)',
    yLabel: 'price',
  });
}
