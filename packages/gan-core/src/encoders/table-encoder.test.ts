import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { InvalidDataError, ModelFormatError, UsageError } from '../errors.js';
import { readTable } from '../io/table-io.js';
import { Rng } from '../random/rng.js';
import { specsFromKinds, TableEncoder, type ColumnSpec } from './table-encoder.js';

const CREDIT = fileURLToPath(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url));

const table: Table = {
  home: ['rent', 'own', 'rent', null, 'rent', 'own'],
  flag: [true, false, false, true, true, false],
  n: [3, null, 7, 1, 10, 5],
  x: [0.5, 1.5, -2, 4, 3.25, 0],
  day: ['2020-01-01', '2020-02-15', null, '2019-12-31', '2020-06-30', '2020-01-02'],
};
const specs: ColumnSpec[] = [
  { name: 'home', kind: 'categorical' },
  { name: 'flag', kind: 'boolean' },
  { name: 'n', kind: 'integer', method: 'minmax' },
  { name: 'x', kind: 'continuous', method: 'minmax' },
  { name: 'day', kind: 'datetime', method: 'gmm', maxModes: 2 },
];

describe('TableEncoder', () => {
  const enc = TableEncoder.fit(table, specs, { seed: 3 });

  it('lays columns out side by side with global offsets', () => {
    // home: 3 categories (rent, own, null) -> 0..2; flag: 2 -> 3..4; n: [value, present/missing] -> 5..7;
    // x: no nulls -> 8; day: [alpha, K modes, present/missing] -> 9...
    const [home, flag, n, x, day] = enc.layout;
    expect(home).toEqual({
      name: 'home',
      kind: 'categorical',
      offset: 0,
      width: 3,
      spans: [{ kind: 'discrete', width: 3, offset: 0 }],
      categories: ['rent', 'own', null],
      conditionSpan: { kind: 'discrete', width: 3, offset: 0 },
    });
    expect(flag).toMatchObject({ offset: 3, width: 2, categories: [false, true], conditionSpan: { kind: 'discrete', width: 2, offset: 3 } });
    expect(n).toEqual({
      name: 'n',
      kind: 'integer',
      offset: 5,
      width: 3,
      spans: [
        { kind: 'continuous', width: 1, offset: 5 },
        { kind: 'discrete', width: 2, offset: 6 },
      ],
      missingSpan: { kind: 'discrete', width: 2, offset: 6 },
    });
    expect(x.spans).toEqual([{ kind: 'continuous', width: 1, offset: 8 }]);
    expect(x.missingSpan).toBeUndefined();
    expect(day.missingSpan).toEqual(day.spans[2]);
    const K = day.spans[1].width;
    expect(day.spans).toEqual([
      { kind: 'continuous', width: 1, offset: 9 },
      { kind: 'discrete', width: K, offset: 10 },
      { kind: 'discrete', width: 2, offset: 10 + K },
    ]);
    expect(enc.width).toBe(12 + K);
    expect(enc.spans).toEqual(enc.layout.flatMap((l) => l.spans));
    expect(enc.discreteColumns().map((l) => l.name)).toEqual(['home', 'flag']);
  });

  it('round-trips the table (argmax modes)', () => {
    const m = enc.transform(table);
    expect(m).toHaveLength(6 * enc.width);
    const back = enc.inverse(m, 6);
    expect(Object.keys(back)).toEqual(['home', 'flag', 'n', 'x', 'day']);
    expect({ ...back, x: null }).toEqual({ ...table, x: null });
    back.x.forEach((v, i) => expect(v as number).toBeCloseTo(table.x[i] as number, 5));
  });

  it('gives category slots and names unknown values', () => {
    expect(enc.categoryIndex('home', 'own')).toBe(1);
    expect(enc.categoryIndex('home', null)).toBe(2);
    expect(enc.categoryIndex('flag', true)).toBe(1);
    expect(() => enc.categoryIndex('home', 'castle')).toThrow(InvalidDataError);
    expect(() => enc.categoryIndex('home', 'castle')).toThrow("unknown category 'castle' for column 'home' (categories: 'rent', 'own', null)");
    expect(() => enc.categoryIndex('x', 1)).toThrow(UsageError);
  });

  it('names the column and value of an unseen category', () => {
    expect(() => enc.transform({ ...table, home: ['rent', 'own', 'castle', 'rent', 'own', 'own'] })).toThrow(
      "unseen category 'castle' in column 'home' (row 3)",
    );
  });

  it('reports a missing column', () => {
    const { x: _x, ...noX } = table;
    expect(() => TableEncoder.fit(noX, specs)).toThrow(InvalidDataError);
    expect(() => enc.transform(noX)).toThrow("column 'x' is missing from the table (it has 4 columns: home, flag, n, day)");
    try {
      enc.transform(noX);
    } catch (e) {
      expect((e as InvalidDataError).at.column).toBe('x');
    }
  });

  it('restores from JSON with identical transforms', () => {
    const state = JSON.parse(JSON.stringify(enc.toJSON()));
    const back = TableEncoder.fromJSON(state);
    expect(back.layout).toEqual(enc.layout);
    expect(back.transform(table, new Rng(8))).toEqual(enc.transform(table, new Rng(8)));
    expect(TableEncoder.fromJSON(JSON.stringify(state)).width).toBe(enc.width);
  });

  it('rejects a truncated or edited state with a ModelFormatError naming the field', () => {
    const text = JSON.stringify(enc.toJSON());
    expect(() => TableEncoder.fromJSON(text.slice(0, text.length / 2))).toThrow(ModelFormatError);
    expect(() => TableEncoder.fromJSON(text.slice(0, text.length / 2))).toThrow(/^table encoder state is not valid JSON/);

    const state = JSON.parse(text);
    delete state.columns[4].encoder.inner.inner.scaler.sds;
    expect(() => TableEncoder.fromJSON(state)).toThrow(ModelFormatError);
    expect(() => TableEncoder.fromJSON(state)).toThrow(/^invalid table encoder state at columns\[4\]\.encoder\.inner\.inner\.scaler\.sds: /);

    const cut = JSON.parse(text);
    cut.columns = cut.columns.slice(0, 2).concat([{ name: 'n', kind: 'integer' }]);
    expect(() => TableEncoder.fromJSON(cut)).toThrow(/^invalid table encoder state at columns\[2\]\.encoder: /);

    const wrongKind = JSON.parse(text);
    wrongKind.columns[0].kind = 'boolean';
    expect(() => TableEncoder.fromJSON(wrongKind)).toThrow("columns[0].encoder.type: column 'home' is boolean but its encoder is categorical");

    expect(() => TableEncoder.fromJSON({ format: 'something-else' })).toThrow(/^invalid table encoder state at format: /);
  });

  it('rejects bad specs', () => {
    expect(() => TableEncoder.fit(table, [])).toThrow(UsageError);
    expect(() => TableEncoder.fit(table, [specs[0], specs[0]])).toThrow("column 'home' appears twice");
  });
});

