import { UsageError } from '@fingan/gan-core';
import { computeMetrics, scoreValues } from '@fingan/gan-core/stats';
import { Discriminative, FACT_METRICS, Predictive, type MarketMetricInput } from './metric-objects.js';
import type { ReturnColumns } from '../model/path-model.js';
import { panelFromColumns, type ReturnPanel } from './return-panel.js';
import { compareStylizedFacts, stylizedFacts, type FactComparison, type StylizedFacts, type StylizedFactsOptions } from './stylized-facts.js';
import { predictiveScore, type DiscriminativeOptions, type PredictiveOptions } from './timegan-scores.js';

export interface EvaluateModelsArgs {
  /** Real log returns: a one-path panel, or per-asset columns (e.g. the encoder's LogReturns). */
  real: ReturnPanel | ReturnColumns;
  /** Simulated log returns of each model, [paths, horizon, nAssets]. */
  models: { name: string; returns: ReturnPanel }[];
  facts?: Omit<StylizedFactsOptions, 'levels'>;
  /** false skips the classifier (the slowest part). */
  discriminative?: DiscriminativeOptions | false;
  predictive?: PredictiveOptions | false;
}

/**
 * One row per model, plus a 'real' reference row first. Distances are 0 in the real row; excessKurtosis and
 * skew are values to compare with it; the real row's predictiveScore is train-on-real-test-on-real (the floor a
 * model can hope for) and its discriminativeScore is null (there is nothing to discriminate).
 * VaR/ES columns are 1-step losses at 95 % / 99 % and h-step at 99 %, means over assets.
 */
export interface EvaluationRow
  extends Pick<
    FactComparison,
    'wasserstein' | 'ks' | 'excessKurtosis' | 'skew' | 'acfMae' | 'acfAbsMae' | 'acfSqMae' | 'leverageMae' | 'corrMatrixError' | 'tailQuantileRelError'
  > {
  model: string;
  discriminativeScore: number | null;
  predictiveScore: number | null;
  var95: number;
  var99: number;
  es95: number;
  es99: number;
  varH99: number;
  esH99: number;
  varRelError: number;
  esRelError: number;
}

export interface Evaluation {
  rows: EvaluationRow[];
  real: StylizedFacts;
  /** Full comparison per model name (ACF curves etc. for reports). */
  comparisons: Record<string, FactComparison>;
}

const LEVELS = [0.95, 0.99];

export function evaluateModels(args: EvaluateModelsArgs): Evaluation {
  const real = 'data' in args.real ? args.real : panelFromColumns(args.real);
  const names = new Set<string>();
  for (const m of args.models) {
    if (m.name === 'real' || names.has(m.name)) throw new UsageError(`model name '${m.name}' is reserved or used twice`, { option: 'models' });
    names.add(m.name);
  }
  const factOptions: StylizedFactsOptions = { ...args.facts, levels: LEVELS };
  const realFacts = stylizedFacts(real, factOptions);
  const risk = (f: StylizedFacts) => {
    const m = (pick: (i: number) => number) => f.perAsset.reduce((s, _, i) => s + pick(i), 0) / f.perAsset.length;
    return {
      var95: m((i) => f.perAsset[i].var1[0]),
      var99: m((i) => f.perAsset[i].var1[1]),
      es95: m((i) => f.perAsset[i].es1[0]),
      es99: m((i) => f.perAsset[i].es1[1]),
      varH99: m((i) => f.perAsset[i].varH[1]),
      esH99: m((i) => f.perAsset[i].esH[1]),
    };
  };
  const mean = (pick: (i: number) => number) => realFacts.perAsset.reduce((s, _, i) => s + pick(i), 0) / realFacts.perAsset.length;
  const rows: EvaluationRow[] = [
    {
      model: 'real',
      wasserstein: 0,
      ks: 0,
      excessKurtosis: mean((i) => realFacts.perAsset[i].excessKurtosis),
      skew: mean((i) => realFacts.perAsset[i].skew),
      acfMae: 0,
      acfAbsMae: 0,
      acfSqMae: 0,
      leverageMae: 0,
      corrMatrixError: 0,
      discriminativeScore: null,
      predictiveScore: args.predictive === false ? null : predictiveScore(real, 'real', args.predictive).mae,
      ...risk(realFacts),
      varRelError: 0,
      esRelError: 0,
      tailQuantileRelError: 0,
    },
  ];
  const comparisons: Record<string, FactComparison> = {};
  for (const m of args.models) {
    const c = compareStylizedFacts(real, m.returns, factOptions, realFacts);
    comparisons[m.name] = c;
    const input: MarketMetricInput = {
      real,
      synthetic: m.returns,
      comparison: c,
      discriminative: args.discriminative || undefined,
      predictive: args.predictive || undefined,
    };
    const metrics = [...FACT_METRICS, ...(args.discriminative === false ? [] : [Discriminative]), ...(args.predictive === false ? [] : [Predictive])];
    const v = scoreValues(computeMetrics(metrics, input));
    rows.push({
      model: m.name,
      wasserstein: v.wasserstein,
      ks: v.ks,
      excessKurtosis: c.excessKurtosis,
      skew: c.skew,
      acfMae: v.acfMae,
      acfAbsMae: v.acfAbsMae,
      acfSqMae: v.acfSqMae,
      leverageMae: v.leverageMae,
      corrMatrixError: v.corrMatrixError,
      discriminativeScore: v.discriminativeScore ?? null,
      predictiveScore: v.predictiveScore ?? null,
      ...risk(c.simulated),
      varRelError: v.varRelError,
      esRelError: v.esRelError,
      tailQuantileRelError: v.tailQuantileRelError,
    });
  }
  return { rows, real: realFacts, comparisons };
}
