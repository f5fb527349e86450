import { describe, expect, it } from 'vitest';
import { BooleanEncoder } from './boolean.js';

describe('BooleanEncoder', () => {
  it('is a fixed [false, true] one-hot and round-trips', () => {
    const x = [true, false, false, true];
    const enc = new BooleanEncoder().fit(x);
    expect(enc.width).toBe(2);
    expect(enc.spans).toEqual([{ kind: 'discrete', width: 2 }]);
    expect(Array.from(enc.transform(x))).toEqual([0, 1, 1, 0, 1, 0, 0, 1]);
    expect(enc.inverse(enc.transform(x), 4)).toEqual(x);
  });

  it('keeps both slots for a column that was all true', () => {
    const enc = new BooleanEncoder().fit([true, true]);
    expect(enc.inverse(Float32Array.from([0.9, 0.1]), 1)).toEqual([false]);
  });

  it('rejects non-booleans naming the column and value', () => {
    expect(() => new BooleanEncoder({ name: 'Flag' }).fit([true, 'yes'])).toThrow("boolean encoder in column 'Flag': row 2 is 'yes', not true or false");
  });
});
