import type { Table } from '@fingan/gan-core';
import { schemaKinds, type LoanBookSchema } from '../schema.js';
import { columnShapes, type ColumnShapeScore } from './column-shapes.js';
import { pairTrends, type PairTrendScore } from './pair-trends.js';
import { privacy, type PrivacyScore } from './privacy.js';
import { ruleAdherence, type RuleAdherence } from './rule-adherence.js';
import { utility, type UtilityScore } from './utility.js';

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
  shapes: ColumnShapeScore[];
  pairs: PairTrendScore[];
  utility: UtilityScore[];
  privacy: PrivacyScore;
  rules: RuleAdherence;
}

/**
 * Every fidelity, utility and privacy measure of a synthetic loan book at once. `train` is the real book the
 * generator was fitted on, `test` a real holdout it never saw (used both to score TSTR/TRTR and as the DCR baseline).
 */
export function evaluateSynthetic(args: { train: Table; test: Table; synthetic: Table; schema: LoanBookSchema; seed?: number }): CreditEvaluation {
  const { train, test, synthetic, schema } = args;
  const kinds = schemaKinds(schema);
  const shapes = columnShapes(train, synthetic, kinds);
  const pairs = pairTrends(train, synthetic, kinds);
  const util = utility(train, test, synthetic, { target: schema.target, positive: schema.positive, seed: args.seed });
  const priv = privacy(train, test, synthetic, kinds, args.seed);
  const rules = ruleAdherence(synthetic, schema);
  const gbt = util.find((u) => u.model === 'gbt')!;
  const lr = util.find((u) => u.model === 'lr')!;
  const n = (t: Table) => t[schema.target].length;
  return {
    metrics: {
      columnShapes: shapes.score,
      pairTrends: pairs.score,
      tstrAuc: gbt.tstr,
      trtrAuc: gbt.trtr,
      utilityRatio: gbt.tstr / gbt.trtr,
      tstrAucLr: lr.tstr,
      trtrAucLr: lr.trtr,
      exactCopies: priv.exactCopies,
      exactCopyShare: priv.exactCopyShare,
      dcrSyntheticMedian: priv.dcrSyntheticMedian,
      dcrHoldoutMedian: priv.dcrHoldoutMedian,
      dcrSyntheticP05: priv.dcrSyntheticP05,
      dcrHoldoutP05: priv.dcrHoldoutP05,
      membershipAuc: priv.membershipAuc,
      membershipAdvantage: priv.membershipAdvantage,
      nndrSyntheticMedian: priv.nndrSyntheticMedian,
      nndrHoldoutMedian: priv.nndrHoldoutMedian,
      ruleAdherence: rules.share,
      rows: { train: n(train), test: n(test), synthetic: n(synthetic) },
    },
    shapes: shapes.columns,
    pairs: pairs.pairs,
    utility: util,
    privacy: priv,
    rules,
  };
}
