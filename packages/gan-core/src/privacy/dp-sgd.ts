/**
 * DP-SGD for a GAN critic (Abadi et al. 2016): every real example's gradient is clipped to L2 norm `clipNorm`, the
 * clipped gradients are summed, Gaussian noise of standard deviation `noiseMultiplier * clipNorm` is added to every
 * coordinate of the sum, and the result is divided by the expected batch size. The real batch is drawn by Poisson
 * sampling (each training row independently with probability q), which is what the RDP accountant (rdp.ts) assumes.
 *
 * Only the critic's loss on real rows touches the data. Its loss on generated rows, and the gradient penalty when it
 * is taken on generated rows only, are functions of the generator and of data-independent randomness: their gradient
 * is added unclipped. The generator never sees real rows (it learns through the critic), so it is post-processing.
 *
 * Per-example gradients without a loop over examples (the "probe" trick for dense layers): a zero tensor is added to
 * each dense layer's pre-activation z_l = a_l W_l + b_l; one backward pass of the summed loss gives, w.r.t. the
 * probes, every example's gradient g_l = d loss_i / d z_l (examples do not interact). The example's weight gradient is
 * then the outer product a_i^T g_i, whose squared norm is |a_i|^2 |g_i|^2 (plus |g_i|^2 for the bias), and the
 * clipped sum is a^T diag(c) g with c_i = min(1, C / norm_i). This works for chains of dense layers with pointwise
 * activations (the critic `mlp` builds); other layers are refused.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors.js';
import type { Rng } from '../random/rng.js';

/** One dense layer of a chain: kernel [in, out], bias [out], the activation after it. */
export interface DenseLink {
  kernel: tf.Variable;
  bias: tf.Variable;
  /** LeakyReLU slope; null for a linear (output) layer. */
  leakySlope: number | null;
}

/**
 * The dense chain of a model built by `mlp` (inputs, an optional concatenation of [x, cond], Dense layers each
 * optionally followed by LeakyReLU). Anything else (layer norm, dropout, other activations) is refused: the probe
 * trick above is only correct for this shape.
 */
export function denseChainOf(model: tf.LayersModel): DenseLink[] {
  const chain: DenseLink[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Concatenate') continue;
    if (cls === 'Dense') {
      const cfg = layer.getConfig() as { activation?: string; useBias?: boolean };
      if ((cfg.activation ?? 'linear') !== 'linear' || cfg.useBias === false) {
        throw new UsageError(`DP-SGD: layer ${layer.name} of ${model.name} must be a linear dense layer with a bias`);
      }
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      chain.push({ kernel, bias, leakySlope: null });
      continue;
    }
    if (cls === 'LeakyReLU' && chain.length > 0 && chain[chain.length - 1].leakySlope === null) {
      chain[chain.length - 1].leakySlope = (layer.getConfig() as { alpha: number }).alpha;
      continue;
    }
    throw new UsageError(`DP-SGD supports critics of dense layers and LeakyReLU only; ${model.name} has a ${cls} layer (${layer.name})`);
  }
  if (chain.length === 0) throw new UsageError(`DP-SGD: ${model.name} has no dense layer`);
  return chain;
}

/** The chain's variables in the order clippedGradientSum returns their gradients: kernel, bias per layer. */
export function chainVariables(chain: DenseLink[]): tf.Variable[] {
  return chain.flatMap((l) => [l.kernel, l.bias]);
}

function activate(z: tf.Tensor, slope: number | null): tf.Tensor {
  return slope === null ? z : tf.leakyRelu(z, slope);
}

/** The chain's output (shape [m, out]) on the input [m, in]. */
export function chainForward(chain: DenseLink[], input: tf.Tensor2D): tf.Tensor2D {
  let h: tf.Tensor = input;
  for (const l of chain) h = activate(tf.add(tf.matMul(h, l.kernel), l.bias), l.leakySlope);
  return h as tf.Tensor2D;
}

/**
 * The sum over examples of each example's gradient of `sign * output_i` (output of width 1), each clipped to L2 norm
 * `clipNorm` over all the chain's parameters; also every example's unclipped norm and the chain's outputs (its
 * forward pass, [m, 1]). Gradients come in `chainVariables` order. Call inside tf.tidy.
 */
export function clippedGradientSum(
  chain: DenseLink[],
  input: tf.Tensor2D,
  sign: number,
  clipNorm: number,
): { grads: tf.Tensor[]; norms: tf.Tensor1D; outputs: tf.Tensor2D } {
  const m = input.shape[0];
  // Inputs of every layer (forward pass without probes).
  const acts: tf.Tensor2D[] = [];
  let h: tf.Tensor = input;
  for (const l of chain) {
    acts.push(h as tf.Tensor2D);
    h = activate(tf.add(tf.matMul(h, l.kernel), l.bias), l.leakySlope);
  }
  const probes = chain.map((l) => tf.zeros([m, l.bias.shape[0]]));
  const f = (...ps: tf.Tensor[]) => {
    let x: tf.Tensor = input;
    chain.forEach((l, i) => {
      x = activate(tf.add(tf.add(tf.matMul(x, l.kernel), l.bias), ps[i]), l.leakySlope);
    });
    return tf.mul(sign, tf.sum(x)) as tf.Scalar;
  };
  const gs = tf.grads(f)(probes) as tf.Tensor2D[];
  let sq: tf.Tensor = tf.zeros([m]);
  gs.forEach((g, i) => {
    const aSq = tf.add(tf.sum(tf.square(acts[i]), 1), 1);
    sq = tf.add(sq, tf.mul(aSq, tf.sum(tf.square(g), 1)));
  });
  const norms = tf.sqrt(sq) as tf.Tensor1D;
  const scale = tf.minimum(1, tf.div(clipNorm, tf.add(norms, 1e-6)));
  const col = tf.reshape(scale, [m, 1]);
  const grads: tf.Tensor[] = [];
  gs.forEach((g, i) => {
    const gc = tf.mul(g, col);
    // Explicit transpose: transposed matmuls are slow on wasm.
    grads.push(tf.matMul(tf.transpose(acts[i]), gc), tf.sum(gc, 0));
  });
  return { grads, norms, outputs: h as tf.Tensor2D };
}

