import * as tf from '@tensorflow/tfjs';
import { activationLayer, glorot, inputsWithCondition, type Activation, type OutputActivation } from './common.js';

export interface MlpArgs {
  /** Width of the main input. */
  inputDim: number;
  /** Width of an optional condition vector, concatenated to the input. */
  condDim?: number;
  /** Hidden layer widths, e.g. [256, 256]. */
  hidden: number[];
  outputDim: number;
  /** Hidden activation; default 'leakyRelu' (slope 0.2). */
  activation?: Activation;
  /** Default 'linear' (critic scores, logits). */
  outputActivation?: OutputActivation;
  /** Layer normalisation after each hidden dense layer (per-sample, so it is safe in WGAN-GP critics, unlike batch norm). */
  layerNorm?: boolean;
  /** Seed for weight initialisation (deterministic models). */
  seed?: number;
  name?: string;
}

/**
 * A multilayer perceptron, optionally conditional.
 * @example
 * const critic = mlp({ inputDim: 32, hidden: [256, 256], outputDim: 1, seed: 1 });
 */
export function mlp(args: MlpArgs): tf.LayersModel {
  const name = args.name ?? 'mlp';
  const { inputs, joined } = inputsWithCondition([args.inputDim], args.condDim ?? 0, name);
  let h = joined;
  args.hidden.forEach((units, i) => {
    h = tf.layers
      .dense({ units, kernelInitializer: glorot(args.seed === undefined ? undefined : args.seed + i), name: `${name}_dense${i}` })
      .apply(h) as tf.SymbolicTensor;
    if (args.layerNorm) h = tf.layers.layerNormalization({ name: `${name}_ln${i}` }).apply(h) as tf.SymbolicTensor;
    h = activationLayer(h, args.activation ?? 'leakyRelu', `${name}_act${i}`);
  });
  const out = tf.layers
    .dense({
      units: args.outputDim,
      activation: args.outputActivation ?? 'linear',
      kernelInitializer: glorot(args.seed === undefined ? undefined : args.seed + 1000),
      name: `${name}_out`,
    })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name });
}
