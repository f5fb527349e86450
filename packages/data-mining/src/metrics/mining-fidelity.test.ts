import { describe, expect, it } from 'vitest';
import { createRng, InvalidDataError, UsageError } from '@fingan/gan-core';
import { fpGrowth } from '../mining/fp-growth.js';
import { countSupports, evaluateMining } from './mining-fidelity.js';

// A small case worked out by hand (see the comments for each number).
// Real:      {0,1} {0,1} {0,2} {1,2}   supports 0: 3/4, 1: 3/4, 2: 2/4, {0,1}: 2/4, {0,2}: 1/4, {1,2}: 1/4
// Synthetic: {0,1} {0,1,2} {0,2} {2}   supports 0: 3/4, 1: 2/4, 2: 3/4, {0,1}: 2/4, {0,2}: 2/4, {1,2}: 1/4
const REAL = [
  [0, 1],
  [0, 1],
  [0, 2],
  [1, 2],
];
const SYNTH = [[0, 1], [0, 1, 2], [0, 2], [2]];

describe('evaluateMining', () => {
  it('scores identical data as perfect', () => {
    const rng = createRng(5);
    const baskets = Array.from({ length: 300 }, () => {
      const b = new Set<number>();
      const size = 1 + rng.int(6);
      while (b.size < size) b.add(rng.weightedIndex([8, 6, 5, 4, 3, 2, 2, 1, 1, 1]));
      return [...b];
    });
    const m = evaluateMining({ real: baskets, synthetic: baskets, minSupport: 0.05, seed: 1 });
    expect(m.nRealItemsets).toBeGreaterThan(20);
    expect(m.itemsetPrecision).toBe(1);
    expect(m.itemsetRecall).toBe(1);
    expect(m.supportMedianRelError).toBe(0);
    expect(m.ruleJaccardTop50).toBe(1);
    expect(m.nRealRules).toBeGreaterThan(0);
    expect(m.basketSizeTV).toBe(0);
    expect(m.basketSizeWasserstein).toBe(0);
    expect(m.itemFrequencyTV).toBe(0);
    expect(m.itemSupportMAE).toBe(0);
    expect(m.exactBasketCopyRate).toBe(1);
    expect(m.nnJaccardSyntheticToTrain).toBe(0);
    for (const l of m.byLength) expect([l.precision, l.recall]).toEqual([1, 1]);
  });

  it('matches the hand-computed values of a perturbed case', () => {
    const m = evaluateMining({ real: REAL, synthetic: SYNTH, minSupport: 0.5, seed: 3, minConfidence: 0.5 });
    // Frequent at 1/2: real {0} {1} {2} {0,1}; synthetic {0} {1} {2} {0,1} {0,2}: 4 in common.
    expect([m.nRealItemsets, m.nSyntheticItemsets, m.nCommonItemsets]).toEqual([4, 5, 4]);
    expect(m.itemsetPrecision).toBe(4 / 5);
    expect(m.itemsetRecall).toBe(1);
    expect(m.byLength).toEqual([
      { length: 1, real: 3, synthetic: 3, common: 3, precision: 1, recall: 1 },
      { length: 2, real: 1, synthetic: 2, common: 1, precision: 0.5, recall: 1 },
    ]);
    // Relative errors of the real itemsets: {0} 0, {1} |2/4-3/4|/(3/4) = 1/3, {2} |3/4-2/4|/(2/4) = 1/2, {0,1} 0;
    // median of (0, 0, 1/3, 1/2) = 1/6.
    expect(m.supportMedianRelError).toBeCloseTo(1 / 6, 12);
    // Rules at confidence >= 1/2: real 0=>1, 1=>0; synthetic 0=>1, 1=>0, 0=>2, 2=>0: Jaccard 2/4.
    expect([m.nRealRules, m.nSyntheticRules]).toEqual([2, 4]);
    expect(m.ruleJaccardTop50).toBe(0.5);
    // Sizes real (2,2,2,2), synthetic (2,3,2,1): TV = (|1-1/2| + 1/4 + 1/4)/2 = 1/2; W1 = mean |x - 2| = 1/2.
    expect(m.basketSizeTV).toBeCloseTo(0.5, 12);
    expect(m.basketSizeWasserstein).toBeCloseTo(0.5, 12);
    expect([m.meanBasketSizeReal, m.meanBasketSizeSynthetic]).toEqual([2, 2]);
    // Item mentions real (3,3,2)/8, synthetic (3,2,3)/8: TV = (0 + 1/8 + 1/8)/2 = 1/8.
    expect(m.itemFrequencyTV).toBeCloseTo(1 / 8, 12);
    // Supports real (3/4, 3/4, 1/2), synthetic (3/4, 1/2, 3/4): MAE = (0 + 1/4 + 1/4)/3 = 1/6.
    expect(m.itemSupportMAE).toBeCloseTo(1 / 6, 12);
    // {0,1} and {0,2} are copies of real baskets, {0,1,2} and {2} are not.
    expect(m.exactBasketCopyRate).toBe(0.5);
    // Nearest real basket: {0,1} 0, {0,1,2} 1 - 2/3, {0,2} 0, {2} 1 - 1/2; median of (0, 0, 1/3, 1/2) = 1/6.
    expect(m.nnJaccardSyntheticToTrain).toBeCloseTo(1 / 6, 12);
    expect(m.privacyReference).toBe('real-halves');
  });

  it('uses the holdout as the nearest-neighbour reference when given', () => {
    const m = evaluateMining({ real: REAL, synthetic: SYNTH, holdout: [[0, 1, 2], [2]], minSupport: 0.5, seed: 3 });
    // Holdout to training: {0,1,2} 1/3, {2} 1/2; median 5/12.
    expect(m.nnJaccardHoldoutToTrain).toBeCloseTo(5 / 12, 12);
    expect(m.privacyReference).toBe('holdout');
    // A separate training set changes the copy rate: only {2} is in it.
    const t = evaluateMining({ real: REAL, synthetic: SYNTH, train: [[2], [1]], minSupport: 0.5, seed: 3 });
    expect(t.exactBasketCopyRate).toBe(0.25);
    // Nearest in {2},{1}: {0,1} 1/2, {0,1,2} 2/3, {0,2} 1/2, {2} 0; median 1/2.
    expect(t.nnJaccardSyntheticToTrain).toBeCloseTo(0.5, 12);
  });

  it('baseline copy rate: 1 when every real basket is the same, 0 when all differ', () => {
    const same = Array.from({ length: 10 }, () => [1, 2]);
    expect(evaluateMining({ real: same, synthetic: same, minSupport: 0.5, seed: 1 }).exactBasketCopyRateBaseline).toBe(1);
    const distinct = Array.from({ length: 10 }, (_, i) => [i, 100 + i]);
    const m = evaluateMining({ real: distinct, synthetic: distinct, minSupport: 0.5, seed: 1 });
    expect(m.exactBasketCopyRateBaseline).toBe(0);
    // Halves of distinct 2-item baskets share no item: nearest distance 1.
    expect(m.nnJaccardHoldoutToTrain).toBe(1);
    // No itemset reaches 1/2 on either side: nothing to find, nothing invented.
    expect([m.itemsetPrecision, m.itemsetRecall, m.supportMedianRelError, m.ruleJaccardTop50]).toEqual([1, 1, 0, 1]);
  });

  it('is deterministic for a seed', () => {
    const rng = createRng(9);
    const mk = () => Array.from({ length: 400 }, () => [rng.int(6), rng.int(6), 6 + rng.int(4)]);
    const real = mk();
    const synthetic = mk();
    const a = evaluateMining({ real, synthetic, minSupport: 0.1, seed: 42, privacySample: 50 });
    const b = evaluateMining({ real, synthetic, minSupport: 0.1, seed: 42, privacySample: 50 });
    expect(b).toEqual(a);
  });

  it('rejects bad input, naming what is wrong', () => {
    expect(() => evaluateMining({ real: REAL, synthetic: SYNTH, minSupport: 0, seed: 1 })).toThrow(UsageError);
    expect(() => evaluateMining({ real: REAL, synthetic: SYNTH, minSupport: 0, seed: 1 })).toThrow(/minSupport/);
    expect(() => evaluateMining({ real: REAL, synthetic: [], minSupport: 0.5, seed: 1 })).toThrow('synthetic baskets: expected a non-empty array of baskets');
    expect(() => evaluateMining({ real: [[1]], synthetic: SYNTH, minSupport: 0.5, seed: 1 })).toThrow(InvalidDataError);
    expect(() => evaluateMining({ real: REAL, synthetic: [[0], [-1]], minSupport: 0.5, seed: 1 })).toThrow(
      'synthetic basket 1 holds item -1: items must be non-negative integer ids',
    );
    expect(() => evaluateMining({ real: REAL, synthetic: SYNTH, minSupport: 0.5, seed: Number.NaN })).toThrow(/seed must be a finite number/);
  });
});

describe('countSupports', () => {
  it('equals direct counting, for itemsets frequent or not', () => {
    const rng = createRng(2);
    const baskets = Array.from({ length: 150 }, () => Int32Array.from(new Set([rng.int(8), rng.int(8), rng.int(8)])).sort());
    const itemsets = fpGrowth(baskets, { minSupport: 0.01 });
    const extra = [{ items: [7, 99] }, { items: [3] }];
    const counts = countSupports(baskets, [...itemsets, ...extra]);
    itemsets.forEach((s, i) => expect(counts[i]).toBe(s.count));
    expect(counts[itemsets.length]).toBe(0);
    expect(counts[itemsets.length + 1]).toBe(baskets.filter((b) => b.includes(3)).length);
  });
});
