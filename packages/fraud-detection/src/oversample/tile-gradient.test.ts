import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend, tf } from '@fingan/gan-core';
import { useFastTileGradient } from './tile-gradient.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  useFastTileGradient();
});

/** d/dx sum(tile(x, reps) * w): each x cell collects the w cells it was copied to. */
function tileGrad(x: tf.Tensor, reps: number[], w: tf.Tensor): number[] {
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, reps), w)))(x);
  return Array.from(g.dataSync());
}

describe('fast Tile gradient', () => {
  test('rank 2: x [2, 3] tiled [2, 2]; the gradient is the sum of the four 2x3 blocks of w', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    // w is 4 x 6 with w[i][j] = 10 i + j, so block (bi, bj) at cell (p, q) is 10 (2 bi + p) + 3 bj + q; summed over
    // bi, bj in {0, 1}: 40 p + 4 q + 10 * (0 + 2 + 0 + 2) + (0 + 0 + 3 + 3) = 40 p + 4 q + 46.
    const w = tf.tensor2d(Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, j) => 10 * i + j)));
    expect(tileGrad(x, [2, 2], w)).toEqual([46, 50, 54, 86, 90, 94]);
  });

  test('rank 1 and rank 3 agree with summing the copies by hand', () => {
    // [a, b] tiled 3 times: grad_a = w0 + w2 + w4 = 1 + 3 + 5, grad_b = 2 + 4 + 6.
    expect(tileGrad(tf.tensor1d([7, 8]), [3], tf.tensor1d([1, 2, 3, 4, 5, 6]))).toEqual([9, 12]);
    // [1, 1, 2] tiled [1, 3, 1] against w = 1..6 in shape [1, 3, 2]: grads (1 + 3 + 5, 2 + 4 + 6).
    const x = tf.tensor3d([[[0, 0]]]);
    expect(tileGrad(x, [1, 3, 1], tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]))).toEqual([9, 12]);
  });

  test('the layer-norm pattern: a [1, d] scale tiled to the batch gets the column sums of dy', () => {
    const scale = tf.tensor2d([[1, 1, 1]]);
    const dy = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
    expect(tileGrad(scale, [4, 1], dy)).toEqual([22, 26, 30]);
  });
});
