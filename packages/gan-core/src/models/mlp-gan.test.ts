import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { Rng } from '../random/rng.js';
import { MlpGan } from './mlp-gan.js';

// The classic mode-collapse check on a smaller ring: 4 Gaussians (sd 0.1) on a circle of radius 2. A collapsed GAN
// covers one or two. (The 8-Gaussian ring with 3,000 steps, two minutes of CPU, is in `npm run bench -- gan-core`.)
// Measured: 800 steps give every mode 18-23% of the samples over seeds 1-3 (25% is perfect) and 83-88% of samples
// within 0.5 of a mode; 400 steps leave only 52% there, so the test fails on an under-trained GAN.
const MODES = 4;
const centres = Array.from({ length: MODES }, (_, k) => [2 * Math.cos((2 * k * Math.PI) / MODES), 2 * Math.sin((2 * k * Math.PI) / MODES)]);
function ring(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[rng.int(MODES)];
    out[2 * i] = cx + rng.normal(0, 0.1);
    out[2 * i + 1] = cy + rng.normal(0, 0.1);
  }
  return out;
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('MlpGan with WGAN-GP on a ring of 4 Gaussians', () => {
  it('recovers all 4 modes (seeded)', async () => {
    const gan = new MlpGan({ dataDim: 2, noiseDim: 8, generatorHidden: [64, 64], criticHidden: [64, 64], loss: 'wgan-gp', seed: 1 });
    const res = await gan.fit(ring(8000, new Rng(1)), {
      batchSize: 128,
      steps: 800,
      nCritic: 3,
      generatorOptimizer: { learningRate: 1e-3, beta1: 0.5, beta2: 0.9 },
      criticOptimizer: { learningRate: 3e-3, beta1: 0.5, beta2: 0.9 },
    });
    expect(res.stoppedBy).toBe('completed');
    const n = 4000;
    const s = gan.sample(n, { seed: 2 });
    const perMode = new Array(MODES).fill(0);
    for (let i = 0; i < n; i++) {
      centres.forEach(([cx, cy], k) => {
        if ((s[2 * i] - cx) ** 2 + (s[2 * i + 1] - cy) ** 2 < 0.5 ** 2) perMode[k]++;
      });
    }
    const near = perMode.reduce((a, b) => a + b, 0) / n;
    // Every mode holds at least 10% of the samples (25% is perfect), and most samples lie within 5 sd of a mode.
    expect(Math.min(...perMode) / n).toBeGreaterThan(0.1);
    expect(near).toBeGreaterThan(0.7);
    gan.dispose();
  });
});
