import { expect, it } from 'vitest';
import { pairTrends } from './pair-trends.js';

it('correlation similarity for numeric pairs', () => {
  const r = pairTrends({ x: [1, 2, 3, 4], y: [1, 2, 3, 4] }, { x: [1, 2, 3, 4], y: [4, 3, 2, 1] }, { x: 'integer', y: 'integer' });
  // r_real = 1, r_synthetic = -1: 1 - |1 - (-1)| / 2 = 0.
  expect(r.pairs).toEqual([{ a: 'x', b: 'y', metric: 'CorrelationSimilarity', score: 0, real: 1, synthetic: -1 }]);
  const half = pairTrends({ x: [1, 2, 3, 4], y: [1, 2, 3, 4] }, { x: [1, 2, 3, 4], y: [1, 1, 1, 1] }, { x: 'integer', y: 'integer' });
  // a constant synthetic column correlates 0: 1 - |1 - 0| / 2 = 0.5
  expect(half.score).toBe(0.5);
});

it('contingency similarity for other pairs, numbers cut at the real deciles', () => {
  const cats = pairTrends(
    { c1: ['a', 'a', 'b', 'b'], c2: ['u', 'v', 'u', 'v'] },
    { c1: ['a', 'a', 'a', 'b'], c2: ['u', 'u', 'u', 'v'] },
    { c1: 'categorical', c2: 'categorical' },
  );
  // joint real: au, av, bu, bv at 0.25 each; synthetic: au 0.75, bv 0.25. TV = (0.5 + 0.25 + 0.25 + 0) / 2 = 0.5.
  expect(cats.score).toBe(0.5);
  const x = Array.from({ length: 10 }, (_, i) => i + 1);
  const c = x.map((v) => (v <= 5 ? 'low' : 'high'));
  const flipped = c.map((v) => (v === 'low' ? 'high' : 'low'));
  // Deciles of 1..10 put each value in its own bin, so flipping every label makes the joints disjoint (TV 1).
  expect(pairTrends({ x, c }, { x, c: flipped }, { x: 'integer', c: 'categorical' }).score).toBe(0);
  expect(pairTrends({ x, c }, { x: [...x].reverse(), c: [...c].reverse() }, { x: 'integer', c: 'categorical' }).score).toBe(1);
});
