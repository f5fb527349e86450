import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { mlp } from '../nn/mlp.js';
import { Rng } from '../random/rng.js';
import { chainForward, chainVariables, clippedGradientSum, denseChainOf, dpCriticStep, poissonSample } from './dp-sgd.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('per-example clipped gradients (probe trick)', () => {
  it('equal a straightforward reference: one tf.grad per example, clipped, summed', () => {
    const net = mlp({ inputDim: 3, condDim: 2, hidden: [5, 4], outputDim: 1, seed: 3, name: 'critic' });
    const chain = denseChainOf(net);
    expect(chain.map((l) => l.leakySlope)).toEqual([0.2, 0.2, null]);
    const vars = chainVariables(chain);
    const rng = new Rng(1);
    const m = 6;
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(m * 3)), [m, 3]);
    const c = tf.tensor2d(
      Float32Array.from({ length: m * 2 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)),
      [m, 2],
    );
    const input = tf.concat([x, c], 1) as tf.Tensor2D;
    // The chain computes what the layers model computes.
    const viaModel = net.apply([x, c]) as tf.Tensor;
    expect(Math.max(...(tf.abs(tf.sub(viaModel, chainForward(chain, input))).dataSync() as Float32Array))).toBeLessThan(1e-5);

    for (const clip of [1e6, 0.05]) {
      const { grads, norms } = clippedGradientSum(chain, input, -1, clip);
      // Reference: per example, tf.variableGrads of -D(x_i), its global norm, clipped, then summed.
      const sums = vars.map((v) => new Float64Array(v.size));
      const refNorms: number[] = [];
      for (let i = 0; i < m; i++) {
        const xi = tf.slice(input, [i, 0], [1, 5]) as tf.Tensor2D;
        const { grads: g, value } = tf.variableGrads(() => tf.neg(tf.sum(chainForward(chain, xi))) as tf.Scalar, vars);
        value.dispose();
        const flat = vars.map((v) => g[v.name].dataSync() as Float32Array);
        const norm = Math.sqrt(flat.reduce((s, f) => s + f.reduce((t, y) => t + y * y, 0), 0));
        refNorms.push(norm);
        const scale = Math.min(1, clip / (norm + 1e-6));
        flat.forEach((f, k) => f.forEach((y, j) => (sums[k][j] += scale * y)));
        Object.values(g).forEach((t) => t.dispose());
      }
      const got = norms.dataSync();
      refNorms.forEach((r, i) => expect(got[i]).toBeCloseTo(r, 4));
      grads.forEach((g, k) => {
        expect(g.shape).toEqual(vars[k].shape);
        const d = g.dataSync();
        sums[k].forEach((y, j) => expect(Math.abs(d[j] - y)).toBeLessThan(1e-5 + 1e-4 * Math.abs(y)));
      });
      if (clip < 1) refNorms.forEach((r) => expect(r).toBeGreaterThan(clip)); // the clipping branch was exercised
    }
  });

  it('refuses critics the trick does not cover', () => {
    const net = mlp({ inputDim: 3, hidden: [4], outputDim: 1, layerNorm: true, seed: 1, name: 'ln' });
    expect(() => denseChainOf(net)).toThrow(/dense layers and LeakyReLU only; ln has a FinganLayerNorm layer \(ln_ln0\)/);
  });
});

