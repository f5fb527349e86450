import { describe, expect, test } from 'vitest';
import { createRng, type Table } from '@fingan/gan-core';
import { FraudEncoder } from '../encoder.js';
import { smote } from './smote.js';
import { medianContinuousStd, smotenc } from './smotenc.js';

function run(t: Table, method: typeof smote, k: number, n = 300) {
  const positives = t.y.flatMap((v, i) => (v === 'bad' ? [i] : []));
  const encoder = FraudEncoder.fit(t, { exclude: ['y'], kinds: { x: 'numeric', c: 'categorical' } });
  return method({ table: t, label: 'y', positives, encoder }, n, { k, rng: createRng(11) });
}

describe('medianContinuousStd', () => {
  test('median over continuous columns of the population sd among positives', () => {
    // Rows [0, 0, 0] and [2, 4, 10]: population sds 1, 2, 5 -> median 2.
    const pos = {
      n: 2,
      numeric: Float64Array.from([0, 0, 0, 2, 4, 10]),
      numericMissing: new Uint8Array(6),
      categorical: new Int32Array(0),
      categoricalMissing: new Uint8Array(0),
    };
    expect(medianContinuousStd(pos, 3)).toBeCloseTo(2, 12);
    // Even count: columns 1, 2 only -> sds 2, 5 -> median 3.5 (here via a two-column view).
    const two = { ...pos, numeric: Float64Array.from([0, 0, 4, 10]), numericMissing: new Uint8Array(4) };
    expect(medianContinuousStd(two, 2)).toBeCloseTo(3.5, 12);
    // No continuous columns: penalty 1 (Hamming distance).
    expect(medianContinuousStd({ ...pos, numeric: new Float64Array(0) }, 0)).toBe(1);
  });
});

describe('smotenc', () => {
  test('the median-std penalty for a category mismatch changes the nearest neighbour', () => {
    // Positives x = 0, 1, 1.3, 10 with c = a, b, a, c. With one continuous column, standardizing divides every
    // squared distance and the penalty by the same sd^2, so raw units decide. Population variance of the
    // positives' x = 16.216875 (= Med^2). From positive 0:
    //   to 1: 1^2 + 16.216875 (c differs) = 17.216875;  to 2: 1.3^2 = 1.69 (same c);  to 3: 100 + 16.216875.
    // So SMOTE-NC's nearest neighbour of 0 is 2, while plain SMOTE (no penalty) picks 1 (1 < 1.69).
    const t: Table = {
      x: [0, 1, 1.3, 10, 50, 60],
      c: ['a', 'b', 'a', 'c', 'a', 'b'],
      y: ['bad', 'bad', 'bad', 'bad', 'good', 'good'],
    };
    const nc = run(t, smotenc, 1);
    const base0 = nc.draws.filter((d) => d.base === 0);
    expect(base0.length).toBeGreaterThan(0);
    for (const d of base0) expect(d.neighbour).toBe(2);
    for (const d of run(t, smote, 1).draws.filter((d) => d.base === 0)) expect(d.neighbour).toBe(1);
  });

  test('each category is the majority among the k nearest neighbours, not the base value', () => {
    // Positives x = 0, 1, 2, 3, 100, c = a, b, b, a, a; k = 3. Variance of x = 1553.36 = the mismatch penalty.
    // Squared distances and neighbour lists by hand (nearest first):
    //   0 (a): 3 (9), 1 (1 + 1553.36), 2 (4 + 1553.36)          -> a, b, b -> 'b'
    //   1 (b): 2 (1), 0 (1 + 1553.36), 3 (4 + 1553.36)          -> b, a, a -> 'a'
    //   2 (b): 1 (1), 3 (1 + 1553.36), 0 (4 + 1553.36)          -> b, a, a -> 'a'
    //   3 (a): 0 (9), 2 (1 + 1553.36), 1 (4 + 1553.36)          -> a, b, b -> 'b'
    //   4 (a): 3 (9409), 0 (10000), 2 (9604 + 1553.36)          -> a, a, b -> 'a'
    const t: Table = {
      x: [0, 1, 2, 3, 100, 7],
      c: ['a', 'b', 'b', 'a', 'a', 'a'],
      y: ['bad', 'bad', 'bad', 'bad', 'bad', 'good'],
    };
    const expected: Record<number, string> = { 0: 'b', 1: 'a', 2: 'a', 3: 'b', 4: 'a' };
    const { table: out, draws } = run(t, smotenc, 3);
    expect(new Set(draws.map((d) => d.base)).size).toBe(5);
    draws.forEach((d, i) => expect(out.c[i]).toBe(expected[d.base]));
    const nn: Record<number, number[]> = { 0: [3, 1, 2], 1: [2, 0, 3], 2: [1, 3, 0], 3: [0, 2, 1], 4: [3, 0, 2] };
    draws.forEach((d) => expect(nn[d.base]).toContain(d.neighbour));
  });

  test('continuous features are interpolated between base and neighbour', () => {
    const t: Table = {
      x: [0.5, 1.5, 4.5, 9.5, 20.5],
      c: ['a', 'b', 'a', 'b', 'a'],
      y: ['bad', 'bad', 'bad', 'bad', 'good'],
    };
    const { table: out, draws } = run(t, smotenc, 2, 50);
    draws.forEach((d, i) => {
      const xb = t.x[d.base] as number;
      const xn = t.x[d.neighbour] as number;
      // The column has one decimal, so decoded values are rounded to 0.1.
      expect(Math.abs((out.x[i] as number) - (xb + d.gap * (xn - xb)))).toBeLessThanOrEqual(0.05 + 1e-12);
    });
  });
});
