/**
 * The one adversarial trainer: alternating critic/generator steps for any generator/critic pair, with Adam, loss
 * history and progress events, NaN/Inf divergence detection, checkpoints every K steps and resume after a kill,
 * early stopping on a validation metric, and an opt-in wall-clock limit. Training stops on `steps` (or early
 * stopping) and never on the clock unless `timeBudgetSeconds` is given; a run with a limit reports itself as not
 * reproducible.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { DivergenceError, ModelFormatError, UsageError } from '../errors.js';
import { writeDirAtomic, writeFileAtomic } from '../io/atomic.js';
import { assignModelWeights, decodeWeights, encodeWeights, modelWeights, weightGroupsSchema, type NamedTensor } from '../io/weights.js';
import { applyNet } from '../nn/common.js';
import { criticLoss, generatorLoss, gradientPenalty, pack, type LossKind } from '../losses/index.js';
import { Rng } from '../random/rng.js';

export interface AdamArgs {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** What the trainer needs from a model family. All methods are called inside `tf.tidy`. */
export interface GanProblem {
  generator: tf.LayersModel;
  critic: tf.LayersModel;
  /** Real samples (and their condition) for a critic step. */
  realBatch(batchSize: number, rng: Rng): { real: tf.Tensor; cond?: tf.Tensor };
  /** Generator input: noise, and the condition to generate for (for a critic step, the real batch's condition). */
  noiseBatch(batchSize: number, rng: Rng, cond?: tf.Tensor): { noise: tf.Tensor; cond?: tf.Tensor };
  /** Turn raw generator output into samples the critic sees (e.g. per-column activations). Default: identity. */
  activate?(raw: tf.Tensor, rng: Rng): tf.Tensor;
  /** An extra generator loss term (e.g. the condition cross-entropy of a conditional tabular GAN). */
  generatorPenalty?(raw: tf.Tensor, cond: tf.Tensor | undefined): tf.Scalar;
}

export interface EarlyStoppingArgs {
  /** Evaluate every this many generator steps. */
  every: number;
  /** Stop after this many evaluations without improvement. */
  patience: number;
  /** The validation metric (e.g. a fidelity score on held-out real data). */
  evaluate: (step: number) => number | Promise<number>;
  /** 'min' (default) or 'max'. */
  mode?: 'min' | 'max';
  minDelta?: number;
  /** Put the best generator weights back at the end (default true). */
  restoreBest?: boolean;
}

export interface TrainerArgs {
  loss?: LossKind;
  /** Critic steps per generator step (default 1; 5 is the WGAN-GP paper's). */
  nCritic?: number;
  /** WGAN-GP penalty weight (default 10). */
  gpWeight?: number;
  /** PacGAN packing degree (default 1; batchSize must be a multiple). */
  pac?: number;
  /** One-sided label smoothing for minimax/LSGAN (default 0). */
  labelSmoothing?: number;
  generatorOptimizer?: AdamArgs;
  criticOptimizer?: AdamArgs;
  batchSize: number;
  /** Generator steps to run in total (a resumed run counts the steps already done). */
  steps: number;
  seed?: number;
  /** Save a checkpoint every `every` steps into `dir` (and at the end). */
  checkpoint?: { dir: string; every: number };
  /** Continue from `checkpoint.dir` if a checkpoint is there. */
  resume?: boolean;
  earlyStopping?: EarlyStoppingArgs;
  /**
   * Opt-in wall-clock limit: stop (cleanly, keeping the model) after this many seconds. Off by default; a run with a
   * limit is reported as not reproducible, since where it stops depends on the machine's speed and load.
   */
  timeBudgetSeconds?: number;
  /**
   * Replaces the critic step (DP-SGD: privacy/dp-sgd.ts); it gets the trainer's critic optimizer and seeded RNG and
   * returns the loss and penalty to record.
   */
  criticStep?: (optimizer: tf.Optimizer, rng: Rng) => { loss: number; penalty: number };
  /** Check losses for NaN/Inf every step (default true). */
  detectDivergence?: boolean;
  onEvent?: (e: TrainerEvent) => void;
}

/** The run controls a model's `fit()` hands straight to the trainer. */
export type RunControls = Pick<TrainerArgs, 'checkpoint' | 'resume' | 'earlyStopping' | 'timeBudgetSeconds' | 'onEvent'>;

