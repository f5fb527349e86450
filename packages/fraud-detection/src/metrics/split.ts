import { UsageError, createRng, takeRows, type Table } from '@fingan/gan-core';
import { splitByLabel } from '../schema/schema.js';

export interface StratifiedSplit {
  train: Table;
  test: Table;
}

/**
 * A seeded train/test split that keeps the positive share equal on both sides: positives and negatives are shuffled
 * separately and `round(testShare * count)` of each go to test. With a rare class a plain random split can leave the
 * test side with a handful of positives, and PR-AUC on a handful of positives is noise. Rows keep their original
 * order within each side.
 */
export function stratifiedSplit(table: Table, label: string, positive: string | number | boolean, testShare: number, seed: number): StratifiedSplit {
  if (!(testShare > 0 && testShare < 1)) {
    throw new UsageError(`testShare must be between 0 and 1 (exclusive), got ${testShare}`, { option: 'testShare' });
  }
  const { positives, negatives } = splitByLabel(table, label, positive);
  const rng = createRng(seed);
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (const rows of [positives, negatives]) {
    const order = rng.permutation(rows.length);
    const nTest = Math.round(testShare * rows.length);
    order.forEach((k, i) => (i < nTest ? testRows : trainRows).push(rows[k]));
  }
  trainRows.sort((a, b) => a - b);
  testRows.sort((a, b) => a - b);
  return { train: takeRows(table, trainRows), test: takeRows(table, testRows) };
}
