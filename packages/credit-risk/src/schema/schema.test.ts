import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTable, type Table } from '@fingan/gan-core';
import { describeRule, parseRule } from './rules.js';
import { applyBounds, inferLoanBookSchema, kindsOf, ruleMask } from './schema.js';

const data = (f: string) => fileURLToPath(new URL(`../../../../data/${f}`, import.meta.url));

describe('inferLoanBookSchema on the bundled books', () => {
  it('credit scoring: kinds, bad class, observed bounds and the rules recognised by name', () => {
    const { table, kinds } = readTable(data('credit_scoring_modeldata.csv'));
    const s = inferLoanBookSchema(table, { target: 'Status', kinds });
    expect(s.positive).toBe('bad');
    expect(s.columns.map((c) => `${c.name}:${c.kind}`).join(' ')).toBe(
      'Status:categorical Seniority:integer Home:categorical Time:integer Age:integer Marital:categorical Records:categorical ' +
        'Job:categorical Expenses:integer Income:integer Assets:integer Debt:integer Amount:integer Price:integer',
    );
    // Ranges from data/PROVENANCE.md's file, checked by hand: Age 18-68, Amount 100-5000, Assets 0-300000.
    expect(s.columns.find((c) => c.name === 'Age')).toEqual({ name: 'Age', kind: 'integer', min: 18, max: 68 });
    expect(s.columns.find((c) => c.name === 'Amount')).toEqual({ name: 'Amount', kind: 'integer', min: 100, max: 5000 });
    expect(s.columns.find((c) => c.name === 'Assets')).toEqual({ name: 'Assets', kind: 'integer', min: 0, max: 300000 });
    expect(s.rules.map(describeRule)).toEqual(['Amount>0', 'Price>0', 'Age>=18', 'Age<=100', 'Amount<=Price']);
  });

  it('HMDA: the rarer-by-name class is yes (deny), no name-based rules apply', () => {
    const { table, kinds } = readTable(data('hmda_boston_mortgage.csv'));
    const s = inferLoanBookSchema(table, { target: 'deny', kinds, rules: [parseRule('lvrat>0')] });
    expect(s.positive).toBe('yes');
    expect(s.rules.map(describeRule)).toEqual(['lvrat>0']);
    expect(s.columns.find((c) => c.name === 'chist')?.kind).toBe('integer');
  });
});

describe('inferLoanBookSchema refuses unusable books', () => {
  const base = (n = 30): Table => ({
    y: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'bad' : 'good')),
    x: Array.from({ length: n }, (_, i) => i * 1.5),
    c: Array.from({ length: n }, (_, i) => ['a', 'b'][i % 2]),
  });
  const infer = (t: Table, target = 'y') => inferLoanBookSchema(t, { target, file: 'book.csv' });

  it('names the file and column at fault', () => {
    expect(() => infer(base(), 'nope')).toThrow(/target column 'nope' is not in book.csv \(columns: y, x, c\)/);
    expect(() => infer({ ...base(), y: base().y.map(() => 'good') })).toThrow(
      /file book.csv, column 'y': the target needs exactly two classes \(good\/bad\), found 1: 'good'/,
    );
    expect(() => infer({ ...base(), y: base().y.map((v, i) => (i === 0 ? null : v)) })).toThrow(/column 'y': the target has 1 missing values/);
    expect(() => infer({ ...base(), y: base().y.map((v, i) => (i < 2 ? 'other' : v)) })).toThrow(/found 3: 'other', 'good', 'bad'/);
    expect(() => infer({ ...base(), x: base().x.map(() => null) })).toThrow(/file book.csv, column 'x': every value is missing/);
    expect(() => infer({ ...base(), c: base().c.map(() => 'a') })).toThrow(/column 'c': every row has the same value \(a\)/);
    const mixed = base().x.map((v, i) => (i === 4 ? 'n/a' : String(v)));
    expect(() => infer({ ...base(), x: mixed })).toThrow(
      /column 'x': mixes numbers and text: 29 values are numbers but 1 are not \(first: 'n\/a' in data row 5\)/,
    );
    expect(() => infer(base(10))).toThrow(/has 10 data rows; a loan book needs at least 20/);
    expect(() => inferLoanBookSchema(base(), { target: 'y', rules: [parseRule('x<=z')] })).toThrow(/names unknown column 'z'/);
  });

  it('a missing value is not a constant column: a column with one value and some gaps is kept', () => {
    const t = { ...base(), c: base().c.map((_, i) => (i % 5 === 0 ? null : 'a')) };
    expect(infer(t).columns.find((c) => c.name === 'c')?.kind).toBe('categorical');
  });
});

describe('bounds and rules', () => {
  const t: Table = { y: ['good', 'bad', 'good', 'bad'], Age: [17.6, 30.2, 101, null], Amount: [100, 900, 500, 50], Price: [90, 1000, 600, null] };
  const schema = inferLoanBookSchema(
    {
      y: Array(20).fill('good').concat(['bad', 'bad']),
      Age: Array.from({ length: 22 }, (_, i) => 18 + i),
      Amount: Array.from({ length: 22 }, (_, i) => 100 + i),
      Price: Array.from({ length: 22 }, (_, i) => 200 + i),
    },
    { target: 'y', kinds: { ...kindsOf(t), Age: 'integer', Amount: 'integer', Price: 'integer' } },
  );

  it('clips numbers into the bounds, rounding integer columns', () => {
    // Age was seen from 18 to 39 and is an integer column.
    expect(applyBounds(t, schema).Age).toEqual([18, 30, 39, null]);
  });

  it('flags rows that break a rule', () => {
    expect(schema.rules.map(describeRule)).toEqual(['Amount>0', 'Price>0', 'Age>=18', 'Age<=100', 'Amount<=Price']);
    // Amount<=Price fails in row 0 (100 > 90); row 3 has no price, so it holds there.
    expect(Array.from(ruleMask(t, [parseRule('Amount<=Price')]))).toEqual([0, 1, 1, 1]);
    // With every rule: row 0 also has Age 17.6 < 18, row 2 has Age 101 > 100.
    expect(Array.from(ruleMask(t, schema.rules))).toEqual([0, 1, 0, 1]);
  });
});