/** Just the run controls out of a model's fit options (so nothing else leaks into the trainer's arguments). */
export function runControls(o: RunControls): RunControls {
  const { checkpoint, resume, earlyStopping, timeBudgetSeconds, onEvent } = o;
  return { checkpoint, resume, earlyStopping, timeBudgetSeconds, onEvent };
}

export interface LossRecord {
  step: number;
  critic: number;
  generator: number;
  penalty?: number;
}

export type StopReason = 'completed' | 'time-budget' | 'early-stopping';

export type TrainerEvent =
  | { type: 'start'; step: number; totalSteps: number; resumed: boolean }
  | { type: 'step'; step: number; totalSteps: number; losses: LossRecord; elapsedMs: number }
  | { type: 'checkpoint'; step: number; dir: string }
  | { type: 'evaluation'; step: number; value: number; best: number; improved: boolean }
  | { type: 'stop'; step: number; plannedSteps: number; reason: StopReason; reproducible: boolean; elapsedMs: number };

export interface TrainResult {
  steps: number;
  /** The steps asked for. */
  plannedSteps: number;
  stoppedBy: StopReason;
  /** False when a wall-clock limit was set (see TrainerArgs.timeBudgetSeconds). */
  reproducible: boolean;
  history: LossRecord[];
  elapsedMs: number;
  bestValidation?: { step: number; value: number };
}

export const DEFAULT_ADAM: Required<AdamArgs> = { learningRate: 2e-4, beta1: 0.5, beta2: 0.9, epsilon: 1e-8 };

const checkpointSchema = z.object({
  format: z.literal('fingan-checkpoint'),
  step: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  rng: z.object({ s: z.tuple([z.number(), z.number(), z.number(), z.number()]), spare: z.number().nullable() }),
  history: z.array(z.object({ step: z.number(), critic: z.number(), generator: z.number(), penalty: z.number().optional() })),
  best: z.object({ step: z.number(), value: z.number(), sinceImproved: z.number() }).nullable(),
  weights: weightGroupsSchema,
});

function adam(a: AdamArgs | undefined): tf.AdamOptimizer {
  const o = { ...DEFAULT_ADAM, ...a };
  return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
}

