import {
  FeatureEncoder,
  GradientBoostedTrees,
  ModelFormatError,
  TabularSynthesizer,
  coarseBounds,
  runControls,
  takeRows,
  UsageError,
  type Cell,
  type ColumnSpec as SynthColumnSpec,
  type DpRecord,
  type FitOptions,
  type SampleOptions,
  type Synthesizer,
  type Table,
  type TrainerEvent,
  type TrainingRecord,
  type TrainResult,
} from '@fingan/gan-core';
import { join } from 'node:path';
import { z } from 'zod';
import type { GanSampler } from './augment.js';
import { withDefaults } from '../defaults.js';
import { FraudEncoder, type FraudColumnSpec } from '../encoder.js';
import { FRAUD_COLUMN_KINDS, SYNTHETIC_COLUMN, isPositive, splitByLabel, type FraudColumnKind } from '../schema/schema.js';

/**
 * The fraud package's GAN: FraudGanSynthesizer (the Synthesizer contract; see its documentation) and the sampler
 * `augment` uses for method 'gan' (createGanSampler, tabularGanSampler). The package's own column knowledge
 * (FraudEncoder's kinds) decides how each column reaches gan-core's synthesizer and how generated values come back:
 * see planGanColumns.
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
  /** Snap generated numbers to the nearest value of the column's grid: values shared by >= SNAP_MIN_ROWS rows (default true). */
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
  /**
   * After the fit on every row, this many more generator steps on the positive rows alone (gan-core's
   * `TabularSynthesizer.fineTune`): the generator keeps the shared structure it learnt from every row and learns what
   * sets the positives apart (default GAN_SAMPLER_DEFAULTS.fineTuneSteps; 0: none). Skipped under DP.
   */
  fineTuneSteps: number;
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
    fineTuneSteps: z.number().int().nonnegative(),
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

/** What a plan keeps of FraudEncoder's view of a number column: how generated values are put back in its units. */
export interface GanNumberSpec {
  /** The range generated values are clamped to: the observed one widened by coarseBounds (never the exact extremes). */
  min: number;
  max: number;
  integer: boolean;
  /** Decimal places values are rounded to where there is no snapping support. */
  decimals: number;
}

/** How one column is handed to the synthesizer and brought back. */
export interface GanColumnPlan {
  name: string;
  synth: SynthColumnSpec;
  /** For number columns (not categories, not ISO times): the range and precision of generated values. */
  spec?: GanNumberSpec;
  /** Trained on log1p(x), mapped back with expm1. */
  log?: boolean;
  /** Zeros are handed over as missing (the synthesizer's missing indicator models the spike) and come back as 0. */
  zeroAsMissing?: boolean;
  /** Sorted values generated numbers are snapped to: values held by at least SNAP_MIN_ROWS training rows (see planGanColumns). */
  support?: Float64Array;
}

/**
 * A value is a snapping target only if at least this many training rows hold it: the plan is saved in the model
 * directory, and a value only one or a few rows hold would identify them (the gan-core quantile knots use the same
 * 10-row rule).
 */
export const SNAP_MIN_ROWS = 10;
/** Snap only when the values held by SNAP_MIN_ROWS rows cover at least this share of the column (a grid: rates, counts). */
export const SNAP_MIN_COVERAGE = 0.5;

