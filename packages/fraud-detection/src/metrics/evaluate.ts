import {
  FeatureEncoder,
  GradientBoostedTrees,
  InvalidDataError,
  LogisticRegression,
  UsageError,
  computeMetrics,
  createRng,
  mean,
  precisionRecallCurve,
  std,
  takeRows,
  type Table,
} from '@fingan/gan-core';
import { withDefaults } from '../defaults.js';
import { FRAUD_METRICS } from './index.js';
import { positivesPrivacy, type PositivesPrivacy } from './privacy.js';
import { ganSamplerOptions, tabularGanSampler } from '../model/gan.js';
import { AUGMENT_METHODS, augment, type AugmentMethod, type GanSampler } from '../model/augment.js';
import { SYNTHETIC_COLUMN, checkSameColumns, isPositive, splitByLabel, type FraudColumnKind } from '../schema/schema.js';

/**
 * Does augmenting the rare class help a detector? For every seed and method: (optionally) thin the training
 * positives to a target prevalence, augment the TRAINING split only, fit gradient-boosted trees on it and score
 * the untouched test split. The test split never reaches `augment`, the feature encoder's fit or the trees' fit,
 * so synthetic rows cannot be built from, or tuned on, the rows they are judged on. Results are means and
 * standard deviations over seeds: one seed's gain is not evidence.
 */

/** 'none': the detector on the real rows as they are; 'class-weights': the same rows, positives weighted nNeg/nPos. */
export type EvaluationMethod = AugmentMethod | 'none' | 'class-weights';

/**
 * The detector that judges each method: gradient-boosted trees (default; ordinal features), logistic regression
 * (standardised one-hot features), or the user's own: fit on the (augmented) training features, score the test
 * features (higher = more likely positive). `weights` is given for 'class-weights' only.
 */
export interface DetectorModel {
  name: string;
  /** Feature layout the model wants (default 'ordinal'). */
  features?: 'ordinal' | 'onehot';
  fitPredict(args: { xTrain: ArrayLike<number>[]; yTrain: Float64Array; xTest: ArrayLike<number>[]; weights?: Float64Array; seed: number }): ArrayLike<number>;
}
export type DetectorChoice = 'gbt' | 'logistic' | DetectorModel;

/** Gradient-boosted trees settings for the detector (see gan-core's GradientBoostedTrees). */
export interface DetectorOptions {
  nEstimators?: number;
  maxDepth?: number;
  learningRate?: number;
  minSamplesLeaf?: number;
  subsample?: number;
}

export interface EvaluateOptions {
  train: Table;
  test: Table;
  label: string;
  positive: string | number | boolean;
  /** Augmentation methods to compare; 'none' (no augmentation) is always included, first. */
  methods: string[];
  /** At least 5 seeds (unless allowFewerSeeds), so the spread over seeds means something. */
  seeds: number[];
  /** Share of positives to keep in TRAIN (e.g. 0.01): positives are subsampled, negatives kept. */
  prevalence?: number;
  /** positives/negatives after augmentation (imblearn semantics). Default 1, imblearn's default. */
  ratio?: number;
  /** Neighbours for the SMOTE family. Default 5. */
  k?: number;
  kinds?: Record<string, FraudColumnKind>;
  /** Settings of the default gradient-boosted-trees detector. */
  detector?: DetectorOptions;
  /** Which detector judges the methods (default 'gbt'). */
  detectorModel?: DetectorChoice;
  gan?: Record<string, unknown>;
  ganSampler?: GanSampler;
  /** For smoke tests only: accept 2-4 seeds. */
  allowFewerSeeds?: boolean;
  /** Progress lines (one per seed and method, with its time): a GAN run takes minutes. */
  log?: (message: string) => void;
}

