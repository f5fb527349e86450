import { describe, expect, it } from 'vitest';
import { correlationMatrix, cramersV, pearson, rank, spearman } from './correlation.js';

// Reference values: scipy.stats.pearsonr / spearmanr / rankdata (scipy 1.17).
const x = [2.0, 4.5, -1.0, 3.3, 7.1, 0.0, 2.2, 9.9, -3.4, 5.0];
const y = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.5, 9.0, 12.0];

describe('correlation', () => {
  it('matches scipy pearson and spearman', () => {
    expect(pearson(x, y)).toBeCloseTo(0.07817507081043144, 12);
    expect(spearman(x, y)).toBeCloseTo(0.11515151515151514, 12);
  });

  it('gives average ranks to ties and uses them in spearman', () => {
    expect(Array.from(rank([1, 2, 2, 3, 3, 3, 4]))).toEqual([1, 2.5, 2.5, 5, 5, 5, 7]);
    expect(Array.from(rank([30, 10, 20]))).toEqual([3, 1, 2]);
    // scipy.stats.spearmanr([1,2,2,3,3,3,4], [5,3,3,1,2,2,0]) = -0.9718253158075503
    expect(spearman([1, 2, 2, 3, 3, 3, 4], [5, 3, 3, 1, 2, 2, 0])).toBeCloseTo(-0.9718253158075503, 12);
  });

  it('is exactly +-1 for linear relations and survives a huge offset', () => {
    const a = [1, 2, 3, 4, 5];
    expect(
      pearson(
        a,
        a.map((v) => 3 * v - 7),
      ),
    ).toBeCloseTo(1, 14);
    expect(
      pearson(
        a,
        a.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 14);
    expect(
      pearson(
        a.map((v) => v + 1e9),
        a.map((v) => v * v),
      ),
    ).toBeCloseTo(
      pearson(
        a,
        a.map((v) => v * v),
      ),
      6,
    );
  });

  it('returns 0, not NaN, for a constant column', () => {
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3])).toBe(0);
    expect(spearman([1, 2, 3], [4, 4, 4])).toBe(0);
    const m = correlationMatrix([
      [1, 2, 3, 4],
      [2, 4, 6, 8.5],
      [5, 5, 5, 5],
    ]);
    expect(m[0][2]).toBe(0);
    expect(m[2][1]).toBe(0);
    expect(m[2][2]).toBe(1);
    expect(m[0][1]).toBe(m[1][0]);
    expect(m[0][1]).toBeGreaterThan(0.99);
  });

  it('builds spearman matrices from ranks', () => {
    // a monotone but non-linear relation: spearman 1, pearson < 1
    const a = [1, 2, 3, 4, 5, 6];
    const b = a.map((v) => Math.exp(v));
    expect(correlationMatrix([a, b], 'spearman')[0][1]).toBeCloseTo(1, 14);
    expect(correlationMatrix([a, b])[0][1]).toBeLessThan(0.95);
  });

  it("computes uncorrected Cramer's V", () => {
    // scipy: sqrt(chi2_contingency(table, correction=False)[0] / (n * (min(r, c) - 1))) = 0.6708203932499369
    const cx = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', 'a'];
    const cy = ['u', 'v', 'u', 'v', 'v', 'u', 'w', 'w', 'u', 'u'];
    expect(cramersV(cx, cy)).toBeCloseTo(0.6708203932499369, 12);
    expect(cramersV(['a', 'a', 'b', 'b'], ['u', 'u', 'v', 'v'])).toBeCloseTo(1, 14);
    expect(cramersV(['a', 'a', 'b', 'b'], ['u', 'v', 'u', 'v'])).toBe(0);
    expect(cramersV(['a', 'a', 'a'], ['u', 'v', 'w'])).toBe(0);
  });

  it('rejects mismatched lengths and empty input', () => {
    expect(() => pearson([1, 2], [1])).toThrow('differ in length');
    expect(() => pearson([], [])).toThrow('x is empty');
    expect(() => cramersV([], [])).toThrow(RangeError);
  });
});