/**
 * Maps FraudEncoder kinds to the synthesizer's. The label is categorical (the condition column); text and boolean
 * columns are categorical and boolean; ISO times are datetimes. Numbers get three treatments that remove what a
 * detector (or a real-vs-synthetic test) would otherwise pick up as "synthetic" rather than "positive":
 * - integer columns with at most `discreteMax` distinct values (delinquency counts, inquiries) are categories, so
 *   their exact values and their spikes (99% zeros) are learned as frequencies, not as a smeared density;
 * - other numeric columns with at least `zeroSpikeShare` zeros and no missing values hand their zeros over as
 *   missing: the synthesizer's missing indicator learns the share of zeros, its density the rest;
 * - generated numbers are snapped to the nearest value of the column's grid (`snapToObserved`), so a rate grid
 *   (11.99, 13.49, ...) and integer counts come back as the data has them. The grid is the values held by at least
 *   SNAP_MIN_ROWS training rows, used only when they cover at least SNAP_MIN_COVERAGE of the column; a column without
 *   such a grid (amounts with cents) is rounded to its decimals instead. Values are clamped to the observed range
 *   widened by coarseBounds. The plan is saved with the model, so it holds no value that only a few rows have.
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
  const specs = new Map<string, FraudColumnSpec>([...encoder.numericColumns, ...encoder.categoricalColumns].map((s) => [s.name, s]));
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
      plans.push({ name, synth: { name, kind: boolean ? 'boolean' : 'categorical' } });
      continue;
    }
    if (spec.kind === 'time' && spec.timeFormat) {
      plans.push({ name, synth: { name, kind: 'datetime' } });
      continue;
    }
    const col = table[name];
    const values = col.filter((v): v is number => typeof v === 'number');
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (spec.integer && counts.size <= o.discreteMax) {
      plans.push({ name, synth: { name, kind: 'categorical' } });
      continue;
    }
    const zeros = values.filter((v) => v === 0).length;
    const [min, max] = coarseBounds(spec.integer ? Math.floor(spec.min) : spec.min, spec.integer ? Math.ceil(spec.max) : spec.max);
    const plan: GanColumnPlan = {
      name,
      spec: { min, max, integer: spec.integer, decimals: spec.decimals },
      synth: { name, kind: spec.integer ? 'integer' : 'continuous', coarseRange: true },
    };
    if (values.length === col.length && zeros > 0 && zeros < values.length && zeros >= o.zeroSpikeShare * values.length) plan.zeroAsMissing = true;
    if (o.logAmounts && spec.kind === 'amount') {
      plan.log = true;
      plan.synth = { name, kind: 'continuous', coarseRange: true };
    }
    if (o.snapToObserved) {
      // Zeros handed over as missing come back as 0 by themselves: the grid is that of the other values.
      const snapped = plan.zeroAsMissing ? values.length - zeros : values.length;
      const grid = [...counts].filter(([v, c]) => c >= SNAP_MIN_ROWS && !(plan.zeroAsMissing && v === 0));
      const covered = grid.reduce((a, [, c]) => a + c, 0);
      if (grid.length > 0 && covered >= SNAP_MIN_COVERAGE * snapped) plan.support = Float64Array.from(grid, ([v]) => v).sort();
    }
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
    if (!s || p.synth.kind === 'categorical' || p.synth.kind === 'datetime') {
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

/** The GAN settings a FraudGanSynthesizer is built with: everything but how long to train (a fit option) and the filter (a sample option). */
export type FraudGanSettings = Omit<GanSamplerOptions, (typeof FIT_KEYS)[number] | (typeof SAMPLE_KEYS)[number]>;

/** The sampler options that are `fit` options of FraudGanSynthesizer, and those that are `sample` options. */
const FIT_KEYS = ['epochs', 'steps', 'timeBudgetSeconds', 'onEvent', 'checkpoint', 'resume'] as const;
const SAMPLE_KEYS = ['filter', 'candidates'] as const;

/** What a FraudGanSynthesizer models: the label and its rare class, the seed, and (optionally) GAN settings. */
export type FraudGanOptions = Partial<FraudGanSettings> & {
  label: string;
  /** The label value of the rare class (compared as text, so 1 and '1' match). */
  positive: string | number | boolean;
  /** Seeds the fit (default 0). */
  seed?: number;
};

export interface FraudGanSampleOptions extends SampleOptions {
  /**
   * The real training rows: draw `candidates` x n rows and keep the n that a detector fitted on these rows scores most
   * likely positive (filterByDetector, its detector seeded from seed + 1). Read at sample time, never saved; refused
   * for a differentially private model (the choice of rows would depend on the training rows outside the guarantee).
   */
  filterWith?: Table;
  /** Candidates drawn per row kept with `filterWith` (default 16). */
  candidates?: number;
}

