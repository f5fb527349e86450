import { applyNet, ensureBackend, tf } from '@fingan/gan-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GeneratorStepper } from './generator-stepper.js';
import { pathGenerator, windowCritic } from './networks.js';

beforeAll(async () => {
  await ensureBackend();
});

/** Deterministic inputs (a fixed pattern, no RNG needed). */
function pattern(shape: [number, number, number], phase: number): tf.Tensor3D {
  const n = shape[0] * shape[1] * shape[2];
  return tf.tensor3d(
    Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + phase)),
    shape,
  );
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('GeneratorStepper', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    it(`gives what one full-sequence run gives, chunk by chunk (${cell}, with a condition)`, () => {
      const g = pathGenerator({ noiseDim: 3, condDim: 2, units: 5, cell, hidden: 4, outputDim: 2, seed: 3 });
      const noise = pattern([2, 7, 3], 0);
      const cond = pattern([2, 7, 2], 1);
      const full = (applyNet(g, noise, cond) as tf.Tensor3D).arraySync();
      const stepper = new GeneratorStepper(g);
      const parts: number[][][][] = [];
      let from = 0;
      for (const len of [3, 1, 3]) {
        const y = stepper.run(noise.slice([0, from, 0], [2, len, 3]), cond.slice([0, from, 0], [2, len, 2]));
        parts.push(y.arraySync());
        from += len;
      }
      const stepped = [0, 1].map((p) => parts.flatMap((c) => c[p]));
      expect(stepped[0]).toHaveLength(7);
      expect(maxAbsDiff(stepped.flat(2), full.flat(2))).toBeLessThan(1e-5);
      // A reset starts a fresh sequence: the first chunk again gives the first outputs.
      stepper.reset();
      const again = stepper.run(noise.slice([0, 0, 0], [2, 3, 3]), cond.slice([0, 0, 0], [2, 3, 2])).arraySync();
      expect(maxAbsDiff(again.flat(2), full.map((p) => p.slice(0, 3)).flat(2))).toBeLessThan(1e-6);
      stepper.dispose();
    });
  }

  it('works without a condition and refuses a condition it does not take', () => {
    const g = pathGenerator({ noiseDim: 2, condDim: 0, units: 4, cell: 'gru', hidden: 3, outputDim: 1, seed: 1 });
    const noise = pattern([3, 5, 2], 2);
    const full = (applyNet(g, noise) as tf.Tensor).dataSync();
    const stepper = new GeneratorStepper(g);
    const a = stepper.run(noise.slice([0, 0, 0], [3, 2, 2])).arraySync();
    const b = stepper.run(noise.slice([0, 2, 0], [3, 3, 2])).arraySync();
    const stepped = [0, 1, 2].flatMap((p) => [...a[p], ...b[p]]).flat();
    expect(maxAbsDiff(stepped, full)).toBeLessThan(1e-5);
    expect(() => stepper.run(noise, noise)).toThrow(/takes no condition/);
  });
});

describe('windowCritic', () => {
  it('scores [batch, T, assets] windows with a condition, one score each, and reads |x|', () => {
    const c = windowCritic({ window: 16, inputDim: 2, condDim: 1, filters: 4, patches: [4, 4], seed: 1 });
    const x = pattern([3, 16, 2], 0);
    const score = applyNet(c, x, pattern([3, 16, 1], 1));
    expect(score.shape).toEqual([3, 1]);
    // Flipping the sign of x changes the x channels but not the |x| channels: scores change, stay finite.
    const flipped = applyNet(c, tf.neg(x), pattern([3, 16, 1], 1));
    expect(Array.from(flipped.dataSync()).every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(flipped.dataSync(), score.dataSync())).toBeGreaterThan(1e-4);
    expect(() => windowCritic({ window: 24, inputDim: 1, condDim: 0, filters: 4, patches: [4, 4], seed: 1 })).toThrow(/not divisible by 16/);
  });
});
