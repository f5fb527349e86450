import { describe, expect, test } from 'vitest';
import { UsageError, type Table } from '@fingan/gan-core';
import { stratifiedSplit } from './split.js';

/** 100 rows with ids 0..99; rows 0, 10, 20, ..., 90 are the 10 positives. */
const t: Table = { id: Array.from({ length: 100 }, (_, i) => i), y: Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1 : 0)) };

describe('stratifiedSplit', () => {
  test('30% of each class goes to test: round(0.3 * 10) = 3 positives, round(0.3 * 90) = 27 negatives', () => {
    const { train, test } = stratifiedSplit(t, 'y', 1, 0.3, 5);
    expect(test.y.filter((v) => v === 1)).toHaveLength(3);
    expect(test.y).toHaveLength(30);
    expect(train.y.filter((v) => v === 1)).toHaveLength(7);
    // Disjoint, together every row once, each side in the original order.
    expect([...train.id, ...test.id].sort((a, b) => (a as number) - (b as number))).toEqual(t.id);
    expect(train.id).toEqual([...train.id].sort((a, b) => (a as number) - (b as number)));
  });

  test('seeded: same seed same split, another seed another split', () => {
    expect(stratifiedSplit(t, 'y', '1', 0.3, 5)).toEqual(stratifiedSplit(t, 'y', 1, 0.3, 5));
    expect(stratifiedSplit(t, 'y', 1, 0.3, 6).test.id).not.toEqual(stratifiedSplit(t, 'y', 1, 0.3, 5).test.id);
  });

  test('testShare outside (0, 1) and a missing label are refused', () => {
    expect(() => stratifiedSplit(t, 'y', 1, 1, 5)).toThrow(UsageError);
    expect(() => stratifiedSplit(t, 'y', 1, 0, 5)).toThrow('testShare must be between 0 and 1 (exclusive), got 0');
    expect(() => stratifiedSplit(t, 'label', 1, 0.3, 5)).toThrow(/label column 'label' is not in the data/);
  });
});