/** The names of FRAUD_METRICS (the metric objects in metrics/), the keys of every per-method result. */
export const METRICS = ['prAuc', 'rocAuc', 'recallAtP90', 'recallAtP50', 'f1'] as const;
export type MetricName = (typeof METRICS)[number];
export const METRIC_LABELS = Object.fromEntries(FRAUD_METRICS.map((m) => [m.name, m.title])) as Record<MetricName, string>;

export interface MetricSummary {
  mean: number;
  /** Sample standard deviation over seeds (n - 1). */
  sd: number;
  /** One value per seed, in seed order. */
  values: number[];
}

export interface MethodResult {
  method: EvaluationMethod;
  metrics: Record<MetricName, MetricSummary>;
  /** Synthetic positives added, per seed. */
  added: number[];
  /** Synthetic rows identical to a real training row on every feature column, per seed. */
  copies: number[];
  /**
   * First seed, methods that add rows: membership attacks on the synthetic positives (training positives against the
   * test positives); absent for 'none' and 'class-weights'.
   */
  privacy?: PositivesPrivacy;
}

export interface PrCurve {
  method: EvaluationMethod;
  precision: number[];
  recall: number[];
}

export interface EvaluationResult {
  label: string;
  positive: string | number | boolean;
  seeds: number[];
  /** The requested training prevalence, or null when the training positives were used as they are. */
  targetPrevalence: number | null;
  /** Positives, negatives and prevalence of the training split each seed trained on (before augmentation). */
  train: { positives: number; negatives: number; prevalence: number };
  test: { rows: number; positives: number; prevalence: number };
  methods: MethodResult[];
  /** Precision-recall curves on the test split for the first seed. */
  prCurves: PrCurve[];
  /** First seed: the real training positives and each method's synthetic positives (for per-column plots). */
  samples: { real: Table; synthetic: Partial<Record<EvaluationMethod, Table>> };
}

const DEFAULT_DETECTOR: Required<DetectorOptions> = {
  nEstimators: 100,
  maxDepth: 3,
  learningRate: 0.1,
  minSamplesLeaf: 20,
  subsample: 0.8,
};
const MIN_SEEDS = 5;

