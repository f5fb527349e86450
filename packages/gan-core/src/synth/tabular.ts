/**
 * A conditional GAN for mixed-type tables, after the CTGAN paper (Xu et al. 2019), written from the paper:
 * - columns encoded by TableEncoder (mode-specific normalisation for numbers, one-hot for categories, missing
 *   indicators);
 * - a condition vector over the discrete columns with training-by-sampling: each row of a batch picks a discrete
 *   column uniformly and a category with log-frequency weights, and the real rows are drawn to match, so rare
 *   categories (and the bad class) are learned rather than averaged away;
 * - a residual-MLP generator with tanh (numbers) and Gumbel-softmax (one-hots) outputs plus a cross-entropy term
 *   that makes it honour the condition; a WGAN-GP critic with PacGAN packing.
 * Differences from CTGAN:
 * - layer norm instead of batch norm (sampling equals training);
 * - the missing-value indicator of every numeric/date/boolean column with missing cells is a condition column too, so
 *   a rare "missing" is learned like a rare category instead of being averaged away;
 * - an optional anchor column (`sampleConditionColumn`, e.g. the default flag) is part of every condition vector,
 *   in training (taken from the real row drawn for the batch) and in sampling (drawn from its real frequencies, or
 *   from its frequencies among rows with the requested category): the generator learns P(rest | anchor) directly and
 *   the critic always sees the anchor beside the row, which is the relation a downstream model needs;
 * - discrete outputs are sampled (Gumbel-max) at generation time, not argmax'ed, so a category the generator gives
 *   20% probability appears in 20% of rows instead of never;
 * - after training, a marginal calibration (calibration.ts) corrects category shares by logit biases and numeric
 *   marginals by rank-preserving maps, fitted on reference samples;
 * - the networks work on a permuted column order (span-order.ts) that turns per-span activations into a few
 *   reshapes (a large speed-up on the wasm backend).
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ensureBackend } from '../backend/backend.js';
import { rowCount, type Cell, type Table } from '../data/table.js';
import { InvalidDataError, ModelFormatError, UsageError } from '../errors.js';
import { TableEncoder, type ColumnLayout, type ColumnSpec, type OutputSpan } from '../encoders/index.js';
import { loadModelDir, saveModelDir, type ModelManifest } from '../io/model-dir.js';
import { applyNet } from '../nn/common.js';
import { mlp } from '../nn/mlp.js';
import { residualMlp } from '../nn/residual.js';
import { Rng } from '../random/rng.js';
import { resolveSteps, trainingRecordOf, type TrainingLength, type TrainingRecord } from '../training/schedule.js';
import { AdversarialTrainer, runControls, type AdamArgs, type LossRecord, type TrainResult, type RunControls } from '../training/trainer.js';
import { describeCondition, matches, type Condition } from './conditions.js';
import { SpanOrder } from './span-order.js';
import { installFastTileGradient } from '../backend/tile-gradient.js';
import { MarginalCalibration, calibrationStateSchema } from './calibration.js';
import {
  conformTable,
  dpRecordOf,
  planTabularDp,
  releaseHistograms,
  releaseJointCounts,
  surrogateTable,
  tabularDpArgsSchema,
  type ReleasedColumn,
  type TabularDpArgs,
  type TabularDpPlan,
} from './tabular-dp.js';
import type { DpRecord } from '../privacy/dp-record.js';
import { denseChainOf, dpCriticStep, poissonSample } from '../privacy/dp-sgd.js';

export interface TabularSynthesizerArgs {
  columns: ColumnSpec[];
  /** Noise width (default 128). */
  noiseDim?: number;
  generatorDims?: number[];
  criticDims?: number[];
  /** PacGAN degree (default 10); batchSize is rounded to a multiple. */
  pac?: number;
  batchSize?: number;
  /** Full passes over the training rows (give this or `steps`; default TABULAR_DEFAULT_STEPS steps). */
  epochs?: number;
  /** Generator steps (give this or `epochs`). */
  steps?: number;
  nCritic?: number;
  gpWeight?: number;
  generatorOptimizer?: AdamArgs;
  criticOptimizer?: AdamArgs;
  /** Gumbel-softmax temperature (default 0.2). */
  tau?: number;
  /** Discrete columns in the condition vector (default: all categorical/boolean columns). */
  conditionColumns?: string[];
  /**
   * Share of training rows whose condition is drawn CTGAN-style, category weights log(1 + frequency), so that rare
   * categories are seen often (default 0.5). The other rows are real rows drawn uniformly, conditioned on one of
   * their own categories: without them the critic's real batches over-represent rare categories, and whatever the
   * generator has not yet tied to its condition drifts towards the rare categories' profile (younger, lower
   * incomes in a loan book).
   */
  rareBoost?: number;
  /**
   * The encoders' fit sample: a table of more rows fits its numeric and date encoders on a seeded uniform sample of
   * this many rows (TableEncoder's maxFitRows; default ENCODER_FIT_ROWS); smaller tables use every row.
   */
  encoderFitRows?: number;
  /** Fit a marginal calibration after training (see calibration.ts); default true. */
  calibrate?: boolean;
  /** Also condition on the missing-value indicators of columns that had missing cells (default true). */
  conditionOnMissing?: boolean;
  /**
   * The anchor: a categorical/boolean column (e.g. the target) that is part of every condition vector, in training
   * and sampling; rows sampled without conditions take it from its real frequencies.
   */
  sampleConditionColumn?: string;
  seed?: number;
  /**
   * Differential privacy (see tabular-dp.ts and privacy/dp-sgd.ts): DP-SGD on the critic and noisy statistics for
   * everything else (the calibration is fitted to the released histograms). Implies pac 1 (one row per critic input,
   * the unit that is clipped).
   */
  dp?: TabularDpArgs;
}

/** Training length at fit time (overrides the constructor's `epochs`/`steps`) and the trainer's run controls. */
export type TabularFitOptions = RunControls & TrainingLength;

