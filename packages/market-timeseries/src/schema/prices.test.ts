import { InvalidDataError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { pricesFromTable, timeAxisOf, timeGaps } from './prices.js';
import { parsePriceCsv, readPricesCsv } from './prices-csv.js';

const dataFile = (name: string) => new URL(`../../../../data/${name}`, import.meta.url).pathname;

function errorOf(f: () => unknown): InvalidDataError {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidDataError) return e;
    throw e;
  }
  throw new Error('expected an InvalidDataError');
}

describe('pricesFromTable', () => {
  const good = { date: ['2020-01-01', '2020-01-02', '2020-01-03'], A: [10, 11, 12], B: ['5', '5.5', null] };

  it('converts a valid table; numeric strings accepted, empty cells become NaN', () => {
    const s = pricesFromTable(good);
    expect(s.assets).toEqual(['A', 'B']);
    expect(s.dates).toEqual(['2020-01-01', '2020-01-02', '2020-01-03']);
    expect(Array.from(s.prices[0])).toEqual([10, 11, 12]);
    expect(s.prices[1][1]).toBe(5.5);
    expect(Number.isNaN(s.prices[1][2])).toBe(true);
  });

  it('selects and orders assets', () => {
    expect(pricesFromTable(good, { assets: ['B', 'A'] }).assets).toEqual(['B', 'A']);
  });

  const cases: [string, () => unknown, string | undefined, string][] = [
    ['missing date column', () => pricesFromTable({ d: ['2020-01-01'], A: [1] }), 'date', "no date column 'date'"],
    ['unknown asset column', () => pricesFromTable(good, { assets: ['A', 'Z'] }), 'Z', "unknown asset column 'Z'"],
    ['duplicate asset column', () => pricesFromTable(good, { assets: ['A', 'A'] }), 'A', "asset column 'A' is listed twice"],
    ['date column as asset', () => pricesFromTable(good, { assets: ['date'] }), 'date', 'is the date column'],
    ['non-positive price', () => pricesFromTable({ ...good, A: [10, 0, 12] }), 'A', 'price on 2020-01-02 is not positive: 0'],
    ['negative price', () => pricesFromTable({ ...good, A: [10, 11, -1] }), 'A', 'price on 2020-01-03 is not positive: -1'],
    ['non-numeric price', () => pricesFromTable({ ...good, A: [10, 'abc', 12] }), 'A', 'price on 2020-01-02 is not a number: "abc"'],
    ['boolean price', () => pricesFromTable({ ...good, A: [10, true, 12] }), 'A', 'price on 2020-01-02 is not a number: true'],
    ['infinite price', () => pricesFromTable({ ...good, A: [10, Infinity, 12] }), 'A', 'price on 2020-01-02 is not finite'],
    ['all prices missing', () => pricesFromTable({ ...good, A: [null, null, ''] }), 'A', 'has no prices'],
    [
      'unsorted dates',
      () => pricesFromTable({ ...good, date: ['2020-01-01', '2020-01-03', '2020-01-02'] }),
      'date',
      'dates are not sorted: 2020-01-02 (row 3) comes after 2020-01-03',
    ],
    [
      'duplicate dates',
      () => pricesFromTable({ ...good, date: ['2020-01-01', '2020-01-02', '2020-01-02'] }),
      'date',
      'duplicate date 2020-01-02 (rows 2 and 3)',
    ],
    ['unparseable date', () => pricesFromTable({ ...good, date: ['2020-01-01', 'soon', '2020-01-03'] }), 'date', "row 2: 'soon' is not a date"],
    ['number among dates', () => pricesFromTable({ ...good, date: ['2020-01-01', '5', '2020-01-03'] }), 'date', "row 2: '5' is a number among dates"],
    [
      'unsorted fractional years',
      () => pricesFromTable({ ...good, date: ['1991.5', '1991.25', '1991.75'] }),
      'date',
      'dates are not sorted: 1991.25 (row 2) comes after 1991.5',
    ],
    ['missing date', () => pricesFromTable({ ...good, date: ['2020-01-01', null, '2020-01-03'] }), 'date', 'row 2: missing or invalid date null'],
    ['too few rows', () => pricesFromTable(good, { minRows: 10 }), 'date', 'needs at least 10 rows of prices, got 3'],
    ['duplicate CSV header', () => parsePriceCsv('date,A,A\n2020-01-01,1,2\n'), 'A', "duplicate column 'A' in the header"],
  ];
  for (const [name, f, column, message] of cases) {
    it(`rejects ${name} with one line naming the column`, () => {
      const e = errorOf(f);
      expect(e.at.column).toBe(column);
      expect(e.message).toContain(message);
      expect(e.oneLine()).not.toContain('\n');
    });
  }

  it('reads fractional years and day indices as a time column, from text or numbers', () => {
    expect(pricesFromTable({ ...good, date: ['1991.496154', '1991.5', '1991.503846'] }).dates).toEqual(['1991.496154', '1991.5', '1991.503846']);
    expect(pricesFromTable({ ...good, date: [0, 1, 2] }).dates).toEqual(['0', '1', '2']);
    expect(timeAxisOf(['0', '1', '2'])).toBe('numbers');
    expect(timeAxisOf(['2020-01-01', '2020-01-02'])).toBe('dates');
  });

  it('timeGaps reports gaps in days for dates and in the column unit for numbers', () => {
    const dates = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-03-03', '2020-03-04'];
    expect(timeGaps(dates)).toEqual({
      axis: 'dates',
      unit: 'days',
      typicalSpacing: 1,
      gaps: [{ fromRow: 3, toRow: 4, from: '2020-01-03', to: '2020-03-03', size: 60, spacings: 60 }],
    });
    expect(timeGaps(['2000-01-03', '2000-01-04', '2000-01-05', '2005-01-05', '2005-01-06', '2005-01-07'])!.gaps).toEqual([
      { fromRow: 3, toRow: 4, from: '2000-01-05', to: '2005-01-05', size: 1827, spacings: 1827 },
    ]);
    // A weekend is no gap (below 10 days), but on an index axis 12 spacings are.
    expect(timeGaps(['2020-01-03', '2020-01-06', '2020-01-07', '2020-01-08'])!.gaps).toEqual([]);
    const index = timeGaps(['0', '1', '2', '14', '15']);
    expect(index).toEqual({ axis: 'numbers', unit: 'units', typicalSpacing: 1, gaps: [{ fromRow: 3, toRow: 4, from: '2', to: '14', size: 12, spacings: 12 }] });
    const years = timeGaps(Array.from({ length: 20 }, (_, i) => (1990 + (i + (i >= 10 ? 30 : 0)) / 252).toFixed(6)))!;
    expect(years.typicalSpacing).toBeCloseTo(1 / 252, 5);
    expect(years.gaps.map((g) => [g.fromRow, Math.round(g.spacings)])).toEqual([[10, 31]]);
  });

  it('names the file in CSV errors', () => {
    const e = errorOf(() => readPricesCsv('/nonexistent/prices.csv'));
    expect(e.oneLine()).toMatch(/^file \/nonexistent\/prices.csv: file not found$/);
  });
});

describe('bundled real price data', () => {
  it('dowjones30_daily.csv: 2529 rows x 30 assets, first close repeated on 1991-01-02', () => {
    const s = readPricesCsv(dataFile('dowjones30_daily.csv'));
    expect(s.assets.length).toBe(30);
    expect(s.assets.slice(0, 3)).toEqual(['AA', 'AXP', 'T']);
    expect(s.dates.length).toBe(2529);
    expect(s.dates[0]).toBe('1990-12-31');
    expect(s.dates[2528]).toBe('2001-01-02');
    // From the file: AA closes 5.92 on both 1990-12-31 and 1991-01-02 (see data/PROVENANCE.md).
    expect(s.prices[0][0]).toBe(5.92);
    expect(s.prices[0][1]).toBe(5.92);
  });

  it('sp500_ohlcv_daily_2000_2020.csv: 5105 rows, close column selected', () => {
    const s = readPricesCsv(dataFile('sp500_ohlcv_daily_2000_2020.csv'), { assets: ['close'] });
    expect(s.dates.length).toBe(5105);
    expect(s.dates[0]).toBe('2000-01-03');
    expect(s.prices[0][0]).toBeCloseTo(1455.219971, 6);
  });
});
