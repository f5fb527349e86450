import { tf, type CellType } from '@fingan/gan-core';

/**
 * The two networks of the recurrent path GAN, built from standard tfjs layers so that the generator can be saved
 * with gan-core's model directories and stepped one chunk at a time (`GeneratorStepper`).
 */
export interface PathGeneratorArgs {
  /** Noise width per step. */
  noiseDim: number;
  /** Per-step condition width (regime features); 0 for none. */
  condDim: number;
  /** Units of the recurrent layer. */
  units: number;
  cell: CellType;
  /** Width of the per-step head's hidden layer. */
  hidden: number;
  /** Outputs per step (one innovation per asset). */
  outputDim: number;
  seed: number;
  name?: string;
}

/** Names of the generator's layers, shared with the stepper. */
export function generatorLayerNames(name: string) {
  return {
    noise: `${name}_noise`,
    cond: `${name}_cond`,
    join: `${name}_join`,
    rnn: `${name}_rnn`,
    skip: `${name}_skip`,
    hidden: `${name}_hidden`,
    act: `${name}_act`,
    out: `${name}_out`,
  };
}

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });

/**
 * [batch, T, noise] (+ [batch, T, cond]) -> [batch, T, outputDim] for any T. A recurrent layer carries the
 * memory; the head sees the recurrent output *and* the step's own noise and condition (a skip connection). The
 * skip matters for heavy tails: a head fed only by the recurrent output sees values squashed into (-1, 1) by the
 * cell's tanh, while the step's Gaussian noise passed through the leaky-ReLU head can be stretched into a tail.
 */
export function pathGenerator(args: PathGeneratorArgs): tf.LayersModel {
  const n = generatorLayerNames(args.name ?? 'generator');
  const noise = tf.input({ shape: [null, args.noiseDim], name: n.noise });
  const inputs = [noise];
  let joined: tf.SymbolicTensor = noise;
  if (args.condDim > 0) {
    const cond = tf.input({ shape: [null, args.condDim], name: n.cond });
    inputs.push(cond);
    joined = tf.layers.concatenate({ axis: -1, name: n.join }).apply([noise, cond]) as tf.SymbolicTensor;
  }
  const common = {
    units: args.units,
    returnSequences: true,
    kernelInitializer: glorot(args.seed),
    recurrentInitializer: glorot(args.seed + 1),
    // Sigmoid gates: tfjs defaults to hardSigmoid, whose flat regions stop gradients.
    recurrentActivation: 'sigmoid' as const,
    name: n.rnn,
  };
  const rnnLayer = args.cell === 'gru' ? tf.layers.gru(common) : tf.layers.lstm(common);
  const h = rnnLayer.apply(joined) as tf.SymbolicTensor;
  const skip = tf.layers.concatenate({ axis: -1, name: n.skip }).apply([h, joined]) as tf.SymbolicTensor;
  const hid = tf.layers.dense({ units: args.hidden, kernelInitializer: glorot(args.seed + 2), name: n.hidden }).apply(skip) as tf.SymbolicTensor;
  const act = tf.layers.leakyReLU({ alpha: 0.2, name: n.act }).apply(hid) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: args.outputDim, kernelInitializer: glorot(args.seed + 3), name: n.out }).apply(act) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name: args.name ?? 'generator' });
}

/**
 * Appends |x| to the channels. Volatility clustering is a property of |r|, which a network with piecewise-linear
 * units would otherwise have to build from two ReLUs per channel; handing it over makes the critic ACF-aware.
 */
export class AbsChannels extends tf.layers.Layer {
  static className = 'FinganAbsChannels';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const last = s[s.length - 1];
    return [...s.slice(0, -1), last === null ? null : 2 * last];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.concat([x, tf.abs(x)], -1);
    });
  }
}
tf.serialization.registerClass(AbsChannels);

export interface WindowCriticArgs {
  /** Window length T; must be divisible by the product of `patches`. */
  window: number;
  /** Channels per step (assets). */
  inputDim: number;
  condDim: number;
  /** Filters of every convolution. */
  filters: number;
  /** Kernel size (= stride) of each convolution after the first, pointwise one. */
  patches: number[];
  seed: number;
  name?: string;
}

/**
 * A convolutional critic over a window: a pointwise convolution of [x, |x|, condition] per step, then
 * convolutions whose kernel equals their stride (each step reads `patch` consecutive outputs of the layer below,
 * so the receptive field grows to the whole window), then a linear score. Written with reshape + dense, i.e.
 * matrix products only: tfjs-wasm has no gradient kernel for conv1d filters, and WGAN-GP needs gradients of
 * gradients, which matrix products have on every backend.
 */
export function windowCritic(args: WindowCriticArgs): tf.LayersModel {
  const name = args.name ?? 'critic';
  const total = args.patches.reduce((a, b) => a * b, 1);
  if (args.window % total !== 0) throw new RangeError(`critic window ${args.window} is not divisible by ${total}`);
  const x = tf.input({ shape: [args.window, args.inputDim], name: `${name}_x` });
  const inputs = [x];
  let h = new AbsChannels({ name: `${name}_abs` }).apply(x) as tf.SymbolicTensor;
  if (args.condDim > 0) {
    const cond = tf.input({ shape: [args.window, args.condDim], name: `${name}_cond` });
    inputs.push(cond);
    h = tf.layers.concatenate({ axis: -1, name: `${name}_join` }).apply([h, cond]) as tf.SymbolicTensor;
  }
  const conv = (t: tf.SymbolicTensor, i: number) => {
    const d = tf.layers.dense({ units: args.filters, kernelInitializer: glorot(args.seed + i), name: `${name}_conv${i}` }).apply(t) as tf.SymbolicTensor;
    return tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_act${i}` }).apply(d) as tf.SymbolicTensor;
  };
  h = conv(h, 0);
  let steps = args.window;
  args.patches.forEach((p, i) => {
    steps /= p;
    h = tf.layers.reshape({ targetShape: [steps, p * args.filters], name: `${name}_patch${i + 1}` }).apply(h) as tf.SymbolicTensor;
    h = conv(h, i + 1);
  });
  h = tf.layers.flatten({ name: `${name}_flat` }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: glorot(args.seed + 99), name: `${name}_score` }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name });
}