/**
 * Generator steps of a default fit, whatever the table's size: 40 passes over the 3,118-row credit book. A step
 * costs the same for any number of rows, and quality on the bundled loan books levels off near here.
 */
export const TABULAR_DEFAULT_STEPS = 640;

/**
 * Rows the numeric and date encoders are fitted on, at most (a seeded uniform sample of a larger table): fitting
 * them then costs the same for a million rows as for 100,000, and a quantile of a 100,000-row sample is within about
 * 0.16% in rank (one standard error at the median) of the whole table's.
 */
export const ENCODER_FIT_ROWS = 100_000;

export interface TabularSampleOptions {
  seed?: number;
  conditions?: Condition[];
  /** Give up on range conditions after generating this many candidates per requested row (default 50). */
  maxTriesPerRow?: number;
}

/**
 * Defaults measured on the bundled loan books (3,118 and 1,665 training rows, wasm on 2 cores; see
 * packages/credit-risk/README.md). With CTGAN's own (256-wide nets, batch 500, one critic step at learning rate 2e-4)
 * the credit book's column shapes were 0.86-0.92 after 150 s; with these, 0.90 after 40 s before calibration. Smaller
 * nets and batches buy more steps per second, three critic steps per generator step give the generator a useful
 * gradient, and 1e-3 learns in hundreds of steps instead of thousands.
 */
const DEFAULTS = {
  noiseDim: 128,
  generatorDims: [128, 128],
  criticDims: [128, 128],
  pac: 10,
  batchSize: 200,
  nCritic: 3,
  gpWeight: 10,
  tau: 0.2,
  seed: 0,
};

const argsSchema = z.object({
  columns: z.array(z.object({ name: z.string(), kind: z.enum(['continuous', 'integer', 'categorical', 'boolean', 'datetime']) }).passthrough()).min(1),
  noiseDim: z.number().int().positive(),
  generatorDims: z.array(z.number().int().positive()),
  criticDims: z.array(z.number().int().positive()),
  pac: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  epochs: z.number().int().nonnegative().optional(),
  steps: z.number().int().nonnegative().optional(),
  nCritic: z.number().int().positive(),
  gpWeight: z.number().nonnegative(),
  tau: z.number().positive(),
  seed: z.number(),
  conditionColumns: z.array(z.string()).optional(),
  conditionOnMissing: z.boolean().optional(),
  rareBoost: z.number().min(0).max(1).optional(),
  calibrate: z.boolean().optional(),
  encoderFitRows: z.number().int().positive().optional(),
  sampleConditionColumn: z.string().optional(),
  generatorOptimizer: z.record(z.string(), z.number()).optional(),
  criticOptimizer: z.record(z.string(), z.number()).optional(),
  dp: tabularDpArgsSchema.optional(),
});

const stateSchema = z.object({
  args: argsSchema,
  encoder: z.unknown(),
  /** Per condition column: category frequencies in the training data (for sampling). */
  frequencies: z.array(z.array(z.number())),
  /** Per condition column and category: counts of the anchor's categories among those rows. */
  anchorCounts: z
    .array(z.array(z.array(z.number())))
    .nullable()
    .optional(),
  trainedSteps: z.number().int().nonnegative(),
  calibration: calibrationStateSchema.nullable().optional(),
});

type ResolvedArgs = typeof DEFAULTS & TabularSynthesizerArgs;

interface CondColumn {
  /** The table column. */
  name: string;
  /** true: the [present, missing] indicator of a non-categorical column; false: a categorical/boolean one-hot. */
  missingIndicator: boolean;
  /** The one-hot span in the encoded row. */
  span: OutputSpan;
  /** Where that one-hot starts among the discrete model columns (see SpanOrder). */
  discreteOffset: number;
  /** Offset of this column's one-hot inside the condition vector. */
  condOffset: number;
  width: number;
  /** Rows of the training data holding each category (empty after load). */
  rowsByCategory: Int32Array[];
  /** The category of every training row (empty after load). */
  codes: Int32Array;
  /** log(1 + freq), the training-by-sampling weights. */
  logFreq: number[];
  /** Training rows per category. */
  freq: number[];
  /** Per category: counts of the anchor's categories among those rows (null without an anchor). */
  anchorCounts: number[][] | null;
}

/** One condition a sampled row is generated for: category k of condition column j. */
interface Fixed {
  j: number;
  k: number;
}

export class TabularSynthesizer {
  readonly args: ResolvedArgs;
  private encoder: TableEncoder | null = null;
  private order: SpanOrder | null = null;
  private calibration: MarginalCalibration | null = null;
  private generator: tf.LayersModel | null = null;
  private critic: tf.LayersModel | null = null;
  private condColumns: CondColumn[] = [];
  private condDim = 0;
  /** Index of the anchor in condColumns, -1 without one. */
  private anchor = -1;
  private history: LossRecord[] = [];
  private trainedSteps = 0;
  private training: TrainingRecord | null = null;

  constructor(args: TabularSynthesizerArgs) {
    this.args = { ...DEFAULTS, ...args } as ResolvedArgs;
    if (this.args.dp) this.args.pac = 1;
    this.args.batchSize = Math.max(this.args.pac, Math.round(this.args.batchSize / this.args.pac) * this.args.pac);
  }

  private dp: DpRecord | null = null;
  private released: ReleasedColumn[] | null = null;

  /** A differentially private fit's guarantee (from fit or the loaded manifest); null otherwise. */
  get dpRecord(): DpRecord | null {
    return this.dp;
  }

  /** After a DP fit: the released (noisy) per-column histograms, for post-processing by a domain layer. */
  get releasedStatistics(): readonly ReleasedColumn[] | null {
    return this.released;
  }

  get isFitted(): boolean {
    return this.generator !== null;
  }

  get lossHistory(): readonly LossRecord[] {
    return this.history;
  }

