import * as tf from '@tensorflow/tfjs';

let installed = false;

/**
 * tfjs 4.22's gradient of Tile adds one slice of dy per repetition. tfjs-layers' LayerNormalization tiles its
 * gain and bias to the batch, so every generator step ran 2 x batch x layers slice-and-add kernels, and on wasm each
 * slice copies the whole dy out of the heap: about 1,300 copies of a 200 x 128 tensor per step, a third of the
 * step's time. The same gradient is the sum of dy over the repetition axes: reshape [.., reps_i, x_i, ..] and sum.
 * Registered once, for every backend; values equal the original up to summation order.
 */
export function installFastTileGradient(): void {
  if (installed) return;
  installed = true;
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
          x.shape.forEach((d, i) => {
            axes.push(shape.length);
            shape.push(reps[i], d);
          });
          return tf.sum(tf.reshape(dy as tf.Tensor, shape), axes);
        },
      };
    },
  });
}