export async function evaluateAugmentation(options: EvaluateOptions): Promise<EvaluationResult> {
  const { train, test, label, positive, seeds } = options;
  const methods = checkMethods(options.methods);
  // The default GAN sampler's options fail now rather than after the first seed's other methods have run.
  if ((methods.includes('gan') || methods.includes('gan+smote')) && !options.ganSampler) ganSamplerOptions(options.gan);
  checkSeeds(seeds, options.allowFewerSeeds ?? false);
  checkSameColumns(train, test);
  const full = splitByLabel(train, label, positive);
  const yTest = Float64Array.from(test[label], (v) => (isPositive(v, positive) ? 1 : 0));
  const testPositives = yTest.reduce((a, b) => a + b, 0);
  if (testPositives === 0 || testPositives === yTest.length) {
    throw new InvalidDataError(`test split needs both classes in '${label}' to score a detector (it has ${testPositives} positives of ${yTest.length} rows)`, {
      column: label,
    });
  }
  const nKeep = options.prevalence === undefined ? full.positives.length : positivesToKeep(options.prevalence, full);
  const detector = withDefaults(DEFAULT_DETECTOR, options.detector ?? {});
  const model = detectorOf(options.detectorModel ?? 'gbt', detector);

  const values = new Map<EvaluationMethod, Record<MetricName, number[]>>();
  const added = new Map<EvaluationMethod, number[]>();
  const copies = new Map<EvaluationMethod, number[]>();
  for (const m of methods) {
    values.set(m, { prAuc: [], rocAuc: [], recallAtP90: [], recallAtP50: [], f1: [] });
    added.set(m, []);
    copies.set(m, []);
  }
  const prCurves: PrCurve[] = [];
  const samples: EvaluationResult['samples'] = { real: {}, synthetic: {} };
  const privacy = new Map<EvaluationMethod, PositivesPrivacy>();
  const testPositiveRows = takeRows(test, splitByLabel(test, label, positive).positives);

  for (const [s, seed] of seeds.entries()) {
    // One stream per seed, split by purpose, so adding a method never shifts another method's randomness.
    const rng = createRng(seed);
    const subsampleRng = rng.fork();
    const augmentSeed = rng.uint32();
    const detectorSeed = rng.uint32();

    const keep = subsampleRng.permutation(full.positives.length).subarray(0, nKeep);
    const rows = [...full.negatives, ...Array.from(keep, (i) => full.positives[i])].sort((a, b) => a - b);
    const trainSeed = nKeep === full.positives.length ? train : takeRows(train, rows);
    if (s === 0) samples.real = takeRows(trainSeed, splitByLabel(trainSeed, label, positive).positives);

    // Fitted on the real training rows only; synthetic and test rows are mapped into the same feature space.
    const features = FeatureEncoder.fit(trainSeed, { exclude: [label, SYNTHETIC_COLUMN], mode: model.features ?? 'ordinal' });
    const xTest = features.transform(test);
    const featureColumns = Object.keys(trainSeed).filter((c) => c !== label && c !== SYNTHETIC_COLUMN);
    const realRows = new Set(rowKeys(trainSeed, featureColumns));
    // 'gan' and 'gan+smote' ask the sampler for the same rows (same table, seed and count): one fit serves both.
    const sampled = new Map<number, Promise<Table>>();
    const base = options.ganSampler ?? tabularGanSampler;
    const ganSampler: GanSampler = (t, l, p, n, sd, o) => {
      if (!sampled.has(n)) sampled.set(n, base(t, l, p, n, sd, o));
      return sampled.get(n)!;
    };

    for (const method of methods) {
      const t0 = Date.now();
      let fitTable = trainSeed;
      if (method !== 'none' && method !== 'class-weights') {
        const r = await augment(trainSeed, {
          label,
          positive,
          method,
          ratio: options.ratio,
          seed: augmentSeed,
          k: options.k,
          kinds: options.kinds,
          gan: options.gan,
          ganSampler,
        });
        fitTable = r.table;
        added.get(method)!.push(r.added);
        copies.get(method)!.push(rowKeys(r.synthetic, featureColumns).filter((k) => realRows.has(k)).length);
        if (s === 0) {
          samples.synthetic[method] = r.synthetic;
          privacy.set(
            method,
            positivesPrivacy({
              trainPositives: samples.real,
              testPositives: testPositiveRows,
              synthetic: r.synthetic,
              columns: featureColumns,
              seed: augmentSeed,
            }),
          );
        }
      } else {
        added.get(method)!.push(0);
        copies.get(method)!.push(0);
      }

      const y = Float64Array.from(fitTable[label], (v) => (isPositive(v, positive) ? 1 : 0));
      let weights: Float64Array | undefined;
      if (method === 'class-weights') {
        const nPos = y.reduce((a, b) => a + b, 0);
        const w = (y.length - nPos) / nPos;
        weights = Float64Array.from(y, (v) => (v === 1 ? w : 1));
      }
      const scores = Float64Array.from(model.fitPredict({ xTrain: features.transform(fitTable), yTrain: y, xTest, weights, seed: detectorSeed }));
      const v = values.get(method)!;
      for (const m of computeMetrics(FRAUD_METRICS, { yTrue: yTest, scores })) v[m.name as MetricName].push(m.value);
      options.log?.(`seed ${seed} (${s + 1}/${seeds.length}) ${method}: PR-AUC ${v.prAuc.at(-1)!.toFixed(3)}, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      if (s === 0) {
        const c = precisionRecallCurve(yTest, scores);
        prCurves.push({ method, precision: Array.from(c.precision), recall: Array.from(c.recall) });
      }
    }
  }

  const nNeg = full.negatives.length;
  return {
    label,
    positive,
    seeds: [...seeds],
    targetPrevalence: options.prevalence ?? null,
    train: { positives: nKeep, negatives: nNeg, prevalence: nKeep / (nKeep + nNeg) },
    test: { rows: yTest.length, positives: testPositives, prevalence: testPositives / yTest.length },
    methods: methods.map((method) => ({
      method,
      metrics: summarize(values.get(method)!),
      added: added.get(method)!,
      copies: copies.get(method)!,
      ...(privacy.has(method) ? { privacy: privacy.get(method)! } : {}),
    })),
    prCurves,
    samples,
  };
}

function summarize(v: Record<MetricName, number[]>): Record<MetricName, MetricSummary> {
  const out = {} as Record<MetricName, MetricSummary>;
  for (const m of METRICS) out[m] = { mean: mean(v[m]), sd: std(v[m]), values: v[m] };
  return out;
}

function checkMethods(requested: string[]): EvaluationMethod[] {
  if (!Array.isArray(requested)) throw new UsageError('methods must be a list of method names', { option: 'methods' });
  const known: string[] = ['none', 'class-weights', ...AUGMENT_METHODS];
  for (const m of requested) {
    if (!known.includes(m)) {
      throw new UsageError(`method '${m}' is not one of ${known.join(', ')}`, { option: 'methods' });
    }
  }
  return ['none', ...new Set(requested.filter((m) => m !== 'none'))] as EvaluationMethod[];
}

function checkSeeds(seeds: number[], allowFewer: boolean): void {
  const min = allowFewer ? 2 : MIN_SEEDS;
  if (!Array.isArray(seeds) || seeds.length < min) {
    throw new UsageError(
      `give at least ${min} seeds (got ${Array.isArray(seeds) ? seeds.length : 0}): a mean and sd over seeds is the result, one run is noise`,
      { option: 'seeds' },
    );
  }
  if (!seeds.every(Number.isInteger)) throw new UsageError('seeds must be integers', { option: 'seeds' });
  if (new Set(seeds).size !== seeds.length) throw new UsageError('seeds must be distinct', { option: 'seeds' });
}

/** Positives to keep so that positives / (positives + negatives) is the target prevalence. */
function positivesToKeep(prevalence: number, split: { positives: number[]; negatives: number[] }): number {
  const nPos = split.positives.length;
  const nNeg = split.negatives.length;
  const current = nPos / (nPos + nNeg);
  if (!(prevalence > 0 && prevalence <= current)) {
    throw new UsageError(
      `prevalence must be in (0, ${current.toPrecision(4)}], the training split's own share of positives (${nPos} of ${nPos + nNeg}); got ${prevalence}`,
      { option: 'prevalence' },
    );
  }
  const keep = Math.round((prevalence * nNeg) / (1 - prevalence));
  if (keep < 2) {
    throw new InvalidDataError(`prevalence ${prevalence} leaves ${keep} training positives of ${nPos} beside ${nNeg} negatives; at least 2 are needed`, {
      option: 'prevalence',
    });
  }
  return Math.min(keep, nPos);
}

function detectorOf(choice: DetectorChoice, gbt: Required<DetectorOptions>): DetectorModel {
  if (choice === 'gbt') {
    return {
      name: 'gradient-boosted trees',
      fitPredict: ({ xTrain, yTrain, xTest, weights, seed }) => new GradientBoostedTrees({ ...gbt, seed }).fit(xTrain, yTrain, weights).predictProba(xTest),
    };
  }
  if (choice === 'logistic') {
    return {
      name: 'logistic regression',
      features: 'onehot',
      fitPredict: ({ xTrain, yTrain, xTest, weights }) => new LogisticRegression().fit(xTrain, yTrain, weights).predictProba(xTest),
    };
  }
  if (!choice || typeof choice.fitPredict !== 'function') {
    throw new UsageError("detectorModel must be 'gbt', 'logistic' or an object with a fitPredict function", { option: 'detectorModel' });
  }
  return choice;
}

/** Each row's feature values as one string key (exact-copy detection). */
function rowKeys(table: Table, columns: string[]): string[] {
  const n = columns.length ? table[columns[0]].length : 0;
  return Array.from({ length: n }, (_, i) => JSON.stringify(columns.map((c) => table[c][i])));
}

/** From the simplest to the most involved: a recommendation prefers the simpler of two methods that tie. */
export const SIMPLICITY: readonly EvaluationMethod[] = ['none', 'class-weights', 'random', 'smote', 'smotenc', 'borderline', 'adasyn', 'gan', 'gan+smote'];

export interface Recommendation {
  /** The method to use for this data. */
  method: EvaluationMethod;
  /** The method with the highest mean PR-AUC (may differ from `method` when a simpler one ties with it). */
  best: EvaluationMethod;
  /** Plain-language reason, with the evidence. */
  reason: string;
  /** Per method: mean and sd of PR-AUC, recall at precision 0.5, and whether it ties with the best. */
  evidence: { method: EvaluationMethod; prAuc: number; prAucSd: number; recallAtP50: number; tiesWithBest: boolean; copies: number }[];
  /** Copies of real rows, and anything else a user must know. */
  warnings: string[];
}

/**
 * Which method to use: the one with the highest mean PR-AUC over the seeds, unless a simpler one (SIMPLICITY
 * order) is within one standard error of it (the larger of the two methods' sd / sqrt(seeds)), in which case the
 * simplest such method: a difference smaller than the seed-to-seed noise is not worth extra machinery. Methods
 * whose synthetic rows copy real training rows are flagged, and never recommended when a method without copies ties.
 */
export function recommend(result: EvaluationResult): Recommendation {
  const n = result.seeds.length;
  const rows = result.methods.map((m) => ({
    method: m.method,
    prAuc: m.metrics.prAuc.mean,
    prAucSd: m.metrics.prAuc.sd,
    recallAtP50: m.metrics.recallAtP50.mean,
    copies: m.copies.reduce((a, b) => a + b, 0),
  }));
  const best = rows.reduce((a, b) => (b.prAuc > a.prAuc ? b : a));
  const se = (sd: number) => sd / Math.sqrt(n);
  const evidence = rows.map((r) => ({ ...r, tiesWithBest: r.prAuc >= best.prAuc - Math.max(se(best.prAucSd), se(r.prAucSd)) }));
  const rank = (m: EvaluationMethod) => SIMPLICITY.indexOf(m);
  const ties = evidence.filter((e) => e.tiesWithBest).sort((a, b) => rank(a.method) - rank(b.method));
  const chosen = ties.find((e) => e.copies === 0) ?? ties[0];
  const fmt = (x: number) => x.toFixed(3);
  const reason =
    chosen.method === best.method
      ? `${best.method} has the highest mean PR-AUC, ${fmt(best.prAuc)} (sd ${fmt(best.prAucSd)} over ${n} seeds)` +
        (ties.some((t) => rank(t.method) < rank(best.method))
          ? `; ${ties
              .filter((t) => rank(t.method) < rank(best.method))
              .map((t) => t.method)
              .join(', ')}, simpler and within one standard error, copy real rows`
          : '') +
        (best.method === 'none' ? ': augmenting does not help this detector on this data' : '')
      : `${chosen.method} (PR-AUC ${fmt(chosen.prAuc)}, sd ${fmt(chosen.prAucSd)}) is within one standard error of the best, ` +
        `${best.method} (${fmt(best.prAuc)}, sd ${fmt(best.prAucSd)}), over ${n} seeds, and simpler`;
  const warnings = evidence
    .filter((e) => e.copies > 0)
    .map(
      (e) =>
        `${e.method} produced ${e.copies} synthetic row${e.copies === 1 ? '' : 's'} identical to real training rows (over ${n} seeds): they add no new information and disclose those rows`,
    );
  return { method: chosen.method, best: best.method, reason, evidence, warnings };
}
