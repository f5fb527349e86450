import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { Rng } from '../random/rng.js';
import { FastLayerNorm, fastLayerNorm } from './layer-norm.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A 1-layer model x -> layerNorm(x) with gamma and beta set to non-trivial values. */
function net(make: () => tf.layers.Layer, d: number, gamma: number[], beta: number[]): tf.LayersModel {
  const x = tf.input({ shape: [d] });
  const m = tf.model({ inputs: x, outputs: make().apply(x) as tf.SymbolicTensor });
  m.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
  return m;
}

describe('FastLayerNorm', () => {
  const rng = new Rng(3);
  const d = 5;
  const x = tf.tensor2d(
    rng.fillNormal(new Float32Array(4 * d)).map((v, i) => 2 * v + (i % d)),
    [4, d],
  );
  const w = tf.tensor2d(rng.fillNormal(new Float32Array(4 * d)), [4, d]);
  const gamma = [1.5, 0.5, -1, 2, 0.8];
  const beta = [0.1, -0.2, 0.3, 0, 1];

  it('computes what the stock LayerNormalization computes, without Tile', () => {
    const fast = net(() => fastLayerNorm(), d, gamma, beta);
    const stock = net(() => tf.layers.layerNormalization(), d, gamma, beta);
    const a = (fast.apply(x) as tf.Tensor).arraySync() as number[][];
    const b = (stock.apply(x) as tf.Tensor).arraySync() as number[][];
    a.flat().forEach((v, i) => expect(v).toBeCloseTo(b.flat()[i], 5));
    // Row 0 by hand: (x - mean) / sqrt(var + 1e-3) * gamma + beta.
    const r = x.arraySync()[0];
    const mean = r.reduce((s, v) => s + v, 0) / d;
    const sd = Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / d + 1e-3);
    r.forEach((v, k) => expect(a[0][k]).toBeCloseTo(((v - mean) / sd) * gamma[k] + beta[k], 5));
    // Forward and backward run no Tile kernel.
    const kernels: string[] = [];
    const prof = tf.profile(() => tf.grads((t: tf.Tensor) => tf.sum(tf.mul(fast.apply(t) as tf.Tensor, w)))([x]));
    return prof.then((p) => {
      kernels.push(...p.kernelNames);
      expect(kernels).not.toContain('Tile');
      expect(kernels.length).toBeGreaterThan(5);
    });
  });

  it('gradients w.r.t. input, gamma and beta match central finite differences', () => {
    const layer = new FastLayerNorm();
    const model = net(() => layer, d, gamma, beta);
    const vars = model.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(model.apply(t) as tf.Tensor, w)) as tf.Scalar;
    const gx = tf.grad(loss)(x).dataSync();
    const { grads } = tf.variableGrads(() => loss(x), vars);
    const h = 1e-2;
    const base = x.dataSync().slice();
    const f = (arr: Float32Array) => loss(tf.tensor2d(arr, [4, d])).dataSync()[0];
    let checked = 0;
    for (const j of [0, 3, 7, 12, 19]) {
      const p = base.slice();
      const m = base.slice();
      p[j] += h;
      m[j] -= h;
      expect(gx[j]).toBeCloseTo((f(p) - f(m)) / (2 * h), 2);
      checked++;
    }
    // gamma/beta: the loss is linear in them, so the derivatives are sum(w * xhat) and sum(w) per column.
    vars.forEach((v) => {
      const g = grads[v.name].dataSync();
      const b0 = v.dataSync().slice();
      for (let k = 0; k < d; k++) {
        const at = (delta: number) => {
          const b = b0.slice();
          b[k] += delta;
          v.assign(tf.tensor1d(b));
          return loss(x).dataSync()[0];
        };
        const num = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor1d(b0));
        expect(g[k]).toBeCloseTo(num, 2);
        checked++;
      }
    });
    expect(checked).toBe(15);
    const sumW = w.sum(0).dataSync();
    const betaGrad = grads[vars[1].name].dataSync();
    for (let k = 0; k < d; k++) expect(betaGrad[k]).toBeCloseTo(sumW[k], 4);
  });

  it('round-trips through serialisation as FinganLayerNorm', async () => {
    const model = net(() => fastLayerNorm({ name: 'ln', epsilon: 1e-2 }), d, gamma, beta);
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const topology = JSON.stringify(saved!.modelTopology);
    expect(topology).toContain('"class_name":"FinganLayerNorm"');
    const back = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved!.modelTopology }));
    back.setWeights(model.getWeights());
    expect((back.layers[1] as FastLayerNorm).epsilon).toBe(1e-2);
    expect((back.apply(x) as tf.Tensor).arraySync()).toEqual((model.apply(x) as tf.Tensor).arraySync());
  });
});
