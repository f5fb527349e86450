/**
 * A conditional GAN for mixed-type tables, after the CTGAN paper (Xu et al. 2019), written from the paper:
 * - columns encoded by TableEncoder (mode-specific normalisation for numbers, one-hot for categories, missing
 *   indicators);
 * - a condition vector over the discrete columns with training-by-sampling: each row of a batch picks a discrete
 *   column uniformly and a category with log-frequency weights, and the real rows are drawn to match, so rare
 *   categories (and the bad class) are learned rather than averaged away;
 * - a residual-MLP generator with tanh (numbers) and Gumbel-softmax (one-hots) outputs plus a cross-entropy term
 *   that makes it honour the condition; a WGAN-GP critic with PacGAN packing.
 * Differences from CTGAN: layer norm instead of batch norm (sampling equals training), and `sampleConditionColumn`
 * conditions every sampled row on one column (e.g. the target) drawn from its real frequencies, so the joint of that
 * column with the rest is learned as P(rest | column) — the relation a downstream model needs.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ensureBackend } from '../backend/backend.js';
import { rowCount, type Cell, type Table } from '../data/table.js';
import { InvalidDataError, ModelFormatError, UsageError } from '../errors.js';
import { TableEncoder, type ColumnLayout, type ColumnSpec } from '../encoders/index.js';
import { loadModelDir, saveModelDir, type ModelManifest } from '../io/model-dir.js';
import { applyNet } from '../nn/common.js';
import { mlp } from '../nn/mlp.js';
import { residualMlp } from '../nn/residual.js';
import { Rng } from '../random/rng.js';
import { AdversarialTrainer, type AdamArgs, type EarlyStoppingArgs, type LossRecord, type TrainerEvent, type TrainResult } from '../training/trainer.js';
import { describeCondition, matches, type Condition } from './conditions.js';

export interface TabularSynthesizerArgs {
  columns: ColumnSpec[];
  /** Noise width (default 128). */
  noiseDim?: number;
  generatorDims?: number[];
  criticDims?: number[];
  /** PacGAN degree (default 10); batchSize is rounded to a multiple. */
  pac?: number;
  batchSize?: number;
  epochs?: number;
  nCritic?: number;
  gpWeight?: number;
  generatorOptimizer?: AdamArgs;
  criticOptimizer?: AdamArgs;
  /** Gumbel-softmax temperature (default 0.2). */
  tau?: number;
  /** Discrete columns in the condition vector (default: all categorical/boolean columns). */
  conditionColumns?: string[];
  /** When sampling without conditions, condition each row on this column drawn from its real frequencies. */
  sampleConditionColumn?: string;
  seed?: number;
}

export interface TabularFitOptions {
  epochs?: number;
  timeBudgetSeconds?: number;
  checkpoint?: { dir: string; every: number };
  resume?: boolean;
  earlyStopping?: EarlyStoppingArgs;
  onEvent?: (e: TrainerEvent) => void;
}

export interface TabularSampleOptions {
  seed?: number;
  conditions?: Condition[];
  /** Give up on range conditions after generating this many candidates per requested row (default 50). */
  maxTriesPerRow?: number;
}

const DEFAULTS = {
  noiseDim: 128,
  generatorDims: [256, 256],
  criticDims: [256, 256],
  pac: 10,
  batchSize: 500,
  epochs: 300,
  nCritic: 1,
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
  epochs: z.number().int().nonnegative(),
  nCritic: z.number().int().positive(),
  gpWeight: z.number().nonnegative(),
  tau: z.number().positive(),
  seed: z.number(),
  conditionColumns: z.array(z.string()).optional(),
  sampleConditionColumn: z.string().optional(),
  generatorOptimizer: z.record(z.string(), z.number()).optional(),
  criticOptimizer: z.record(z.string(), z.number()).optional(),
});

const stateSchema = z.object({
  args: argsSchema,
  encoder: z.unknown(),
  /** Per condition column: category frequencies in the training data (for sampling). */
  frequencies: z.array(z.array(z.number())),
  trainedSteps: z.number().int().nonnegative(),
});

type ResolvedArgs = typeof DEFAULTS & TabularSynthesizerArgs;

interface CondColumn {
  layout: ColumnLayout;
  /** Offset of this column's one-hot inside the condition vector. */
  condOffset: number;
  width: number;
  /** Rows of the training data holding each category. */
  rowsByCategory: Int32Array[];
  freq: number[];
}

