/**
 * The market metrics as metric objects (gan-core's `Metric`: name, title, goal, range, one compute), each on one
 * model's simulated returns against the real ones. `MARKET_METRICS` lists them in report order; `evaluateModels`
 * computes them per model and the report's metric table takes its titles and directions from them.
 */
import { defineMetric, type Metric } from '@fingan/gan-core/stats';
import type { ReturnPanel } from './return-panel.js';
import type { FactComparison } from './stylized-facts.js';
import { discriminativeScore, predictiveScore, type DiscriminativeOptions, type PredictiveOptions } from './timegan-scores.js';

/** One model against the real returns: both panels and their stylized-facts comparison (computed once). */
export interface MarketMetricInput {
  real: ReturnPanel;
  synthetic: ReturnPanel;
  comparison: FactComparison;
  discriminative?: DiscriminativeOptions;
  predictive?: PredictiveOptions;
}

function fromComparison(
  name: keyof FactComparison & string,
  title: string,
  description: string,
  range: [number, number] = [0, Infinity],
): Metric<MarketMetricInput> {
  return defineMetric<MarketMetricInput>({
    name,
    title,
    description,
    goal: 'minimize',
    range,
    compute: (i) => ({ value: i.comparison[name] as number, detail: undefined }),
  });
}

export const Wasserstein1 = fromComparison(
  'wasserstein',
  'Wasserstein-1 of returns',
  'Wasserstein-1 distance of the pooled one-step log returns (log-return units).',
);
export const KsDistance = fromComparison(
  'ks',
  'KS statistic of returns',
  'Two-sample Kolmogorov-Smirnov statistic of the pooled one-step log returns.',
  [0, 1],
);
export const AcfError = fromComparison(
  'acfMae',
  'ACF(r) error',
  'Mean absolute error of the autocorrelation of r over the lags (per-path ACFs averaged).',
  [0, 2],
);
export const AcfAbsError = fromComparison(
  'acfAbsMae',
  'ACF(|r|) error',
  'Mean absolute error of the autocorrelation of |r| (volatility clustering) over the lags.',
  [0, 2],
);
export const AcfSqError = fromComparison('acfSqMae', 'ACF(r²) error', 'Mean absolute error of the autocorrelation of r² over the lags.', [0, 2]);
export const LeverageError = fromComparison('leverageMae', 'Leverage error', 'Mean absolute error of corr(r_t, |r_t+k|) over the lags.', [0, 2]);
export const CorrelationError = fromComparison(
  'corrMatrixError',
  'Cross-asset correlation error',
  'Mean absolute difference of the off-diagonal return correlations (0 for one asset).',
  [0, 2],
);
export const TailQuantileError = fromComparison('tailQuantileRelError', 'Tail quantile error', 'Mean relative error of the tail quantiles of the returns.');
export const VarError = fromComparison('varRelError', 'VaR error', 'Mean relative error of value at risk over levels, one-step and h-step.');
export const EsError = fromComparison('esRelError', 'ES error', 'Mean relative error of expected shortfall over levels, one-step and h-step.');

export const Discriminative = defineMetric<MarketMetricInput>({
  name: 'discriminativeScore',
  title: 'Discriminative score',
  description: '|accuracy - 0.5| of gradient-boosted trees telling real from simulated windows, on held-out windows: 0 = indistinguishable.',
  goal: 'minimize',
  range: [0, 0.5],
  compute: (i) => ({ value: discriminativeScore(i.real, i.synthetic, i.discriminative).score, detail: undefined }),
});

export const Predictive = defineMetric<MarketMetricInput>({
  name: 'predictiveScore',
  title: 'Predictive score',
  description: 'MAE of a ridge next-step predictor trained on the simulated paths and tested on the last 20% of the real data, in units of real volatility.',
  goal: 'minimize',
  range: [0, Infinity],
  compute: (i) => ({ value: predictiveScore(i.real, i.synthetic, i.predictive).mae, detail: undefined }),
});

/** The distribution and dependence metrics, read from the comparison (cheap). */
export const FACT_METRICS = [
  Wasserstein1,
  KsDistance,
  AcfError,
  AcfAbsError,
  AcfSqError,
  LeverageError,
  CorrelationError,
  TailQuantileError,
  VarError,
  EsError,
] as const;

/** Every market metric, in report order: the fact metrics, then the two classifier scores (the slow ones). */
export const MARKET_METRICS = [...FACT_METRICS, Discriminative, Predictive] as const;
