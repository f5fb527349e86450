/**
 * A basket generator: WGAN-GP on multi-hot baskets. The generator emits one logit per item plus the basket size
 * (as size / maxSize); the critic sees relaxed Bernoulli samples of the items (Gumbel-sigmoid at a low temperature,
 * so fake baskets look as binary as real ones) and the size. Both are conditioned on a seed item drawn from each real
 * basket (training by sampling, `seedItem`, on by default): the generator learns what goes with each item. Sampling
 * draws a seed item from its training distribution, each basket's size from the generator (quantile-mapped onto the
 * training sizes), and takes the seed item plus the best-scoring others by Gumbel-top-k on the logits, scaled by a
 * sharpness fitted after training so that items go together as strongly as in the training baskets. Optional basket
 * attributes (e.g. a value band) are conditions.
 */
import {
  AdversarialTrainer,
  InvalidDataError,
  ModelFormatError,
  Rng,
  UsageError,
  applyNet,
  ensureBackend,
  loadModelDir,
  mlp,
  runControls,
  saveModelDir,
  tf,
  type LossRecord,
  type FitOptions,
  type Synthesizer,
  type SynthesizerClass,
  type TrainingRecord,
  type TrainResult,
  resolveSteps,
  trainingRecordOf,
} from '@fingan/gan-core';
import { z } from 'zod';
import { BasketEncoder, type EncodedBaskets } from '../encoder/basket-encoder.js';

export const PACKAGE_NAME = '@fingan/data-mining';
export const PACKAGE_VERSION = '0.1.0';
export const MODEL_KIND = 'basket-gan';

export interface BasketGanArgs {
  noiseDim?: number;
  generatorDims?: number[];
  criticDims?: number[];
  batchSize?: number;
  /** Full passes over the training baskets: ceil(baskets / batchSize) generator steps each (give this or `steps`). */
  epochs?: number;
  /** Generator steps (default MINING_DEFAULT_STEPS; give this or `epochs`). */
  steps?: number;
  nCritic?: number;
  gpWeight?: number;
  generatorLearningRate?: number;
  criticLearningRate?: number;
  /** Gumbel-sigmoid temperature for the critic's view of fake baskets (default 0.3). */
  tau?: number;
  /**
   * Condition the generator and critic on a seed item drawn from each basket (training by sampling): the generator
   * learns what goes with each item; sampling draws the seed item from its training distribution and keeps it.
   */
  seedItem?: boolean;
  /**
   * Size groups the sampling sharpness is fitted for, one scale each (default 1: one scale for all baskets): the
   * training baskets split into this many groups of about equal counts by size (see calibrateSharpness).
   */
  sharpnessGroups?: number;
  /**
   * Generator weight averaging: the decay of an exponential moving average of the generator's weights over the second
   * half of the planned steps, put in place of the last weights when training completes (0, the default: off; e.g.
   * 0.98). A fit resumed from a checkpoint after the averaging began averages the steps after the resume only.
   */
  weightAverage?: number;
  seed?: number;
}

/** Training length at fit time (overrides the constructor's `epochs`/`steps`) and the trainer's run controls. */
export type BasketFitOptions = FitOptions;

import { MINING_DEFAULT_STEPS } from '../constants.js';
export { MINING_DEFAULT_STEPS };

type ResolvedArgs = Required<Omit<BasketGanArgs, 'epochs' | 'steps'>> & Pick<BasketGanArgs, 'epochs' | 'steps'>;

export interface BasketSampleOptions {
  seed?: number;
  /** Attribute values to condition on, e.g. { band: 'high' } (needs an encoder with attribute columns). */
  conditions?: Record<string, string | number | boolean>;
}

/** Attribute levels held by fewer training baskets keep no seed-item weights of their own (see seedItem). */
export const MIN_LEVEL_BASKETS = 20;

/** The most size groups the sharpness may be fitted for (each needs enough sampled baskets for its moments). */
export const MAX_SHARPNESS_GROUPS = 16;

/** Baskets generated per generator call when sampling. */
const BLOCK = 4096;

const DEFAULTS: ResolvedArgs = {
  noiseDim: 64,
  generatorDims: [256, 256],
  criticDims: [256, 256],
  batchSize: 256,
  nCritic: 3,
  gpWeight: 10,
  generatorLearningRate: 5e-4,
  criticLearningRate: 2e-3,
  tau: 0.3,
  seedItem: true,
  sharpnessGroups: 1,
  weightAverage: 0,
  seed: 0,
};

