import { FeatureEncoder, GradientBoostedTrees, LogisticRegression, labelVector, rocAuc, type Cell, type Table } from '@fingan/gan-core';
import { defineMetric } from '@fingan/gan-core/stats';
import type { CreditMetricInput } from './input.js';

export type UtilityModel = 'gbt' | 'lr';

export interface UtilityOptions {
  target: string;
  /** The bad value (positive class). */
  positive: Cell;
  models?: UtilityModel[];
  seed?: number;
}

export interface UtilityScore {
  model: UtilityModel;
  /** ROC-AUC on the real test set of a model trained on the real training set. */
  trtr: number;
  /** ROC-AUC on the real test set of a model trained on the synthetic set. */
  tstr: number;
}

/**
 * ROC-AUC on `test` of a default model trained on `train`: gradient-boosted trees on ordinal features (missing
 * routed natively), or L2 logistic regression on standardised one-hot features. A training set with one class only
 * cannot rank anything and scores 0.5.
 */
export function trainTestAuc(train: Table, test: Table, model: UtilityModel, opts: UtilityOptions): number {
  const y = labelVector(train[opts.target], opts.positive);
  const pos = y.reduce((s, v) => s + v, 0);
  if (pos === 0 || pos === y.length) return 0.5;
  const enc = FeatureEncoder.fit(train, { exclude: [opts.target], mode: model === 'gbt' ? 'ordinal' : 'onehot' });
  const X = enc.transform(train);
  const Xt = enc.transform(test);
  const yt = labelVector(test[opts.target], opts.positive);
  const clf = model === 'gbt' ? new GradientBoostedTrees({ seed: opts.seed ?? 0 }) : new LogisticRegression({ l2: 1e-3 });
  clf.fit(X, y);
  return rocAuc(yt, clf.predictProba(Xt));
}

/**
 * Machine-learning utility: train-on-synthetic/test-on-real (TSTR) against train-on-real/test-on-real (TRTR), with
 * the same model and the same real test set. A synthetic loan book is useful to a risk team when TSTR is close to
 * TRTR: a default model built on it ranks real applicants almost as well as one built on the real book.
 */
export function utility(train: Table, test: Table, synthetic: Table, opts: UtilityOptions): UtilityScore[] {
  return (opts.models ?? ['gbt', 'lr']).map((model) => ({
    model,
    trtr: trainTestAuc(train, test, model, opts),
    tstr: trainTestAuc(synthetic, test, model, opts),
  }));
}

/** Machine-learning utility as a metric object: TSTR / TRTR ROC-AUC of gradient-boosted trees (both models in the detail). */
export const Utility = defineMetric<CreditMetricInput, UtilityScore[]>({
  name: 'utilityRatio',
  title: 'TSTR / TRTR ROC-AUC (GBT)',
  description: 'ROC-AUC on the real holdout of trees trained on synthetic rows, over that of trees trained on the real rows: 1 = as useful as real data.',
  goal: 'maximize',
  range: [0, Infinity],
  compute: ({ train, test, synthetic, schema, seed }) => {
    const scores = utility(train, test, synthetic, { target: schema.target, positive: schema.positive, seed });
    const gbt = scores.find((u) => u.model === 'gbt')!;
    return { value: gbt.tstr / gbt.trtr, detail: scores };
  },
});
