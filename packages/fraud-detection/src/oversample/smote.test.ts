import { describe, expect, test } from 'vitest';
import { createRng, type Table } from '@fingan/gan-core';
import { FraudEncoder } from '../encoder.js';
import { nearestNeighbours } from './neighbours.js';
import { smote } from './smote.js';

// Three positives on a line (x = 0, 1, 3, shifted by 0.1234567 so no rounding to few decimals hides an error)
// and two negatives. With k = 1 the nearest positive neighbour is, by hand: 0 -> 1 (distance 1), 1 -> 0
// (1 beats 2), 2 -> 1 (2 beats 3). Standardizing one column rescales all distances alike, so it cannot change this.
const off = 0.1234567;
const table: Table = {
  x: [0 + off, 1 + off, 3 + off, 10 + off, 11 + off],
  y: ['bad', 'bad', 'bad', 'good', 'good'],
};
const positives = [0, 1, 2];
const encoder = FraudEncoder.fit(table, { exclude: ['y'], kinds: { x: 'numeric' } });
const input = { table, label: 'y', positives, encoder };

describe('smote', () => {
  test('k=1: every synthetic point lies on the segment from its base to the base nearest neighbour', () => {
    const expectedNeighbour: Record<number, number> = { 0: 1, 1: 0, 2: 1 };
    const { table: out, draws } = smote(input, 200, { k: 1, rng: createRng(42) });
    expect(out.x).toHaveLength(200);
    expect(new Set(draws.map((d) => d.base))).toEqual(new Set([0, 1, 2]));
    draws.forEach((d, i) => {
      expect(d.neighbour).toBe(expectedNeighbour[d.base]);
      const xb = table.x[d.base] as number;
      const xn = table.x[d.neighbour] as number;
      // x = x_b + gap (x_n - x_b), up to the 6 decimals the column is rounded back to.
      expect(out.x[i] as number).toBeCloseTo(xb + d.gap * (xn - xb), 5);
      expect(out.y[i]).toBe('bad');
    });
  });

  test('the seed fixes the draws: base = rng.int(P), neighbour slot = rng.int(k), gap = rng.next()', () => {
    const { draws } = smote(input, 5, { k: 2, rng: createRng(7) });
    const rng = createRng(7);
    // k = 2 nearest, nearest first, from the distances above: 0 -> [1, 2], 1 -> [0, 2], 2 -> [1, 0].
    const nn = [
      [1, 2],
      [0, 2],
      [1, 0],
    ];
    for (const d of draws) {
      const b = rng.int(3);
      const j = nn[b][rng.int(2)];
      expect(d).toEqual({ base: b, neighbour: j, gap: rng.next() });
    }
    expect(smote(input, 5, { k: 2, rng: createRng(7) }).draws).toEqual(draws);
  });

  test('categories come from the nearer endpoint; a null in the base stays null', () => {
    const t: Table = {
      x: [0, 10, null, 50],
      c: ['a', 'b', 'b', 'z'],
      y: [1, 1, 1, 0],
    };
    const enc = FraudEncoder.fit(t, { exclude: ['y'], kinds: { x: 'numeric' } });
    const { table: out, draws } = smote({ table: t, label: 'y', positives: [0, 1, 2], encoder: enc }, 100, {
      k: 1,
      rng: createRng(3),
    });
    draws.forEach((d, i) => {
      expect(out.c[i]).toBe(t.c[d.gap < 0.5 ? d.base : d.neighbour]);
      if (d.base === 2) expect(out.x[i]).toBeNull();
      else expect(out.x[i]).not.toBeNull();
      expect(out.y[i]).toBe(1);
    });
    expect(draws.some((d) => d.base === 2)).toBe(true);
  });
});

describe('nearestNeighbours', () => {
  test('orders by distance, ties to the lower index', () => {
    const xs = [0, 1, -1, 5];
    const nn = nearestNeighbours(4, 2, (i, j) => (xs[i] - xs[j]) ** 2);
    // 0: 1 and 2 tie at distance 1 -> [1, 2]; 1: [0 (1), 2 (4)]; 2: [0, 1]; 3: [1 (16), 0 (25)].
    expect(Array.from(nn)).toEqual([1, 2, 0, 2, 0, 1, 1, 0]);
  });
});