const argsSchema = z.object({
  noiseDim: z.number().int().positive(),
  generatorDims: z.array(z.number().int().positive()),
  criticDims: z.array(z.number().int().positive()),
  batchSize: z.number().int().positive(),
  epochs: z.number().int().positive().optional(),
  steps: z.number().int().nonnegative().optional(),
  nCritic: z.number().int().positive(),
  gpWeight: z.number().nonnegative(),
  generatorLearningRate: z.number().positive(),
  criticLearningRate: z.number().positive(),
  tau: z.number().positive(),
  seedItem: z.boolean().default(false),
  sharpnessGroups: z.number().int().positive().default(1),
  weightAverage: z.number().min(0).lt(1).default(0),
  seed: z.number(),
});
const stateSchema = z.object({
  args: argsSchema,
  encoder: z.unknown(),
  trainedSteps: z.number().int().nonnegative(),
  conditionCounts: z.array(z.number().nonnegative()),
  sizeCounts: z.array(z.number().int().nonnegative()),
  seedWeights: z.array(z.number().nonnegative()).default([]),
  seedWeightsByLevel: z.array(z.array(z.number().nonnegative()).nullable()).default([]),
  // Absent in directories written before sampling was calibrated: those sample with the logits as trained.
  logitScale: z.number().positive().default(1),
  // Absent in directories written before the sharpness was fitted per size group: one scale for all sizes.
  logitScales: z.array(z.number().positive()).optional(),
  sizeGroupEnds: z.array(z.number().int().nonnegative()).optional(),
});

export class BasketGan implements Synthesizer<EncodedBaskets, { baskets: Int32Array[]; conditions: Float32Array }, BasketSampleOptions, BasketFitOptions> {
  readonly args: ResolvedArgs;
  private generator: tf.LayersModel | null = null;
  private critic: tf.LayersModel | null = null;
  private history: LossRecord[] = [];
  private trainedSteps = 0;
  private training: TrainingRecord | null = null;
  /** How often each condition slot (attribute level) occurs in the training baskets: sampling draws from these. */
  private conditionCounts: number[] = [];
  /** Training basket sizes (count per size): sampled sizes are mapped onto this distribution. */
  private sizeCounts: number[] = [];
  /**
   * With seedItem: how often each item is the seed item of a training basket in expectation (the sum over the
   * baskets holding it of 1 / basket size): sampling draws seed items from these weights.
   */
  private seedWeights: number[] = [];
  /** The same per attribute level (condition slot); null for a level held by fewer than MIN_LEVEL_BASKETS baskets. */
  private seedWeightsByLevel: (number[] | null)[] = [];
  /**
   * Sampling multiplies the item logits by this (1: as trained). Fitted after training on the training baskets alone
   * (see calibrateSharpness): how strongly items go together then matches the training baskets.
   */
  private logitScale = 1;
  /**
   * With sharpnessGroups > 1: one scale per size group, group g holding the sizes up to sizeGroupEnds[g] (the last
   * group: every larger size too). Empty: logitScale for every basket.
   */
  private logitScales: number[] = [];
  private sizeGroupEnds: number[] = [];

  constructor(
    readonly encoder: BasketEncoder,
    args: BasketGanArgs = {},
  ) {
    // An option given as undefined means "the default", not "unset".
    const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    this.args = { ...DEFAULTS, ...given };
    const g = this.args.sharpnessGroups;
    if (!Number.isInteger(g) || g < 1 || g > MAX_SHARPNESS_GROUPS)
      throw new UsageError(`sharpnessGroups must be an integer from 1 to ${MAX_SHARPNESS_GROUPS}, got ${String(g)}`, { option: 'sharpnessGroups' });
    const w = this.args.weightAverage;
    if (typeof w !== 'number' || !(w >= 0 && w < 1))
      throw new UsageError(`weightAverage must be a number in [0, 1) (0: off), got ${String(w)}`, { option: 'weightAverage' });
  }

  get lossHistory(): readonly LossRecord[] {
    return this.history;
  }

  /** How the last fit went (steps, why it stopped, whether it is reproducible from the seed); null before a fit. */
  get trainingRecord(): TrainingRecord | null {
    return this.training;
  }

