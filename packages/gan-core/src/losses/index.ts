import * as tf from '@tensorflow/tfjs';
import { lsganCriticLoss, lsganGeneratorLoss } from './lsgan.js';
import { minimaxCriticLoss, minimaxGeneratorLoss } from './minimax.js';
import { wassersteinCriticLoss, wassersteinGeneratorLoss } from './wgan-gp.js';

export { pack } from './pac.js';
export { gradientPenalty, wassersteinCriticLoss, wassersteinGeneratorLoss } from './wgan-gp.js';
export { minimaxCriticLoss, minimaxGeneratorLoss } from './minimax.js';
export { lsganCriticLoss, lsganGeneratorLoss } from './lsgan.js';

export type LossKind = 'wgan-gp' | 'minimax' | 'lsgan';
export const LOSS_KINDS: readonly LossKind[] = ['wgan-gp', 'minimax', 'lsgan'];

/** The critic's adversarial loss (without WGAN-GP's penalty, which the trainer adds). */
export function criticLoss(kind: LossKind, real: tf.Tensor, fake: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  if (kind === 'wgan-gp') return wassersteinCriticLoss(real, fake);
  if (kind === 'lsgan') return lsganCriticLoss(real, fake, labelSmoothing);
  return minimaxCriticLoss(real, fake, labelSmoothing);
}

export function generatorLoss(kind: LossKind, fake: tf.Tensor): tf.Scalar {
  if (kind === 'wgan-gp') return wassersteinGeneratorLoss(fake);
  if (kind === 'lsgan') return lsganGeneratorLoss(fake);
  return minimaxGeneratorLoss(fake);
}
