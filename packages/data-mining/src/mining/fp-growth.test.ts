import { describe, expect, it } from 'vitest';
import { createRng, InvalidDataError, UsageError } from '@fingan/gan-core';
import { fpGrowth, fpGrowthTuned, minCountFor } from './fp-growth.js';

/** Sweep every tree, or only the global one: both ways of building conditional trees must agree with the references. */
const TUNINGS = [{ sweepMinNodes: 1 }, { sweepMinNodes: 1e9 }];

// The market-basket example of Tan, Steinbach & Kumar, "Introduction to Data Mining", Table 6.1.
const BREAD = 0,
  MILK = 1,
  DIAPER = 2,
  BEER = 3,
  EGGS = 4,
  COKE = 5;
const TEXTBOOK = [
  [BREAD, MILK],
  [BREAD, DIAPER, BEER, EGGS],
  [MILK, DIAPER, BEER, COKE],
  [BREAD, MILK, DIAPER, BEER],
  [BREAD, MILK, DIAPER, COKE],
];

const asTriples = (r: { items: number[]; count: number }[]) => r.map((x) => [x.items, x.count]);

/** Reference: count every subset of the item universe directly. */
function bruteForce(baskets: number[][], nItems: number, minSupport: number, maxLength = Infinity) {
  const minCount = minCountFor(minSupport, baskets.length);
  const sets = baskets.map((b) => new Set(b));
  const out: [number[], number][] = [];
  for (let mask = 1; mask < 1 << nItems; mask++) {
    const items: number[] = [];
    for (let i = 0; i < nItems; i++) if (mask & (1 << i)) items.push(i);
    if (items.length > maxLength) continue;
    let c = 0;
    for (const s of sets) if (items.every((i) => s.has(i))) c++;
    if (c >= minCount) out.push([items, c]);
  }
  out.sort((a, b) => a[0].length - b[0].length || a[0].join(',').localeCompare(b[0].join(','), 'en', { numeric: true }));
  return out;
}

/** Reference: Apriori. Candidates of length k+1 join frequent k-itemsets sharing their first k-1 items; counts are direct. */
function apriori(baskets: number[][], nItems: number, minSupport: number): [number[], number][] {
  const minCount = minCountFor(minSupport, baskets.length);
  const sets = baskets.map((b) => new Set(b));
  const count = (items: number[]) => sets.reduce((c, s) => c + (items.every((i) => s.has(i)) ? 1 : 0), 0);
  const out: [number[], number][] = [];
  let level: number[][] = [];
  for (let i = 0; i < nItems; i++) {
    const c = count([i]);
    if (c >= minCount) {
      level.push([i]);
      out.push([[i], c]);
    }
  }
  while (level.length > 0) {
    const known = new Set(level.map((x) => x.join(',')));
    const next: number[][] = [];
    for (let a = 0; a < level.length; a++) {
      for (let b = a + 1; b < level.length; b++) {
        const x = level[a],
          y = level[b];
        if (x.slice(0, -1).join(',') !== y.slice(0, -1).join(',')) continue;
        const cand = [...x, y[y.length - 1]].sort((p, q) => p - q);
        if (!cand.every((_, drop) => known.has(cand.filter((__, k) => k !== drop).join(',')))) continue;
        const c = count(cand);
        if (c >= minCount) {
          next.push(cand);
          out.push([cand, c]);
        }
      }
    }
    level = next.sort(cmp);
  }
  return out;
}

function sortPairs(x: [number[], number][]) {
  return [...x].sort((a, b) => a[0].length - b[0].length || cmp(a[0], b[0]));
}
function cmp(a: number[], b: number[]) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