  private build(): void {
    const a = this.args;
    const nItems = this.encoder.nItems;
    const c = this.encoder.nConditions + (a.seedItem ? nItems : 0);
    this.generator?.dispose();
    this.critic?.dispose();
    this.generator = mlp({
      inputDim: a.noiseDim,
      condDim: c,
      hidden: a.generatorDims,
      outputDim: nItems + 1,
      activation: 'relu',
      layerNorm: true,
      seed: a.seed,
      name: 'basket_generator',
    });
    this.critic = mlp({
      inputDim: nItems + 1,
      condDim: c,
      hidden: a.criticDims,
      outputDim: 1,
      activation: 'leakyRelu',
      seed: a.seed + 1000,
      name: 'basket_critic',
    });
  }

  /** Generator output -> what the critic sees: relaxed Bernoulli items and a size in [0, 1]. */
  private relax(raw: tf.Tensor, rng: Rng): tf.Tensor {
    const n = raw.shape[0];
    const nItems = this.encoder.nItems;
    const logits = tf.slice(raw, [0, 0], [n, nItems]);
    const u = rng.fillUniform(new Float32Array(n * nItems));
    for (let i = 0; i < u.length; i++) {
      const v = u[i] * (1 - 2e-6) + 1e-6;
      u[i] = Math.log(v) - Math.log(1 - v); // logistic noise
    }
    const items = tf.sigmoid(tf.div(tf.add(logits, tf.tensor2d(u, [n, nItems])), this.args.tau));
    const size = tf.sigmoid(tf.slice(raw, [0, nItems], [n, 1]));
    return tf.concat([items, size], 1);
  }

  /** Train on encoded baskets (see BasketEncoder.encode). */
  async fit(data: EncodedBaskets, opts: BasketFitOptions = {}): Promise<TrainResult> {
    await ensureBackend();
    if (data.n < 2) throw new InvalidDataError(`need at least 2 baskets to train, got ${data.n}`);
    if (data.nItems !== this.encoder.nItems) throw new UsageError(`baskets have ${data.nItems} items but the encoder knows ${this.encoder.nItems}`);
    this.build();
    const a = this.args;
    const nItems = data.nItems;
    const width = nItems + 1;
    const ca = data.nConditions;
    const c = ca + (a.seedItem ? nItems : 0);
    this.conditionCounts = Array.from({ length: ca }, (_, k) => {
      let s = 0;
      for (let i = 0; i < data.n; i++) s += data.conditions[i * ca + k];
      return s;
    });
    this.sizeCounts = new Array(this.encoder.maxSize + 1).fill(0);
    for (let i = 0; i < data.n; i++) this.sizeCounts[Math.min(data.sizes[i], this.encoder.maxSize)]++;
    const rows = new Float32Array(data.n * width);
    const held: Int32Array[] = [];
    for (let i = 0; i < data.n; i++) {
      rows.set(data.items.subarray(i * nItems, (i + 1) * nItems), i * width);
      rows[i * width + nItems] = data.sizeFeature[i];
      if (a.seedItem) {
        const b: number[] = [];
        for (let j = 0; j < nItems; j++) if (data.items[i * nItems + j] > 0) b.push(j);
        held.push(Int32Array.from(b));
      }
    }
    if (a.seedItem) this.seedItemWeights(data, held);
    else [this.seedWeights, this.seedWeightsByLevel] = [[], []];
    /** Basket r's condition row: its attributes and, with seedItem, one of its items at random. */
    const condOf = (r: number, rng: Rng, out: Float32Array, at: number) => {
      if (ca) out.set(data.conditions.subarray(r * ca, (r + 1) * ca), at);
      if (a.seedItem && held[r].length) out[at + ca + held[r][rng.int(held[r].length)]] = 1;
    };
    const trainer = new AdversarialTrainer(
      {
        generator: this.generator!,
        critic: this.critic!,
        realBatch: (size, rng) => {
          const x = new Float32Array(size * width);
          const cond = new Float32Array(size * c);
          for (let i = 0; i < size; i++) {
            const r = rng.int(data.n);
            x.set(rows.subarray(r * width, (r + 1) * width), i * width);
            if (c) condOf(r, rng, cond, i * c);
          }
          return c ? { real: tf.tensor2d(x, [size, width]), cond: tf.tensor2d(cond, [size, c]) } : { real: tf.tensor2d(x, [size, width]) };
        },
        noiseBatch: (size, rng, cond) => {
          const noise = tf.tensor2d(rng.fillNormal(new Float32Array(size * a.noiseDim)), [size, a.noiseDim]);
          if (!c) return { noise };
          if (cond) return { noise, cond };
          // Conditions for generator steps: those of random real baskets (their real frequencies).
          const cc = new Float32Array(size * c);
          for (let i = 0; i < size; i++) condOf(rng.int(data.n), rng, cc, i * c);
          return { noise, cond: tf.tensor2d(cc, [size, c]) };
        },
        activate: (raw, rng) => this.relax(raw, rng),
      },
      {
        loss: 'wgan-gp',
        batchSize: a.batchSize,
        steps: resolveSteps(opts.epochs !== undefined || opts.steps !== undefined ? opts : a, data.n, a.batchSize, MINING_DEFAULT_STEPS),
        nCritic: a.nCritic,
        gpWeight: a.gpWeight,
        generatorOptimizer: { learningRate: a.generatorLearningRate, beta1: 0.5, beta2: 0.9 },
        criticOptimizer: { learningRate: a.criticLearningRate, beta1: 0.5, beta2: 0.9 },
        seed: a.seed,
        ...runControls(opts),
        ...(a.weightAverage > 0 ? { onEvent: this.averaging(opts.onEvent) } : {}),
      },
    );
    try {
      const res = await trainer.fit();
      if (this.averaged && res.stoppedBy === 'completed') this.generator!.setWeights(this.averaged);
      this.trainedSteps = res.steps;
      this.history = res.history;
      this.training = trainingRecordOf(res);
      this.calibrateSharpness(data);
      return res;
    } finally {
      trainer.dispose();
      this.averaged?.forEach((t) => t.dispose());
      this.averaged = null;
    }
  }

