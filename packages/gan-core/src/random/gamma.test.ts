import { createRng } from './rng.js';
import { describe, expect, it } from 'vitest';
import { gammaSample } from './gamma.js';

describe('gammaSample', () => {
  // Gamma(k, 1) has mean k and variance k.
  for (const k of [0.3, 1, 3.5]) {
    it(`shape ${k}: mean and variance ~ ${k}`, () => {
      const rng = createRng(7);
      const n = 100_000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const g = gammaSample(rng, k);
        s += g;
        s2 += g * g;
      }
      const m = s / n;
      expect(m).toBeCloseTo(k, 1);
      expect(s2 / n - m * m).toBeGreaterThan(k * 0.95);
      expect(s2 / n - m * m).toBeLessThan(k * 1.05);
    });
  }
});