describe('TableEncoder on the bundled credit data', () => {
  it('fits, transforms and round-trips every cell', () => {
    const { table: credit, kinds } = readTable(CREDIT);
    const enc = TableEncoder.fit(credit, specsFromKinds(kinds), { seed: 1 });
    const n = credit.Status.length;
    // Columns with empty cells (Home, Marital, Job keep null as a category; Income, Assets, Debt get an indicator).
    const withIndicator = enc.layout.filter((l) => l.kind === 'integer' && l.spans.length === 3).map((l) => l.name);
    expect(withIndicator).toEqual(['Income', 'Assets', 'Debt']);
    expect(enc.layout.find((l) => l.name === 'Status')!.categories).toEqual(['good', 'bad']);
    expect(enc.categoryIndex('Marital', null)).toBeGreaterThan(0);

    const m = enc.transform(credit);
    expect(m).toHaveLength(n * enc.width);
    expect(enc.inverse(m, n)).toEqual(credit);

    // With mode sampling the encoding changes but still decodes to values inside each column's range.
    const sampled = enc.inverse(enc.transform(credit, new Rng(2)), n);
    for (const c of ['Age', 'Price']) {
      const vals = credit[c] as number[];
      const lo = Math.min(...vals);
      const hi = Math.max(...vals);
      expect((sampled[c] as number[]).every((v) => Number.isInteger(v) && v >= lo && v <= hi)).toBe(true);
    }
  });
});
