import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { Rng } from '../random/rng.js';
import { MlpGan } from './mlp-gan.js';

// The classic mode-collapse check: 8 Gaussians (sd 0.1) on a circle of radius 2. A collapsed GAN covers a few.
const centres = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)]);
function ring(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[rng.int(8)];
    out[2 * i] = cx + rng.normal(0, 0.1);
    out[2 * i + 1] = cy + rng.normal(0, 0.1);
  }
  return out;
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('MlpGan with WGAN-GP on a ring of 8 Gaussians', () => {
  it('recovers all 8 modes (seeded)', async () => {
    const gan = new MlpGan({ dataDim: 2, noiseDim: 8, generatorHidden: [64, 64], criticHidden: [64, 64], loss: 'wgan-gp', seed: 1 });
    const res = await gan.fit(ring(8000, new Rng(1)), {
      batchSize: 128,
      steps: 3000,
      nCritic: 3,
      generatorOptimizer: { learningRate: 1e-3, beta1: 0.5, beta2: 0.9 },
      criticOptimizer: { learningRate: 3e-3, beta1: 0.5, beta2: 0.9 },
    });
    expect(res.stoppedBy).toBe('completed');
    const n = 4000;
    const s = gan.sample(n, { seed: 2 });
    const perMode = new Array(8).fill(0);
    for (let i = 0; i < n; i++) {
      centres.forEach(([cx, cy], k) => {
        if ((s[2 * i] - cx) ** 2 + (s[2 * i + 1] - cy) ** 2 < 0.5 ** 2) perMode[k]++;
      });
    }
    const near = perMode.reduce((a, b) => a + b, 0) / n;
    // Every mode holds at least 5% of the samples (12.5% is perfect), and most samples lie within 5 sd of a mode.
    expect(Math.min(...perMode) / n).toBeGreaterThan(0.05);
    expect(near).toBeGreaterThan(0.7);
    gan.dispose();
  });
});