export interface DpCriticStepArgs {
  /** The critic as a dense chain (see denseChainOf) over the input [x, cond]. */
  chain: DenseLink[];
  optimizer: tf.Optimizer;
  /** L2 bound on one example's gradient. */
  clipNorm: number;
  /** Noise standard deviation / clipNorm. */
  noiseMultiplier: number;
  /** q x rows: the divisor of the noisy sum (the expected Poisson batch size). */
  expectedBatch: number;
  /** The Poisson-sampled real rows, already joined with their condition ([m, in]); null when none was drawn. */
  realInput(rng: Rng): tf.Tensor2D | null;
  /**
   * Generated rows joined with their condition ([B, in]), drawn from data-independent randomness (the conditions from
   * already-released statistics, never from the real batch).
   */
  fakeInput(rng: Rng): tf.Tensor2D;
  /** Weight of the gradient penalty, taken at generated rows only (0: none). */
  gpWeight: number;
  /** Columns of the input that are the row (the rest is its condition): the penalty's gradient is w.r.t. these. */
  rowWidth: number;
  /**
   * Clip each generated row's gradient to `clipNorm` too (default true). The real rows' term is a mean of clipped
   * gradients; left unclipped, the generated rows' term can be many times larger and the critic learns mostly to push
   * generated rows down. Clipping both keeps the two terms on one scale; it adds no noise and costs no privacy (the
   * generated rows are data-independent).
   */
  clipGenerated?: boolean;
}

/**
 * One DP-SGD critic step. The noise comes from the seeded `rng` (same seed, same bytes). Returns the loss recorded in
 * the history: only the data-independent part (the critic's mean score on generated rows, plus the penalty), since
 * the loss on real rows is not privatised and the history is saved with the model.
 */
export function dpCriticStep(args: DpCriticStepArgs, rng: Rng): { loss: number; penalty: number } {
  const vars = chainVariables(args.chain);
  const sd = args.noiseMultiplier * args.clipNorm;
  let lossValue = 0;
  let penaltyValue = 0;
  tf.tidy(() => {
    const real = args.realInput(rng);
    let sums: tf.Tensor[];
    if (real) sums = clippedGradientSum(args.chain, real, -1, args.clipNorm).grads;
    else sums = vars.map((v) => tf.zerosLike(v));
    const noisy = sums.map((s, i) => {
      const noise = rng.fillNormal(new Float32Array(vars[i].size));
      for (let k = 0; k < noise.length; k++) noise[k] *= sd;
      return tf.div(tf.add(s, tf.tensor(noise, vars[i].shape)), args.expectedBatch);
    });
    const fake = args.fakeInput(rng);
    // The generated rows' term of the critic loss, mean over rows of D(fake): clipped per row like the real term, or whole.
    const clipped = (args.clipGenerated ?? true) ? clippedGradientSum(args.chain, fake, 1, args.clipNorm) : null;
    const fakeTerm = clipped ? clipped.grads.map((g) => tf.div(g, fake.shape[0])) : null;
    // The recorded loss: mean D(fake) (from the clipped pass's forward outputs, or in the loss below) plus the penalty.
    lossValue = clipped ? (tf.mean(clipped.outputs).dataSync() as Float32Array)[0] : 0;
    let rest: Record<string, tf.Tensor> = {};
    if (!clipped || args.gpWeight > 0) {
      const { value, grads } = tf.variableGrads(() => {
        let loss = (clipped ? tf.scalar(0) : tf.mean(chainForward(args.chain, fake))) as tf.Scalar;
        if (args.gpWeight > 0) {
          // WGAN-GP's penalty (||grad_x D(x)|| - 1)^2, at generated rows: data-independent, so it needs no clipping.
          const full = tf.grad((x: tf.Tensor) => tf.sum(chainForward(args.chain, x as tf.Tensor2D)))(fake);
          const g = full.shape[1] === args.rowWidth ? full : tf.slice(full, [0, 0], [-1, args.rowWidth]);
          const gp = tf.mean(tf.square(tf.sub(tf.sqrt(tf.add(tf.sum(tf.square(g), 1), 1e-12)), 1))) as tf.Scalar;
          penaltyValue = gp.dataSync()[0];
          loss = tf.add(loss, tf.mul(args.gpWeight, gp)) as tf.Scalar;
        }
        return loss;
      }, vars);
      rest = grads;
      lossValue += value.dataSync()[0];
    }
    const total: Record<string, tf.Tensor> = {};
    vars.forEach((v, i) => {
      let g = noisy[i];
      if (fakeTerm) g = tf.add(g, fakeTerm[i]);
      if (rest[v.name]) g = tf.add(g, rest[v.name]);
      total[v.name] = g;
    });
    args.optimizer.applyGradients(total);
  });
  return { loss: lossValue, penalty: penaltyValue };
}

/** Poisson sampling: the indices of the rows drawn, each of the n rows independently with probability q. */
export function poissonSample(n: number, q: number, rng: Rng): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (rng.next() < q) out.push(i);
  return Int32Array.from(out);
}
