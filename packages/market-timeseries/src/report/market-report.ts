import { MARKET_METRICS } from '../metrics/metric-objects.js';
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
import type { PriceSeries } from '../schema/prices.js';
import type { Evaluation } from '../metrics/evaluate.js';
import type { VarBacktest } from '../metrics/backtest.js';
import type { FactVerdict } from '../metrics/verdicts.js';
import { assetPooled, type ReturnPanel } from '../metrics/return-panel.js';
import type { PricePaths } from '../model/simulate.js';

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
  /** Charts per asset are drawn for the first `maxAssets` assets (default: every asset). */
  maxAssets?: number;
  /** Real prices from the start day (day 0, the last fitted day) on, drawn after day 0 over the fans. */
  realised?: PriceSeries;
  /** Which data each model was fitted on and which it is evaluated on. */
  periods?: { fit?: Period; evaluation: Period };
  /** A verdict per stylized fact and model (metrics/verdicts.ts). */
  verdicts?: FactVerdict[];
  /** One-day-ahead VaR/ES backtests over the evaluation period (metrics/backtest.ts). */
  backtests?: VarBacktest[];
}

export interface Period {
  from: string;
  to: string;
  returns: number;
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
  const shown = assets.slice(0, args.maxAssets ?? assets.length);
  const sections: string[] = [];

  if (args.periods) {
    const { fit, evaluation: ev } = args.periods;
    sections.push(
      section(
        'Periods',
        paragraph(
          (fit
            ? `Fit period: ${fit.from} to ${fit.to} (${fit.returns} returns). Every model was fitted on it only, and simulated from its last day. `
            : 'No fit period was given: the baselines are not shown, as they could only be fitted on the evaluation data itself. ') +
            `Evaluation period: ${ev.from} to ${ev.to} (${ev.returns} returns), which no model saw.`,
        ),
      ),
    );
  }
  if (args.verdicts?.length) {
    const names = [...new Set(args.verdicts.flatMap((v) => Object.keys(v.models)))];
    const mark = (p: boolean | null) => (p === null ? '' : p ? 'met: ' : 'MISSED: ');
    const rows = args.verdicts.map((v) => ({
      fact: v.fact,
      target: v.target,
      ...Object.fromEntries(names.map((n) => [n, v.models[n] ? `${mark(v.models[n].pass)}${v.models[n].value}` : ''])),
    }));
    const met = (n: string) => args.verdicts!.filter((v) => v.models[n]?.pass === true).length;
    const judged = (n: string) => args.verdicts!.filter((v) => v.models[n] && v.models[n].pass !== null).length;
    sections.push(
      section(
        'Verdict per stylized fact',
        htmlTable(rows, { caption: 'Each target against the evaluation period; relative targets compare with the reference model.' }),
        paragraph(names.map((n) => `${n}: ${met(n)} of ${judged(n)} targets met`).join('; ') + '.'),
      ),
    );
  }
  if (args.backtests?.length) {
    const rows = args.backtests.flatMap((b) =>
      b.rows.map((r) => ({
        model: b.model,
        asset: r.asset,
        level: `${(r.level * 100).toFixed(1)}%`,
        exceedances: `${r.coverage.exceedances} (expected ${r.coverage.expected.toFixed(1)})`,
        kupiecP: r.coverage.kupiecP,
        independenceP: r.coverage.independenceP,
        esRatio: r.esRatio,
        verdict: r.coverage.kupiecP >= 0.05 && (r.coverage.independenceP ?? 1) >= 0.05 ? 'passes' : 'REJECTED',
      })),
    );
    const charts = shown.map((asset) => {
      const a = assets.indexOf(asset);
      const first = args.backtests![0];
      const x = Float64Array.from(first.forecasts.realised[a], (_, i) => i + 1);
      const levels = [...new Set(first.rows.map((r) => r.level))];
      const li = levels.includes(0.99) ? levels.indexOf(0.99) : levels.length - 1;
      return lineChart({
        title: `${asset}: daily loss and one-day ${(levels[li] * 100).toFixed(0)}% VaR forecasts`,
        series: [
          { name: 'realised loss', x, y: Float64Array.from(first.forecasts.realised[a], (v) => -v) },
          ...args.backtests!.map((b) => ({ name: `${b.model} VaR`, x, y: b.forecasts.var[li]?.[a] ?? new Float64Array(x.length) })),
        ],
        xLabel: 'evaluation day',
        yLabel: 'loss (negative log return)',
      });
    });
    sections.push(
      section(
        'Risk backtests (one day ahead)',
        htmlTable(rows, {
          caption:
            "Kupiec's proportion of failures and Christoffersen's independence test (p-values; below 0.05 rejects); ES ratio: mean loss on exceedance days / mean ES forecast on them (1 is right).",
        }),
        ...charts,
      ),
    );
  }

  sections.push(
    section(
      'Metrics against the real data',
      htmlTable(transpose(evaluation.rows as unknown as Record<string, unknown>[]), {
        caption: "One column per model. Distances are 0 for the 'real' column; kurtosis, skew, VaR and ES are values (means over assets).",
      }),
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
      fanCharts.push(fanFor(m.name, asset, a, m.prices, args.history, args.historyDays ?? 250, args.realised));
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
          heatmap({
            title: `Correlation: ${m.name}`,
            matrix: evaluation.comparisons[m.name].simulated.corr,
            rowLabels: assets,
            colLabels: assets,
            min: -1,
            max: 1,
            diverging: true,
          }),
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

/**
 * Rows of models x metrics as rows of metrics x models, so that a table with many metrics stays narrow; a metric
 * object's row carries its title and direction (MARKET_METRICS), the other rows (kurtosis, VaR, ...) are values.
 */
function transpose(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'model');
  const objects = new Map<string, { title: string; goal: string }>(MARKET_METRICS.map((m) => [m.name, m]));
  return metrics.map((metric) => {
    const o = objects.get(metric);
    return {
      metric,
      measure: o?.title ?? '',
      better: o ? (o.goal === 'minimize' ? 'lower' : 'higher') : 'closer to real',
      ...Object.fromEntries(rows.map((r) => [String(r.model), r[metric] ?? null])),
    };
  });
}

function levelsOf(x: Float64Array): Float64Array {
  const s = Float64Array.from(x).sort();
  return Float64Array.from(QQ_LEVELS, (q) => quantileSorted(s, q));
}

/** Fan of simulated prices (5-95 % and 25-75 % bands, median) after the last `days` real prices. */
function fanFor(model: string, asset: string, a: number, prices: PricePaths, history: PriceSeries | undefined, days: number, realised?: PriceSeries): string {
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
  const r = realised ? realised.assets.indexOf(asset) : -1;
  if (realised && r >= 0) {
    const y = realised.prices[r].slice(0, horizon + 1);
    overlays.push({ name: 'realised (evaluation period)', x: Float64Array.from(y, (_, i) => i), y });
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
