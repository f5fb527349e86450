import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { IntegerEncoder } from './integer.js';

describe('IntegerEncoder', () => {
  const rng = new Rng(3);
  // Integer money-like column: a spike at 0 plus a spread of amounts.
  const x = Array.from({ length: 800 }, (_, i) => (i % 3 === 0 ? 0 : Math.round(Math.exp(rng.normal(7, 0.8)))));

  for (const method of ['gmm', 'minmax', 'quantile'] as const) {
    it(`round-trips exactly (${method})`, () => {
      const enc = new IntegerEncoder({ method, seed: 1 }).fit(x);
      const back = enc.inverse(enc.transform(x), x.length);
      // 'quantile' clamps to its first and last knot (means of the 10 extreme values), the others to the exact range.
      const [lo, hi] = enc.range;
      expect(back).toEqual(x.map((v) => Math.min(hi, Math.max(lo, v))));
      if (method !== 'quantile') expect([lo, hi]).toEqual([Math.min(...x), Math.max(...x)]);
      expect(back.every((v) => Number.isInteger(v))).toBe(true);
    });
  }

  it('rounds generator output and keeps it inside the fitted range', () => {
    const enc = new IntegerEncoder({ method: 'minmax' }).fit([0, 10]);
    // y = -0.05 -> 4.75 -> 5; y = 2 -> clamped to 10; y = -1 -> 0 (never -0).
    expect(enc.inverse(Float32Array.from([-0.05, 2, -1]), 3)).toEqual([5, 10, 0]);
    expect(Object.is(enc.inverse(Float32Array.from([-1]), 1)[0], 0)).toBe(true);
  });

  it('rejects non-integers naming the column and value', () => {
    expect(() => new IntegerEncoder({ name: 'Age' }).fit([1, 2.5])).toThrow("integer encoder in column 'Age': row 2 is 2.5, not an integer");
  });

  it('toJSON / fromJSON gives identical transforms', () => {
    const enc = new IntegerEncoder({ seed: 2 }).fit(x);
    const back = IntegerEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(back.transform(x, new Rng(1))).toEqual(enc.transform(x, new Rng(1)));
  });
});