describe('fpGrowth', () => {
  it('finds the textbook itemsets at 60% support (counts by hand: 3 of 5 baskets)', () => {
    const r = fpGrowth(TEXTBOOK, { minSupport: 0.6 });
    expect(asTriples(r)).toEqual([
      [[BREAD], 4],
      [[MILK], 4],
      [[DIAPER], 4],
      [[BEER], 3],
      [[BREAD, MILK], 3],
      [[BREAD, DIAPER], 3],
      [[MILK, DIAPER], 3],
      [[DIAPER, BEER], 3],
    ]);
    expect(r[0].support).toBe(0.8);
    expect(r[3].support).toBe(0.6);
  });

  it('finds the textbook itemsets at 40% support, including the four triples', () => {
    const r = fpGrowth(TEXTBOOK, { minSupport: 0.4 });
    expect(asTriples(r)).toEqual([
      [[BREAD], 4],
      [[MILK], 4],
      [[DIAPER], 4],
      [[BEER], 3],
      [[COKE], 2],
      [[BREAD, MILK], 3],
      [[BREAD, DIAPER], 3],
      [[BREAD, BEER], 2],
      [[MILK, DIAPER], 3],
      [[MILK, BEER], 2],
      [[MILK, COKE], 2],
      [[DIAPER, BEER], 3],
      [[DIAPER, COKE], 2],
      [[BREAD, MILK, DIAPER], 2],
      [[BREAD, DIAPER, BEER], 2],
      [[MILK, DIAPER, BEER], 2],
      [[MILK, DIAPER, COKE], 2],
    ]);
    expect(r.find((x) => x.items.length === 3)!.support).toBe(0.4);
  });

  it('respects maxLength', () => {
    const r = fpGrowth(TEXTBOOK, { minSupport: 0.4, maxLength: 2 });
    expect(r.length).toBe(13); // the 17 above less the 4 triples
    expect(Math.max(...r.map((x) => x.items.length))).toBe(2);
  });

  it('counts a repeated item once and accepts Int32Array baskets and sparse ids', () => {
    const r = fpGrowth([Int32Array.of(7, 7, 3), Int32Array.of(7), Int32Array.of(3, 2_000_000)], { minSupport: 0.5 });
    expect(asTriples(r)).toEqual([
      [[3], 2],
      [[7], 2],
    ]);
  });

  it('equals brute-force enumeration on seeded random baskets', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const rng = createRng(seed);
      const nItems = 9;
      // Skewed item popularity plus a bundle (0,1,2) so that long itemsets and shared paths occur.
      const w = Array.from({ length: nItems }, (_, i) => 1 / (i + 1));
      const baskets: number[][] = [];
      for (let b = 0; b < 120; b++) {
        const size = 1 + rng.int(6);
        const basket: number[] = [];
        for (let k = 0; k < size; k++) basket.push(rng.weightedIndex(w));
        if (rng.next() < 0.3) basket.push(0, 1, 2);
        baskets.push(basket);
      }
      for (const minSupport of [0.02, 0.05, 0.15, 0.4]) {
        const got = fpGrowth(baskets, { minSupport }).map((x) => [x.items, x.count] as [number[], number]);
        expect(sortPairs(got)).toEqual(bruteForce(baskets, nItems, minSupport));
        for (const tuning of TUNINGS) {
          const tuned = fpGrowthTuned(baskets, { minSupport }, tuning).map((x) => [x.items, x.count] as [number[], number]);
          expect(sortPairs(tuned)).toEqual(bruteForce(baskets, nItems, minSupport));
        }
      }
      const got3 = fpGrowth(baskets, { minSupport: 0.03, maxLength: 3 }).map((x) => [x.items, x.count] as [number[], number]);
      expect(sortPairs(got3)).toEqual(bruteForce(baskets, nItems, 0.03, 3));
    }
  });

  it('equals brute force where a conditional tree is derived from nodes out of creation order', () => {
    // Found by instrumenting fpGrowth: with these baskets one conditional tree's pattern-base nodes come out of
    // order and must be sorted before the bottom-up pass.
    const rng = createRng(7);
    const nItems = 12;
    const w = Array.from({ length: nItems }, (_, i) => 1 / (i + 1) ** 0.7);
    const baskets: number[][] = [];
    for (let b = 0; b < 300; b++) {
      const basket: number[] = [];
      const size = 1 + rng.int(8);
      for (let k = 0; k < size; k++) basket.push(rng.weightedIndex(w));
      baskets.push(basket);
    }
    const got = fpGrowth(baskets, { minSupport: 0.02 }).map((x) => [x.items, x.count] as [number[], number]);
    expect(sortPairs(got)).toEqual(bruteForce(baskets, nItems, 0.02));
  });

  it('equals a level-wise (Apriori) count on 3000 baskets over 40 items, deep trees included', () => {
    const rng = createRng(11);
    const nItems = 40;
    const w = Array.from({ length: nItems }, (_, i) => 1 / (i + 1) ** 0.7);
    const bundles = [
      [3, 17, 25, 31],
      [1, 8, 39],
      [5, 6, 7, 9, 12],
    ];
    const baskets: number[][] = [];
    for (let b = 0; b < 3000; b++) {
      const basket: number[] = [];
      const size = 2 + rng.int(12);
      for (let k = 0; k < size; k++) basket.push(rng.weightedIndex(w));
      if (rng.next() < 0.3) basket.push(...bundles[rng.int(3)]);
      baskets.push(basket);
    }
    const got = fpGrowth(baskets, { minSupport: 0.03 }).map((x) => [x.items, x.count] as [number[], number]);
    expect(got.length).toBeGreaterThan(300);
    expect(Math.max(...got.map((g) => g[0].length))).toBeGreaterThanOrEqual(5);
    const expected = sortPairs(apriori(baskets, nItems, 0.03));
    expect(sortPairs(got)).toEqual(expected);
    for (const tuning of TUNINGS) {
      const tuned = fpGrowthTuned(baskets, { minSupport: 0.03 }, tuning).map((x) => [x.items, x.count] as [number[], number]);
      expect(sortPairs(tuned)).toEqual(expected);
    }
  });

  it('equals Apriori with more frequent items than one sweep of the global tree takes (64)', () => {
    const rng = createRng(12);
    const nItems = 90;
    const baskets: number[][] = [];
    for (let b = 0; b < 1500; b++) {
      const basket: number[] = [];
      const size = 3 + rng.int(8);
      for (let k = 0; k < size; k++) basket.push(rng.int(nItems));
      if (rng.next() < 0.2) basket.push(70, 80, 85);
      baskets.push(basket);
    }
    const got = fpGrowth(baskets, { minSupport: 0.004 }).map((x) => [x.items, x.count] as [number[], number]);
    expect(got.filter((g) => g[0].length === 1).length).toBe(90);
    expect(got.some((g) => g[0].join() === '70,80,85')).toBe(true);
    const expected = sortPairs(apriori(baskets, nItems, 0.004));
    expect(sortPairs(got)).toEqual(expected);
    const swept = fpGrowthTuned(baskets, { minSupport: 0.004 }, TUNINGS[0]).map((x) => [x.items, x.count] as [number[], number]);
    expect(sortPairs(swept)).toEqual(expected);
  });

  it('mines without the pair matrix when there are too many frequent items for it (over 4096)', () => {
    // Baskets {i, i+1} for i < 5000: items 1..4999 are in two baskets, 0 and 5000 in one; each pair in one.
    const baskets = Array.from({ length: 5000 }, (_, i) => [i, i + 1]);
    const r = fpGrowth(baskets, { minSupport: 1 / 5000 });
    expect(r.length).toBe(5001 + 5000);
    expect(r[0]).toEqual({ items: [0], support: 1 / 5000, count: 1 });
    expect(r[1]).toEqual({ items: [1], support: 2 / 5000, count: 2 });
    expect(r[5001]).toEqual({ items: [0, 1], support: 1 / 5000, count: 1 });
    expect(r[r.length - 1].items).toEqual([4999, 5000]);
  });

  it('handles a single-path tree (every combination of the path is frequent)', () => {
    const r = fpGrowth(
      [
        [1, 2, 3],
        [1, 2, 3],
        [1, 2],
      ],
      { minSupport: 0.5 },
    );
    expect(asTriples(r)).toEqual([
      [[1], 3],
      [[2], 3],
      [[3], 2],
      [[1, 2], 3],
      [[1, 3], 2],
      [[2, 3], 2],
      [[1, 2, 3], 2],
    ]);
  });

  it('returns nothing when no item reaches the support', () => {
    expect(fpGrowth([[1], [2], [3]], { minSupport: 0.5 })).toEqual([]);
  });

  it('rejects a minSupport outside (0, 1], naming it', () => {
    for (const bad of [0, -0.1, 1.5, Number.NaN]) {
      expect(() => fpGrowth(TEXTBOOK, { minSupport: bad })).toThrow(UsageError);
      expect(() => fpGrowth(TEXTBOOK, { minSupport: bad })).toThrow(/minSupport must be a fraction in \(0, 1\]/);
    }
    try {
      fpGrowth(TEXTBOOK, { minSupport: 2 });
    } catch (e) {
      expect((e as UsageError).at.option).toBe('minSupport');
    }
    expect(() => fpGrowth(TEXTBOOK, { minSupport: 1 })).not.toThrow();
    expect(() => fpGrowth(TEXTBOOK, { minSupport: 0.5, maxLength: 0 })).toThrow(/maxLength must be an integer >= 1/);
  });

  it('rejects empty input and non-integer items', () => {
    expect(() => fpGrowth([], { minSupport: 0.5 })).toThrow(InvalidDataError);
    expect(() =>
      fpGrowth(
        [
          [1, 2],
          [1, -3],
        ],
        { minSupport: 0.5 },
      ),
    ).toThrow(/basket 1 holds item -3/);
    expect(() => fpGrowth([[1.5]], { minSupport: 0.5 })).toThrow(/basket 0 holds item 1.5/);
  });
});
