import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.js';

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum at (1, 1) from (-1.2, 1)', () => {
    const r = nelderMead((x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2, [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
    expect(r.f).toBeLessThan(1e-8);
  });
  it('minimises a 4-d quadratic with centre (1, -2, 3, 0.5)', () => {
    const c = [1, -2, 3, 0.5];
    const r = nelderMead((x) => x.reduce((s, v, i) => s + (i + 1) * (v - c[i]) ** 2, 0), [0, 0, 0, 0]);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(c[i], 4));
  });
  it('treats non-finite values as infeasible instead of stopping', () => {
    const r = nelderMead((x) => (x[0] < 0 ? NaN : (x[0] - 2) ** 2), [1]);
    expect(r.x[0]).toBeCloseTo(2, 4);
  });
});
