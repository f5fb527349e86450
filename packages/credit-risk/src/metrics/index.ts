export type { CreditMetricInput } from './input.js';
export { ColumnShapes, columnShapes, type ColumnShapeScore } from './column-shapes.js';
export { PairTrends, pairTrends, pairCorrelation, type PairTrendScore, type PairTrendOptions } from './pair-trends.js';
export { Utility, utility, trainTestAuc, type UtilityModel, type UtilityOptions, type UtilityScore } from './utility.js';
export { MembershipRisk, privacy, dcrMembershipAttack, exactCopyMask, rowKey, GowerSpace, type PrivacyScore } from './privacy.js';
export { RuleAdherenceMetric, ruleAdherence, type RuleAdherence } from './rule-adherence.js';
export { CREDIT_METRICS, evaluateSynthetic, type CreditEvaluation, type CreditMetrics } from './evaluate.js';