export const FRAUD_GAN_KIND = 'fraud-gan';
const PACKAGE_NAME = '@fingan/fraud-detection';
const PACKAGE_VERSION = '0.1.0';

/** The model directory's own part of the state: how the synthesizer's columns map back to the table's. */
const savedSchema = z.object({
  label: z.string().min(1),
  positive: z.union([z.string(), z.number(), z.boolean()]),
  positiveCell: z.union([z.string(), z.number(), z.boolean()]),
  plans: z.array(
    z.object({
      name: z.string(),
      synth: z
        .object({ name: z.string(), kind: z.enum(['continuous', 'integer', 'categorical', 'boolean', 'datetime']), coarseRange: z.boolean().optional() })
        .passthrough(),
      spec: z.object({ min: z.number().nullable(), max: z.number().nullable(), integer: z.boolean(), decimals: z.number().int().nonnegative() }).optional(),
      log: z.boolean().optional(),
      zeroAsMissing: z.boolean().optional(),
      support: z.array(z.number()).optional(),
    }),
  ),
  settings: z.record(z.string(), z.unknown()),
});

/** JSON has no infinities: an unbounded (DP) range is saved as null. */
const toJsonBound = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * The fraud package's model, in the contract every fingan model implements (fit, sample, save, static load,
 * dispose): gan-core's conditional tabular synthesizer (a CTGAN-style WGAN-GP on mixed-type columns), trained on ALL
 * training rows with the label as its condition column and anchor, sampled conditioned on the rare class. Training on
 * every row matters when positives are rare: the generator learns the shared structure of the features (ranges,
 * correlations, which categories go together) from the majority, and the condition tells it what is different about
 * positives. Training-by-sampling over-represents the rare class in the batches without discarding negatives. Then
 * `fineTuneSteps` more steps on the positive rows alone (TabularSynthesizer.fineTune) make the generator's rows look
 * like positives where there are too few of them for the condition alone to do it (25-66 rows).
 *
 *   const gan = new FraudGanSynthesizer({ label: 'Class', positive: 'bad', seed: 1 });
 *   await gan.fit(train, { epochs: 20 });
 *   const positives = gan.sample(500, { seed: 2, filterWith: train });
 *   await gan.save('model/');  // no training row, no value only a few rows hold (see planGanColumns)
 *
 * `augment(table, { method: 'gan' })` does exactly this (fit, then sample with the filter) through createGanSampler.
 */
export class FraudGanSynthesizer implements Synthesizer<Table, Table, FraudGanSampleOptions> {
  readonly label: string;
  readonly positive: string | number | boolean;
  readonly seed: number;
  /** The settings with their defaults filled in. */
  readonly settings: FraudGanSettings;
  private synth: TabularSynthesizer | null = null;
  private plans: GanColumnPlan[] | null = null;
  private positiveCell: Cell | null = null;

  constructor(options: FraudGanOptions) {
    const { label, positive, seed, ...settings } = options ?? ({} as FraudGanOptions);
    if (typeof label !== 'string' || label === '') throw new UsageError('FraudGanSynthesizer needs the label column', { option: 'label' });
    if (!['string', 'number', 'boolean'].includes(typeof positive))
      throw new UsageError('FraudGanSynthesizer needs the positive (rare) label value', { option: 'positive' });
    if (seed !== undefined && !Number.isFinite(seed)) throw new UsageError(`seed must be a number, got ${String(seed)}`, { option: 'seed' });
    for (const [kind, keys] of [['fit', FIT_KEYS] as const, ['sample', SAMPLE_KEYS] as const]) {
      for (const k of keys) {
        if ((settings as Record<string, unknown>)[k] !== undefined)
          throw new UsageError(`'${k}' is a ${kind} option, not a setting of the model`, { option: k });
      }
    }
    const { epochs: _e, filter: _f, candidates: _c, ...filled } = ganSamplerOptions(settings);
    if (filled.delta !== undefined && filled.epsilon === undefined) throw new UsageError("gan option 'delta' needs 'epsilon'", { option: 'gan.delta' });
    if (filled.epsilon !== undefined && (settings as { fineTuneSteps?: number }).fineTuneSteps) {
      throw new UsageError("gan option 'fineTuneSteps' trains on the positive rows outside the DP guarantee; leave it out with 'epsilon'", {
        option: 'gan.fineTuneSteps',
      });
    }
    if (filled.epsilon !== undefined) filled.fineTuneSteps = 0;
    this.label = label;
    this.positive = positive;
    this.seed = seed ?? 0;
    this.settings = filled;
  }