  /** The running average of the generator's weights (weightAverage), while a fit runs. */
  private averaged: tf.Tensor[] | null = null;

  /** The trainer's event handler with weightAverage: after each step of the second half, update the average. */
  private averaging(user: FitOptions['onEvent']): NonNullable<FitOptions['onEvent']> {
    const d = this.args.weightAverage;
    return (e) => {
      if (e.type === 'step' && e.step > e.totalSteps / 2) {
        const w = this.generator!.getWeights();
        if (!this.averaged) this.averaged = w.map((t) => t.clone());
        else {
          const prev = this.averaged;
          this.averaged = prev.map((t, i) => tf.tidy(() => tf.add(tf.mul(t, d), tf.mul(w[i], 1 - d))));
          prev.forEach((t) => t.dispose());
        }
      }
      user?.(e);
    };
  }

  private seedItemWeights(data: EncodedBaskets, held: Int32Array[]): void {
    const ca = data.nConditions;
    const global = new Array<number>(data.nItems).fill(0);
    const byLevel = Array.from({ length: ca }, () => new Array<number>(data.nItems).fill(0));
    for (let i = 0; i < data.n; i++) {
      for (const j of held[i]) global[j] += 1 / held[i].length;
      for (let k = 0; k < ca; k++) if (data.conditions[i * ca + k] > 0) for (const j of held[i]) byLevel[k][j] += 1 / held[i].length;
    }
    this.seedWeights = global;
    // A level of a few baskets would give those baskets' items away: such levels use the overall weights.
    this.seedWeightsByLevel = byLevel.map((w, k) => (this.conditionCounts[k] >= MIN_LEVEL_BASKETS ? w : null));
  }

  /**
   * The logit scale of calibrateSharpness as fitted (1 for a model directory written before it existed); with
   * several size groups, their scales' mean in log, weighted by the groups' training baskets.
   */
  get sharpness(): number {
    return this.logitScale;
  }

  /** The fitted scale per size group: each group's largest size (Infinity for the last) and its scale. */
  get sharpnessBySize(): { maxSize: number; scale: number }[] {
    if (!this.logitScales.length) return [{ maxSize: Infinity, scale: this.logitScale }];
    return this.logitScales.map((scale, g) => ({ maxSize: g < this.sizeGroupEnds.length ? this.sizeGroupEnds[g] : Infinity, scale }));
  }