export class TabularSynthesizer {
  readonly args: ResolvedArgs;
  private encoder: TableEncoder | null = null;
  private generator: tf.LayersModel | null = null;
  private critic: tf.LayersModel | null = null;
  private condColumns: CondColumn[] = [];
  private condDim = 0;
  private history: LossRecord[] = [];
  private trainedSteps = 0;

  constructor(args: TabularSynthesizerArgs) {
    this.args = { ...DEFAULTS, ...args } as ResolvedArgs;
    this.args.batchSize = Math.max(this.args.pac, Math.round(this.args.batchSize / this.args.pac) * this.args.pac);
  }

  get isFitted(): boolean {
    return this.generator !== null;
  }

  get lossHistory(): readonly LossRecord[] {
    return this.history;
  }

  get tableEncoder(): TableEncoder {
    if (!this.encoder) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    return this.encoder;
  }

  private buildConditions(layouts: ColumnLayout[], codes?: Int32Array[]): void {
    const wanted = this.args.conditionColumns;
    const discrete = layouts.filter((l) => l.conditionSpan && (!wanted || wanted.includes(l.name)));
    if (wanted) {
      for (const w of wanted) if (!discrete.some((d) => d.name === w)) throw new UsageError(`condition column '${w}' is not a categorical or boolean column`);
    }
    let off = 0;
    this.condColumns = discrete.map((layout, i) => {
      const width = layout.conditionSpan!.width;
      const rows: number[][] = Array.from({ length: width }, () => []);
      if (codes) codes[i].forEach((k, r) => rows[k].push(r));
      const c: CondColumn = { layout, condOffset: off, width, rowsByCategory: rows.map((r) => Int32Array.from(r)), freq: rows.map((r) => r.length) };
      off += width;
      return c;
    });
    this.condDim = off;
  }

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

  /** Output activations: tanh on continuous spans, Gumbel-softmax (or plain softmax) on one-hot spans. */
  private activate(raw: tf.Tensor, rng: Rng | null): tf.Tensor {
    const enc = this.tableEncoder;
    const n = raw.shape[0];
    const parts = enc.spans.map((s) => {
      const x = tf.slice(raw, [0, s.offset], [n, s.width]);
      if (s.kind === 'continuous') return tf.tanh(x);
      if (!rng) return tf.softmax(x);
      const u = rng.fillUniform(new Float32Array(n * s.width));
      for (let i = 0; i < u.length; i++) u[i] = -Math.log(-Math.log(u[i] * (1 - 2e-7) + 1e-7));
      return tf.softmax(tf.div(tf.add(x, tf.tensor2d(u, [n, s.width])), this.args.tau));
    });
    return tf.concat(parts, 1);
  }

