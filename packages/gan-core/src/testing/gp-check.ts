// Test helper (not exported): compare the gradient penalty's gradient w.r.t. critic weights with central finite
// differences.
import * as tf from '@tensorflow/tfjs';
import { applyNet } from '../nn/common.js';
import { gradientPenalty } from '../losses/wgan-gp.js';
import { Rng } from '../random/rng.js';

export function gpGradientError(critic: tf.LayersModel, inputShape: number[], seed = 1, h = 2e-3): { relError: number; n: number; skipped: number } {
  const rng = new Rng(seed);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const real = tf.tensor(rng.fillNormal(new Float32Array(size)), inputShape);
  const fake = tf.tensor(rng.fillNormal(new Float32Array(size)), inputShape);
  const eps = tf.tensor1d(rng.fillUniform(new Float32Array(inputShape[0])));
  const penalty = () => gradientPenalty((x) => applyNet(critic, x), real, fake, eps);
  const vars = critic.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { value, grads } = tf.variableGrads(penalty, vars);
  value.dispose();
  const analytic: number[] = [];
  const numeric: number[] = [];
  let skipped = 0;
  // Probe a handful of entries in every weight tensor.
  vars.forEach((v) => {
    const g = grads[v.name]?.dataSync() ?? new Float32Array(v.size); // weights the penalty does not depend on get no gradient
    const base = v.dataSync().slice();
    const probes = Math.min(6, base.length);
    for (let p = 0; p < probes; p++) {
      const j = Math.floor((p * base.length) / probes);
      const at = (delta: number) => {
        const w = base.slice();
        w[j] += delta;
        v.assign(tf.tensor(w, v.shape));
        return tf.tidy(() => penalty().dataSync()[0]);
      };
      const f0 = at(0),
        fp = at(h),
        fm = at(-h);
      const fwd = (fp - f0) / h,
        bwd = (f0 - fm) / h;
      // A probe that straddles a kink (LeakyReLU) has one-sided slopes that disagree: finite differences
      // are meaningless there, so it is skipped.
      if (Math.abs(fwd - bwd) > 0.05 * Math.max(Math.abs(fwd), Math.abs(bwd)) + 1e-3) {
        skipped++;
      } else {
        numeric.push((fp - fm) / (2 * h));
        analytic.push(g[j]);
      }
      v.assign(tf.tensor(base, v.shape));
    }
  });
  Object.values(grads).forEach((t) => t.dispose());
  tf.dispose([real, fake, eps]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < numeric.length; i++) {
    num += (analytic[i] - numeric[i]) ** 2;
    den += numeric[i] ** 2;
  }
  return { relError: Math.sqrt(num / Math.max(den, 1e-30)), n: numeric.length, skipped };
}