  /** Size group of a basket size (0 without groups). */
  private sizeGroup(size: number): number {
    let g = 0;
    while (g < this.sizeGroupEnds.length && size > this.sizeGroupEnds[g]) g++;
    return g;
  }

  /**
   * The generator tends to under-state how strongly items go together, more so for larger itemsets (it
   * under-estimates the support of 3- and 4-item sets), and by an amount that varies from run to run. Sampling
   * therefore scales the item logits by a factor s fitted here on the training baskets: with two baskets drawn at
   * random, E[C(|A n B|, k)] (k = 2, 3, 4) is the sum of the squared supports of all k-itemsets, a measure of
   * co-occurrence that needs no minimum support. s is found by bisection (s in [1/4, 4], the logit scale raising
   * co-occurrence) so that the mean log ratio of these moments, synthetic over training, is 0. With sharpnessGroups
   * G > 1 the training sizes are cut into G groups of about equal counts (fewer where one size holds many baskets)
   * and each group gets its own s, fitted on the moments of pairs of baskets within the group (a basket's items
   * depend on its own scale only, so the groups are bisected together). Seeded by the model's seed: the same data
   * and seed, the same s.
   */
  private calibrateSharpness(data: EncodedBaskets): void {
    const nItems = data.nItems;
    const real: Int32Array[] = [];
    for (let i = 0; i < data.n; i++) {
      const b: number[] = [];
      for (let j = 0; j < nItems; j++) if (data.items[i * nItems + j] > 0) b.push(j);
      real.push(Int32Array.from(b));
    }
    this.sizeGroupEnds = sizeGroupEnds(this.sizeCounts, this.args.sharpnessGroups);
    const groups = this.sizeGroupEnds.length + 1;
    this.logitScales = new Array<number>(groups).fill(1);
    const seed = this.args.seed + 7;
    const byGroup = (baskets: Int32Array[]) => {
      const out: Int32Array[][] = Array.from({ length: groups }, () => []);
      for (const b of baskets) out[this.sizeGroup(b.length)].push(b);
      return out;
    };
    const realGroups = byGroup(real);
    const targets = realGroups.map((g) => coOccurrenceMoments(g, nItems, seed));
    const ks = targets.map((t) => [0, 1, 2].filter((k) => t[k] > 0));
    const m = Math.min(data.n, BLOCK);
    /** Per group: the mean log ratio of the moments, synthetic over training (NaN: nothing to fit). */
    const gaps = (scales: number[]) => {
      this.logitScales = scales;
      const synth = byGroup(this.sample(m, { seed }).baskets);
      return synth.map((g, i) => {
        if (!ks[i].length || g.length < 2) return NaN;
        const got = coOccurrenceMoments(g, nItems, seed);
        let sum = 0;
        for (const k of ks[i]) sum += Math.log(Math.max(got[k], 1e-12) / targets[i][k]);
        return sum / ks[i].length;
      });
    };
    const lo = new Array<number>(groups).fill(0.25);
    const hi = new Array<number>(groups).fill(4);
    const done = new Array<number>(groups).fill(NaN);
    const gLo = gaps(lo);
    const gHi = gaps(hi);
    for (let g = 0; g < groups; g++) {
      if (Number.isNaN(gLo[g]) || Number.isNaN(gHi[g])) done[g] = 1;
      else if (gLo[g] >= 0) done[g] = lo[g];
      else if (gHi[g] <= 0) done[g] = hi[g];
    }
    const mid = () => lo.map((l, g) => (Number.isNaN(done[g]) ? Math.sqrt(l * hi[g]) : done[g]));
    if (done.some((d) => Number.isNaN(d))) {
      for (let it = 0; it < 12; it++) {
        const at = mid();
        const gap = gaps(at);
        for (let g = 0; g < groups; g++) {
          if (!Number.isNaN(done[g])) continue;
          // A group the sample left (almost) empty at this scale keeps its bracket.
          if (Number.isNaN(gap[g])) continue;
          if (gap[g] < 0) lo[g] = at[g];
          else hi[g] = at[g];
        }
      }
    }
    this.logitScales = mid();
    let logSum = 0;
    for (let g = 0; g < groups; g++) logSum += realGroups[g].length * Math.log(this.logitScales[g]);
    this.logitScale = Math.exp(logSum / real.length);
    if (groups === 1) [this.logitScales, this.sizeGroupEnds] = [[], []];
  }

