import {
  TabularSynthesizer,
  UsageError,
  rowCount,
  type Cell,
  type ColumnSpec as SynthColumnSpec,
  type Table,
  type TrainerEvent,
} from '@fingan/gan-core';
import { z } from 'zod';
import type { GanSampler } from '../augment.js';
import { withDefaults } from '../defaults.js';
import { FraudEncoder, type ColumnSpec } from '../encoder.js';
import { useFastTileGradient } from './tile-gradient.js';
import { COLUMN_KINDS, SYNTHETIC_COLUMN, isPositive, type ColumnKind } from '../schema.js';

/**
 * The default generator for method 'gan': gan-core's conditional tabular synthesizer (a CTGAN-style WGAN-GP on
 * mixed-type columns), trained on ALL training rows with the label as its only condition column and then sampled
 * conditioned on the positive class. Training on every row matters when positives are rare: the generator learns the
 * shared structure of the features (ranges, correlations, which categories go together) from the majority, and the
 * condition tells it what is different about positives. Training-by-sampling draws the label with log-frequency
 * weights, so about 40% of each batch is positive even at 5% prevalence, without discarding negatives.
 *
 * The package's own column knowledge (FraudEncoder's kinds) decides how each column reaches the synthesizer: amounts
 * are log1p-scaled before the GMM encoder sees them (one mode per order of magnitude rather than a mode spent on the
 * tail) and mapped back with expm1; counts are integers; decimals keep their observed precision; every value stays in
 * its observed range.
 */

export interface GanSamplerOptions {
  /** Passes over the training rows (default 80: about 2 minutes on ~7000 rows x 22 columns, 2 cores, wasm). */
  epochs: number;
  /**
   * Safety net: stop training after this many seconds even if epochs are not done (default 150). A run cut short is
   * no longer reproducible from the seed alone, so the default epochs are chosen to finish well inside it.
   */
  timeBudgetSeconds: number;
  batchSize: number;
  /** PacGAN degree: the critic judges this many rows at once (default 10). */
  pac: number;
  generatorDims: number[];
  criticDims: number[];
  noiseDim: number;
  /** log1p-scale amount columns before the synthesizer's encoder (default true). */
  logAmounts: boolean;
  /** How the synthesizer scales numbers: 'gmm' (mode-specific, CTGAN's) or 'quantile' (one value per column). */
  continuousMethod: 'gmm' | 'quantile' | 'minmax';
  /** GMM mode cap per numeric column. */
  maxModes: number;
  /** Adam learning rate of generator and critic (betas 0.5, 0.9 as in WGAN-GP). */
  learningRate: number;
  /** Column kinds overriding detection (augment forwards its `kinds`). */
  kinds?: Record<string, ColumnKind>;
  /** Training progress (steps, losses, stop reason). */
  onEvent?: (e: TrainerEvent) => void;
}

export const GAN_SAMPLER_DEFAULTS: Readonly<Omit<GanSamplerOptions, 'kinds' | 'onEvent'>> = {
  epochs: 80,
  timeBudgetSeconds: 150,
  batchSize: 500,
  pac: 10,
  generatorDims: [256, 256],
  criticDims: [256, 256],
  noiseDim: 128,
  logAmounts: true,
  continuousMethod: 'gmm',
  maxModes: 10,
  learningRate: 2e-4,
};

const dims = z.array(z.number().int().positive()).min(1);
const optionsSchema = z
  .object({
    epochs: z.number().int().positive(),
    timeBudgetSeconds: z.number().positive(),
    batchSize: z.number().int().positive(),
    pac: z.number().int().positive(),
    generatorDims: dims,
    criticDims: dims,
    noiseDim: z.number().int().positive(),
    logAmounts: z.boolean(),
    continuousMethod: z.enum(['gmm', 'quantile', 'minmax']),
    maxModes: z.number().int().positive(),
    learningRate: z.number().positive(),
    kinds: z.record(z.string(), z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]])),
    onEvent: z.custom<(e: TrainerEvent) => void>((v) => typeof v === 'function', { message: 'must be a function' }),
  })
  .partial()
  .strict();

/** Checks loosely typed options (augment's `gan`, CLI flags) and fills in the defaults. */
export function ganSamplerOptions(options: Record<string, unknown> = {}): GanSamplerOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const r = optionsSchema.safeParse(defined);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? '');
    const what = issue.code === 'unrecognized_keys' ? `is not a GAN option (known: ${Object.keys(GAN_SAMPLER_DEFAULTS).join(', ')})` : issue.message;
    throw new UsageError(`gan option '${key}' ${what}`, { flag: `gan.${key}` });
  }
  return withDefaults({ ...GAN_SAMPLER_DEFAULTS }, r.data) as GanSamplerOptions;
}

/** How one column is handed to the synthesizer and brought back. */
export interface GanColumnPlan {
  name: string;
  synth: SynthColumnSpec;
  /** Present for log-scaled amounts: the FraudEncoder spec with the original range and precision. */
  amount?: ColumnSpec;
  /** Decimal places to round a continuous column to on the way back (its observed precision). */
  decimals?: number;
}