describe('a DP-SGD critic step', () => {
  it('is seeded, changes the critic by a noisy clipped step, and leaks no tensors', () => {
    const run = () => {
      const net = mlp({ inputDim: 2, hidden: [4], outputDim: 1, seed: 5, name: 'critic' });
      const chain = denseChainOf(net);
      const opt = tf.train.adam(1e-2);
      const rng = new Rng(9);
      const data = new Rng(2).fillNormal(new Float32Array(40 * 2));
      const before = tf.memory().numTensors;
      const step = () =>
        dpCriticStep(
          {
            chain,
            optimizer: opt,
            clipNorm: 1,
            noiseMultiplier: 1.1,
            expectedBatch: 8,
            gpWeight: 10,
            rowWidth: 2,
            realInput: (r) => {
              const rows = poissonSample(40, 0.2, r);
              return rows.length ? tf.tensor2d(Float32Array.from(Array.from(rows).flatMap((i) => [data[2 * i], data[2 * i + 1]])), [rows.length, 2]) : null;
            },
            fakeInput: (r) => tf.tensor2d(r.fillNormal(new Float32Array(16)), [8, 2]),
          },
          rng,
        );
      const losses = [step(), step(), step()];
      // Adam's slots are created on the first step; after that, steps must not add tensors.
      const afterFirst = tf.memory().numTensors;
      step();
      expect(tf.memory().numTensors).toBe(afterFirst);
      expect(afterFirst).toBeGreaterThan(before);
      const w = net.getWeights().map((t) => Array.from(t.dataSync()));
      opt.dispose();
      net.dispose();
      return { losses, w };
    };
    const a = run();
    const b = run();
    expect(a).toEqual(b);
    expect(a.losses.every((l) => Number.isFinite(l.loss) && l.penalty > 0)).toBe(true);
  });

  it('clips each generated row like a real one by default, so both terms of the critic loss are on one scale', () => {
    // No real rows, no noise, no penalty, plain SGD with rate 1: the step is exactly minus the generated rows' term.
    const update = (clipGenerated: boolean | undefined, clipNorm: number) => {
      const net = mlp({ inputDim: 2, hidden: [4], outputDim: 1, seed: 5, name: 'critic' });
      const chain = denseChainOf(net);
      const before = net.getWeights().map((t) => Float32Array.from(t.dataSync()));
      const fakeRows = new Rng(3).fillNormal(new Float32Array(8 * 2)).map((v) => v * 5);
      const fakeInput = () => tf.tensor2d(fakeRows, [8, 2]);
      const opt = tf.train.sgd(1);
      const args = {
        chain,
        optimizer: opt,
        clipNorm,
        noiseMultiplier: 0,
        expectedBatch: 8,
        gpWeight: 0,
        rowWidth: 2,
        realInput: () => null,
        fakeInput,
        clipGenerated,
      };
      const { loss } = dpCriticStep(args, new Rng(1));
      const delta = net.getWeights().map((t, k) => Array.from(t.dataSync(), (v, j) => before[k][j] - v));
      // Reference: the mean over generated rows of each row's gradient of D, clipped to clipNorm (or not).
      const ref = tf.tidy(() =>
        clippedGradientSum(
          denseChainOf(mlp({ inputDim: 2, hidden: [4], outputDim: 1, seed: 5, name: 'critic' })),
          fakeInput(),
          1,
          clipGenerated === false ? 1e9 : clipNorm,
        ).grads.map((g) => Array.from(tf.div(g, 8).dataSync())),
      );
      opt.dispose();
      net.dispose();
      return { delta, ref, loss };
    };
    for (const clipGenerated of [undefined, true, false]) {
      const { delta, ref, loss } = update(clipGenerated, 0.01);
      expect(Number.isFinite(loss)).toBe(true);
      delta.forEach((d, k) => d.forEach((v, j) => expect(Math.abs(v - ref[k][j])).toBeLessThan(1e-5 + 1e-4 * Math.abs(ref[k][j]))));
    }
    // With a small clip norm the clipped step is much smaller than the whole one.
    const norm = (d: number[][]) => Math.sqrt(d.flat().reduce((s, v) => s + v * v, 0));
    const clipped = norm(update(true, 0.01).delta);
    expect(clipped).toBeLessThanOrEqual(0.01 + 1e-6);
    expect(norm(update(false, 0.01).delta)).toBeGreaterThan(5 * clipped);
  });

  it('Poisson sampling draws each row with probability q', () => {
    const rng = new Rng(4);
    let total = 0;
    for (let i = 0; i < 200; i++) total += poissonSample(1000, 0.05, rng).length;
    expect(total / 200).toBeGreaterThan(48);
    expect(total / 200).toBeLessThan(52);
    const s = poissonSample(1000, 0.05, new Rng(1));
    expect(Array.from(s)).toEqual([...s].sort((x, y) => x - y));
  });
});
