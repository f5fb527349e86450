import * as tf from '@tensorflow/tfjs';
import { fastLayerNorm } from './layer-norm.js';
import { activationLayer, glorot, inputsWithCondition, outputLayer, type Activation, type VectorNetArgs } from './common.js';

export interface ResidualMlpArgs extends VectorNetArgs {
  /** Block activation; default 'relu'. */
  activation?: Activation;
}

/**
 * A residual MLP generator: each block computes act(layerNorm(dense(h))) and concatenates it to its input, so
 * later layers see both the raw noise/condition and every earlier block's features (the skip path keeps gradients
 * flowing to the condition, which is what makes conditional sampling work). Layer norm instead of batch norm keeps
 * training and sampling identical.
 */
export function residualMlp(args: ResidualMlpArgs): tf.LayersModel {
  const name = args.name ?? 'resmlp';
  const { inputs, joined } = inputsWithCondition([args.inputDim], args.condDim ?? 0, name);
  let h = joined;
  args.hidden.forEach((units, i) => {
    let b = tf.layers
      .dense({ units, kernelInitializer: glorot(args.seed === undefined ? undefined : args.seed + i), name: `${name}_block${i}_dense` })
      .apply(h) as tf.SymbolicTensor;
    b = fastLayerNorm({ name: `${name}_block${i}_ln` }).apply(b) as tf.SymbolicTensor;
    b = activationLayer(b, args.activation ?? 'relu', `${name}_block${i}_act`);
    h = tf.layers.concatenate({ axis: -1, name: `${name}_block${i}_skip` }).apply([b, h]) as tf.SymbolicTensor;
  });
  const out = outputLayer(h, args, name);
  return tf.model({ inputs, outputs: out, name });
}
