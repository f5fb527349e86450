import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { applyNet } from './common.js';
import { SequenceStepper, sequenceCritic, sequenceGenerator } from './recurrent.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const noise = (b: number, t: number, d: number, off = 0) =>
  tf.tensor3d(
    Array.from({ length: b * t * d }, (_, i) => Math.sin(0.37 * (i + off))),
    [b, t, d],
  );

describe('sequence networks', () => {
  it.each(['lstm', 'gru'] as const)('%s generator: any length, and stepping in chunks equals one full run', (cell) => {
    const g = sequenceGenerator({ noiseDim: 3, units: [5, 4], cell, outputDim: 2, seed: 1, name: `g_${cell}` });
    const z = noise(2, 10, 3);
    const full = applyNet(g, z).arraySync() as number[][][];
    expect([full.length, full[0].length, full[0][0].length]).toEqual([2, 10, 2]);
    const stepper = new SequenceStepper(g);
    const a = stepper.run(tf.slice(z, [0, 0, 0], [2, 4, 3]) as tf.Tensor3D).arraySync();
    const b = stepper.run(tf.slice(z, [0, 4, 0], [2, 6, 3]) as tf.Tensor3D).arraySync();
    const stepped = a.map((row, i) => [...row, ...b[i]]);
    stepped.flat(2).forEach((v, i) => expect(v).toBeCloseTo(full.flat(2)[i], 5));
    stepper.reset();
    const again = stepper.run(tf.slice(z, [0, 0, 0], [2, 4, 3]) as tf.Tensor3D).arraySync();
    expect(again).toEqual(a);
    stepper.dispose();
  });

  it('conditional sequence critic scores [batch, T, d] with a per-step condition', () => {
    const d = sequenceCritic({ inputDim: 2, condDim: 1, units: [4], cell: 'gru', seed: 2, name: 'crit' });
    const out = applyNet(d, noise(3, 7, 2), noise(3, 7, 1, 5));
    expect(out.shape).toEqual([3, 1]);
  });
});
