import { describe, expect, test } from 'vitest';
import { InvalidDataError, UsageError } from '@fingan/gan-core';
import { checkSameColumns, splitByLabel, targetAddCount } from './schema.js';

describe('checkSameColumns', () => {
  test('names the missing and extra columns', () => {
    const run = () => checkSameColumns({ a: [1], b: [2], c: [3] }, { a: [1], d: [4] });
    expect(run).toThrow(InvalidDataError);
    expect(run).toThrow('test columns differ from train (missing from test: b, c; extra in test: d)');
    expect(() => checkSameColumns({ a: [1] }, { a: [1], z: [0] })).toThrow('test columns differ from train (extra in test: z)');
    try {
      checkSameColumns({ a: [1], b: [2] }, { a: [1] });
    } catch (e) {
      expect((e as InvalidDataError).at.column).toBe('b');
    }
    expect(() => checkSameColumns({ a: [1] }, { a: [2] })).not.toThrow();
  });
});

describe('targetAddCount', () => {
  test('imblearn float semantics: floor(ratio * negatives - positives)', () => {
    expect(targetAddCount(10, 100, { ratio: 0.5 })).toBe(40);
    expect(targetAddCount(10, 100, {})).toBe(90);
    expect(targetAddCount(517, 9340, { ratio: 0.1 })).toBe(417); // 934 - 517
    expect(targetAddCount(10, 101, { ratio: 0.5 })).toBe(40); // 50.5 - 10 -> 40
    expect(targetAddCount(10, 100, { count: 3 })).toBe(3);
    expect(() => targetAddCount(10, 100, { ratio: 0.05 })).toThrow(UsageError);
    expect(() => targetAddCount(10, 100, { ratio: Number.NaN })).toThrow('ratio must be a number in (0.1000, 1], got NaN');
  });
});

describe('splitByLabel', () => {
  test('compares labels as text and reports empty labels by row', () => {
    expect(splitByLabel({ y: [1, 0, '1', 0] }, 'y', '1')).toEqual({ positives: [0, 2], negatives: [1, 3] });
    expect(() => splitByLabel({ y: [1, null, 1, 0] }, 'y', 1)).toThrow("label column 'y' is empty in row 2");
  });
});
