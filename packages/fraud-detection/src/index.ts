export {
  SYNTHETIC_COLUMN,
  COLUMN_KINDS,
  splitByLabel,
  checkNeighbours,
  targetAddCount,
  checkDeclaredKinds,
  checkSameColumns,
  type ColumnKind,
  type LabelSplit,
} from './schema.js';
export { FraudEncoder, detectKind, type FraudEncoderOptions, type ColumnSpec, type EncodedRows } from './encoder.js';
export { smote, type SmoteOptions } from './oversample/smote.js';
export { smotenc, medianContinuousStd, type SmoteNcOptions } from './oversample/smotenc.js';
export { randomOversample } from './oversample/random.js';
export {
  createGanSampler,
  tabularGanSampler,
  ganSamplerOptions,
  planGanColumns,
  fitGan,
  filterByDetector,
  type FittedGan,
  GAN_SAMPLER_DEFAULTS,
  type GanSamplerOptions,
  type GanColumnPlan,
} from './oversample/gan.js';
export { stratifiedSplit, type StratifiedSplit } from './split.js';
export type { OversampleInput, OversampleResult, SyntheticDraw } from './oversample/synthetic-rows.js';
export { adasyn, borderlineSmote, negativeShare, type AdaptiveOptions, type AdaptiveResult } from './oversample/adaptive.js';
export {
  augment,
  removeSynthetic,
  AUGMENT_METHODS,
  type AugmentMethod,
  type AugmentOptions,
  type AugmentResult,
  type GanSampler,
} from './augment.js';
export {
  evaluateAugmentation,
  recommend,
  SIMPLICITY,
  METRICS,
  METRIC_LABELS,
  type EvaluateOptions,
  type EvaluationResult,
  type EvaluationMethod,
  type DetectorOptions,
  type DetectorModel,
  type DetectorChoice,
  type Recommendation,
  type MethodResult,
  type MetricName,
  type MetricSummary,
  type PrCurve,
} from './evaluate.js';
export { fraudReportHtml, writeFraudReport, type FraudReportOptions } from './report/fraud-report.js';
export { metricsJson, type MetricsJson, type MethodMetricsJson, type MetricStat } from './report/metrics-json.js';
export { FRAUD_METRICS, PrAuc, RocAuc, RecallAtP90, RecallAtP50, BestF1, type DetectorScores } from './metrics/index.js';
