import { describe, expect, test } from 'vitest';
import { skewness, type Table } from '@fingan/gan-core';
import { detectKind, FraudEncoder, nameTokens } from './encoder.js';

describe('detectKind', () => {
  test('name hints, shapes and types', () => {
    expect(detectKind('funded_amnt', [1000, 2500, 40000])).toBe('amount');
    expect(detectKind('annualInc', [0, 35000.5])).toBe('amount');
    expect(detectKind('delinq_2yrs', [0, 1, 0, 3])).toBe('count');
    expect(detectKind('int_rate', [5.32, 13.99])).toBe('numeric');
    expect(detectKind('score', [-1, 2])).toBe('numeric');
    expect(detectKind('term', ['term_36', 'term_60'])).toBe('categorical');
    expect(detectKind('is_foreign', [true, false, null])).toBe('categorical');
    expect(detectKind('Time', [0, 406, 1200])).toBe('time');
    expect(detectKind('when', ['2016-01-03', '2016-02-29'])).toBe('time');
    // A negative "amount" (refund) is not log-scaled: log1p needs values >= 0.
    expect(detectKind('amount', [-5, 10])).toBe('numeric');
    // Heavy right tail, many distinct non-integer values, no hint -> amount by skewness.
    const tail = Array.from({ length: 200 }, (_, i) => (i < 190 ? i / 10 : 1000 + i * 7.5));
    expect(skewness(tail)).toBeGreaterThan(2);
    expect(detectKind('v1', tail)).toBe('amount');
  });

  test('nameTokens splits snake, kebab and camel case', () => {
    expect(nameTokens('totalBal_il-x')).toEqual(['total', 'bal', 'il', 'x']);
  });
});

describe('FraudEncoder', () => {
  const t: Table = {
    amount: [0, 9, 99, 999, null],
    n: [1, 2, 3, 4, 5],
    rate: [1.25, 2.5, 3.75, 5, 6.25],
    c: ['x', 'y', 'x', null, 'x'],
    flag: [true, false, true, true, false],
    when: ['2016-01-01', '2016-01-02', '2016-01-03', '2016-01-04', '2016-01-05'],
    label: [0, 0, 1, 1, 1],
  };
  const enc = FraudEncoder.fit(t, { exclude: ['label'] });

  test('amounts are log1p-scaled then standardized', () => {
    expect(enc.kinds()).toEqual({ amount: 'amount', n: 'count', rate: 'numeric', when: 'time', c: 'categorical', flag: 'categorical' });
    const e = enc.encode(t);
    // log1p(0, 9, 99, 999) = 0, ln 10, ln 100, ln 1000 = ln10 * (0, 1, 2, 3): mean 1.5 ln10, population sd
    // sqrt(1.25) ln10, so standardized values are (0, 1, 2, 3) - 1.5 over sqrt(1.25).
    const z = [0, 1, 2, 3].map((v) => (v - 1.5) / Math.sqrt(1.25));
    for (let i = 0; i < 4; i++) expect(e.numeric[i * enc.dNumeric]).toBeCloseTo(z[i], 12);
    expect(e.numericMissing[4 * enc.dNumeric]).toBe(1);
    expect(e.numeric[4 * enc.dNumeric]).toBe(0); // imputed with the mean for distances
    // c: codes in order of appearance, a null is imputed with the mode 'x' for distances and flagged.
    const ci = enc.categoricalColumns.findIndex((s) => s.name === 'c');
    expect(e.categorical[3 * enc.dCategorical + ci]).toBe(0);
    expect(e.categoricalMissing[3 * enc.dCategorical + ci]).toBe(1);
  });

  test('decode(encode(t)) gives the table back, types included', () => {
    const back = enc.decode(enc.encode(t));
    for (const c of ['amount', 'n', 'rate', 'c', 'flag', 'when']) expect(back[c]).toEqual(t[c]);
    expect(back.label).toBeUndefined();
  });

  test('decoding rounds integers, keeps observed decimals and range, and never goes negative', () => {
    const e = enc.encode(t, [0]);
    const d = enc.dNumeric;
    const col = (name: string) => enc.numericColumns.findIndex((s) => s.name === name);
    e.numeric[col('amount')] = -50; // far below the smallest amount (0)
    e.numeric[col('n')] = (2.4 - 3) / Math.sqrt(2); // n has mean 3 and sd sqrt(2): 2.4 -> 2
    e.numeric[col('rate')] = (3.14159 - 3.75) / enc.numericColumns[col('rate')].sd; // two decimals observed
    expect(d).toBe(4);
    const back = enc.decode(e);
    expect(back.amount[0]).toBe(0);
    expect(back.n[0]).toBe(2);
    expect(back.rate[0]).toBe(3.14);
  });

  test('unseen categories encode as the mode', () => {
    const e = enc.encode({ ...t, c: ['zzz', 'y', 'x', 'x', 'x'] }, [0]);
    const ci = enc.categoricalColumns.findIndex((s) => s.name === 'c');
    expect(e.categorical[ci]).toBe(0);
    expect(e.categoricalMissing[ci]).toBe(0);
  });
});
