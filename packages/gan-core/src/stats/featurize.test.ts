import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import { FeatureEncoder, labelVector } from './featurize.js';

const train: Table = {
  age: [30, null, 50, 40],
  home: ['rent', 'owner', null, 'rent'],
  married: [true, false, true, true],
  target: ['bad', 'good', 'good', 'bad'],
};

describe('FeatureEncoder', () => {
  it('ordinal mode: numbers pass through, categories get sorted codes, missing/unseen -> NaN', () => {
    const enc = FeatureEncoder.fit(train, { mode: 'ordinal', exclude: ['target'] });
    expect(enc.featureNames).toEqual(['age', 'home', 'married']);
    const rows = enc.transform(train);
    // home levels sorted: owner 0, rent 1; booleans: false 0, true 1
    expect(rows.map((r) => Array.from(r))).toEqual([
      [30, 1, 1],
      [NaN, 0, 0],
      [50, NaN, 1],
      [40, 1, 1],
    ]);
    const unseen = enc.transform({ age: [1], home: ['castle'], married: [false] });
    expect(Array.from(unseen[0])).toEqual([1, NaN, 0]);
  });

  it('onehot mode: standardised numbers with a missing indicator, one column per level', () => {
    const enc = FeatureEncoder.fit(train, { mode: 'onehot', exclude: ['target'] });
    expect(enc.featureNames).toEqual(['age', 'age:missing', 'home=(missing)', 'home=owner', 'home=rent', 'married=false', 'married=true']);
    const rows = enc.transform(train);
    // age on fit: 30, 50, 40 -> mean 40, sample sd 10
    expect(Array.from(rows[0])).toEqual([-1, 0, 0, 0, 1, 0, 1]);
    expect(Array.from(rows[1])).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(Array.from(rows[2])).toEqual([1, 0, 1, 0, 0, 0, 1]);
    const unseen = enc.transform({ age: [45], home: ['castle'], married: [true] });
    expect(Array.from(unseen[0])).toEqual([0.5, 0, 0, 0, 0, 0, 1]);
  });

  it('does not depend on row order for category codes', () => {
    const a = FeatureEncoder.fit({ c: ['b', 'a', 'c'] }, { mode: 'ordinal' });
    const b = FeatureEncoder.fit({ c: ['c', 'b', 'a'] }, { mode: 'ordinal' });
    expect(Array.from(a.transform({ c: ['a', 'b', 'c'] }).map((r) => r[0]))).toEqual([0, 1, 2]);
    expect(b.transform({ c: ['a', 'b', 'c'] })).toEqual(a.transform({ c: ['a', 'b', 'c'] }));
  });

  it('names the column at fault', () => {
    const enc = FeatureEncoder.fit(train, { mode: 'ordinal', exclude: ['target'] });
    const { home: _h, ...noHome } = train;
    expect(() => enc.transform(noHome)).toThrow(InvalidDataError);
    expect(() => enc.transform(noHome)).toThrow("column 'home' is missing");
    expect(() => enc.transform({ ...train, age: ['x', 1, 2, 3] })).toThrow("column 'age' was numeric on fit");
    expect(() => FeatureEncoder.fit({ t: [1] }, { mode: 'onehot', exclude: ['t'] })).toThrow('no feature columns');
  });

  it('builds 0/1 label vectors', () => {
    expect(Array.from(labelVector(train.target, 'bad'))).toEqual([1, 0, 0, 1]);
    expect(Array.from(labelVector([true, null, false], true))).toEqual([1, 0, 0]);
  });
});
