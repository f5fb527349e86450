import {
  FeatureEncoder,
  GradientBoostedTrees,
  TabularSynthesizer,
  takeRows,
  UsageError,
  type Cell,
  type ColumnSpec as SynthColumnSpec,
  type Table,
  type TrainerEvent,
} from '@fingan/gan-core';
import { z } from 'zod';
import type { GanSampler } from './augment.js';
import { withDefaults } from '../defaults.js';
import { FraudEncoder, type FraudColumnSpec } from '../encoder.js';
import { FRAUD_COLUMN_KINDS, SYNTHETIC_COLUMN, isPositive, type FraudColumnKind } from '../schema/schema.js';

/**
 * The default generator for method 'gan': gan-core's conditional tabular synthesizer (a CTGAN-style WGAN-GP on
 * mixed-type columns), trained on ALL training rows with the label as its condition column and anchor, then sampled
 * conditioned on the positive class. Training on every row matters when positives are rare: the generator learns the
 * shared structure of the features (ranges, correlations, which categories go together) from the majority, and the
 * condition tells it what is different about positives. Training-by-sampling over-represents the rare class in the
 * batches without discarding negatives.
 *
 * The package's own column knowledge (FraudEncoder's kinds) decides how each column reaches the synthesizer and how
 * generated values come back: see planGanColumns.
 */

export interface GanSamplerOptions {
  /** Full passes over the training rows (default 20: 1-2 minutes on ~7000 rows x 22 columns, 2 cores, wasm). */
  epochs: number;
  /** Generator steps instead of epochs (when given, `epochs` is ignored). */
  steps?: number;
  /**
   * Opt-in wall-clock limit in seconds (default: none). Training then stops on the clock, so the rows depend on the
   * machine's speed and load, not only on the seed.
   */
  timeBudgetSeconds?: number;
  /** log1p-scale amount columns before the synthesizer's encoder (default false; see planGanColumns). */
  logAmounts: boolean;
  /** Integer columns with at most this many distinct values are modelled as categories (default 20; 0: never). */
  discreteMax: number;
  /** Numeric columns with at least this share of zeros model the zeros as a spike of their own (default 0.1). */
  zeroSpikeShare: number;
  /** Snap generated numbers to the nearest value seen in training (default true). */
  snapToObserved: boolean;
  /**
   * Apply the synthesizer's marginal calibration to the sampled positives (default false). It maps generated
   * values to the marginals of ALL training rows, so conditioned positives are pulled towards the majority.
   */
  calibrate: boolean;
  /**
   * 'detector' (default): draw `candidates` x the rows needed and keep those a detector fitted on the real training
   * rows scores most likely positive (`filterByDetector`); 'none': every sampled row.
   */
  filter: 'none' | 'detector';
  /** Candidates drawn per row kept when `filter` is 'detector' (default 16). */
  candidates: number;
  /** Column kinds overriding detection (augment forwards its `kinds`). */
  kinds?: Record<string, FraudColumnKind>;
  /** Training progress (steps, losses, stop reason). */
  onEvent?: (e: TrainerEvent) => void;
  /** Checkpoints while training, and resuming a killed run from them (the trainer's run controls). */
  checkpoint?: { dir: string; every: number };
  resume?: boolean;
  // Network and optimiser settings: left out, the synthesizer's own defaults apply (see gan-core's TabularSynthesizer).
  batchSize?: number;
  /** PacGAN degree: the critic judges this many rows at once. */
  pac?: number;
  generatorDims?: number[];
  criticDims?: number[];
  noiseDim?: number;
  /** Critic steps per generator step. */
  nCritic?: number;
  /** Adam learning rate of generator and critic (betas 0.5, 0.9 as in WGAN-GP). */
  learningRate?: number;
  /** How the synthesizer scales numbers: 'gmm' (mode-specific, CTGAN's), 'quantile' or 'minmax'. */
  continuousMethod?: 'gmm' | 'quantile' | 'minmax';
  /** GMM mode cap per numeric column. */
  maxModes?: number;
  /**
   * Differential privacy: the added rows are (epsilon, delta)-DP with respect to the training table (DP-SGD on the
   * critic, noisy statistics for the rest; see gan-core's TabularSynthesizer `dp`). The column plan then reads nothing
   * from the values (no snapping to observed values, no zero spikes, no categories by distinct count, no clipping
   * to the observed range); the label's two values are treated as declared. The augmented table still holds the input
   * rows: the guarantee is for the synthetic rows, e.g. when they are shared.
   */
  epsilon?: number;
  /** With epsilon: delta (default min(1e-5, 1 / (10 rows)); must be below 1 / rows). */
  delta?: number;
}

import { GAN_SAMPLER_DEFAULTS } from '../constants.js';
export { GAN_SAMPLER_DEFAULTS };