  /** Attribute levels for m baskets: the fixed ones, or drawn from their training frequencies (kept in the encoder). */
  private drawConditions(m: number, rng: Rng, fixed: Float32Array | null): Float32Array {
    const c = this.encoder.nConditions;
    const cond = new Float32Array(m * c);
    if (!c) return cond;
    if (fixed) for (let i = 0; i < m; i++) cond.set(fixed, i * c);
    else {
      const levels = this.encoder.attributeLevels;
      for (let i = 0; i < m; i++) {
        let off = 0;
        this.encoder.attributeColumns.forEach((col) => {
          const w = levels[col].length;
          cond[i * c + off + rng.weightedIndex(this.conditionCounts.slice(off, off + w))] = 1;
          off += w;
        });
      }
    }
    return cond;
  }

  private conditionRow(conditions: Record<string, string | number | boolean> | undefined): Float32Array | null {
    const c = this.encoder.nConditions;
    if (!conditions || !Object.keys(conditions).length) return null;
    if (!c) throw new UsageError('this model has no basket attributes to condition on', { option: 'conditions' });
    const row = new Float32Array(c);
    let offset = 0;
    const levels = this.encoder.attributeLevels;
    for (const col of this.encoder.attributeColumns) {
      const want = conditions[col];
      if (want !== undefined) {
        const k = levels[col].findIndex((v) => v === want || String(v) === String(want));
        if (k < 0) throw new UsageError(`attribute '${col}' has no level '${String(want)}' (known: ${levels[col].join(', ')})`, { option: 'conditions' });
        row[offset + k] = 1;
      }
      offset += levels[col].length;
    }
    for (const k of Object.keys(conditions)) {
      if (!this.encoder.attributeColumns.includes(k))
        throw new UsageError(`unknown attribute '${k}' (known: ${this.encoder.attributeColumns.join(', ') || 'none'})`, { option: 'conditions' });
    }
    return row;
  }

