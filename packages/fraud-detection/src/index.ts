// @fingan/fraud-detection: rare-class augmentation (a conditional GAN, SMOTE and its kin) and detector evaluation.
// Exports in the order every domain package uses: schema, encoder, model, metrics, report, then this domain's extras.

// Schema: the labelled table, its declared kinds and checks
export {
  SYNTHETIC_COLUMN,
  FRAUD_COLUMN_KINDS,
  splitByLabel,
  checkNeighbours,
  targetAddCount,
  checkDeclaredKinds,
  checkSameColumns,
  type FraudColumnKind,
  type LabelSplit,
} from './schema/schema.js';

// Encoder: rows to numbers for the oversamplers
export { FraudEncoder, detectKind, type FraudEncoderOptions, type FraudColumnSpec, type EncodedRows } from './encoder.js';

// Model: the conditional GAN (FraudGanSynthesizer, the Synthesizer contract) and augmentation (augment), which uses it
export { augment, removeSynthetic, AUGMENT_METHODS, type AugmentMethod, type AugmentOptions, type AugmentResult, type GanSampler } from './model/augment.js';
export {
  FraudGanSynthesizer,
  FRAUD_GAN_KIND,
  createGanSampler,
  tabularGanSampler,
  ganSamplerOptions,
  planGanColumns,
  toSynthTable,
  fromSynthTable,
  filterByDetector,
  SNAP_MIN_ROWS,
  SNAP_MIN_COVERAGE,
  GAN_SAMPLER_DEFAULTS,
  type FraudGanOptions,
  type FraudGanSettings,
  type FraudGanSampleOptions,
  type GanSamplerOptions,
  type GanColumnPlan,
  type GanNumberSpec,
} from './model/gan.js';

// Metrics: detector metric objects (FRAUD_METRICS), the evaluation over seeds, the split
export { FRAUD_METRICS, PrAuc, RocAuc, RecallAtP90, RecallAtP50, BestF1, type DetectorScores } from './metrics/index.js';
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
} from './metrics/evaluate.js';
export { stratifiedSplit, type StratifiedSplit } from './metrics/split.js';

// Report
export { fraudReportHtml, writeFraudReport, type FraudReportOptions } from './report/fraud-report.js';
export { metricsJson, type MetricsJson, type MethodMetricsJson, type MetricStat } from './report/metrics-json.js';

// Oversamplers: this domain's classical baselines
export { smote, type SmoteOptions } from './oversample/smote.js';
export { smotenc, medianContinuousStd, type SmoteNcOptions } from './oversample/smotenc.js';
export { randomOversample } from './oversample/random.js';
export { adasyn, borderlineSmote, negativeShare, type AdaptiveOptions, type AdaptiveResult } from './oversample/adaptive.js';
export type { OversampleInput, OversampleResult, SyntheticDraw } from './oversample/synthetic-rows.js';