  /**
   * SHA-256 (hex) of the generator's and critic's weights: an id of this trained model that the same fit reproduces
   * (unlike a random id, which would make equal fits write different files) and that says nothing about the data.
   */
  weightsDigest(): string {
    if (!this.generator || !this.critic) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    const h = createHash('sha256');
    for (const net of [this.generator, this.critic]) {
      for (const w of net.getWeights()) h.update(new Uint8Array((w.dataSync() as Float32Array).slice().buffer));
    }
    return h.digest('hex');
  }

  /** How the last fit went (steps, why it stopped, whether it is reproducible from the seed); null before a fit. */
  get trainingRecord(): TrainingRecord | null {
    return this.training;
  }

  get tableEncoder(): TableEncoder {
    if (!this.encoder) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    return this.encoder;
  }

  /** The condition columns in a fixed order derived from the layout (so save/load rebuild the same vector). */
  private buildConditions(layouts: ColumnLayout[], order: SpanOrder): void {
    const a = this.args;
    const wanted = a.conditionColumns;
    if (wanted) {
      for (const w of wanted) {
        if (!layouts.some((l) => l.name === w && l.conditionSpan)) throw new UsageError(`condition column '${w}' is not a categorical or boolean column`);
      }
    }
    const anchorName = a.sampleConditionColumn;
    if (anchorName !== undefined && !layouts.some((l) => l.name === anchorName && l.conditionSpan)) {
      throw new UsageError(`the anchor column '${anchorName}' (sampleConditionColumn) is not a categorical or boolean column`, { column: anchorName });
    }
    let off = 0;
    const cols: CondColumn[] = [];
    const add = (name: string, span: OutputSpan, missingIndicator: boolean) => {
      cols.push({
        name,
        missingIndicator,
        span,
        discreteOffset: order.offsetOf(span.offset) - order.continuous,
        condOffset: off,
        width: span.width,
        rowsByCategory: [],
        codes: new Int32Array(0),
        freq: new Array<number>(span.width).fill(0),
        logFreq: [],
        anchorCounts: null,
      });
      off += span.width;
    };
    for (const l of layouts) {
      if (l.conditionSpan && (!wanted || wanted.includes(l.name) || l.name === anchorName)) add(l.name, l.conditionSpan, false);
      if (l.missingSpan && a.conditionOnMissing !== false) add(l.name, l.missingSpan, true);
    }
    this.condColumns = cols;
    this.condDim = off;
    this.anchor = anchorName === undefined ? -1 : cols.findIndex((c) => c.name === anchorName && !c.missingIndicator);
  }

