import { recommend, type EvaluationMethod, type EvaluationResult, type MetricName, type Recommendation } from '../metrics/evaluate.js';

/** A metric over seeds: mean, sample sd (n - 1) and the per-seed values in seed order. */
export interface MetricStat {
  mean: number;
  sd: number;
  values: number[];
}

export interface MethodMetricsJson {
  prAuc: MetricStat;
  rocAuc: MetricStat;
  recallAtPrecision90: MetricStat;
  recallAtPrecision50: MetricStat;
  f1: MetricStat;
  /** Synthetic positives added per seed. */
  added: number[];
  /** Synthetic rows identical to a real training row, per seed. */
  copies: number[];
  /** First seed, methods that add rows: membership attacks on the synthetic positives (ROC-AUC, 0.5 = chance). */
  privacy?: { dcrAttackAuc: number; densityAttackAuc: number; verdict: string };
}

/** The machine-readable result of one evaluation (what `fingan fraud evaluate` writes as metrics.json). */
export interface MetricsJson {
  label: string;
  positive: string | number | boolean;
  seeds: number[];
  /** Requested training prevalence, or null for the data's own. */
  targetPrevalence: number | null;
  train: EvaluationResult['train'];
  test: EvaluationResult['test'];
  methods: Partial<Record<EvaluationMethod, MethodMetricsJson>>;
  /** Which method to use for this data, why, and warnings (see `recommend`). */
  recommendation: Recommendation;
}

/** Spelled-out names for the JSON (the report's short names stay internal). */
const JSON_NAMES: Record<MetricName, keyof Omit<MethodMetricsJson, 'added' | 'copies' | 'privacy'>> = {
  prAuc: 'prAuc',
  rocAuc: 'rocAuc',
  recallAtP90: 'recallAtPrecision90',
  recallAtP50: 'recallAtPrecision50',
  f1: 'f1',
};

/** Plain JSON for an evaluation: no curves or sample tables, every number the README table needs. */
export function metricsJson(result: EvaluationResult): MetricsJson {
  const methods: MetricsJson['methods'] = {};
  for (const m of result.methods) {
    const out = { added: [...m.added], copies: [...m.copies] } as MethodMetricsJson;
    for (const [name, key] of Object.entries(JSON_NAMES) as [MetricName, keyof typeof out][]) {
      const s = m.metrics[name];
      (out as unknown as Record<string, MetricStat>)[key] = { mean: s.mean, sd: s.sd, values: [...s.values] };
    }
    if (m.privacy) out.privacy = { dcrAttackAuc: m.privacy.dcr.auc, densityAttackAuc: m.privacy.density.auc, verdict: m.privacy.verdict };
    methods[m.method] = out;
  }
  return {
    label: result.label,
    positive: result.positive,
    seeds: [...result.seeds],
    targetPrevalence: result.targetPrevalence,
    train: { ...result.train },
    test: { ...result.test },
    methods,
    recommendation: recommend(result),
  };
}