function trainable(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export class AdversarialTrainer {
  readonly args: Required<Pick<TrainerArgs, 'loss' | 'nCritic' | 'gpWeight' | 'pac' | 'labelSmoothing' | 'seed'>> & TrainerArgs;
  private readonly gOpt: tf.AdamOptimizer;
  private readonly dOpt: tf.AdamOptimizer;
  private readonly rng: Rng;
  private step = 0;
  private history: LossRecord[] = [];
  private elapsedBefore = 0;
  private best: { step: number; value: number; sinceImproved: number } | null = null;
  private bestWeights: tf.Tensor[] | null = null;

  constructor(
    readonly problem: GanProblem,
    args: TrainerArgs,
  ) {
    this.args = { loss: 'wgan-gp', nCritic: 1, gpWeight: 10, pac: 1, labelSmoothing: 0, seed: 0, ...args };
    const a = this.args;
    if (!Number.isInteger(a.batchSize) || a.batchSize < 1) throw new UsageError(`batchSize must be a positive integer, got ${a.batchSize}`);
    if (a.batchSize % a.pac !== 0) throw new UsageError(`batchSize ${a.batchSize} must be a multiple of pac ${a.pac}`);
    if (!Number.isInteger(a.steps) || a.steps < 0) throw new UsageError(`steps must be a non-negative integer, got ${a.steps}`);
    if (a.labelSmoothing < 0 || a.labelSmoothing >= 0.5) throw new UsageError(`labelSmoothing must be in [0, 0.5), got ${a.labelSmoothing}`);
    this.gOpt = adam(a.generatorOptimizer);
    this.dOpt = adam(a.criticOptimizer);
    this.rng = new Rng(a.seed);
  }

  get currentStep(): number {
    return this.step;
  }

  get lossHistory(): readonly LossRecord[] {
    return this.history;
  }

  /** Score (packed) samples with the critic. */
  private score(x: tf.Tensor, cond: tf.Tensor | undefined): tf.Tensor {
    const pac = this.args.pac;
    return applyNet(this.problem.critic, pack(x, pac), cond ? pack(cond, pac) : undefined, true);
  }

  private criticStep(): { loss: number; penalty: number } {
    const { problem, args, rng } = this;
    if (args.criticStep) return args.criticStep(this.dOpt, rng);
    let penaltyValue = 0;
    const cost = this.dOpt.minimize(
      () => {
        const { real, cond } = problem.realBatch(args.batchSize, rng);
        const { noise, cond: gcond } = problem.noiseBatch(args.batchSize, rng, cond);
        const raw = applyNet(problem.generator, noise, gcond, true);
        const fake = problem.activate ? problem.activate(raw, rng) : raw;
        const realScores = this.score(real, cond);
        const fakeScores = this.score(fake, cond);
        let loss = criticLoss(args.loss, realScores, fakeScores, args.labelSmoothing);
        if (args.loss === 'wgan-gp') {
          const nPacked = args.batchSize / args.pac;
          const eps = tf.tensor1d(rng.fillUniform(new Float32Array(nPacked)));
          const pc = cond ? pack(cond, args.pac) : undefined;
          const gp = gradientPenalty((x) => applyNet(problem.critic, x, pc, true), pack(real, args.pac), pack(fake, args.pac), eps);
          penaltyValue = gp.dataSync()[0];
          loss = tf.add(loss, tf.mul(args.gpWeight, gp)) as tf.Scalar;
        }
        return loss;
      },
      true,
      trainable(problem.critic),
    );
    const v = cost!.dataSync()[0];
    cost!.dispose();
    return { loss: v, penalty: penaltyValue };
  }

  private generatorStep(): number {
    const { problem, args, rng } = this;
    const cost = this.gOpt.minimize(
      () => {
        const { noise, cond } = problem.noiseBatch(args.batchSize, rng);
        const raw = applyNet(problem.generator, noise, cond, true);
        const fake = problem.activate ? problem.activate(raw, rng) : raw;
        let loss = generatorLoss(args.loss, this.score(fake, cond));
        if (problem.generatorPenalty) loss = tf.add(loss, problem.generatorPenalty(raw, cond)) as tf.Scalar;
        return loss;
      },
      true,
      trainable(problem.generator),
    );
    const v = cost!.dataSync()[0];
    cost!.dispose();
    return v;
  }

  /** Train until `steps`, early stopping or the opt-in time limit. Resumes from a checkpoint when asked. */
  async fit(): Promise<TrainResult> {
    const a = this.args;
    const resumed = !!(a.resume && a.checkpoint && (await this.tryResume(a.checkpoint.dir)));
    const t0 = Date.now();
    const elapsed = () => this.elapsedBefore + (Date.now() - t0);
    a.onEvent?.({ type: 'start', step: this.step, totalSteps: a.steps, resumed });
    let reason: StopReason = 'completed';
    while (this.step < a.steps) {
      let c = { loss: 0, penalty: 0 };
      for (let k = 0; k < a.nCritic; k++) c = this.criticStep();
      const g = this.generatorStep();
      const rec: LossRecord = { step: this.step + 1, critic: c.loss, generator: g };
      if (a.loss === 'wgan-gp') rec.penalty = c.penalty;
      if (a.detectDivergence !== false && (!Number.isFinite(c.loss) || !Number.isFinite(g))) {
        const ck = a.checkpoint && existsSync(join(a.checkpoint.dir, 'checkpoint.json')) ? a.checkpoint.dir : undefined;
        throw new DivergenceError(
          `training diverged at step ${rec.step}: critic loss ${c.loss}, generator loss ${g}` +
            (ck ? `; the last good checkpoint is kept in ${ck}` : '; no checkpoint was configured') +
            ' (try a lower learning rate)',
          rec.step,
          ck,
        );
      }
      this.step++;
      this.history.push(rec);
      a.onEvent?.({ type: 'step', step: this.step, totalSteps: a.steps, losses: rec, elapsedMs: elapsed() });
      if (a.checkpoint && this.step % a.checkpoint.every === 0) await this.saveCheckpoint(a.checkpoint.dir, elapsed());
      if (a.earlyStopping && this.step % a.earlyStopping.every === 0 && (await this.evaluate(a.earlyStopping))) {
        reason = 'early-stopping';
        break;
      }
      if (a.timeBudgetSeconds !== undefined && elapsed() >= a.timeBudgetSeconds * 1000) {
        reason = this.step < a.steps ? 'time-budget' : 'completed';
        break;
      }
    }
    if (a.earlyStopping && this.bestWeights && a.earlyStopping.restoreBest !== false) {
      this.problem.generator.setWeights(this.bestWeights);
    }
    if (a.checkpoint && this.step % a.checkpoint.every !== 0) await this.saveCheckpoint(a.checkpoint.dir, elapsed());
    const reproducible = a.timeBudgetSeconds === undefined;
    a.onEvent?.({ type: 'stop', step: this.step, plannedSteps: a.steps, reason, reproducible, elapsedMs: elapsed() });
    const result: TrainResult = { steps: this.step, plannedSteps: a.steps, stoppedBy: reason, reproducible, history: this.history, elapsedMs: elapsed() };
    if (this.best) result.bestValidation = { step: this.best.step, value: this.best.value };
    return result;
  }

  /** Returns true when training should stop. */
  private async evaluate(es: EarlyStoppingArgs): Promise<boolean> {
    const value = await es.evaluate(this.step);
    const sign = es.mode === 'max' ? -1 : 1;
    const improved = !this.best || sign * (value - this.best.value) < -(es.minDelta ?? 0);
    if (improved) {
      this.best = { step: this.step, value, sinceImproved: 0 };
      this.bestWeights?.forEach((t) => t.dispose());
      this.bestWeights = this.problem.generator.getWeights().map((t) => t.clone());
    } else if (this.best) {
      this.best.sinceImproved++;
    }
    this.args.onEvent?.({ type: 'evaluation', step: this.step, value, best: this.best!.value, improved });
    return !!this.best && this.best.sinceImproved >= es.patience;
  }

  /** Release optimizer state and any kept best weights. */
  dispose(): void {
    this.gOpt.dispose();
    this.dOpt.dispose();
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = null;
  }

  private async saveCheckpoint(dir: string, elapsedMs: number): Promise<void> {
    const groups: Record<string, NamedTensor[]> = {
      generator: modelWeights(this.problem.generator),
      critic: modelWeights(this.problem.critic),
      generatorOptimizer: await this.gOpt.getWeights(),
      criticOptimizer: await this.dOpt.getWeights(),
    };
    if (this.bestWeights) groups.bestGenerator = this.bestWeights.map((t, i) => ({ name: `best_${i}`, tensor: t }));
    const { specs, data } = encodeWeights(groups);
    groups.generator.forEach((w) => w.tensor.dispose());
    groups.critic.forEach((w) => w.tensor.dispose());
    const meta: z.infer<typeof checkpointSchema> = {
      format: 'fingan-checkpoint',
      step: this.step,
      elapsedMs,
      rng: this.rng.getState(),
      history: this.history,
      best: this.best,
      weights: specs,
    };
    mkdirSync(dir, { recursive: true });
    // Weights first under a step-stamped name, then the small JSON that points at them: a kill between the two
    // writes leaves the previous checkpoint intact.
    await writeDirAtomic(join(dir, 'state'), (tmp) => {
      writeFileAtomic(join(tmp, 'weights.bin'), data);
      writeFileAtomic(join(tmp, 'checkpoint.json'), JSON.stringify(meta));
    });
    writeFileAtomic(join(dir, 'checkpoint.json'), JSON.stringify({ format: 'fingan-checkpoint-pointer', step: this.step }));
    this.args.onEvent?.({ type: 'checkpoint', step: this.step, dir });
  }

  private async tryResume(dir: string): Promise<boolean> {
    const metaPath = join(dir, 'state', 'checkpoint.json');
    if (!existsSync(metaPath)) return false;
    let meta: z.infer<typeof checkpointSchema>;
    try {
      meta = checkpointSchema.parse(JSON.parse(readFileSync(metaPath, 'utf8')));
    } catch (e) {
      throw new ModelFormatError(`checkpoint ${metaPath} is unreadable: ${(e as Error).message.split('\n')[0]}`, { file: metaPath });
    }
    const groups = decodeWeights(meta.weights, readFileSync(join(dir, 'state', 'weights.bin')), join(dir, 'state', 'weights.bin'));
    assignModelWeights(this.problem.generator, groups.generator, metaPath);
    assignModelWeights(this.problem.critic, groups.critic, metaPath);
    // Adam state is positional; names differ between processes, so rename to this optimizer's names.
    await this.gOpt.setWeights(groups.generatorOptimizer);
    await this.dOpt.setWeights(groups.criticOptimizer);
    if (groups.bestGenerator) this.bestWeights = groups.bestGenerator.map((w) => w.tensor);
    for (const g of [groups.generator, groups.critic]) g.forEach((w) => w.tensor.dispose());
    this.step = meta.step;
    this.history = meta.history;
    this.elapsedBefore = meta.elapsedMs;
    this.best = meta.best;
    this.rng.setState(meta.rng as { s: [number, number, number, number]; spare: number | null });
    return true;
  }
}
