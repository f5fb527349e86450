import { describe, expect, it } from 'vitest';
import { frequencies, totalVariation } from './tv.js';

describe('frequencies and total variation', () => {
  it('gives shares in first-appearance order with null as its own category', () => {
    const f = frequencies(['a', 'b', 'a', null, 'a']);
    expect([...f.entries()]).toEqual([
      ['a', 0.6],
      ['b', 0.2],
      [null, 0.2],
    ]);
  });

  it('matches a hand computation', () => {
    // a: x 1/2, y 1/4, z 1/4; b: x 1/4, y 1/4, w 1/2 -> (1/4 + 0 + 1/4 + 1/2) / 2 = 1/2
    expect(totalVariation(['x', 'x', 'y', 'z'], ['x', 'y', 'w', 'w'])).toBeCloseTo(0.5, 15);
    expect(totalVariation([1, 2, 2], [2, 1, 2])).toBe(0);
    expect(totalVariation([true, true], [false])).toBe(1);
    // number 1 and string '1' are different categories
    expect(totalVariation([1], ['1'])).toBe(1);
  });

  it('throws on empty input', () => {
    expect(() => totalVariation([], ['a'])).toThrow(RangeError);
  });
});
