import { createRng, InvalidDataError, UsageError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { compareSegments, fitSegments, hungarian, segmentFidelity, silhouette } from './segments.js';

/**
 * Planted segments: segment g buys from its own 8 items (each with probability 0.7) and rarely (0.03) from the
 * others. 24 items, segment sizes in the ratio 3 : 2 : 1.
 */
function planted(n: number, seed: number, sizes = [3, 2, 1]): { baskets: number[][]; truth: number[] } {
  const rng = createRng(seed);
  const total = sizes.reduce((s, x) => s + x, 0);
  const baskets: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    // Deterministic proportions: basket i belongs to the segment its position falls in.
    let g = 0;
    let acc = sizes[0];
    while (i % total >= acc) acc += sizes[++g];
    const b: number[] = [];
    for (let item = 0; item < 24; item++) if (rng.next() < (Math.floor(item / 8) === g ? 0.7 : 0.03)) b.push(item);
    if (b.length === 0) b.push(g * 8);
    baskets.push(b);
    truth.push(g);
  }
  return { baskets, truth };
}

/** Each planted segment maps to exactly one label and vice versa. */
function recovers(labels: ArrayLike<number>, truth: number[]): boolean {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    if ((map.get(truth[i]) ?? labels[i]) !== labels[i]) return false;
    if ((back.get(labels[i]) ?? truth[i]) !== truth[i]) return false;
    map.set(truth[i], labels[i]);
    back.set(labels[i], truth[i]);
  }
  return true;
}

describe('fitSegments', () => {
  const { baskets, truth } = planted(180, 1);

  it('recovers planted segments with the planted k, chosen by silhouette over 2..6', () => {
    const s = fitSegments(baskets, { seed: 3, kRange: [2, 6] });
    expect(s.criterion).toBe('silhouette');
    expect(s.k).toBe(3);
    expect(s.silhouetteByK.map((x) => x.k)).toEqual([2, 3, 4, 5, 6]);
    const best = Math.max(...s.silhouetteByK.map((x) => x.silhouette));
    expect(s.silhouetteByK.find((x) => x.k === 3)!.silhouette).toBe(best);
    expect(recovers(s.labels, truth)).toBe(true);
    expect([...s.sizes].sort((a, b) => b - a)).toEqual([90, 60, 30]);
    // A segment's profile is the share of its baskets holding each item: high on its own 8 items, low elsewhere.
    const seg0 = s.labels[truth.indexOf(0)];
    expect(Math.min(...Array.from(s.profiles[seg0].subarray(0, 8)))).toBeGreaterThan(0.45);
    expect(Math.max(...Array.from(s.profiles[seg0].subarray(8)))).toBeLessThan(0.15);
  });

  it('is deterministic for a seed and honours a fixed k', () => {
    const a = fitSegments(baskets, { seed: 5, k: 4 });
    const b = fitSegments(baskets, { seed: 5, k: 4 });
    expect(a.criterion).toBe('fixed');
    expect(a.k).toBe(4);
    expect(a.silhouetteByK).toEqual([]);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.profiles.map((p) => Array.from(p))).toEqual(b.profiles.map((p) => Array.from(p)));
  });

  it('refuses k < 2, k above the baskets, and data without items', () => {
    expect(() => fitSegments(baskets, { seed: 1, k: 1 })).toThrow(UsageError);
    expect(() => fitSegments(baskets, { seed: 1, k: 1 })).toThrow(/k must be an integer >= 2, got 1/);
    expect(() => fitSegments([[0], [1]], { seed: 1, k: 3 })).toThrow(/k = 3 exceeds the number of baskets \(2\)/);
    expect(() => fitSegments([], { seed: 1, k: 2 })).toThrow(InvalidDataError);
    expect(() => fitSegments([[], []], { seed: 1, k: 2 })).toThrow(/every basket is empty/);
  });
});

describe('silhouette', () => {
  it('is near 1 for tight far-apart clusters and near 0 or below for a split that ignores them', () => {
    const X = [
      [0, 0],
      [0, 0.1],
      [10, 10],
      [10, 10.1],
    ];
    expect(silhouette(X, [0, 0, 1, 1], 2)).toBeGreaterThan(0.98);
    expect(silhouette(X, [0, 1, 0, 1], 2)).toBeLessThan(0);
  });
});

describe('hungarian', () => {
  it('finds the cheapest one-to-one matching (checked against every permutation)', () => {
    const rng = createRng(7);
    const perms = (n: number): number[][] =>
      n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + (trial % 5);
      const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(rng.next() * 100)));
      const m = hungarian(cost);
      const total = Array.from(m).reduce((s, j, i) => s + cost[i][j], 0);
      const best = Math.min(...perms(n).map((p) => p.reduce((s, j, i) => s + cost[i][j], 0)));
      expect(total).toBe(best);
      expect(new Set(m).size).toBe(n);
    }
  });
});

describe('segment fidelity', () => {
  const { baskets: real } = planted(240, 11);

  it('is perfect for the real data against itself, with a real-halves reference close to it', () => {
    const f = segmentFidelity({ real, synthetic: real, seed: 2, kRange: [2, 6] });
    expect(f.k).toBe(3);
    expect(f.synthetic.meanProfileDistance).toBe(0);
    expect(f.synthetic.sizeTV).toBe(0);
    expect(f.synthetic.assignmentAgreement).toBe(1);
    // Two halves of planted data find the same segments, up to sampling noise.
    expect(f.realHalves.assignmentAgreement).toBeGreaterThan(0.97);
    expect(f.realHalves.sizeTV).toBeLessThan(0.12);
    expect(f.realHalves.meanProfileDistance).toBeLessThan(0.5);
  });

  it('is clearly worse than the reference for synthetic data from another process', () => {
    // Same segment shapes but proportions 1 : 1 : 4 instead of 3 : 2 : 1.
    const { baskets: resized } = planted(240, 12, [1, 1, 4]);
    const r = segmentFidelity({ real, synthetic: resized, seed: 2, k: 3 });
    expect(r.synthetic.sizeTV).toBeGreaterThan(0.3);
    expect(r.synthetic.sizeTV).toBeGreaterThan(r.realHalves.sizeTV + 0.25);
    // Items shuffled across baskets: each basket's items drawn at random, sizes kept.
    const rng = createRng(4);
    const shuffled = real.map((b) => {
      const items = new Set<number>();
      while (items.size < b.length) items.add(rng.int(24));
      return [...items];
    });
    const s = segmentFidelity({ real, synthetic: shuffled, seed: 2, k: 3 });
    expect(s.synthetic.meanProfileDistance).toBeGreaterThan(s.realHalves.meanProfileDistance + 0.5);
    expect(s.synthetic.assignmentAgreement).toBeLessThan(s.realHalves.assignmentAgreement - 0.2);
  });

  it('compareSegments refuses fits with different k', () => {
    const a = fitSegments(real, { seed: 1, k: 2 });
    const b = fitSegments(real, { seed: 1, k: 3 });
    expect(() => compareSegments(a, b)).toThrow(/same k, got 2 and 3/);
  });
});
