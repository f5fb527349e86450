import * as tf from '@tensorflow/tfjs';

/**
 * Minimax (cross-entropy) GAN losses on logits. The generator uses the non-saturating form
 * (maximise log D(G(z)) rather than minimise log(1 - D(G(z)))), which keeps its gradient alive early on.
 * `labelSmoothing` is one-sided: real targets become 1 - s, fake targets stay 0.
 */
export function minimaxCriticLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  const realTarget = tf.fill(realLogits.shape, 1 - labelSmoothing);
  const real = tf.losses.sigmoidCrossEntropy(realTarget, realLogits);
  const fake = tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits);
  return tf.add(real, fake) as tf.Scalar;
}

export function minimaxGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar;
}