/**
 * Maps FraudEncoder kinds to the synthesizer's: amount -> continuous on log1p(x) (or on x when logAmounts is off),
 * count -> integer, numeric -> integer or continuous, time -> datetime for ISO strings else numeric, categorical ->
 * boolean for true/false columns else categorical. The label is always categorical: it is the condition column.
 */
export function planGanColumns(table: Table, label: string, options: Pick<GanSamplerOptions, 'kinds' | 'logAmounts'>): GanColumnPlan[] {
  const encoder = FraudEncoder.fit(table, { exclude: [label, SYNTHETIC_COLUMN], kinds: options.kinds });
  const specs = new Map([...encoder.numericColumns, ...encoder.categoricalColumns].map((s) => [s.name, s]));
  const plans: GanColumnPlan[] = [];
  for (const name of Object.keys(table)) {
    if (name === SYNTHETIC_COLUMN) continue;
    if (name === label) {
      plans.push({ name, synth: { name, kind: 'categorical' } });
      continue;
    }
    const s = specs.get(name)!;
    const numberKind = s.integer ? 'integer' : 'continuous';
    switch (s.kind) {
      case 'amount':
        plans.push(
          options.logAmounts
            ? { name, synth: { name, kind: 'continuous' }, amount: s }
            : { name, synth: { name, kind: numberKind }, decimals: s.decimals },
        );
        break;
      case 'count':
        plans.push({ name, synth: { name, kind: 'integer' } });
        break;
      case 'numeric':
        plans.push({ name, synth: { name, kind: numberKind }, decimals: s.decimals });
        break;
      case 'time':
        plans.push({ name, synth: { name, kind: s.timeFormat ? 'datetime' : numberKind }, decimals: s.decimals });
        break;
      case 'categorical': {
        const boolean = s.categories!.every((c) => typeof c === 'boolean');
        plans.push({ name, synth: { name, kind: boolean ? 'boolean' : 'categorical' } });
        break;
      }
    }
  }
  return plans;
}

/** The table the synthesizer trains on: amounts log1p-scaled, everything else as it is. */
function toSynthTable(table: Table, plans: GanColumnPlan[]): Table {
  const out: Table = {};
  for (const p of plans) {
    const col = table[p.name];
    out[p.name] = p.amount ? col.map((v) => (typeof v === 'number' ? Math.log1p(v) : v)) : col;
  }
  return out;
}

/** Synthesizer output back to the input's units, range and precision, columns in the input's order. */
function fromSynthTable(sampled: Table, plans: GanColumnPlan[]): Table {
  const out: Table = {};
  for (const p of plans) {
    const col = sampled[p.name];
    const a = p.amount;
    if (a) {
      out[p.name] = col.map((v) => {
        if (typeof v !== 'number') return v;
        const x = Math.min(a.max, Math.max(a.min, Math.expm1(v)));
        return a.integer ? Math.round(x) : roundTo(x, a.decimals);
      });
    } else if (p.synth.kind === 'continuous' && p.decimals !== undefined) {
      const d = p.decimals;
      out[p.name] = col.map((v) => (typeof v === 'number' ? roundTo(v, d) : v));
    } else out[p.name] = col;
  }
  return out;
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0;
}

/**
 * A GanSampler with its own defaults (overridden per call by augment's `gan` options). Training and sampling are
 * seeded: the synthesizer from `seed`, the draw of rows from `seed + 1`.
 */
export function createGanSampler(defaults: Partial<GanSamplerOptions> = {}): GanSampler {
  return async (table, label, positive, nNeeded, seed, options) => {
    const opts = ganSamplerOptions({ ...defaults, ...(options ?? {}) });
    useFastTileGradient();
    const plans = planGanColumns(table, label, opts);
    // The condition is the label cell exactly as the data holds it (1 and '1' are different categories to the model).
    const labelCol = table[label];
    const positiveCell: Cell = labelCol.find((v) => isPositive(v, positive)) ?? positive;
    const synth = new TabularSynthesizer({
      columns: plans.map((p) =>
        p.synth.kind === 'categorical' || p.synth.kind === 'boolean' ? p.synth : { ...p.synth, method: opts.continuousMethod, maxModes: opts.maxModes },
      ),
      conditionColumns: [label],
      sampleConditionColumn: label,
      noiseDim: opts.noiseDim,
      generatorDims: opts.generatorDims,
      criticDims: opts.criticDims,
      pac: opts.pac,
      batchSize: Math.min(opts.batchSize, Math.max(opts.pac, rowCount(table))),
      epochs: opts.epochs,
      generatorOptimizer: { learningRate: opts.learningRate, beta1: 0.5, beta2: 0.9 },
      criticOptimizer: { learningRate: opts.learningRate, beta1: 0.5, beta2: 0.9 },
      seed,
    });
    try {
      await synth.fit(toSynthTable(table, plans), { epochs: opts.epochs, timeBudgetSeconds: opts.timeBudgetSeconds, onEvent: opts.onEvent });
      const sampled = synth.sample(nNeeded, { seed: seed + 1, conditions: [{ column: label, op: '==', value: positiveCell }] });
      return fromSynthTable(sampled, plans);
    } finally {
      synth.dispose();
    }
  };
}

/** gan-core's conditional tabular synthesizer with the defaults above: what method 'gan' uses unless told otherwise. */
export const tabularGanSampler: GanSampler = createGanSampler();
