import type { Table } from '@fingan/gan-core';
import { computeMetrics, type MetricScore } from '@fingan/gan-core/stats';
import { ColumnShapes, type ColumnShapeScore } from './column-shapes.js';
import type { CreditMetricInput } from './input.js';
import { PairTrends, type PairTrendScore } from './pair-trends.js';
import { MembershipRisk, type PrivacyScore } from './privacy.js';
import { RuleAdherenceMetric, type RuleAdherence } from './rule-adherence.js';
import { Utility, type UtilityScore } from './utility.js';

/** The numbers written to metrics.json (all plain numbers, higher is better unless noted). */
export interface CreditMetrics {
  columnShapes: number;
  pairTrends: number;
  /** Gradient-boosted trees: train on synthetic / on real, test on the real holdout. */
  tstrAuc: number;
  trtrAuc: number;
  /** tstrAuc / trtrAuc (target >= 0.9). */
  utilityRatio: number;
  tstrAucLr: number;
  trtrAucLr: number;
  /** Synthetic rows equal to a training row (lower is better; target 0). */
  exactCopies: number;
  exactCopyShare: number;
  dcrSyntheticMedian: number;
  dcrHoldoutMedian: number;
  dcrSyntheticP05: number;
  dcrHoldoutP05: number;
  /** Distance-to-closest-record membership attack on the synthetic rows: ROC-AUC (0.5 = chance) and best TPR - FPR. */
  membershipAuc: number;
  membershipAdvantage: number;
  /** Median nearest-neighbour distance ratio to training rows, synthetic and holdout (synthetic should not be lower). */
  nndrSyntheticMedian: number;
  nndrHoldoutMedian: number;
  /** Share of synthetic rows meeting every rule and bound. */
  ruleAdherence: number;
  rows: { train: number; test: number; synthetic: number };
}

export interface CreditEvaluation {
  metrics: CreditMetrics;
  /** Each of `CREDIT_METRICS` with its value (the details are the fields below). */
  scores: readonly MetricScore<unknown>[];
  shapes: ColumnShapeScore[];
  pairs: PairTrendScore[];
  utility: UtilityScore[];
  privacy: PrivacyScore;
  rules: RuleAdherence;
}

/** The credit metric objects, in report order: fidelity, utility, privacy, rules. */
export const CREDIT_METRICS = [ColumnShapes, PairTrends, Utility, MembershipRisk, RuleAdherenceMetric] as const;

/**
 * Every fidelity, utility and privacy measure of a synthetic loan book at once: each of `CREDIT_METRICS` computed once
 * (`scores`, in order), and the plain numbers of metrics.json gathered from their details. `train` is the real book
 * the generator was fitted on, `test` a real holdout it never saw (used both to score TSTR/TRTR and as the DCR
 * baseline).
 */
export function evaluateSynthetic(args: CreditMetricInput): CreditEvaluation {
  const { train, test, synthetic, schema } = args;
  const scores = computeMetrics(CREDIT_METRICS, args);
  const [shapes, pairs, util, priv, rules] = scores;
  const gbt = util.detail.find((u) => u.model === 'gbt')!;
  const lr = util.detail.find((u) => u.model === 'lr')!;
  const p = priv.detail;
  const n = (t: Table) => t[schema.target].length;
  return {
    metrics: {
      columnShapes: shapes.value,
      pairTrends: pairs.value,
      tstrAuc: gbt.tstr,
      trtrAuc: gbt.trtr,
      utilityRatio: util.value,
      tstrAucLr: lr.tstr,
      trtrAucLr: lr.trtr,
      exactCopies: p.exactCopies,
      exactCopyShare: p.exactCopyShare,
      dcrSyntheticMedian: p.dcrSyntheticMedian,
      dcrHoldoutMedian: p.dcrHoldoutMedian,
      dcrSyntheticP05: p.dcrSyntheticP05,
      dcrHoldoutP05: p.dcrHoldoutP05,
      membershipAuc: p.membershipAuc,
      membershipAdvantage: p.membershipAdvantage,
      nndrSyntheticMedian: p.nndrSyntheticMedian,
      nndrHoldoutMedian: p.nndrHoldoutMedian,
      ruleAdherence: rules.value,
      rows: { train: n(train), test: n(test), synthetic: n(synthetic) },
    },
    scores,
    shapes: shapes.detail,
    pairs: pairs.detail,
    utility: util.detail,
    privacy: p,
    rules: rules.detail,
  };
}