const dims = z.array(z.number().int().positive()).min(1);
const optionsSchema = z
  .object({
    epochs: z.number().int().positive(),
    steps: z.number().int().nonnegative(),
    timeBudgetSeconds: z.number().positive(),
    logAmounts: z.boolean(),
    discreteMax: z.number().int().nonnegative(),
    zeroSpikeShare: z.number().gt(0).max(1),
    snapToObserved: z.boolean(),
    calibrate: z.boolean(),
    filter: z.enum(['none', 'detector']),
    candidates: z.number().int().min(1).max(100),
    kinds: z.record(z.string(), z.enum(FRAUD_COLUMN_KINDS as [FraudColumnKind, ...FraudColumnKind[]])),
    onEvent: z.custom<(e: TrainerEvent) => void>((v) => typeof v === 'function', { message: 'must be a function' }),
    checkpoint: z.object({ dir: z.string().min(1), every: z.number().int().positive() }),
    resume: z.boolean(),
    batchSize: z.number().int().positive(),
    pac: z.number().int().positive(),
    generatorDims: dims,
    criticDims: dims,
    noiseDim: z.number().int().positive(),
    nCritic: z.number().int().positive(),
    learningRate: z.number().positive(),
    continuousMethod: z.enum(['gmm', 'quantile', 'minmax']),
    maxModes: z.number().int().positive(),
    epsilon: z.number().positive().finite(),
    delta: z.number().gt(0).lt(1),
  })
  .partial()
  .strict();

/** Every option name, for the error that names an unknown one. */
const OPTION_NAMES = Object.keys(optionsSchema.shape);

/** Checks loosely typed options (augment's `gan`, CLI flags) and fills in the defaults. */
export function ganSamplerOptions(options: Record<string, unknown> = {}): GanSamplerOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const r = optionsSchema.safeParse(defined);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? '');
    const what = issue.code === 'unrecognized_keys' ? `is not a GAN option (known: ${OPTION_NAMES.join(', ')})` : issue.message;
    throw new UsageError(`gan option '${key}' ${what}`, { option: `gan.${key}` });
  }
  return withDefaults({ ...GAN_SAMPLER_DEFAULTS }, r.data) as GanSamplerOptions;
}

/** How one column is handed to the synthesizer and brought back. */
export interface GanColumnPlan {
  name: string;
  synth: SynthColumnSpec;
  /** FraudEncoder's view of the column (range, integer-ness, decimals); absent for the label. */
  spec?: FraudColumnSpec;
  /** Trained on log1p(x), mapped back with expm1. */
  log?: boolean;
  /** Zeros are handed over as missing (the synthesizer's missing indicator models the spike) and come back as 0. */
  zeroAsMissing?: boolean;
  /** Sorted distinct observed values: generated numbers are snapped to the nearest one. */
  support?: Float64Array;
}

/**
 * Maps FraudEncoder kinds to the synthesizer's. The label is categorical (the condition column); text and boolean
 * columns are categorical and boolean; ISO times are datetimes. Numbers get three treatments that remove what a
 * detector (or a real-vs-synthetic test) would otherwise pick up as "synthetic" rather than "positive":
 * - integer columns with at most `discreteMax` distinct values (delinquency counts, inquiries) are categories, so
 *   their exact values and their spikes (99% zeros) are learned as frequencies, not as a smeared density;
 * - other numeric columns with at least `zeroSpikeShare` zeros and no missing values hand their zeros over as
 *   missing: the synthesizer's missing indicator learns the share of zeros, its density the rest;
 * - generated numbers are snapped to the nearest value seen in training (`snapToObserved`), so a rate grid
 *   (11.99, 13.49, ...), integer counts and decimals come back as the data has them, inside the observed range.
 * Amounts are log1p-scaled only when `logAmounts` is on (off by default: with the GMM encoder a few zero incomes
 * become a far-away mode in log space that an undertrained generator over-samples).
 */
