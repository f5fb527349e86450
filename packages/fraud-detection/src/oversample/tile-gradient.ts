import { tf } from '@fingan/gan-core';

/**
 * tfjs 4.22's gradient of Tile adds up one slice of dy per repetition (`for i < reps[0]: xGrad += slice(dy, ...)`),
 * and the wasm backend's slice reads the whole dy out of wasm memory each time. tfjs-layers' LayerNormalization
 * tiles its scale and offset to the batch size, so the residual generator's backward pass runs `batch` slices of
 * the full activation per layer-norm: quadratic in the batch, 40-50% of a training step at batch 500 (measured with
 * --cpu-prof on the LendingClub table), dwarfing the matmuls.
 *
 * The same gradient in two ops: view dy as [reps0, s0, reps1, s1, ...] and sum over the rep axes. Registered once
 * per process, idempotent; it is exact (a sum of the same terms), so it changes speed, not results beyond float
 * summation order. The right home is gan-core's backend fixes; until it lands there, the GAN sampler applies it.
 */
const MARK = Symbol.for('fingan.fastTileGradient');

export function useFastTileGradient(): void {
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (registry[MARK]) return;
  tf.registerGradient({
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const reps = (attrs as unknown as { reps: number[] }).reps;
      return {
        x: () => {
          const shape: number[] = [];
          const axes: number[] = [];
          x.shape.forEach((s, i) => {
            shape.push(reps[i], s);
            axes.push(2 * i);
          });
          return tf.sum(tf.reshape(dy as tf.Tensor, shape), axes);
        },
      };
    },
  });
  registry[MARK] = true;
}
