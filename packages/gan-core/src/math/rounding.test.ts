import { describe, expect, it } from 'vitest';
import { coarseBounds } from './rounding.js';

describe('coarseBounds', () => {
  it('widens a range outwards to two significant digits of its larger end', () => {
    expect(coarseBounds(18, 68)).toEqual([18, 68]);
    expect(coarseBounds(3, 959)).toEqual([0, 960]);
    expect(coarseBounds(0, 300000)).toEqual([0, 300000]);
    expect(coarseBounds(1234.56, 98765.4)).toEqual([1000, 99000]);
    expect(coarseBounds(-0.137, 0.0423)).toEqual([-0.14, 0.05]);
    expect(coarseBounds(5.31, 24.89)).toEqual([5, 25]);
  });

  it('keeps a zero or non-finite range as it is', () => {
    expect(coarseBounds(0, 0)).toEqual([0, 0]);
    expect(coarseBounds(NaN, NaN)).toEqual([NaN, NaN]);
  });
});
