// @fingan/data-mining: baskets from long-form transactions, FP-growth, association rules, k-means, and how well
// mining synthetic baskets reproduces mining the real ones.
// Exports in the order every domain package uses: schema, encoder, model, metrics, report, then this domain's extras.

// Schema: long-form transactions, the input contract
export { readTransactions, type TransactionColumns } from './schema/transactions.js';

// Encoder: transactions to baskets of item ids (and attribute levels)
export { BasketEncoder } from './encoder/basket-encoder.js';
export type {
  BasketData,
  BasketEncoderJSON,
  BasketEncoderOptions,
  DecodeOptions,
  EncodedBaskets,
  ItemValue,
  LongFormOptions,
} from './encoder/basket-encoder.js';

// Model: the basket GAN behind the Synthesizer contract, streamed sampling
export { BasketGan, coOccurrenceMoments, MIN_LEVEL_BASKETS, MINING_DEFAULT_STEPS, MODEL_KIND, PACKAGE_NAME, PACKAGE_VERSION } from './model/basket-gan.js';
export type { BasketFitOptions, BasketGanArgs, BasketSampleOptions } from './model/basket-gan.js';
export { BASKET_BLOCK, streamTransactions, transactionColumns, writeTransactions } from './model/stream.js';

// Metrics: metric objects (MINING_METRICS), mining fidelity, rules where two real halves agree
export {
  MINING_METRICS,
  ItemsetPrecision,
  ItemsetRecall,
  SupportError,
  RuleOverlap,
  BasketSizeTv,
  ItemFrequencyTv,
  ExactCopyRate,
  NearestBasketDistance,
} from './metrics/metric-objects.js';
export { analyzeMining, evaluateMining } from './metrics/mining-fidelity.js';
export type { EvaluateMiningInput, ItemsetLengthMetrics, MiningAnalysis, MiningMetrics } from './metrics/mining-fidelity.js';

// Report
export { miningReport, writeMiningReport } from './report/mining-report.js';
export type { MiningReport, MiningReportOptions } from './report/mining-report.js';

// Mining algorithms and segments: this domain's own machinery
export { fpGrowth, minCountFor } from './mining/fp-growth.js';
export type { Baskets, FpGrowthOptions, FrequentItemset } from './mining/fp-growth.js';
export { associationRules, ruleKey } from './mining/rules.js';
export type { AssociationRule, AssociationRuleOptions, ItemsetSupport } from './mining/rules.js';
export { kmeans } from './mining/kmeans.js';
export type { KMeansOptions, KMeansResult } from './mining/kmeans.js';
export { basketProfiles, compareSegments, fitSegments, hungarian, segmentFidelity, silhouette } from './segments/segments.js';
export type { MatchedSegment, SegmentComparison, SegmentFidelity, SegmentFidelityInput, SegmentOptions, Segments } from './segments/segments.js';

// The steps the CLI and the demo share
export { checkMinSupport, comparisonInput, mineRules, mineSegments, sampleTransactions, sampleWithoutCopies, splitBaskets } from './pipeline.js';
export type { RuleRow, SegmentsFile } from './pipeline.js';
