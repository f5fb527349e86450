import { describe, expect, it } from 'vitest';
import { cholesky, covariance, covToCorr, solveSpd } from './linalg.js';

describe('linalg', () => {
  it('covariance with the n-1 denominator', () => {
    // x = 1,2,3,4 (var 5/3), y = 2x (cov 10/3, var 20/3)
    const c = covariance([
      [1, 2, 3, 4],
      [2, 4, 6, 8],
    ]);
    expect(Array.from(c)).toEqual([5 / 3, 10 / 3, 10 / 3, 20 / 3].map((v) => expect.closeTo(v, 12)));
    expect(covToCorr(c, 2)[1]).toBeCloseTo(1, 12);
  });
  it('Cholesky of [[4,2],[2,3]] is [[2,0],[1,sqrt 2]]', () => {
    const l = cholesky(Float64Array.from([4, 2, 2, 3]), 2);
    expect(l[0]).toBeCloseTo(2, 12);
    expect(l[1]).toBe(0);
    expect(l[2]).toBeCloseTo(1, 12);
    expect(l[3]).toBeCloseTo(Math.SQRT2, 12);
  });
  it('Cholesky survives a singular (perfectly correlated) matrix and rejects an indefinite one', () => {
    const l = cholesky(Float64Array.from([1, 1, 1, 1]), 2);
    expect(l[2]).toBeCloseTo(1, 6);
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive semi-definite/);
  });
  it('solveSpd solves [[4,2],[2,3]] x = [2, 1] -> x = [0.5, 0]', () => {
    const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });
});
