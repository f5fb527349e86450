import * as tf from '@tensorflow/tfjs';

/** Least-squares GAN (Mao et al. 2017): targets 1 for real (1 - s with one-sided smoothing), 0 for fake. */
export function lsganCriticLoss(realScores: tf.Tensor, fakeScores: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  const r = tf.mean(tf.square(tf.sub(realScores, 1 - labelSmoothing)));
  const f = tf.mean(tf.square(fakeScores));
  return tf.mul(0.5, tf.add(r, f)) as tf.Scalar;
}

export function lsganGeneratorLoss(fakeScores: tf.Tensor): tf.Scalar {
  return tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeScores, 1)))) as tf.Scalar;
}
