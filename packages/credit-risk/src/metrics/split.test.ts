import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readTable } from '@fingan/gan-core';
import { splitTrainTest } from './split.js';

it('a seeded 70/30 split of the credit book, stratified by the target', () => {
  const { table } = readTable(fileURLToPath(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url)));
  const { train, test } = splitTrainTest(table, { seed: 0, stratify: 'Status' });
  // 1254 bad and 3200 good (PROVENANCE.md): round(0.3 * 1254) = 376 and round(0.3 * 3200) = 960 go to the test part.
  expect(test.Status.filter((v) => v === 'bad')).toHaveLength(376);
  expect(test.Status).toHaveLength(1336);
  expect(train.Status).toHaveLength(3118);
  expect(splitTrainTest(table, { seed: 0, stratify: 'Status' }).test).toEqual(test);
  expect(splitTrainTest(table, { seed: 1, stratify: 'Status' }).test).not.toEqual(test);
  expect(() => splitTrainTest(table, { testShare: 1 })).toThrow(/testShare must be in \(0, 1\)/);
});
