import { describe, expect, it } from 'vitest';
import { CategoricalEncoder } from './categorical.js';
import { ContinuousEncoder } from './continuous.js';
import { DatetimeEncoder } from './datetime.js';
import { IntegerEncoder } from './integer.js';
import { MissingEncoder, withMissing } from './missing.js';

describe('withMissing', () => {
  it('appends a [present, missing] span and round-trips the nulls', () => {
    const x = [3, null, 7, 1, null, 5];
    const enc = withMissing(new IntegerEncoder({ method: 'minmax' }), { name: 'n' }).fit(x);
    expect(enc.spans).toEqual([
      { kind: 'continuous', width: 1 },
      { kind: 'discrete', width: 2 },
    ]);
    const block = enc.transform(x);
    // Indicator columns of each row: present -> [1, 0], missing -> [0, 1].
    expect(Array.from({ length: 6 }, (_, i) => block[i * 3 + 2])).toEqual([0, 1, 0, 0, 1, 0]);
    expect(enc.inverse(block, 6)).toEqual(x);
  });

  it('imputes the lower median for numbers (an observed value) and the mode for categories', () => {
    // Present values 1, 3, 5, 7: lower median 3 -> minmax over the present range [1, 7] gives -1/3.
    const num = withMissing(new ContinuousEncoder({ method: 'minmax' })).fit([7, null, 1, 5, 3]);
    expect(num.toJSON().fill).toBe(3);
    expect(num.transform([null])[0]).toBeCloseTo(-1 / 3, 6);
    const cat = withMissing(new CategoricalEncoder()).fit(['a', 'b', null, 'b']);
    expect(cat.toJSON().fill).toBe('b');
    const dt = withMissing(new DatetimeEncoder({ method: 'minmax' })).fit(['2020-01-03', null, '2020-01-01', '2020-01-02']);
    expect(dt.toJSON().fill).toBe('2020-01-02');
  });

  it('fits the inner encoder on present values only', () => {
    const enc = withMissing(new ContinuousEncoder({ method: 'minmax' })).fit([10, null, 20, null, null]);
    expect(enc.toJSON().inner).toMatchObject({ min: 10, max: 20 });
  });

  it('adds nothing when the column had no nulls, and then rejects a null', () => {
    const enc = withMissing(new ContinuousEncoder({ method: 'minmax' }), { name: 'Price' }).fit([1, 2]);
    expect(enc.width).toBe(1);
    expect(enc.inverse(enc.transform([1, 2]), 2)).toEqual([1, 2]);
    expect(() => enc.transform([1, null])).toThrow(
      "missing value in column 'Price' at row 2, but the column had no missing values when the encoder was fitted",
    );
  });

  it('rejects a column that is entirely missing', () => {
    expect(() => withMissing(new ContinuousEncoder(), { name: 'x' }).fit([null, null])).toThrow("every value in column 'x' is missing");
  });

  it('restores from JSON with the same layout', () => {
    const x = [1.5, null, 2.5];
    const enc = withMissing(new ContinuousEncoder({ method: 'minmax' })).fit(x);
    const state = JSON.parse(JSON.stringify(enc.toJSON()));
    const back = MissingEncoder.fromJSON(state, ContinuousEncoder.fromJSON(state.inner));
    expect(back.transform(x)).toEqual(enc.transform(x));
    expect(back.inverse(back.transform(x), 3)).toEqual(x);
  });
});
