import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import { kolmogorovSurvival, ksStatistic, ksTest } from './ks.js';

describe('two-sample KS', () => {
  it('matches scipy.stats.ks_2samp on a sample with ties', () => {
    // scipy: ks_2samp(a, b).statistic = 0.16666666666666666; kstwobign.sf(sqrt(48/14) * D) = 0.9999807736652018
    const a = [0.1, 0.5, 0.5, 0.9, 1.3, 2.0, 2.0, 2.7];
    const b = [0.4, 0.5, 1.1, 1.9, 2.0, 3.5];
    expect(ksStatistic(a, b)).toBeCloseTo(1 / 6, 14);
    expect(ksStatistic(b, a)).toBeCloseTo(1 / 6, 14);
    const t = ksTest(a, b);
    expect(t.pValue).toBeCloseTo(0.9999807736652018, 10);
  });

  it('is 0 for identical and 1 for disjoint samples', () => {
    expect(ksStatistic([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [5, 6, 7])).toBe(1);
  });

  it('has the Kolmogorov tail of scipy.stats.kstwobign on both series branches', () => {
    // scipy.stats.kstwobign.sf(l)
    const ref: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.8, 0.5441424115741981],
      [1.0, 0.26999967167735456],
      [1.18, 0.1234538094297657],
      [1.5, 0.022217962616525127],
      [2.5, 7.453306344157342e-6],
    ];
    for (const [l, p] of ref) expect(kolmogorovSurvival(l)).toBeCloseTo(p, 12);
    expect(kolmogorovSurvival(0)).toBe(1);
  });

  it('rejects a shifted normal and accepts the same distribution', () => {
    const rng = createRng(5);
    const a = Array.from({ length: 2000 }, () => rng.normal());
    const b = Array.from({ length: 2000 }, () => rng.normal());
    const c = Array.from({ length: 2000 }, () => rng.normal(0.3));
    expect(ksTest(a, b).pValue).toBeGreaterThan(0.01);
    expect(ksTest(a, c).pValue).toBeLessThan(1e-6);
  });

  it('throws on empty input', () => {
    expect(() => ksStatistic([], [1])).toThrow('a is empty');
  });
});