  /** How the last fit went (steps, why it stopped, whether it is reproducible from the seed); null before a fit or load. */
  get trainingRecord(): TrainingRecord | null {
    return this.synth?.trainingRecord ?? null;
  }

  /** A differentially private fit's guarantee; null otherwise. */
  get dpRecord(): DpRecord | null {
    return this.synth?.dpRecord ?? null;
  }

  /** How each column reaches the synthesizer and comes back (after fit or load). */
  get columnPlans(): readonly GanColumnPlan[] {
    if (!this.plans) throw new UsageError('the GAN is not fitted yet; call fit() or load()');
    return this.plans;
  }

  /**
   * Train on every row of `table` (label as condition column and anchor), then `fineTuneSteps` steps on its positive
   * rows alone. Length of the first part: `epochs` (full passes; default GAN_SAMPLER_DEFAULTS.epochs) or `steps`; an
   * opt-in `timeBudgetSeconds` (for both parts); progress, checkpoints and resume. The result counts both parts.
   */
  async fit(table: Table, opts: FitOptions = {}): Promise<TrainResult> {
    const o = this.settings;
    splitByLabel(table, this.label, this.positive); // a missing label column, no positives or no negatives: a named error
    const dp = o.epsilon !== undefined;
    const plans = dp
      ? privatePlans(planGanColumns(table, this.label, { ...o, discreteMax: 0, zeroSpikeShare: 1, snapToObserved: false, logAmounts: false }))
      : planGanColumns(table, this.label, o);
    // The condition is the label cell exactly as the data holds it (1 and '1' are different categories to the model).
    const labelCol = table[this.label];
    const positiveCell: Cell = labelCol.find((v) => isPositive(v, this.positive)) ?? this.positive;
    const adam = o.learningRate === undefined ? undefined : { learningRate: o.learningRate, beta1: 0.5, beta2: 0.9 };
    const numberSettings = { method: o.continuousMethod, maxModes: o.maxModes };
    const synth = new TabularSynthesizer(
      withDefaults(
        {
          columns: plans.map((p) => (p.synth.kind === 'categorical' || p.synth.kind === 'boolean' ? p.synth : withDefaults(p.synth, numberSettings))),
          conditionColumns: [this.label],
          sampleConditionColumn: this.label,
          // The label is the condition that matters here: missing-value indicators (zero spikes use them) are modelled
          // but not conditioned on, so they do not dilute the share of batches conditioned on the rare class.
          conditionOnMissing: false,
          seed: this.seed,
          ...(dp ? { dp: { epsilon: o.epsilon!, delta: o.delta, publicCategories: { [this.label]: labelClasses(labelCol) } } } : {}),
        },
        {
          noiseDim: o.noiseDim,
          generatorDims: o.generatorDims,
          criticDims: o.criticDims,
          pac: o.pac,
          batchSize: o.batchSize,
          nCritic: o.nCritic,
          generatorOptimizer: adam,
          criticOptimizer: adam,
          calibrate: o.calibrate,
        },
      ),
    );
    let res: TrainResult;
    try {
      const length = opts.steps !== undefined ? { steps: opts.steps } : { epochs: opts.epochs ?? GAN_SAMPLER_DEFAULTS.epochs };
      res = await synth.fit(toSynthTable(table, plans), { ...runControls(opts), ...length });
      if (!dp && o.fineTuneSteps > 0) res = await this.fineTuneOnPositives(synth, table, plans, res, opts);
    } catch (e) {
      synth.dispose();
      throw e;
    }
    this.synth?.dispose();
    this.synth = synth;
    this.plans = plans;
    this.positiveCell = positiveCell;
    return res;
  }

