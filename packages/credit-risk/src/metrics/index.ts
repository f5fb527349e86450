export { columnShapes, type ColumnShapeScore } from './column-shapes.js';
export { pairTrends, pairCorrelation, type PairTrendScore, type PairTrendOptions } from './pair-trends.js';
export { utility, trainTestAuc, type UtilityModel, type UtilityOptions, type UtilityScore } from './utility.js';
export { privacy, dcrMembershipAttack, exactCopyMask, rowKey, GowerSpace, type PrivacyScore } from './privacy.js';
export { ruleAdherence, type RuleAdherence } from './rule-adherence.js';
export { evaluateSynthetic, type CreditEvaluation, type CreditMetrics } from './evaluate.js';