  /** Draw n synthetic baskets (item indices into the encoder's vocabulary). Same seed, same baskets. */
  sample(n: number, opts: BasketSampleOptions = {}): { baskets: Int32Array[]; conditions: Float32Array } {
    if (!this.generator) throw new UsageError('the model is not fitted yet; call fit() or load()');
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`the number of transactions must be a positive integer, got ${n}`, { option: 'transactions' });
    const rng = new Rng(opts.seed ?? 0);
    const a = this.args;
    const nItems = this.encoder.nItems;
    const c = this.encoder.nConditions;
    const fixed = this.conditionRow(opts.conditions);
    if (a.seedItem) return this.sampleSeeded(n, rng, fixed);
    const baskets: Int32Array[] = [];
    const conds = new Float32Array(n * c);
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(BLOCK, n - start);
      const noise = rng.fillNormal(new Float32Array(m * a.noiseDim));
      const cond = this.drawConditions(m, rng, fixed);
      conds.set(cond, start * c);
      const t = tf.tidy(() => applyNet(this.generator!, tf.tensor2d(noise, [m, a.noiseDim]), c ? tf.tensor2d(cond, [m, c]) : undefined));
      const raw = t.dataSync();
      t.dispose();
      const { scores, sizes } = this.noisyScores(raw, m, nItems, rng);
      baskets.push(...this.encoder.decode(scores, { sizes }));
    }
    return { baskets, conditions: conds };
  }

  /**
   * Each basket's size (the generator's size output, quantile-mapped: calibratedSizes) and each item's score for
   * Gumbel(-logistic)-top-k: the logit, sharpened by the scale of the basket's size group, plus logistic noise, drawn
   * item by item and basket by basket from `rng`.
   */
  private noisyScores(raw: ArrayLike<number>, m: number, nItems: number, rng: Rng): { scores: Float32Array; sizes: Int32Array } {
    const scores = new Float32Array(m * nItems);
    const rawSizes = new Float64Array(m);
    for (let i = 0; i < m; i++) rawSizes[i] = 1 / (1 + Math.exp(-raw[i * (nItems + 1) + nItems]));
    const sizes = this.calibratedSizes(rawSizes);
    for (let i = 0; i < m; i++) {
      const scale = this.logitScales.length ? this.logitScales[this.sizeGroup(sizes[i])] : this.logitScale;
      for (let j = 0; j < nItems; j++) {
        const v = rng.next() * (1 - 2e-6) + 1e-6;
        scores[i * nItems + j] = raw[i * (nItems + 1) + j] * scale + Math.log(v) - Math.log(1 - v);
      }
    }
    return { scores, sizes };
  }

  /**
   * sample() for a seed-item model: attribute levels as without, then a seed item from the seed weights of those
   * levels (for several attributes, the overall weights times each level's ratio to them), kept in the basket.
   */
  private sampleSeeded(n: number, rng: Rng, fixed: Float32Array | null): { baskets: Int32Array[]; conditions: Float32Array } {
    const a = this.args;
    const nItems = this.encoder.nItems;
    const ca = this.encoder.nConditions;
    const c = ca + nItems;
    const global = this.seedWeights;
    const baskets: Int32Array[] = [];
    const conds = new Float32Array(n * ca);
    const w = new Float64Array(nItems);
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(BLOCK, n - start);
      const noise = rng.fillNormal(new Float32Array(m * a.noiseDim));
      const attrs = this.drawConditions(m, rng, fixed);
      conds.set(attrs, start * ca);
      const cond = new Float32Array(m * c);
      const seeds = new Int32Array(m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < nItems; j++) w[j] = global[j];
        for (let k = 0; k < ca; k++) {
          cond[i * c + k] = attrs[i * ca + k];
          const level = attrs[i * ca + k] > 0 ? this.seedWeightsByLevel[k] : null;
          if (level) for (let j = 0; j < nItems; j++) w[j] = global[j] > 0 ? (w[j] * level[j]) / global[j] : 0;
        }
        // No item ever seen with these levels together: fall back to the overall weights.
        seeds[i] = rng.weightedIndex(w.some((x) => x > 0) ? w : global);
        cond[i * c + ca + seeds[i]] = 1;
      }
      const t = tf.tidy(() => applyNet(this.generator!, tf.tensor2d(noise, [m, a.noiseDim]), tf.tensor2d(cond, [m, c])));
      const raw = t.dataSync();
      t.dispose();
      const { scores, sizes } = this.noisyScores(raw, m, nItems, rng);
      for (let i = 0; i < m; i++) scores[i * nItems + seeds[i]] = Infinity; // the seed item is in the basket
      baskets.push(...this.encoder.decode(scores, { sizes }));
    }
    return { baskets, conditions: conds };
  }

  /**
   * Sizes from the generator's size output, quantile-mapped onto the training size distribution: the generator
   * decides which baskets are bigger, the training data how big. A few percent of size bias would otherwise shift
   * every itemset's support the same way.
   */
  private calibratedSizes(raw: Float64Array): Int32Array {
    const m = raw.length;
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => raw[a] - raw[b] || a - b);
    const total = this.sizeCounts.reduce((a, b) => a + b, 0);
    const out = new Int32Array(m);
    let size = 0;
    let cum = this.sizeCounts[0];
    order.forEach((i, rank) => {
      const q = ((rank + 0.5) / m) * total;
      while (cum < q && size < this.sizeCounts.length - 1) cum += this.sizeCounts[++size];
      out[i] = Math.max(1, size); // a transaction holds at least one item
    });
    return out;
  }

  async save(dir: string): Promise<void> {
    if (!this.generator || !this.critic) throw new UsageError('the model is not fitted yet; nothing to save');
    await saveModelDir(dir, {
      package: PACKAGE_NAME,
      packageVersion: PACKAGE_VERSION,
      kind: MODEL_KIND,
      networks: { generator: this.generator, critic: this.critic },
      state: {
        args: this.args,
        encoder: this.encoder.toJSON(),
        trainedSteps: this.trainedSteps,
        conditionCounts: this.conditionCounts,
        sizeCounts: this.sizeCounts,
        logitScale: this.logitScale,
        ...(this.logitScales.length ? { logitScales: this.logitScales, sizeGroupEnds: this.sizeGroupEnds } : {}),
        ...(this.args.seedItem ? { seedWeights: this.seedWeights, seedWeightsByLevel: this.seedWeightsByLevel } : {}),
      },
      seed: this.args.seed,
      trainingConfig: { ...this.args },
      training: this.training ?? { steps: this.trainedSteps, plannedSteps: this.trainedSteps, stoppedBy: 'unknown', reproducible: false },
      lossHistory: this.history,
    });
  }

  static async load(dir: string): Promise<BasketGan> {
    await ensureBackend();
    const loaded = await loadModelDir(dir, { package: PACKAGE_NAME, kind: MODEL_KIND });
    const parsed = stateSchema.safeParse(loaded.state);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new ModelFormatError(`${dir}: state.json is not a basket model state (${i.path.join('.')}: ${i.message})`, { file: dir });
    }
    const m = new BasketGan(BasketEncoder.fromJSON(parsed.data.encoder), parsed.data.args);
    m.generator = loaded.networks.generator ?? null;
    m.critic = loaded.networks.critic ?? null;
    if (!m.generator || !m.critic) throw new ModelFormatError(`${dir}: model.json lacks the generator or critic network`, { file: dir });
    m.history = loaded.manifest.lossHistory;
    m.training = loaded.manifest.training ?? null;
    m.trainedSteps = parsed.data.trainedSteps;
    m.conditionCounts = parsed.data.conditionCounts;
    m.sizeCounts = parsed.data.sizeCounts;
    m.seedWeights = parsed.data.seedWeights;
    m.seedWeightsByLevel = parsed.data.seedWeightsByLevel;
    m.logitScale = parsed.data.logitScale;
    m.logitScales = parsed.data.logitScales ?? [];
    m.sizeGroupEnds = parsed.data.sizeGroupEnds ?? [];
    if (m.logitScales.length && m.logitScales.length !== m.sizeGroupEnds.length + 1)
      throw new ModelFormatError(`${dir}: state.json has ${m.logitScales.length} sharpness scales for ${m.sizeGroupEnds.length + 1} size groups`, {
        file: dir,
      });
    if (m.args.seedItem && (m.seedWeights.length !== m.encoder.nItems || m.seedWeightsByLevel.length !== m.encoder.nConditions)) {
      throw new ModelFormatError(`${dir}: state.json's seed weights do not match the encoder's items and attribute levels`, { file: dir });
    }
    return m;
  }

  dispose(): void {
    this.generator?.dispose();
    this.critic?.dispose();
    this.generator = this.critic = null;
  }
}