  /**
   * The fit's second part: `fineTuneSteps` generator steps on the positive rows alone (see GanSamplerOptions). Its
   * checkpoints go to a `fine-tune` folder inside the fit's checkpoint folder, so a killed run resumes either part; an
   * opt-in time limit covers both parts. Returns the two runs as one result.
   */
  private async fineTuneOnPositives(
    synth: TabularSynthesizer,
    table: Table,
    plans: GanColumnPlan[],
    first: TrainResult,
    opts: FitOptions,
  ): Promise<TrainResult> {
    const left = opts.timeBudgetSeconds === undefined ? undefined : opts.timeBudgetSeconds - first.elapsedMs / 1000;
    if (left !== undefined && left <= 0) return first;
    const positives = takeRows(table, splitByLabel(table, this.label, this.positive).positives);
    const checkpoint = opts.checkpoint && { dir: join(opts.checkpoint.dir, 'fine-tune'), every: opts.checkpoint.every };
    const second = await synth.fineTune(toSynthTable(positives, plans), {
      ...runControls({ ...opts, checkpoint, timeBudgetSeconds: left }),
      steps: this.settings.fineTuneSteps,
    });
    return {
      ...second,
      steps: first.steps + second.steps,
      plannedSteps: first.plannedSteps + second.plannedSteps,
      reproducible: first.reproducible && second.reproducible,
      history: [...synth.lossHistory],
      elapsedMs: first.elapsedMs + second.elapsedMs,
    };
  }

  /** n synthetic positives, in the input's units and column order (the label column holds the positive value). */
  sample(n: number, opts: FraudGanSampleOptions = {}): Table {
    const synth = this.synth;
    if (!synth || !this.plans) throw new UsageError('the GAN is not fitted yet; call fit() or load()');
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`the number of rows must be a non-negative integer, got ${n}`, { option: 'n' });
    const seed = opts.seed ?? 0;
    const draw = (k: number) =>
      fromSynthTable(synth.sample(k, { seed, conditions: [{ column: this.label, op: '==', value: this.positiveCell! }] }), this.plans!);
    if (opts.filterWith === undefined) return draw(n);
    if (this.dpRecord) {
      throw new UsageError(
        'a differentially private model cannot filter its rows by a detector fitted on the training rows (the choice would fall outside the guarantee); sample without filterWith',
        { option: 'filterWith' },
      );
    }
    const k = opts.candidates ?? GAN_SAMPLER_DEFAULTS.candidates;
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new UsageError(`candidates must be an integer from 1 to 100, got ${k}`, { option: 'candidates' });
    return filterByDetector(opts.filterWith, this.label, this.positive, draw(n * k), n, seed + 1);
  }

  /** A model directory: the synthesizer's networks and encoder state, and the column plans (no training row). */
  async save(dir: string): Promise<void> {
    if (!this.synth || !this.plans) throw new UsageError('the GAN is not fitted yet; nothing to save');
    const plans = this.plans.map((p) => ({
      ...p,
      spec: p.spec && { ...p.spec, min: toJsonBound(p.spec.min), max: toJsonBound(p.spec.max) },
      support: p.support && Array.from(p.support),
    }));
    await this.synth.save(dir, {
      package: PACKAGE_NAME,
      packageVersion: PACKAGE_VERSION,
      kind: FRAUD_GAN_KIND,
      extra: { label: this.label, positive: this.positive, positiveCell: this.positiveCell, plans, settings: this.settings },
    });
  }

  /** Read a directory written by `save`; another model's or a damaged directory is a ModelFormatError naming it. */
  static async load(dir: string): Promise<FraudGanSynthesizer> {
    const { model, extra } = await TabularSynthesizer.load(dir, { package: PACKAGE_NAME, kind: FRAUD_GAN_KIND });
    const parsed = savedSchema.safeParse(extra);
    if (!parsed.success) {
      model.dispose();
      const i = parsed.error.issues[0];
      throw new ModelFormatError(`${dir}: state.json is not a fraud GAN state (${i.path.join('.')}: ${i.message})`, { file: dir });
    }
    const x = parsed.data;
    let gan: FraudGanSynthesizer;
    try {
      gan = new FraudGanSynthesizer({ ...x.settings, label: x.label, positive: x.positive, seed: model.args.seed });
    } catch (e) {
      model.dispose();
      throw new ModelFormatError(`${dir}: state.json holds invalid GAN settings (${(e as Error).message})`, { file: dir });
    }
    gan.synth = model;
    gan.positiveCell = x.positiveCell;
    gan.plans = x.plans.map((p) => ({
      name: p.name,
      synth: p.synth as SynthColumnSpec,
      ...(p.spec ? { spec: { ...p.spec, min: p.spec.min ?? -Infinity, max: p.spec.max ?? Infinity } } : {}),
      ...(p.log ? { log: true } : {}),
      ...(p.zeroAsMissing ? { zeroAsMissing: true } : {}),
      ...(p.support ? { support: Float64Array.from(p.support) } : {}),
    }));
    return gan;
  }

  dispose(): void {
    this.synth?.dispose();
    this.synth = null;
  }
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
 * A GanSampler (augment's pluggable generator) with its own defaults, overridden per call by augment's `gan` options:
 * a FraudGanSynthesizer fitted on the table, then sampled. Seeded: the fit from `seed`, the draw of rows from
 * `seed + 1`, the filter's detector from `seed + 2`. Under DP the rows are not filtered (the detector would read the
 * training rows outside the guarantee); asking for filter 'detector' with epsilon is an error.
 */