export function planGanColumns(
  table: Table,
  label: string,
  options: Partial<Pick<GanSamplerOptions, 'kinds' | 'logAmounts' | 'discreteMax' | 'zeroSpikeShare' | 'snapToObserved'>> = {},
): GanColumnPlan[] {
  const o = withDefaults(
    {
      logAmounts: GAN_SAMPLER_DEFAULTS.logAmounts,
      discreteMax: GAN_SAMPLER_DEFAULTS.discreteMax,
      zeroSpikeShare: GAN_SAMPLER_DEFAULTS.zeroSpikeShare,
      snapToObserved: GAN_SAMPLER_DEFAULTS.snapToObserved,
    },
    options,
  );
  const encoder = FraudEncoder.fit(table, { exclude: [label, SYNTHETIC_COLUMN], kinds: o.kinds });
  const specs = new Map([...encoder.numericColumns, ...encoder.categoricalColumns].map((s) => [s.name, s]));
  const plans: GanColumnPlan[] = [];
  for (const name of Object.keys(table)) {
    if (name === SYNTHETIC_COLUMN) continue;
    if (name === label) {
      plans.push({ name, synth: { name, kind: 'categorical' } });
      continue;
    }
    const spec = specs.get(name)!;
    if (spec.kind === 'categorical') {
      const boolean = spec.categories!.every((c) => typeof c === 'boolean');
      plans.push({ name, spec, synth: { name, kind: boolean ? 'boolean' : 'categorical' } });
      continue;
    }
    if (spec.kind === 'time' && spec.timeFormat) {
      plans.push({ name, spec, synth: { name, kind: 'datetime' } });
      continue;
    }
    const col = table[name];
    const values = col.filter((v): v is number => typeof v === 'number');
    const support = Float64Array.from(new Set(values)).sort();
    if (spec.integer && support.length <= o.discreteMax) {
      plans.push({ name, spec, synth: { name, kind: 'categorical' } });
      continue;
    }
    const zeros = values.filter((v) => v === 0).length;
    const plan: GanColumnPlan = { name, spec, synth: { name, kind: spec.integer ? 'integer' : 'continuous' } };
    if (values.length === col.length && zeros > 0 && zeros < values.length && zeros >= o.zeroSpikeShare * values.length) plan.zeroAsMissing = true;
    if (o.logAmounts && spec.kind === 'amount') {
      plan.log = true;
      plan.synth = { name, kind: 'continuous' };
    }
    if (o.snapToObserved && support.length > 0) plan.support = support;
    plans.push(plan);
  }
  return plans;
}

/** The table the synthesizer trains on: zeros of spiky columns as missing, amounts log1p-scaled if asked. */
export function toSynthTable(table: Table, plans: GanColumnPlan[]): Table {
  const out: Table = {};
  for (const p of plans) {
    const col = table[p.name];
    if (!p.log && !p.zeroAsMissing) {
      out[p.name] = col;
      continue;
    }
    out[p.name] = col.map((v) => {
      if (typeof v !== 'number') return v;
      if (p.zeroAsMissing && v === 0) return null;
      return p.log ? Math.log1p(v) : v;
    });
  }
  return out;
}

/** Synthesizer output back to the input's units, grid, range and precision, columns in the input's order. */
export function fromSynthTable(sampled: Table, plans: GanColumnPlan[]): Table {
  const out: Table = {};
  for (const p of plans) {
    const col = sampled[p.name];
    const s = p.spec;
    if (!s || s.kind === 'categorical' || p.synth.kind === 'categorical' || p.synth.kind === 'datetime') {
      out[p.name] = col;
      continue;
    }
    out[p.name] = col.map((v) => {
      if (v === null) return p.zeroAsMissing ? 0 : null;
      if (typeof v !== 'number') return v;
      const x = Math.min(s.max, Math.max(s.min, p.log ? Math.expm1(v) : v));
      if (p.support) return nearest(p.support, x);
      return s.integer ? Math.round(x) : roundTo(x, s.decimals);
    });
  }
  return out;
}

