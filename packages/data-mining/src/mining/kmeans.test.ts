import { describe, expect, it } from 'vitest';
import { createRng, InvalidDataError, UsageError } from '@fingan/gan-core';
import { kmeans } from './kmeans.js';

/** Three tight blobs (sd 0.3) around far-apart centres, 40 rows each, rows interleaved. */
function blobs(seed: number) {
  const rng = createRng(seed);
  const centres = [
    [0, 0, 0],
    [10, 0, 5],
    [0, 10, -5],
  ];
  const X: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 120; i++) {
    const g = i % 3;
    X.push(centres[g].map((c) => c + 0.3 * rng.normal()));
    truth.push(g);
  }
  return { X, truth, centres };
}

describe('kmeans', () => {
  it('finds the two obvious groups of a tiny case, with the inertia by hand', () => {
    const r = kmeans([[0], [1], [10], [11]], { k: 2, seed: 1 });
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(r.centroids[0])).toEqual([0.5]);
    expect(Array.from(r.centroids[1])).toEqual([10.5]);
    // Four rows each 0.5 from their centroid: 4 * 0.25.
    expect(r.inertia).toBe(1);
  });

  it('recovers separated blobs exactly, whatever the seed', () => {
    const { X, truth, centres } = blobs(7);
    for (const seed of [1, 2, 3]) {
      const r = kmeans(X, { k: 3, seed });
      // Rows are interleaved (0, 1, 2, 0, ...), and labels are numbered by first appearance.
      expect(Array.from(r.labels)).toEqual(truth);
      for (let g = 0; g < 3; g++) for (let t = 0; t < 3; t++) expect(Math.abs(r.centroids[g][t] - centres[g][t])).toBeLessThan(0.2);
    }
  });

  it('is deterministic for a seed', () => {
    const rng = createRng(3);
    const X = Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]);
    const a = kmeans(X, { k: 5, seed: 11, nInit: 3 });
    const b = kmeans(X, { k: 5, seed: 11, nInit: 3 });
    expect(b.labels).toEqual(a.labels);
    expect(b.centroids).toEqual(a.centroids);
    expect(b.inertia).toBe(a.inertia);
    // Every cluster is used and the inertia matches the labels and centroids.
    expect(new Set(a.labels).size).toBe(5);
    let inertia = 0;
    X.forEach((x, i) => x.forEach((v, t) => (inertia += (v - a.centroids[a.labels[i]][t]) ** 2)));
    expect(a.inertia).toBeCloseTo(inertia, 9);
  });

  it('handles repeated rows (k-means++ with zero distances)', () => {
    const r = kmeans(
      [
        [1, 1],
        [1, 1],
        [1, 1],
        [5, 5],
      ],
      { k: 2, seed: 4 },
    );
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1]);
    expect(r.inertia).toBe(0);
  });

  it('rejects bad input and options', () => {
    expect(() => kmeans([], { k: 1, seed: 1 })).toThrow(InvalidDataError);
    expect(() => kmeans([[1], [2]], { k: 3, seed: 1 })).toThrow('k = 3 exceeds the number of rows (2)');
    expect(() => kmeans([[1], [2]], { k: 0, seed: 1 })).toThrow(UsageError);
    expect(() => kmeans([[1, 2], [2]], { k: 1, seed: 1 })).toThrow('row 1 has 1 values, row 0 has 2');
    expect(() =>
      kmeans(
        [
          [1, 2],
          [2, Number.NaN],
        ],
        { k: 1, seed: 1 },
      ),
    ).toThrow('row 1, column 1: NaN is not a finite number');
    expect(() => kmeans([[1], [2]], { k: 1, seed: 1, nInit: 0 })).toThrow('nInit must be an integer >= 1, got 0');
  });
});
