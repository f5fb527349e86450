import * as tf from '@tensorflow/tfjs';

/** Wasserstein critic loss without the penalty: E[D(fake)] - E[D(real)]. */
export function wassersteinCriticLoss(realScores: tf.Tensor, fakeScores: tf.Tensor): tf.Scalar {
  return tf.sub(tf.mean(fakeScores), tf.mean(realScores)) as tf.Scalar;
}

export function wassersteinGeneratorLoss(fakeScores: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(fakeScores)) as tf.Scalar;
}

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017): E[(||grad_x D(x_hat)|| - 1)^2] on random interpolates
 * x_hat = eps * real + (1 - eps) * fake, one eps per (packed) sample. The penalty is itself differentiated with
 * respect to the critic's weights, so it needs correct second-order gradients: `initBackend` installs the fixes,
 * and gradient-penalty.test.ts checks the result against finite differences for every critic type we ship.
 *
 * @param critic the critic as a function of its (packed) input only (close over any condition)
 * @param eps uniform [0,1) values, shape [B] (one per row of `real`)
 */
export function gradientPenalty(critic: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, eps: tf.Tensor1D): tf.Scalar {
  const b = real.shape[0];
  const e = tf.reshape(eps, [b, ...real.shape.slice(1).map(() => 1)]);
  const xHat = tf.add(tf.mul(e, real), tf.mul(tf.sub(1, e), fake));
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(xHat);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(g, [b, -1])), 1), 1e-12));
  return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
}