export function createGanSampler(defaults: Partial<GanSamplerOptions> = {}): GanSampler {
  return async (table, label, positive, nNeeded, seed, options) => {
    const given = { ...defaults, ...(options ?? {}) };
    const opts = ganSamplerOptions(given);
    if (opts.epsilon !== undefined && given.filter === 'detector') {
      throw new UsageError("filter 'detector' reads the training rows at sample time, outside the DP guarantee; use filter 'none' with epsilon", {
        option: 'gan.filter',
      });
    }
    const { epochs, steps, timeBudgetSeconds, onEvent, checkpoint, resume, filter, candidates, fineTuneSteps, ...settings } = opts;
    // Under DP the default fine-tuning is left out (the constructor refuses it only when asked for).
    const tune = opts.epsilon === undefined || given.fineTuneSteps !== undefined ? { fineTuneSteps } : {};
    const gan = new FraudGanSynthesizer({ ...settings, ...tune, label, positive: positive as string | number | boolean, seed });
    try {
      await gan.fit(table, { ...(steps !== undefined ? { steps } : { epochs }), timeBudgetSeconds, onEvent, checkpoint, resume });
      const filtered = filter === 'detector' && opts.epsilon === undefined;
      return gan.sample(nNeeded, { seed: seed + 1, ...(filtered ? { filterWith: table, candidates } : {}) });
    } finally {
      gan.dispose();
    }
  };
}

/**
 * Under DP the plan must not carry what the values say: the range and decimals FraudEncoder observed are dropped
 * (integers are still rounded: being an integer column is part of the declared kinds).
 */
function privatePlans(plans: GanColumnPlan[]): GanColumnPlan[] {
  return plans.map((p) => (p.spec ? { ...p, spec: { ...p.spec, min: -Infinity, max: Infinity, decimals: 12 } } : p));
}

/** The label's distinct values, sorted (declared public under DP: the label is binary by the user's declaration). */
function labelClasses(col: Cell[]): Cell[] {
  return [...new Map(col.map((v) => [`${typeof v}:${String(v)}`, v])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

/** gan-core's conditional tabular synthesizer with the defaults above: what method 'gan' uses unless told otherwise. */
export const tabularGanSampler: GanSampler = createGanSampler();
