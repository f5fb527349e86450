import { describe, expect, it } from 'vitest';
import { wasserstein1 } from './wasserstein.js';

describe('wasserstein1', () => {
  it('matches scipy.stats.wasserstein_distance with unequal sizes and ties', () => {
    // scipy: wasserstein_distance(a, b) = 0.33333333333333326
    const a = [0.1, 0.5, 0.5, 0.9, 1.3, 2.0, 2.0, 2.7];
    const b = [0.4, 0.5, 1.1, 1.9, 2.0, 3.5];
    expect(wasserstein1(a, b)).toBeCloseTo(1 / 3, 12);
    expect(wasserstein1(b, a)).toBeCloseTo(1 / 3, 12);
  });

  it('is the shift for a translated sample and 0 for a permutation', () => {
    const a = [1, 4, 2, 8];
    expect(
      wasserstein1(
        a,
        a.map((v) => v + 2.5),
      ),
    ).toBeCloseTo(2.5, 12);
    expect(wasserstein1(a, [8, 2, 4, 1])).toBe(0);
    // point masses: |0 - 3| = 3; {0, 1} vs {0}: half the mass moves by 1
    expect(wasserstein1([0], [3])).toBe(3);
    expect(wasserstein1([0, 1], [0])).toBe(0.5);
  });
});
