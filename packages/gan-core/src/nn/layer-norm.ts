import * as tf from '@tensorflow/tfjs';

export interface FastLayerNormArgs {
  /** Added to the variance before the square root (default 1e-3, as tfjs-layers' LayerNormalization). */
  epsilon?: number;
  name?: string;
}

/**
 * Layer normalisation over the last axis with a learned gain and bias, y = (x - mean) / sqrt(var + eps) * gamma + beta.
 * Same maths and weight names (gamma, beta) as tfjs-layers' LayerNormalization, but gamma and beta are broadcast
 * instead of tiled to the batch: the stock layer calls `Tile` on every forward pass (and its gradient on every
 * backward), which on the wasm backend was a quarter of a tabular fit's time. Written with ops whose gradients are
 * computed from their inputs (mean, sub, square, sqrt, reciprocal, mul, add), so second-order gradients (a gradient
 * penalty through a critic with layer norm) are correct too; layer-norm.test.ts checks both orders against finite
 * differences and values against the stock layer. Registered for serialisation as 'FinganLayerNorm', so a saved
 * model loads back (models saved with the stock layer still load with it).
 */
export class FastLayerNorm extends tf.layers.Layer {
  static className = 'FinganLayerNorm';
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: FastLayerNormArgs = {}) {
    super({ name: args.name });
    this.epsilon = args.epsilon ?? 1e-3;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = s[s.length - 1];
    if (d === null || d === undefined) throw new Error(`${this.name}: the last axis of the input must have a known size`);
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const axis = x.rank - 1;
      const centred = tf.sub(x, tf.mean(x, axis, true));
      const inv = tf.reciprocal(tf.sqrt(tf.add(tf.mean(tf.square(centred), axis, true), this.epsilon)));
      return tf.add(tf.mul(tf.mul(centred, inv), this.gamma!.read()), this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(FastLayerNorm);

/** A FastLayerNorm layer (see there). */
export function fastLayerNorm(args: FastLayerNormArgs = {}): FastLayerNorm {
  return new FastLayerNorm(args);
}