  /** Category of every training row for each condition column (argmax of its one-hot), rows per category, counts. */
  private indexTrainingRows(data: Float32Array, n: number, D: number): void {
    const codes = this.condColumns.map((c) => {
      const out = new Int32Array(n);
      const s = c.span;
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let k = 1; k < s.width; k++) if (data[r * D + s.offset + k] > data[r * D + s.offset + best]) best = k;
        out[r] = best;
      }
      return out;
    });
    this.condColumns.forEach((c, j) => {
      // Rows per category straight into typed arrays (counted, then filled in row order): no JS array of a million
      // numbers per column, which the old generation would keep as garbage into training.
      const code = codes[j];
      const freq = new Array<number>(c.width).fill(0);
      for (let r = 0; r < n; r++) freq[code[r]]++;
      const rows = freq.map((f) => new Int32Array(f));
      const fill = new Array<number>(c.width).fill(0);
      for (let r = 0; r < n; r++) rows[code[r]][fill[code[r]]++] = r;
      c.rowsByCategory = rows;
      c.freq = freq;
      c.logFreq = c.freq.map((f) => (f > 0 ? Math.log(f + 1) : 0));
      c.codes = code;
      if (this.anchor >= 0) {
        const anchorCodes = codes[this.anchor];
        c.anchorCounts = rows.map((rs) => {
          const counts = new Array<number>(this.condColumns[this.anchor].width).fill(0);
          for (const r of rs) counts[anchorCodes[r]]++;
          return counts;
        });
      }
    });
    this.anchorCodes = this.anchor >= 0 ? codes[this.anchor] : null;
    this.nTrain = n;
  }

  private nTrain = 0;

  private anchorCodes: Int32Array | null = null;

  private buildNetworks(width: number): void {
    const a = this.args;
    this.generator = residualMlp({ inputDim: a.noiseDim, condDim: this.condDim, hidden: a.generatorDims, outputDim: width, seed: a.seed, name: 'generator' });
    this.critic = mlp({
      inputDim: width * a.pac,
      condDim: this.condDim * a.pac,
      hidden: a.criticDims,
      outputDim: 1,
      activation: 'leakyRelu',
      seed: a.seed + 1000,
      name: 'critic',
    });
  }

  /**
   * Output activations (in model order): tanh on continuous columns, Gumbel-softmax on one-hots. In sampling, the
   * Gumbel noise makes the decoder's argmax a draw from the generator's categorical distribution (Gumbel-max).
   */
  private activate(raw: tf.Tensor, rng: Rng): tf.Tensor {
    const order = this.order!;
    const n = raw.shape[0];
    const disc = order.width - order.continuous;
    const u = rng.fillUniform(new Float32Array(n * disc));
    for (let i = 0; i < u.length; i++) u[i] = -Math.log(-Math.log(u[i] * (1 - 2e-7) + 1e-7));
    return order.activate(raw, tf.tensor2d(u, [n, disc]), this.args.tau);
  }

  /** The 0/1 matrix that moves each condition slot onto its one-hot column among the discrete model columns. */
  private conditionToOutput(): tf.Tensor2D {
    const order = this.order!;
    const disc = order.width - order.continuous;
    const P = new Float32Array(this.condDim * disc);
    for (const c of this.condColumns) for (let k = 0; k < c.width; k++) P[(c.condOffset + k) * disc + c.discreteOffset + k] = 1;
    return tf.tensor2d(P, [this.condDim, disc]);
  }

  /**
   * Training-by-sampling: each row picks a condition column uniformly and a category with log-frequency weights,
   * then a real row holding that category; the anchor's slot is set from that row. Returns the condition vectors
   * and the rows (the critic's real batch).
   */
  private sampleTrainingConditions(n: number, rng: Rng): { cond: Float32Array; rows: Int32Array } {
    const cond = new Float32Array(n * this.condDim);
    const rows = new Int32Array(n);
    const boost = this.args.rareBoost ?? 0.5;
    for (let i = 0; i < n; i++) {
      const j = rng.int(this.condColumns.length);
      const c = this.condColumns[j];
      let k: number;
      let r: number;
      if (rng.next() < boost) {
        k = rng.weightedIndex(c.logFreq);
        const members = c.rowsByCategory[k];
        r = members[rng.int(members.length)];
      } else {
        r = rng.int(this.nTrain);
        k = c.codes[r];
      }
      rows[i] = r;
      cond[i * this.condDim + c.condOffset + k] = 1;
      if (this.anchor >= 0 && j !== this.anchor) cond[i * this.condDim + this.condColumns[this.anchor].condOffset + this.anchorCodes![r]] = 1;
    }
    return { cond, rows };
  }

  /** The DP budget plan (fixed before training from the table's size and the options). */
  private planDp(n: number, steps: number): TabularDpPlan {
    const a = this.args;
    const kinds = a.columns.map((c) => c.kind);
    const anchored = a.sampleConditionColumn !== undefined;
    // Upper bound on the joint tables with the anchor: a categorical column gives one condition column, a boolean or
    // numeric one up to two (its one-hot and its missing indicator), minus the anchor itself.
    const condBound = kinds.reduce((s, k) => s + (k === 'categorical' ? 1 : k === 'boolean' ? 2 : 1), 0) - 1;
    return planTabularDp({
      dp: a.dp!,
      n,
      batchSize: a.batchSize,
      criticSteps: steps * a.nCritic,
      columns: a.columns.length,
      jointTables: anchored ? condBound : 0,
      categoricalColumns: a.columns.filter((c) => c.kind === 'categorical' && !a.dp!.publicCategories?.[c.name]).length,
    });
  }

  /** DP: condition frequencies from the released histograms, anchor counts released with Gaussian noise. */
  private useReleasedFrequencies(plan: TabularDpPlan, rng: Rng): void {
    const layouts = this.tableEncoder.layout;
    for (const c of this.condColumns) {
      const r = this.released!.find((x) => x.name === c.name)!;
      if (c.missingIndicator) {
        const present = r.categories ? r.categories.reduce((s, x) => s + x.count, 0) : r.bins!.reduce((s, b) => s + b.count, 0);
        c.freq = [present, r.missing];
      } else {
        const cats = layouts.find((l) => l.name === c.name)!.categories!;
        c.freq = cats.map((v) => r.categories!.find((x) => x.value === v || (x.value !== null && v !== null && String(x.value) === String(v)))?.count ?? 0);
      }
      c.logFreq = c.freq.map((f) => (f > 0 ? Math.log(f + 1) : 0));
    }
    if (this.anchor >= 0) {
      const anchor = this.condColumns[this.anchor];
      this.condColumns.forEach((c, j) => {
        if (j === this.anchor) c.anchorCounts = c.freq.map((f, k) => c.freq.map((_, kk) => (kk === k ? f : 0)));
        else c.anchorCounts = releaseJointCounts(c.codes, c.width, anchor.codes, anchor.width, plan.statsNoise, rng);
      });
    }
  }

  /**
   * The DP-SGD critic step (privacy/dp-sgd.ts): a Poisson sample of real rows, each with the condition of one of its
   * own categories (a condition column picked uniformly, plus the anchor), clipped per row; generated rows get
   * conditions drawn from the released frequencies.
   */
  private dpCriticStep(plan: TabularDpPlan, data: Float32Array, n: number): (opt: tf.Optimizer, rng: Rng) => { loss: number; penalty: number } {
    const a = this.args;
    const chain = denseChainOf(this.critic!);
    const D = this.order!.width;
    const C = this.condDim;
    const join = (x: tf.Tensor2D, cond: tf.Tensor2D | null) => (cond ? (tf.concat([x, cond], 1) as tf.Tensor2D) : x);
    return (optimizer, stepRng) =>
      dpCriticStep(
        {
          chain,
          optimizer,
          clipNorm: plan.clipNorm,
          noiseMultiplier: plan.noiseMultiplier,
          expectedBatch: plan.expectedBatch,
          gpWeight: a.gpWeight,
          rowWidth: D,
          realInput: (rng) => {
            const rows = poissonSample(n, plan.q, rng);
            const m = rows.length;
            if (m === 0) return null;
            const x = new Float32Array(m * D);
            const cond = new Float32Array(m * C);
            for (let i = 0; i < m; i++) {
              const r = rows[i];
              x.set(data.subarray(r * D, r * D + D), i * D);
              if (C === 0) continue;
              const j = rng.int(this.condColumns.length);
              const c = this.condColumns[j];
              cond[i * C + c.condOffset + c.codes[r]] = 1;
              if (this.anchor >= 0 && j !== this.anchor) cond[i * C + this.condColumns[this.anchor].condOffset + this.anchorCodes![r]] = 1;
            }
            return join(tf.tensor2d(x, [m, D]), C ? tf.tensor2d(cond, [m, C]) : null);
          },
          fakeInput: (rng) => {
            const B = a.batchSize;
            const noise = tf.tensor2d(rng.fillNormal(new Float32Array(B * a.noiseDim)), [B, a.noiseDim]);
            const cond = C ? tf.tensor2d(this.samplingConditions(B, rng, []), [B, C]) : undefined;
            const fake = this.activate(applyNet(this.generator!, noise, cond, true), rng) as tf.Tensor2D;
            return join(fake, cond ?? null);
          },
        },
        stepRng,
      );
  }

  /**
   * Train on a table (columns as declared in `args.columns`). The table is read only before training starts: from
   * the trainer's `start` event on (opts.onEvent) the caller may empty it, so that a large book's cells need not be
   * held through training.
   */
  async fit(table: Table, opts: TabularFitOptions = {}): Promise<TrainResult> {
    await ensureBackend();
    installFastTileGradient();
    const a = this.args;
    const n = rowCount(table);
    if (n < 2) throw new InvalidDataError(`need at least 2 rows to train, got ${n}`);
    const fitRng = new Rng(a.seed);
    const length = opts.epochs !== undefined || opts.steps !== undefined ? opts : a;
    const steps = resolveSteps({ epochs: length.epochs, steps: length.steps }, n, a.batchSize, TABULAR_DEFAULT_STEPS);
    const dpPlan = a.dp ? this.planDp(n, steps) : null;
    const dpRng = new Rng(a.seed + 104_729);
    this.released = dpPlan ? releaseHistograms(table, a.columns, dpPlan.statsNoise, dpPlan.categoryThreshold, dpRng, a.dp!.publicCategories) : null;
    const surrogate = this.released ? surrogateTable(this.released, a.columns, 2000) : null;
    this.encoder = TableEncoder.fit(surrogate ?? table, a.columns, { seed: a.seed, maxFitRows: a.encoderFitRows ?? ENCODER_FIT_ROWS });
    const enc = this.encoder;
    this.order = new SpanOrder(enc.spans);
    const withMissing = (c: string) => enc.layout.some((l) => l.name === c && l.missingSpan !== undefined);
    const encoded = enc.transform(this.released ? conformTable(table, this.released, withMissing) : table, fitRng.fork());
    const D = enc.width;
    this.buildConditions(enc.layout, this.order);
    this.indexTrainingRows(encoded, n, D);
    if (dpPlan) this.useReleasedFrequencies(dpPlan, dpRng);
    this.dp = dpPlan ? dpRecordOf(dpPlan) : null;
    // The one training matrix (n x D floats): the encoded rows, permuted into model order in place.
    const data = this.order.toModelInPlace(encoded, n);
    this.generator?.dispose();
    this.critic?.dispose();
    this.buildNetworks(D);
    return this.train(data, n, steps, opts, { seed: a.seed, dpPlan, surrogate, continued: false });
  }

  /**
   * Continue training the fitted networks on `table` (fine-tuning; e.g. on the rows of a rare class only, so that a
   * generator that learnt the shared structure from every row learns what sets those rows apart). The encoder and
   * the condition columns stay those of `fit`; the training-by-sampling frequencies (and those unconditioned
   * sampling draws from) become `table`'s, so after fine-tuning on one class the model samples that class. The
   * optimizers start afresh (Adam, `learningRate`, default that of the fit), from seed + 1; the calibration (if on)
   * is refitted to `table`. The steps are added to the model's training record. Not for a differentially private
   * model (the fine-tuning rows would fall outside its guarantee). Give `steps` or `epochs` (passes over `table`).
   */
  async fineTune(table: Table, opts: TabularFitOptions & { learningRate?: number } = {}): Promise<TrainResult> {
    if (!this.generator || !this.critic || !this.encoder || !this.order) throw new UsageError('the synthesizer is not fitted yet; call fit() or load() first');
    if (this.dp)
      throw new UsageError('a differentially private model cannot be fine-tuned: the new rows would fall outside its guarantee', { option: 'fineTune' });
    if (opts.epochs === undefined && opts.steps === undefined) throw new UsageError('fineTune needs `steps` or `epochs`', { option: 'steps' });
    if (opts.learningRate !== undefined && !(opts.learningRate > 0)) {
      throw new UsageError(`learningRate must be a positive number, got ${opts.learningRate}`, { option: 'learningRate' });
    }
    await ensureBackend();
    installFastTileGradient();
    const a = this.args;
    const n = rowCount(table);
    if (n < 2) throw new InvalidDataError(`need at least 2 rows to fine-tune, got ${n}`);
    const steps = resolveSteps({ epochs: opts.epochs, steps: opts.steps }, n, a.batchSize, 0);
    const encoded = this.encoder.transform(table, new Rng(a.seed + 1).fork());
    this.indexTrainingRows(encoded, n, this.encoder.width);
    const data = this.order.toModelInPlace(encoded, n);
    const optimizer = opts.learningRate === undefined ? undefined : { learningRate: opts.learningRate, beta1: 0.5, beta2: 0.9 };
    return this.train(data, n, steps, opts, { seed: a.seed + 1, dpPlan: null, surrogate: null, continued: true, optimizer });
  }

  /**
   * The adversarial training run of `fit` and `fineTune` on `data` (n rows in model order, indexed by
   * indexTrainingRows), then the calibration. A continued run adds its steps and losses to the model's record.
   */
  private async train(
    data: Float32Array,
    n: number,
    steps: number,
    opts: TabularFitOptions,
    how: { seed: number; dpPlan: TabularDpPlan | null; surrogate: Table | null; continued: boolean; optimizer?: AdamArgs },
  ): Promise<TrainResult> {
    const a = this.args;
    const { dpPlan, surrogate } = how;
    const enc = this.tableEncoder;
    const order = this.order!;
    const generator = this.generator!;
    const critic = this.critic!;
    const C = this.condDim;
    const D = enc.width;
    const toOutput = C > 0 ? this.conditionToOutput() : null;

    const realRows = (size: number, rng: Rng) => {
      const x = new Float32Array(size * D);
      if (C === 0) {
        for (let i = 0; i < size; i++) {
          const r = rng.int(n);
          x.set(data.subarray(r * D, r * D + D), i * D);
        }
        return { real: tf.tensor2d(x, [size, D]) };
      }
      const s = this.sampleTrainingConditions(size, rng);
      for (let i = 0; i < size; i++) x.set(data.subarray(s.rows[i] * D, s.rows[i] * D + D), i * D);
      return { real: tf.tensor2d(x, [size, D]), cond: tf.tensor2d(s.cond, [size, C]) };
    };
    const trainer = new AdversarialTrainer(
      {
        generator,
        critic,
        realBatch: realRows,
        noiseBatch: (size, rng, cond) => {
          const noise = tf.tensor2d(rng.fillNormal(new Float32Array(size * a.noiseDim)), [size, a.noiseDim]);
          if (C === 0) return { noise };
          if (cond) return { noise, cond };
          // Under DP the generator's conditions come from the released frequencies, never from real rows.
          return { noise, cond: tf.tensor2d(dpPlan ? this.samplingConditions(size, rng, []) : this.sampleTrainingConditions(size, rng).cond, [size, C]) };
        },
        activate: (raw, rng) => this.activate(raw, rng),
        generatorPenalty:
          C === 0
            ? undefined
            : (raw, cond) => {
                // Cross-entropy between the generated one-hots and the asked-for categories. The condition vector,
                // moved onto the output columns, is itself the target (zeros where nothing was asked for).
                const target = tf.matMul(cond!, toOutput!);
                return tf.div(tf.neg(tf.sum(tf.mul(target, this.order!.discreteLogSoftmax(raw)))), raw.shape[0]) as tf.Scalar;
              },
      },
      {
        loss: 'wgan-gp',
        batchSize: a.batchSize,
        steps,
        nCritic: a.nCritic,
        gpWeight: a.gpWeight,
        pac: a.pac,
        generatorOptimizer: how.optimizer ?? a.generatorOptimizer ?? { learningRate: 1e-3, beta1: 0.5, beta2: 0.9 },
        criticOptimizer: how.optimizer ?? a.criticOptimizer ?? { learningRate: 1e-3, beta1: 0.5, beta2: 0.9 },
        seed: how.seed,
        ...runControls(opts),
        criticStep: dpPlan ? this.dpCriticStep(dpPlan, data, n) : undefined,
      },
    );
    try {
      const res = await trainer.fit();
      const before = how.continued ? this.trainedSteps : 0;
      const record = trainingRecordOf(res);
      const prev = how.continued ? this.training : null;
      this.history = [...(how.continued ? this.history : []), ...res.history.map((h) => ({ ...h, step: h.step + before }))];
      this.trainedSteps = before + res.steps;
      this.training = prev
        ? {
            steps: prev.steps + record.steps,
            plannedSteps: prev.plannedSteps + record.plannedSteps,
            stoppedBy: record.stoppedBy,
            reproducible: prev.reproducible && record.reproducible,
          }
        : record;
      this.calibration = null;
      if (a.calibrate !== false) {
        const calRng = new Rng(a.seed + 7919);
        const anchorAt = this.anchor >= 0 ? order.continuous + this.condColumns[this.anchor].discreteOffset : -1;
        // Under DP the marginals to calibrate to are the released histograms (the surrogate), never the rows.
        const nCal = surrogate ? rowCount(surrogate) : n;
        this.calibration = MarginalCalibration.fit({
          real: surrogate ? order.toModel(enc.transform(surrogate, new Rng(a.seed + 31)), nCal) : data,
          n: nCal,
          order,
          layouts: enc.layout,
          generate: (size, bias) => this.generateModelRows(size, calRng, [], bias),
          skip: (m) => m === anchorAt,
        });
      }
      return res;
    } finally {
      trainer.dispose();
      toOutput?.dispose();
      // The row indexes serve training only (sampling uses the frequencies): a large book's are not kept.
      for (const c of this.condColumns) {
        c.rowsByCategory = [];
        c.codes = new Int32Array(0);
      }
      this.anchorCodes = null;
    }
  }

  /** The condition column and category an equality condition steers, or null (numeric columns, ranges). */
  private conditionIndex(c: Condition): Fixed | null {
    if (c.op !== '==') return null;
    const j = this.condColumns.findIndex((cc) => cc.name === c.column && !cc.missingIndicator);
    if (j < 0) return null;
    const cats = this.tableEncoder.layout.find((l) => l.name === c.column)!.categories ?? [];
    const k = cats.findIndex((v) => v === c.value || String(v) === String(c.value));
    if (k < 0) {
      throw new UsageError(
        `column '${c.column}' has no category '${String(c.value)}' (known: ${cats.slice(0, 10).map(String).join(', ')}${cats.length > 10 ? ', ...' : ''})`,
        { option: 'conditions' },
      );
    }
    return { j, k };
  }

  /** Convert a condition's value to its column's type and check the column exists. */
  private normaliseCondition(c: Condition): Condition {
    const layout = this.tableEncoder.layout.find((l) => l.name === c.column);
    if (!layout) throw new UsageError(`unknown column '${c.column}' in condition ${describeCondition(c)}`, { option: 'conditions' });
    const numeric = layout.kind === 'continuous' || layout.kind === 'integer';
    if (numeric) {
      const v = typeof c.value === 'number' ? c.value : Number(c.value);
      if (!Number.isFinite(v)) throw new UsageError(`column '${c.column}' is numeric; '${String(c.value)}' is not a number`, { option: 'conditions' });
      return { ...c, value: v };
    }
    if (c.op !== '==') throw new UsageError(`column '${c.column}' is ${layout.kind}; only '=' conditions apply to it`, { option: 'conditions' });
    if (layout.kind === 'boolean' && typeof c.value === 'string') {
      const s = c.value.toLowerCase();
      if (s === 'true' || s === 'false') return { ...c, value: s === 'true' };
    }
    // '1' from the command line names the category 1 of a column with numeric categories.
    const cats = layout.categories ?? [];
    if (!cats.some((v) => v === c.value)) {
      const hit = cats.find((v) => v !== null && String(v) === String(c.value));
      if (hit !== undefined) return { ...c, value: hit };
    }
    return c;
  }

  /**
   * The condition vectors for n sampled rows. Without conditions each row gets what training showed: a condition
   * column picked uniformly, a category drawn with its real frequency and, with an anchor, the anchor's category
   * drawn from its real frequencies among rows with that category; so the rows follow the real joint of those two
   * columns and every vector is one the generator was trained on. Fixed conditions are set on every row (the
   * anchor, if not fixed, is drawn among rows with the first of them).
   */
  private samplingConditions(n: number, rng: Rng, fixed: Fixed[]): Float32Array {
    const C = this.condDim;
    const cond = new Float32Array(n * C);
    if (C === 0) return cond;
    const anchor = this.anchor >= 0 ? this.condColumns[this.anchor] : null;
    const anchorFixed = fixed.some((f) => f.j === this.anchor);
    for (let i = 0; i < n; i++) {
      let first: Fixed | undefined = fixed[0];
      for (const f of fixed) cond[i * C + this.condColumns[f.j].condOffset + f.k] = 1;
      if (!first) {
        const j = rng.int(this.condColumns.length);
        first = { j, k: rng.weightedIndex(this.condColumns[j].freq) };
        cond[i * C + this.condColumns[j].condOffset + first.k] = 1;
      }
      if (anchor && !anchorFixed && first.j !== this.anchor) {
        const w = this.condColumns[first.j].anchorCounts?.[first.k];
        cond[i * C + anchor.condOffset + rng.weightedIndex(w && w.some((x) => x > 0) ? w : anchor.freq)] = 1;
      }
    }
    return cond;
  }

  /**
   * n activated rows in model order for the given conditions, with `bias` added to the raw output. With an anchor,
   * the anchor's one-hot is set to the category in the condition: the row was generated for that category.
   */
  private generateModelRows(n: number, rng: Rng, fixed: Fixed[], bias: Float32Array | null): Float32Array {
    return this.generateWithConditions(n, rng, fixed, bias).out;
  }

  /** generateModelRows, also returning the condition vectors the rows were generated for. */
  private generateWithConditions(n: number, rng: Rng, fixed: Fixed[], bias: Float32Array | null): { out: Float32Array; cond: Float32Array } {
    const a = this.args;
    const C = this.condDim;
    const D = this.order!.width;
    const cond = this.samplingConditions(n, rng, fixed);
    const noise = rng.fillNormal(new Float32Array(n * a.noiseDim));
    // Return the tensor, not its data: tf.tidy walks every element of a returned typed array.
    const t = tf.tidy(() => {
      let raw = applyNet(this.generator!, tf.tensor2d(noise, [n, a.noiseDim]), C ? tf.tensor2d(cond, [n, C]) : undefined);
      if (bias) raw = tf.add(raw, tf.tensor2d(bias, [1, D]));
      return this.activate(raw, rng);
    });
    const out = t.dataSync() as Float32Array;
    t.dispose();
    if (this.anchor >= 0) {
      const c = this.condColumns[this.anchor];
      const at = this.order!.continuous + c.discreteOffset;
      for (let i = 0; i < n; i++) for (let k = 0; k < c.width; k++) out[i * D + at + k] = cond[i * C + c.condOffset + k];
    }
    return { out, cond };
  }

  /** Generate n rows, calibrated and decoded. */
  private generateBatch(n: number, rng: Rng, fixed: Fixed[]): Table {
    const out = this.generateModelRows(n, rng, fixed, this.calibration?.bias ?? null);
    this.calibration?.mapValues(out, n, this.order!.width);
    return this.tableEncoder.inverse(this.order!.fromModel(out, n), n);
  }

  /**
   * n candidate rows, decoded, from `rng` alone: the generator steered by the equality conditions among
   * `conditions`, nothing filtered (the caller keeps the rows that meet its conditions and rules). The building block
   * of streaming and sharded sampling (synth/blocks.ts), where each fixed-size batch has its own Rng.
   */
  candidates(n: number, rng: Rng, conditions: readonly Condition[] = []): Table {
    if (!this.generator) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    const fixed = conditions.map((c) => this.conditionIndex(this.normaliseCondition(c))).filter((x): x is Fixed => x !== null);
    return this.generateBatch(n, rng, fixed);
  }

  /**
   * Like `candidates`, with the critic's score of each row (higher: more like the real rows of its condition, as the
   * critic judged at the end of training). The critic judges packs of `pac` rows; a single row is scored as a pack
   * of `pac` copies of itself, so the score says how real the row looks, not how varied a set is. A filter, not a
   * probability: WGAN critic scores have no fixed scale.
   */
  scoredCandidates(n: number, rng: Rng, conditions: readonly Condition[] = []): { rows: Table; scores: Float32Array } {
    if (!this.generator || !this.critic) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    const fixed = conditions.map((c) => this.conditionIndex(this.normaliseCondition(c))).filter((x): x is Fixed => x !== null);
    const D = this.order!.width;
    const C = this.condDim;
    const pac = this.args.pac;
    const { out, cond } = this.generateWithConditions(n, rng, fixed, this.calibration?.bias ?? null);
    const scores = new Float32Array(n);
    const chunk = 4096;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const t = tf.tidy(() => {
        const x = tf.tile(tf.tensor2d(out.subarray(i * D, (i + m) * D), [m, D]), [1, pac]);
        const c = C ? tf.tile(tf.tensor2d(cond.subarray(i * C, (i + m) * C), [m, C]), [1, pac]) : undefined;
        return applyNet(this.critic!, x, c);
      });
      scores.set(t.dataSync() as Float32Array, i);
      t.dispose();
    }
    this.calibration?.mapValues(out, n, D);
    return { rows: this.tableEncoder.inverse(this.order!.fromModel(out, n), n), scores };
  }

  /** Conditions as `sample` compares them with decoded rows ('1' names the numeric category 1, 'true' a boolean). */
  normaliseConditions(conditions: readonly Condition[]): Condition[] {
    return conditions.map((c) => this.normaliseCondition(c));
  }

  /**
   * Draw n synthetic rows. Equality conditions on categorical/boolean columns steer the generator; every condition
   * (numeric ranges too) is then enforced by generating more and keeping matching rows. Same seed, same rows.
   */
  sample(n: number, opts: TabularSampleOptions = {}): Table {
    if (!this.generator) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`the number of rows must be a positive integer, got ${n}`, { option: 'rows' });
    const rng = new Rng(opts.seed ?? 0);
    const conds = (opts.conditions ?? []).map((c) => this.normaliseCondition(c));
    const fixed = conds.map((c) => this.conditionIndex(c)).filter((x): x is Fixed => x !== null);
    const batch = Math.min(Math.max(n, 256), 8192);
    const maxCandidates = (opts.maxTriesPerRow ?? 50) * n;
    const names = this.tableEncoder.layout.map((l) => l.name);
    const out: Table = Object.fromEntries(names.map((c) => [c, [] as Cell[]]));
    let got = 0;
    let generated = 0;
    while (got < n) {
      if (generated >= maxCandidates) {
        throw new UsageError(
          `condition ${conds.map(describeCondition).join(' and ')} matched only ${got} of ${generated} generated rows; it is too rare to sample ${n} rows`,
          { option: 'conditions' },
        );
      }
      const t = this.generateBatch(batch, rng, fixed);
      generated += batch;
      for (let i = 0; i < batch && got < n; i++) {
        if (conds.every((c) => matches(t[c.column][i], c))) {
          for (const c of names) out[c].push(t[c][i]);
          got++;
        }
      }
    }
    return out;
  }

  /** Write a model directory (see io/model-dir.ts); `owner` names the package that owns the model. */
  async save(dir: string, owner: { package: string; packageVersion: string; kind?: string; extra?: unknown }): Promise<void> {
    if (!this.generator || !this.critic) throw new UsageError('the synthesizer is not fitted yet; nothing to save');
    const state = {
      args: this.args,
      encoder: this.tableEncoder.toJSON(),
      frequencies: this.condColumns.map((c) => c.freq),
      anchorCounts: this.anchor >= 0 ? this.condColumns.map((c) => c.anchorCounts ?? []) : null,
      trainedSteps: this.trainedSteps,
      calibration: this.calibration?.toJSON() ?? null,
      extra: owner.extra ?? null,
    };
    await saveModelDir(dir, {
      package: owner.package,
      packageVersion: owner.packageVersion,
      kind: owner.kind ?? 'tabular-synthesizer',
      networks: { generator: this.generator, critic: this.critic },
      state,
      seed: this.args.seed,
      trainingConfig: { ...this.args, columns: this.args.columns.map((c) => `${c.name}:${c.kind}`) },
      training: this.training ?? { steps: this.trainedSteps, plannedSteps: this.trainedSteps, stoppedBy: 'unknown', reproducible: false },
      lossHistory: this.history,
      privacy: this.dp ?? undefined,
    });
  }

  /** Load a model directory written by `save` for the given owner package. */
  static async load(dir: string, owner: { package: string; kind?: string }): Promise<{ model: TabularSynthesizer; manifest: ModelManifest; extra: unknown }> {
    await ensureBackend();
    const loaded = await loadModelDir(dir, { package: owner.package, kind: owner.kind ?? 'tabular-synthesizer' });
    const parsed = stateSchema.extend({ extra: z.unknown() }).safeParse(loaded.state);
    const bad = (why: string) => new ModelFormatError(`${dir}: state.json is not a tabular synthesizer state (${why})`, { file: dir });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw bad(`${i.path.join('.')}: ${i.message}`);
    }
    const st = parsed.data;
    let m: TabularSynthesizer;
    try {
      m = new TabularSynthesizer(st.args as TabularSynthesizerArgs);
      m.encoder = TableEncoder.fromJSON(st.encoder);
      m.order = new SpanOrder(m.encoder.spans);
      m.buildConditions(m.encoder.layout, m.order);
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (st.frequencies.length !== m.condColumns.length || st.frequencies.some((f, i) => f.length !== m.condColumns[i].width)) {
      throw bad("frequencies do not match the encoder's condition columns");
    }
    m.condColumns.forEach((c, i) => (c.freq = st.frequencies[i]));
    if (m.anchor >= 0) {
      const ac = st.anchorCounts;
      const aw = m.condColumns[m.anchor].width;
      if (!ac || ac.length !== m.condColumns.length || ac.some((per, i) => per.length !== m.condColumns[i].width || per.some((w) => w.length !== aw))) {
        throw bad("anchor counts do not match the encoder's condition columns");
      }
      m.condColumns.forEach((c, i) => (c.anchorCounts = ac[i]));
    }
    m.generator = loaded.networks.generator;
    m.critic = loaded.networks.critic;
    if (!m.generator || !m.critic) throw new ModelFormatError(`${dir}: model.json lacks the generator or critic network`, { file: dir });
    m.history = loaded.manifest.lossHistory;
    m.trainedSteps = st.trainedSteps;
    m.training = loaded.manifest.training ?? null;
    m.dp = loaded.manifest.privacy ?? null;
    if (st.calibration) {
      const w = m.order!.width;
      if (st.calibration.bias.length !== w || st.calibration.continuous.some((c) => c.column >= w || c.missing >= w || c.from.length !== c.to.length)) {
        throw bad("the calibration does not match the encoder's layout");
      }
      m.calibration = MarginalCalibration.fromJSON(st.calibration);
    }
    return { model: m, manifest: loaded.manifest, extra: st.extra };
  }

  dispose(): void {
    this.generator?.dispose();
    this.critic?.dispose();
    this.generator = this.critic = null;
  }
}
