import { BestF1 } from './f1.js';
import { PrAuc } from './pr-auc.js';
import { RecallAtP50, RecallAtP90 } from './recall-at-precision.js';
import { RocAuc } from './roc-auc.js';

export type { DetectorScores } from './input.js';
export { PrAuc, RocAuc, RecallAtP90, RecallAtP50, BestF1 };

/** The detector metrics, in report order; `evaluateAugmentation` computes each per seed and method. */
export const FRAUD_METRICS = [PrAuc, RocAuc, RecallAtP90, RecallAtP50, BestF1] as const;
