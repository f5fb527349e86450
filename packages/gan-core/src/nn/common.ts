import * as tf from '@tensorflow/tfjs';

export type Activation = 'leakyRelu' | 'relu' | 'tanh' | 'elu' | 'linear';
export type OutputActivation = 'linear' | 'tanh' | 'sigmoid';

/** Apply a hidden activation as a layer. LeakyReLU uses slope 0.2 (the GAN convention). */
export function activationLayer(x: tf.SymbolicTensor, act: Activation, name: string): tf.SymbolicTensor {
  if (act === 'linear') return x;
  if (act === 'leakyRelu') return tf.layers.leakyReLU({ alpha: 0.2, name }).apply(x) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: act, name }).apply(x) as tf.SymbolicTensor;
}

/** The model's inputs: `x` and, when `condDim > 0`, a condition vector concatenated to it. */
export function inputsWithCondition(shape: number[], condDim: number, prefix: string): { inputs: tf.SymbolicTensor[]; joined: tf.SymbolicTensor } {
  const x = tf.input({ shape, name: `${prefix}_x` });
  if (!condDim) return { inputs: [x], joined: x };
  const condShape = shape.length === 1 ? [condDim] : [shape[0], condDim];
  const c = tf.input({ shape: condShape, name: `${prefix}_cond` });
  const joined = tf.layers.concatenate({ axis: -1, name: `${prefix}_join` }).apply([x, c]) as tf.SymbolicTensor;
  return { inputs: [x, c], joined };
}

/** Run a model built by these builders on tensors (x, and the condition when the model takes one). */
export function applyNet(model: tf.LayersModel, x: tf.Tensor, cond?: tf.Tensor, training = false): tf.Tensor {
  const ins = model.inputs.length > 1 ? [x, cond as tf.Tensor] : x;
  if (model.inputs.length > 1 && !cond) throw new Error(`${model.name} needs a condition input`);
  return model.apply(ins, { training }) as tf.Tensor;
}

export function glorot(seed?: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed });
}

/** Arguments shared by the vector networks (MLP, residual MLP). */
export interface VectorNetArgs {
  /** Width of the main input. */
  inputDim: number;
  /** Width of an optional condition vector, concatenated to the input. */
  condDim?: number;
  /** Hidden layer (or block) widths, e.g. [256, 256]. */
  hidden: number[];
  outputDim: number;
  activation?: Activation;
  /** Default 'linear' (critic scores, logits). */
  outputActivation?: OutputActivation;
  /** Seed for weight initialisation (deterministic models). */
  seed?: number;
  name?: string;
}

/** The final dense layer of a vector network (seeded separately from the hidden layers). */
export function outputLayer(h: tf.SymbolicTensor, args: VectorNetArgs, name: string): tf.SymbolicTensor {
  return tf.layers
    .dense({
      units: args.outputDim,
      activation: args.outputActivation ?? 'linear',
      kernelInitializer: glorot(args.seed === undefined ? undefined : args.seed + 1000),
      name: `${name}_out`,
    })
    .apply(h) as tf.SymbolicTensor;
}
