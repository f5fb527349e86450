import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { installFastTileGradient } from './tile-gradient.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  installFastTileGradient();
});

it('the gradient of tile sums dy over the repetitions', () => {
  // x is 2x3, tiled 2x2 to 4x6; with dy = 0..23 (row-major), x[a][b] collects dy at rows a, a+2 and columns b, b+3:
  // x[0][0] <- 0 + 3 + 12 + 15 = 30, and each step along b adds 4, along a adds 24.
  const x = tf.zeros([2, 3]);
  const dy = tf.tensor2d(
    Array.from({ length: 24 }, (_, i) => i),
    [4, 6],
  );
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, [2, 2]), dy)))(x);
  expect(Array.from(g.dataSync())).toEqual([30, 34, 38, 54, 58, 62]);
  // rank 1 and a batch-style tile (what layer normalisation does with its gain): [1, 4] -> [3, 4].
  const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, [3]), tf.tensor1d([1, 2, 3, 4, 5, 6]))))(tf.zeros([2]));
  expect(Array.from(g1.dataSync())).toEqual([1 + 3 + 5, 2 + 4 + 6]);
  const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.tile(t, [3, 1])))(tf.zeros([1, 4]));
  expect(Array.from(g2.dataSync())).toEqual([3, 3, 3, 3]);
});