  /** Condition vectors for a batch by training-by-sampling; returns the chosen (column, category) per row. */
  private sampleTrainingConditions(n: number, rng: Rng): { cond: Float32Array; col: Int32Array; cat: Int32Array } {
    const cond = new Float32Array(n * this.condDim);
    const col = new Int32Array(n);
    const cat = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = rng.int(this.condColumns.length);
      const c = this.condColumns[j];
      const k = rng.weightedIndex(c.freq.map((f) => (f > 0 ? Math.log(f + 1) : 0)));
      col[i] = j;
      cat[i] = k;
      cond[i * this.condDim + c.condOffset + k] = 1;
    }
    return { cond, col, cat };
  }

  /** Train on a table (columns as declared in `args.columns`). */
  async fit(table: Table, opts: TabularFitOptions = {}): Promise<TrainResult> {
    await ensureBackend();
    const a = this.args;
    const n = rowCount(table);
    if (n < 2) throw new InvalidDataError(`need at least 2 rows to train, got ${n}`);
    const fitRng = new Rng(a.seed);
    this.encoder = TableEncoder.fit(table, a.columns, { seed: a.seed });
    const enc = this.encoder;
    const data = enc.transform(table, fitRng.fork());
    const D = enc.width;
    // Category code of every row for each condition column (argmax of its one-hot in the encoded data).
    const discrete = enc.layout.filter((l) => l.conditionSpan && (!a.conditionColumns || a.conditionColumns.includes(l.name)));
    const codes = discrete.map((l) => {
      const s = l.conditionSpan!;
      const out = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let k = 1; k < s.width; k++) if (data[r * D + s.offset + k] > data[r * D + s.offset + best]) best = k;
        out[r] = best;
      }
      return out;
    });
    this.buildConditions(enc.layout, codes);
    this.generator?.dispose();
    this.critic?.dispose();
    this.buildNetworks(D);
    const generator = this.generator!;
    const critic = this.critic!;
    const C = this.condDim;
    const epochs = opts.epochs ?? a.epochs;
    const stepsPerEpoch = Math.max(1, Math.ceil(n / a.batchSize));
    let pending: { cond: Float32Array; col: Int32Array; cat: Int32Array } | null = null;

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
      for (let i = 0; i < size; i++) {
        const rows = this.condColumns[s.col[i]].rowsByCategory[s.cat[i]];
        const r = rows[rng.int(rows.length)];
        x.set(data.subarray(r * D, r * D + D), i * D);
      }
      pending = s;
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
          const s = this.sampleTrainingConditions(size, rng);
          pending = s;
          return { noise, cond: tf.tensor2d(s.cond, [size, C]) };
        },
        activate: (raw, rng) => this.activate(raw, rng),
        generatorPenalty:
          C === 0
            ? undefined
            : (raw) => {
                // Cross-entropy between the generated one-hot of the chosen column and the asked-for category.
                const s = pending!;
                const size = raw.shape[0];
                const terms = this.condColumns.map((c, j) => {
                  const span = c.layout.conditionSpan!;
                  const mask = new Float32Array(size);
                  const target = new Float32Array(size * c.width);
                  for (let i = 0; i < size; i++) {
                    if (s.col[i] === j) {
                      mask[i] = 1;
                      target[i * c.width + s.cat[i]] = 1;
                    }
                  }
                  const logits = tf.slice(raw, [0, span.offset], [size, span.width]);
                  const ce = tf.neg(tf.sum(tf.mul(tf.tensor2d(target, [size, c.width]), tf.logSoftmax(logits)), 1));
                  return tf.sum(tf.mul(ce, tf.tensor1d(mask)));
                });
                return tf.div(tf.addN(terms), size) as tf.Scalar;
              },
      },
      {
        loss: 'wgan-gp',
        batchSize: a.batchSize,
        steps: epochs * stepsPerEpoch,
        nCritic: a.nCritic,
        gpWeight: a.gpWeight,
        pac: a.pac,
        generatorOptimizer: a.generatorOptimizer ?? { learningRate: 2e-4, beta1: 0.5, beta2: 0.9 },
        criticOptimizer: a.criticOptimizer ?? { learningRate: 2e-4, beta1: 0.5, beta2: 0.9 },
        seed: a.seed,
        checkpoint: opts.checkpoint,
        resume: opts.resume,
        earlyStopping: opts.earlyStopping,
        timeBudgetSeconds: opts.timeBudgetSeconds,
        onEvent: opts.onEvent,
      },
    );
    try {
      const res = await trainer.fit();
      this.history = res.history;
      this.trainedSteps = res.steps;
      return res;
    } finally {
      trainer.dispose();
    }
  }

  private conditionIndex(c: Condition): { j: number; k: number } | null {
    if (c.op !== '==') return null;
    const j = this.condColumns.findIndex((cc) => cc.layout.name === c.column);
    if (j < 0) return null;
    const cats = this.condColumns[j].layout.categories ?? [];
    const k = cats.findIndex((v) => v === c.value || String(v) === String(c.value));
    if (k < 0) {
      throw new UsageError(`column '${c.column}' has no category '${String(c.value)}' (known: ${cats.slice(0, 10).map(String).join(', ')}${cats.length > 10 ? ', ...' : ''})`, { flag: '--condition' });
    }
    return { j, k };
  }

  /** Convert a condition's value to its column's type and check the column exists. */
  private normaliseCondition(c: Condition): Condition {
    const layout = this.tableEncoder.layout.find((l) => l.name === c.column);
    if (!layout) throw new UsageError(`unknown column '${c.column}' in condition ${describeCondition(c)}`, { flag: '--condition' });
    const numeric = layout.kind === 'continuous' || layout.kind === 'integer';
    if (numeric) {
      const v = typeof c.value === 'number' ? c.value : Number(c.value);
      if (!Number.isFinite(v)) throw new UsageError(`column '${c.column}' is numeric; '${String(c.value)}' is not a number`, { flag: '--condition' });
      return { ...c, value: v };
    }
    if (c.op !== '==') throw new UsageError(`column '${c.column}' is ${layout.kind}; only '=' conditions apply to it`, { flag: '--condition' });
    if (layout.kind === 'boolean' && typeof c.value === 'string') {
      const s = c.value.toLowerCase();
      if (s === 'true' || s === 'false') return { ...c, value: s === 'true' };
    }
    return c;
  }

  /** Generate n rows (raw generator output decoded by the encoder). */
  private generateBatch(n: number, rng: Rng, fixed: { j: number; k: number }[]): Table {
    const a = this.args;
    const C = this.condDim;
    const cond = new Float32Array(n * C);
    if (C > 0) {
      const sampleCol = a.sampleConditionColumn ? this.condColumns.findIndex((c) => c.layout.name === a.sampleConditionColumn) : -1;
      for (let i = 0; i < n; i++) {
        if (fixed.length) {
          // With several fixed conditions the generator is steered by one (cycled); the rest are enforced by rejection.
          const f = fixed[i % fixed.length];
          cond[i * C + this.condColumns[f.j].condOffset + f.k] = 1;
        } else {
          const j = sampleCol >= 0 ? sampleCol : rng.weightedIndex(this.condColumns.map(() => 1));
          const c = this.condColumns[j];
          cond[i * C + c.condOffset + rng.weightedIndex(c.freq)] = 1;
        }
      }
    }
    const noise = rng.fillNormal(new Float32Array(n * a.noiseDim));
    const out = tf.tidy(() => {
      const raw = applyNet(this.generator!, tf.tensor2d(noise, [n, a.noiseDim]), C ? tf.tensor2d(cond, [n, C]) : undefined);
      return this.activate(raw, rng).dataSync() as Float32Array;
    });
    return this.tableEncoder.inverse(out, n);
  }

  /**
   * Draw n synthetic rows. Equality conditions on categorical/boolean columns steer the generator; other conditions
   * (numeric ranges, several at once) are met by generating more and keeping matching rows. Same seed, same rows.
   */
  sample(n: number, opts: TabularSampleOptions = {}): Table {
    if (!this.generator) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`the number of rows must be a positive integer, got ${n}`, { flag: '--rows' });
    const rng = new Rng(opts.seed ?? 0);
    const conds = (opts.conditions ?? []).map((c) => this.normaliseCondition(c));
    const fixed = conds.map((c) => this.conditionIndex(c)).filter((x): x is { j: number; k: number } => x !== null);
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
          { flag: '--condition' },
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
      trainedSteps: this.trainedSteps,
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
      lossHistory: this.history,
    });
  }

  /** Load a model directory written by `save` for the given owner package. */
  static async load(dir: string, owner: { package: string; kind?: string }): Promise<{ model: TabularSynthesizer; manifest: ModelManifest; extra: unknown }> {
    await ensureBackend();
    const loaded = await loadModelDir(dir, { package: owner.package, kind: owner.kind ?? 'tabular-synthesizer' });
    const parsed = stateSchema.extend({ extra: z.unknown() }).safeParse(loaded.state);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new ModelFormatError(`${dir}: state.json is not a tabular synthesizer state (${i.path.join('.')}: ${i.message})`, { file: dir });
    }
    const m = new TabularSynthesizer(parsed.data.args as TabularSynthesizerArgs);
    m.encoder = TableEncoder.fromJSON(parsed.data.encoder);
    m.buildConditions(m.encoder.layout);
    if (parsed.data.frequencies.length !== m.condColumns.length || parsed.data.frequencies.some((f, i) => f.length !== m.condColumns[i].width)) {
      throw new ModelFormatError(`${dir}: state.json frequencies do not match the encoder's condition columns`, { file: dir });
    }
    m.condColumns.forEach((c, i) => (c.freq = parsed.data.frequencies[i]));
    m.generator = loaded.networks.generator;
    m.critic = loaded.networks.critic;
    if (!m.generator || !m.critic) throw new ModelFormatError(`${dir}: model.json lacks the generator or critic network`, { file: dir });
    m.history = loaded.manifest.lossHistory;
    m.trainedSteps = parsed.data.trainedSteps;
    return { model: m, manifest: loaded.manifest, extra: parsed.data.extra };
  }

  dispose(): void {
    this.generator?.dispose();
    this.critic?.dispose();
    this.generator = this.critic = null;
  }
}
