import * as tf from '@tensorflow/tfjs';

/**
 * PacGAN packing: the critic judges `pac` samples at once, which lets it see a collapsed generator's lack of
 * variety. [B, d] -> [B/pac, pac*d]; [B, T, d] -> [B/pac, T, pac*d]. B must be a multiple of pac.
 */
export function pack(x: tf.Tensor, pac: number): tf.Tensor {
  if (pac === 1) return x;
  const [b, ...rest] = x.shape;
  if (b % pac !== 0) throw new RangeError(`batch of ${b} is not a multiple of pac=${pac}`);
  if (rest.length === 1) return tf.reshape(x, [b / pac, pac * rest[0]]);
  if (rest.length === 2) {
    const [t, d] = rest;
    return tf.reshape(tf.transpose(tf.reshape(x, [b / pac, pac, t, d]), [0, 2, 1, 3]), [b / pac, t, pac * d]);
  }
  throw new RangeError(`pack supports rank 2 and 3 tensors, got rank ${x.rank}`);
}
