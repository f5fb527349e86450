// Test helper: record the attributes every wasm matmul kernel call receives.
import * as tf from '@tensorflow/tfjs';

export type MatMulAttrs = { transposeA?: boolean; transposeB?: boolean };

export function spyMatMul(): MatMulAttrs[] {
  const seen: MatMulAttrs[] = [];
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const k = tf.getKernel(name, 'wasm')!;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        seen.push({ ...(args.attrs as MatMulAttrs) });
        return k.kernelFunc(args);
      },
    });
  }
  return seen;
}

/** A backward pass through a matmul; returns the gradient's values. */
export function backwardPass(): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(
      Array.from({ length: 16 * 8 }, (_, i) => Math.sin(i)),
      [16, 8],
    );
    const w = tf.tensor2d(
      Array.from({ length: 8 * 4 }, (_, i) => Math.cos(i)),
      [8, 4],
    );
    const dense = (v: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(x, v as tf.Tensor2D))));
    return tf.grad(dense)(w).dataSync() as Float32Array;
  });
}
