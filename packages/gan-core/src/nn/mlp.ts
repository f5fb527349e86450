import * as tf from '@tensorflow/tfjs';
import { fastLayerNorm } from './layer-norm.js';
import { activationLayer, glorot, inputsWithCondition, outputLayer, type Activation, type VectorNetArgs } from './common.js';

export interface MlpArgs extends VectorNetArgs {
  /** Hidden activation; default 'leakyRelu' (slope 0.2). */
  activation?: Activation;
  /** Layer normalisation after each hidden dense layer (per-sample, so it is safe in WGAN-GP critics, unlike batch norm). */
  layerNorm?: boolean;
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
    if (args.layerNorm) h = fastLayerNorm({ name: `${name}_ln${i}` }).apply(h) as tf.SymbolicTensor;
    h = activationLayer(h, args.activation ?? 'leakyRelu', `${name}_act${i}`);
  });
  const out = outputLayer(h, args, name);
  return tf.model({ inputs, outputs: out, name });
}
