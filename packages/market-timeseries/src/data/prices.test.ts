import { InvalidDataError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { pricesFromTable } from './prices.js';
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
    ['unsorted dates', () => pricesFromTable({ ...good, date: ['2020-01-01', '2020-01-03', '2020-01-02'] }), 'date', 'dates are not sorted: 2020-01-02 (row 3) comes after 2020-01-03'],
    ['duplicate dates', () => pricesFromTable({ ...good, date: ['2020-01-01', '2020-01-02', '2020-01-02'] }), 'date', 'duplicate date 2020-01-02 (rows 2 and 3)'],
    ['unparseable date', () => pricesFromTable({ ...good, date: ['2020-01-01', 'soon', '2020-01-03'] }), 'date', "row 2: 'soon' is not a date"],
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