/**
 * E[C(|A n B|, k)] for k = 2, 3, 4 over 20,000 seeded random pairs of distinct baskets A, B: the sum over all
 * k-itemsets of their squared support (up to the sampling of pairs).
 */
export function coOccurrenceMoments(baskets: readonly Int32Array[], nItems: number, seed: number, pairs = 20_000): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  if (baskets.length < 2) return out;
  const rng = new Rng(seed);
  const mark = new Int32Array(nItems).fill(-1);
  for (let p = 0; p < pairs; p++) {
    const i = rng.int(baskets.length);
    let j = rng.int(baskets.length - 1);
    if (j >= i) j++;
    for (const v of baskets[i]) mark[v] = p;
    let x = 0;
    for (const v of baskets[j]) if (mark[v] === p) x++;
    out[0] += (x * (x - 1)) / 2;
    out[1] += (x * (x - 1) * (x - 2)) / 6;
    out[2] += (x * (x - 1) * (x - 2) * (x - 3)) / 24;
  }
  return [out[0] / pairs, out[1] / pairs, out[2] / pairs];
}

/**
 * The largest size of each size group but the last, for up to `groups` groups of about equal basket counts from a
 * size histogram (count per size): a group closes at the first size where the cumulative count reaches its share, so
 * a size holding many baskets makes fewer groups. [] for one group.
 */
export function sizeGroupEnds(sizeCounts: readonly number[], groups: number): number[] {
  const total = sizeCounts.reduce((a, b) => a + b, 0);
  const ends: number[] = [];
  let cum = 0;
  for (let size = 0; size < sizeCounts.length && ends.length < groups - 1; size++) {
    cum += sizeCounts[size];
    if (cum > 0 && cum < total && cum >= ((ends.length + 1) * total) / groups) ends.push(size);
  }
  return ends;
}

/** The static side of the contract: `BasketGan.load(dir)` (checked by the compiler). */
export const basketGanClass: SynthesizerClass<BasketGan> = BasketGan;
