/**
 * The two measured tfjs 4.22 defects, fixed in one place (see docs in the package README):
 *
 * 1. wasm `BatchMatMul`/`_FusedMatMul` with transposeA/B (every backward pass uses them) runs 15-28x slower than
 *    without. We re-register both kernels so they materialise the transpose first and call the fast path.
 * 2. Second-order gradients (WGAN-GP's penalty is a gradient of a gradient):
 *    a. comparison/logical ops (Greater, LessEqual, ...) have no registered gradient, so grad-of-grad through
 *       LeakyReLU, clip or hardSigmoid throws "gradient function not found for Greater". They are piecewise constant,
 *       so a zero gradient is the correct one.
 *    b. Tanh, Sigmoid and Exp save their *output* for the backward pass; under nested differentiation the path
 *       through that saved output is pruned and the result is silently wrong (2-35%). We re-register them to save
 *       the input and recompute.
 */
import * as tf from '@tensorflow/tfjs';

type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
const PATCHED = Symbol.for('fingan.patchedMatMul');

/** Re-register the wasm matmul kernels so they never run the slow transposed path. Idempotent. */
export function patchWasmMatMul(): boolean {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return false;
  let patched = false;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const orig = tf.getKernel(name, 'wasm') as (KernelConfig & { [PATCHED]?: boolean }) | undefined;
    if (!orig || orig[PATCHED]) continue;
    const kernelFunc: KernelConfig['kernelFunc'] = ({ inputs, backend, attrs }) => {
      const a = attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!a.transposeA && !a.transposeB) return orig.kernelFunc({ inputs, backend, attrs });
      const temps: tf.TensorInfo[] = [];
      const t = (x: tf.TensorInfo): tf.TensorInfo => {
        const r = x.shape.length;
        const perm = [...Array(r).keys()];
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        const y = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
        temps.push(y);
        return y;
      };
      const ins = { ...inputs } as Record<string, tf.TensorInfo>;
      if (a.transposeA) ins.a = t(inputs.a as tf.TensorInfo);
      if (a.transposeB) ins.b = t(inputs.b as tf.TensorInfo);
      const out = orig.kernelFunc({
        inputs: ins,
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
      for (const x of temps) (backend as unknown as tf.KernelBackend).disposeData(x.dataId);
      return out;
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: orig.setupFunc, kernelFunc, [PATCHED]: true } as KernelConfig);
    patched = true;
  }
  return patched || isWasmMatMulPatched();
}

export function isWasmMatMulPatched(): boolean {
  const k = tf.getKernel('BatchMatMul', 'wasm') as (KernelConfig & { [PATCHED]?: boolean }) | undefined;
  return !!k?.[PATCHED];
}

let secondOrderFixed = false;

/** Register correct second-order gradients (see 2a/2b above). Global to every backend; idempotent. */
export function fixSecondOrderGradients(): void {
  if (secondOrderFixed) return;
  secondOrderFixed = true;
  const zeroLike = (x: tf.Tensor) => tf.zerosLike(x).toFloat();
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr']) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => zeroLike(saved[0]), b: () => zeroLike(saved[1]) }),
    });
  }
  if (!tf.getGradient('LogicalNot')) {
    tf.registerGradient({ kernelName: 'LogicalNot', inputsToSave: ['x'], gradFunc: (_dy, saved) => ({ x: () => zeroLike(saved[0]) }) });
  }
  tf.registerGradient({
    kernelName: 'Tanh',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(saved[0])))) }),
  });
  tf.registerGradient({
    kernelName: 'Sigmoid',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => {
        const y = tf.sigmoid(saved[0]);
        return tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y)));
      },
    }),
  });
  tf.registerGradient({
    kernelName: 'Exp',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(saved[0])) }),
  });
}

export function secondOrderGradientsFixed(): boolean {
  return secondOrderFixed;
}
