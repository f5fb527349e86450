/**
 * An unconditional GAN on numeric vectors (MLP generator and critic): the simplest complete model, and the
 * reference for benchmarks. Data should be roughly standardised.
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidDataError } from '../errors.js';
import { ensureBackend } from '../backend/backend.js';
import { mlp } from '../nn/mlp.js';
import { applyNet, type Activation } from '../nn/common.js';
import { Rng } from '../random/rng.js';
import { AdversarialTrainer, type TrainerArgs, type TrainResult } from '../training/trainer.js';
import type { LossKind } from '../losses/index.js';

export interface MlpGanArgs {
  dataDim: number;
  noiseDim?: number;
  generatorHidden?: number[];
  criticHidden?: number[];
  activation?: Activation;
  loss?: LossKind;
  seed?: number;
}

export type MlpGanFitArgs = Omit<TrainerArgs, 'loss' | 'seed'> & { seed?: number };

export class MlpGan {
  readonly generator: tf.LayersModel;
  readonly critic: tf.LayersModel;
  readonly noiseDim: number;
  readonly loss: LossKind;
  private readonly seed: number;
  private trainer: AdversarialTrainer | null = null;

  constructor(readonly args: MlpGanArgs) {
    this.noiseDim = args.noiseDim ?? 16;
    this.loss = args.loss ?? 'wgan-gp';
    this.seed = args.seed ?? 0;
    this.generator = mlp({
      inputDim: this.noiseDim,
      hidden: args.generatorHidden ?? [128, 128],
      outputDim: args.dataDim,
      activation: args.activation ?? 'relu',
      seed: this.seed,
      name: 'generator',
    });
    this.critic = mlp({
      inputDim: args.dataDim,
      hidden: args.criticHidden ?? [128, 128],
      outputDim: 1,
      activation: 'leakyRelu',
      seed: this.seed + 500,
      name: 'critic',
    });
  }

  /** Train on rows of `data` ([n][dataDim] or row-major Float32Array). */
  async fit(data: ArrayLike<number>[] | Float32Array, args: MlpGanFitArgs): Promise<TrainResult> {
    await ensureBackend();
    const d = this.args.dataDim;
    const flat = data instanceof Float32Array ? data : Float32Array.from((data as ArrayLike<number>[]).flatMap((r) => Array.from(r)));
    if (flat.length % d !== 0 || flat.length === 0) throw new InvalidDataError(`data must have rows of ${d} values`);
    for (let i = 0; i < flat.length; i++)
      if (!Number.isFinite(flat[i])) throw new InvalidDataError(`data holds a non-finite value at row ${Math.floor(i / d)}`);
    const n = flat.length / d;
    const noiseDim = this.noiseDim;
    const batch = (size: number, rng: Rng) => {
      const out = new Float32Array(size * d);
      for (let i = 0; i < size; i++) {
        const r = rng.int(n);
        out.set(flat.subarray(r * d, r * d + d), i * d);
      }
      return tf.tensor2d(out, [size, d]);
    };
    this.trainer?.dispose();
    this.trainer = new AdversarialTrainer(
      {
        generator: this.generator,
        critic: this.critic,
        realBatch: (size, rng) => ({ real: batch(size, rng) }),
        noiseBatch: (size, rng) => ({ noise: tf.tensor2d(rng.fillNormal(new Float32Array(size * noiseDim)), [size, noiseDim]) }),
      },
      { ...args, loss: this.loss, seed: args.seed ?? this.seed },
    );
    return this.trainer.fit();
  }

  /** Draw n samples (row-major [n, dataDim]); the same seed gives bit-identical samples on the same backend. */
  sample(n: number, { seed = 0, batchSize = 65536 }: { seed?: number; batchSize?: number } = {}): Float32Array {
    const d = this.args.dataDim;
    const rng = new Rng(seed);
    const out = new Float32Array(n * d);
    const noise = new Float32Array(Math.min(n, batchSize) * this.noiseDim);
    for (let start = 0; start < n; start += batchSize) {
      const m = Math.min(batchSize, n - start);
      const z = rng.fillNormal(m === noise.length / this.noiseDim ? noise : new Float32Array(m * this.noiseDim));
      // Keep typed arrays out of tf.tidy's return value: tidy walks every element of what it returns.
      const y = tf.tidy(() => applyNet(this.generator, tf.tensor2d(z, [m, this.noiseDim])));
      out.set(y.dataSync(), start * d);
      y.dispose();
    }
    return out;
  }

  dispose(): void {
    this.trainer?.dispose();
    this.generator.dispose();
    this.critic.dispose();
  }
}
