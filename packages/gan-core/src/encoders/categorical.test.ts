import { describe, expect, it } from 'vitest';
import { InvalidDataError } from '../errors.js';
import { CategoricalEncoder, categoryOrder } from './categorical.js';

describe('CategoricalEncoder', () => {
  it('orders categories by frequency, then by value', () => {
    // counts: b 3, a 2, c 2, d 1 -> b, then a/c tied (by value), then d.
    const enc = new CategoricalEncoder().fit(['c', 'b', 'a', 'b', 'd', 'c', 'a', 'b']);
    expect(enc.categories).toEqual(['b', 'a', 'c', 'd']);
    expect(enc.spans).toEqual([{ kind: 'discrete', width: 4 }]);
    expect(Array.from(enc.transform(['a', 'd']))).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('round-trips exactly, keeping each value’s JS type', () => {
    const x = ['x', 1, true, '1', null, 'x', 2.5, false, 1];
    const enc = new CategoricalEncoder().fit(x);
    // 'x' and 1 appear twice; the singletons follow in type order null, false, true, 2.5, '1'.
    expect(enc.categories).toEqual([1, 'x', null, false, true, 2.5, '1']);
    expect(enc.inverse(enc.transform(x), x.length)).toEqual(x);
  });

  it('decodes soft generator output by argmax', () => {
    const enc = new CategoricalEncoder().fit(['a', 'b', 'c']);
    expect(enc.inverse(Float32Array.from([0.2, 0.7, 0.1, 0.5, 0.2, 0.3]), 2)).toEqual(['b', 'a']);
  });

  it('names the unseen value and the column', () => {
    const enc = new CategoricalEncoder({ name: 'Home' }).fit(['rent', 'owner']);
    expect(() => enc.transform(['rent', 'castle'])).toThrow(InvalidDataError);
    expect(() => enc.transform(['rent', 'castle'])).toThrow("unseen category 'castle' in column 'Home' (row 2)");
  });

  it('rejects values that cannot be categories', () => {
    expect(() => categoryOrder([1, Number.NaN], 'c')).toThrow("in column 'c': row 2 is NaN, not a usable category");
  });

  it('toJSON / fromJSON keeps the one-hot order', () => {
    const enc = new CategoricalEncoder().fit(['q', 3, 'q', false]);
    const back = CategoricalEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(back.categories).toEqual(enc.categories);
    expect(back.transform([3, false, 'q'])).toEqual(enc.transform([3, false, 'q']));
  });
});
