export { mean, variance, std, median, quantile, quantiles, quantileSorted, skewness, excessKurtosis } from './descriptive.js';
export { ksStatistic, ksTest, kolmogorovSurvival } from './ks.js';
export { frequencies, totalVariation } from './tv.js';
export { wasserstein1 } from './wasserstein.js';
export { pearson, spearman, rank, cramersV, correlationMatrix } from './correlation.js';
export { autocorrelation, crossCorrelationLagged } from './autocorrelation.js';
export { rocAuc, rocCurve, precisionRecallCurve, prAuc, recallAtPrecision, bestF1, accuracy } from './classification-metrics.js';
export { FeatureEncoder, labelVector, type EncodingMode, type FeatureEncoderOptions } from './featurize.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { GradientBoostedTrees, type GradientBoostedTreesOptions } from './gradient-boosting.js';
export {
  defineMetric,
  computeMetrics,
  normalizedScore,
  meetsTarget,
  scoreValues,
  type Metric,
  type MetricGoal,
  type MetricResult,
  type MetricScore,
} from './metric.js';