/** The value of sorted `support` closest to x (ties go to the smaller). */
export function nearest(support: Float64Array, x: number): number {
  let lo = 0;
  let hi = support.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (support[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && x - support[lo - 1] <= support[lo] - x ? support[lo - 1] : support[lo];
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0;
}

/** A fitted synthesizer with its column plan: draws positives (`sample`) until disposed. */
export interface FittedGan {
  plans: GanColumnPlan[];
  /** n rows conditioned on the positive class, in the input's units and column order. */
  sample(n: number, seed: number): Table;
  dispose(): void;
}

/**
 * Fits the synthesizer on every row of `table` (label as condition column and anchor). Seeded by `seed`; the
 * returned model samples conditioned on `positive`.
 */
export async function fitGan(table: Table, label: string, positive: Cell, seed: number, opts: GanSamplerOptions): Promise<FittedGan> {
  if (opts.delta !== undefined && opts.epsilon === undefined) throw new UsageError("gan option 'delta' needs 'epsilon'", { option: 'gan.delta' });
  const dp = opts.epsilon !== undefined;
  const plans = dp
    ? privatePlans(planGanColumns(table, label, { ...opts, discreteMax: 0, zeroSpikeShare: 1, snapToObserved: false, logAmounts: false }))
    : planGanColumns(table, label, opts);
  // The condition is the label cell exactly as the data holds it (1 and '1' are different categories to the model).
  const labelCol = table[label];
  const positiveCell: Cell = labelCol.find((v) => isPositive(v, positive)) ?? positive;
  const adam = opts.learningRate === undefined ? undefined : { learningRate: opts.learningRate, beta1: 0.5, beta2: 0.9 };
  const numberSettings = { method: opts.continuousMethod, maxModes: opts.maxModes };
  const synth = new TabularSynthesizer(
    withDefaults(
      {
        columns: plans.map((p) => (p.synth.kind === 'categorical' || p.synth.kind === 'boolean' ? p.synth : withDefaults(p.synth, numberSettings))),
        conditionColumns: [label],
        sampleConditionColumn: label,
        // The label is the condition that matters here: missing-value indicators (zero spikes use them) are modelled
        // but not conditioned on, so they do not dilute the share of batches conditioned on the rare class.
        conditionOnMissing: false,
        seed,
        ...(dp ? { dp: { epsilon: opts.epsilon!, delta: opts.delta, publicCategories: { [label]: labelClasses(labelCol) } } } : {}),
      },
      {
        noiseDim: opts.noiseDim,
        generatorDims: opts.generatorDims,
        criticDims: opts.criticDims,
        pac: opts.pac,
        batchSize: opts.batchSize,
        nCritic: opts.nCritic,
        generatorOptimizer: adam,
        criticOptimizer: adam,
        calibrate: opts.calibrate,
      },
    ),
  );
  try {
    const length = opts.steps !== undefined ? { steps: opts.steps } : { epochs: opts.epochs };
    await synth.fit(toSynthTable(table, plans), {
      ...length,
      timeBudgetSeconds: opts.timeBudgetSeconds,
      onEvent: opts.onEvent,
      checkpoint: opts.checkpoint,
      resume: opts.resume,
    });
  } catch (e) {
    synth.dispose();
    throw e;
  }
  return {
    plans,
    sample: (n, s) => fromSynthTable(synth.sample(n, { seed: s, conditions: [{ column: label, op: '==', value: positiveCell }] }), plans),
    dispose: () => synth.dispose(),
  };
}

/**
 * The `n` rows of `candidates` that a detector fitted on the real rows of `table` scores most likely positive
 * (gradient-boosted trees, 100 trees of depth 3, seeded; ties keep the earlier candidate). Rows the real data's own
 * view places among the negatives are dropped: a generator that has not tied every feature to the condition
 * produces such rows, and a detector trained on them learns that good-looking rows are positives.
 */
export function filterByDetector(table: Table, label: string, positive: Cell, candidates: Table, n: number, seed: number): Table {
  const features = FeatureEncoder.fit(table, { exclude: [label, SYNTHETIC_COLUMN], mode: 'ordinal' });
  const y = Float64Array.from(table[label], (v) => (isPositive(v, positive) ? 1 : 0));
  const trees = new GradientBoostedTrees({ nEstimators: 100, maxDepth: 3, learningRate: 0.1, minSamplesLeaf: 20, subsample: 0.8, seed });
  const scores = trees.fit(features.transform(table), y).predictProba(features.transform(candidates));
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  return takeRows(
    candidates,
    order.slice(0, n).sort((a, b) => a - b),
  );
}

/**
 * A GanSampler with its own defaults (overridden per call by augment's `gan` options). Training and sampling are
 * seeded: the synthesizer from `seed`, the draw of rows from `seed + 1`, the filter's detector from `seed + 2`.
 */
export function createGanSampler(defaults: Partial<GanSamplerOptions> = {}): GanSampler {
  return async (table, label, positive, nNeeded, seed, options) => {
    const opts = ganSamplerOptions({ ...defaults, ...(options ?? {}) });
    const model = await fitGan(table, label, positive, seed, opts);
    try {
      if (opts.filter === 'none') return model.sample(nNeeded, seed + 1);
      const candidates = model.sample(nNeeded * opts.candidates, seed + 1);
      return filterByDetector(table, label, positive, candidates, nNeeded, seed + 2);
    } finally {
      model.dispose();
    }
  };
}

/**
 * Under DP the plan must not carry what the values say: the range and decimals FraudEncoder observed are dropped
 * (integers are still rounded: being an integer column is part of the declared kinds).
 */
function privatePlans(plans: GanColumnPlan[]): GanColumnPlan[] {
  return plans.map((p) => (p.spec && p.spec.kind !== 'categorical' ? { ...p, spec: { ...p.spec, min: -Infinity, max: Infinity, decimals: 12 } } : p));
}

/** The label's distinct values, sorted (declared public under DP: the label is binary by the user's declaration). */
function labelClasses(col: Cell[]): Cell[] {
  return [...new Map(col.map((v) => [`${typeof v}:${String(v)}`, v])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

/** gan-core's conditional tabular synthesizer with the defaults above: what method 'gan' uses unless told otherwise. */
export const tabularGanSampler: GanSampler = createGanSampler();
