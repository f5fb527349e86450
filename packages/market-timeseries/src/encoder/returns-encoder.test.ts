import { InvalidDataError, ModelFormatError, UsageError } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { pricesFromTable } from '../data/prices.js';
import { readPricesCsv } from '../data/prices-csv.js';
import { logReturns } from './log-returns.js';
import { ReturnsEncoder } from './returns-encoder.js';

const dataFile = (name: string) => new URL(`../../../../data/${name}`, import.meta.url).pathname;

const series = pricesFromTable({
  date: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((_, i) => `2021-03-0${i + 1}`),
  A: [100, 100, 110, 99, 120, 118],
  B: [50, 52, 52, 51, 49.5, 50],
});

describe('logReturns', () => {
  it('keeps zero-return days and dates each return by its later day', () => {
    const lr = logReturns(series);
    expect(lr.dates).toEqual(['2021-03-02', '2021-03-03', '2021-03-04', '2021-03-05', '2021-03-06']);
    expect(lr.returns[0][0]).toBe(0); // A: 100 -> 100
    expect(lr.returns[1][1]).toBe(0); // B: 52 -> 52
    expect(lr.returns[0][1]).toBeCloseTo(Math.log(1.1), 14);
    expect(lr.dropped).toBe(0);
  });

  it('keeps the Dow Jones file\'s zero first return (1991-01-02 repeats every close) for all 30 assets', () => {
    const lr = logReturns(readPricesCsv(dataFile('dowjones30_daily.csv')));
    expect(lr.dates[0]).toBe('1991-01-02');
    expect(lr.dates.length).toBe(2528);
    expect(lr.returns.every((r) => r[0] === 0)).toBe(true);
    expect(lr.dropped).toBe(0);
  });

  it('does not bridge a missing price: both returns touching it are dropped for all assets, and a new segment starts', () => {
    const gap = pricesFromTable({ date: ['2021-01-01', '2021-01-02', '2021-01-03', '2021-01-04', '2021-01-05'], A: [1, 2, null, 4, 5], B: [1, 1, 1, 1, 1] });
    const lr = logReturns(gap);
    expect(lr.dates).toEqual(['2021-01-02', '2021-01-05']);
    expect(lr.returns[0][1]).toBeCloseTo(Math.log(5 / 4), 14); // not ln(4/2) across the gap
    expect(Array.from(lr.segment)).toEqual([0, 1]);
    expect(lr.dropped).toBe(2);
  });
});

describe('ReturnsEncoder', () => {
  it('stores the median/IQR scaling: A returns [0, ln1.1, ln.9, ln(120/99), ln(118/120)]', () => {
    const enc = ReturnsEncoder.fit(series, { window: 3 });
    // Sorted A returns: ln(0.9)=-0.10536, ln(118/120)=-0.01681, 0, ln(1.1)=0.09531, ln(120/99)=0.19237.
    // Type-7 quartiles of 5 values are the 2nd and 4th order statistics: IQR = 0.09531 + 0.01681.
    expect(enc.center[0]).toBe(0);
    expect(enc.scale[0]).toBeCloseTo(Math.log(1.1) - Math.log(118 / 120), 12);
  });

  it('inverse(transform(prices)) reproduces the prices to 1e-9 relative', () => {
    const s = readPricesCsv(dataFile('dowjones30_daily.csv'), { assets: ['AA', 'IBM', 'MSFT', 'KO', 'GE'] });
    const enc = ReturnsEncoder.fit(s);
    const scaled = enc.transform(s);
    const n = scaled[0].length;
    const k = 5;
    const inter = new Float64Array(n * k);
    for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) inter[t * k + a] = scaled[a][t];
    const prices = enc.inverse(inter, s.prices.map((p) => p[0]));
    let worst = 0;
    for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) worst = Math.max(worst, Math.abs(prices[t * k + a] / s.prices[a][t + 1] - 1));
    expect(worst).toBeLessThan(1e-9);
  });

  it('robust scaler: unscale(scale(x)) = x and scale centres the median at 0', () => {
    const enc = ReturnsEncoder.fit(series);
    const x = Float64Array.from([0.01, -0.02, 0.3, 0.004]);
    const back = enc.unscaleReturns(enc.scaleReturns(x));
    x.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 15));
    expect(enc.scaleReturns([enc.center[0], enc.center[1]])).toEqual(Float64Array.from([0, 0]));
  });

  it('falls back to the std when the IQR is 0 (mostly flat asset)', () => {
    const flat = pricesFromTable({ date: ['2021-01-01', '2021-01-02', '2021-01-03', '2021-01-04', '2021-01-05', '2021-01-06'], A: [1, 1, 1, 1, 1, 2] });
    const enc = ReturnsEncoder.fit(flat);
    // Returns [0, 0, 0, 0, ln 2]: IQR 0; sample std = ln2 * sqrt(1/5) (mean ln2/5, n-1 = 4).
    expect(enc.scale[0]).toBeCloseTo(Math.log(2) * Math.sqrt(1 / 5), 12);
  });

  it('makes sliding windows [nWindows, T, nAssets] that never span a gap', () => {
    const enc = ReturnsEncoder.fit(series, { window: 3, stride: 1 });
    const w = enc.windows(series);
    expect(w.shape).toEqual([3, 3, 2]);
    expect(w.data.length).toBe(18);
    expect(Array.from(w.starts)).toEqual([0, 1, 2]);
    const scaled = enc.transform(series);
    expect(w.data[(1 * 3 + 2) * 2 + 1]).toBeCloseTo(scaled[1][3], 6); // window 1, step 2, asset B
    expect(enc.windows(series, { stride: 2 }).shape[0]).toBe(2);

    const gap = pricesFromTable({
      date: Array.from({ length: 9 }, (_, i) => `2021-01-1${i}`),
      A: [1, 2, 3, 4, null, 6, 7, 8, 9],
    });
    const g = ReturnsEncoder.fit(gap, { window: 2 }).windows(gap);
    // Returns kept at rows 0,1,2 (segment 0) and 5,6,7 -> rows 3,4,5 of the kept list (segment 1).
    expect(Array.from(g.starts)).toEqual([0, 1, 3, 4]);
  });

  it('round-trips through JSON and rejects a corrupted state', () => {
    const enc = ReturnsEncoder.fit(series, { window: 4, stride: 2 });
    const back = ReturnsEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    expect(back.toJSON()).toEqual(enc.toJSON());
    expect(() => ReturnsEncoder.fromJSON({ ...enc.toJSON(), scale: [1] })).toThrow(ModelFormatError);
    expect(() => ReturnsEncoder.fromJSON({ ...enc.toJSON(), scale: [0, 1] })).toThrow(ModelFormatError);
    expect(() => ReturnsEncoder.fromJSON({ kind: 'other' })).toThrow(/not a returns-encoder state/);
  });

  it('reports bad inputs with the flag or column at fault', () => {
    const enc = ReturnsEncoder.fit(series, { window: 3 });
    expect(() => ReturnsEncoder.fit(series, { window: 0 })).toThrow(UsageError);
    expect(() => enc.windows(series, { stride: 1.5 })).toThrow(/--stride|positive integer/);
    expect(() => enc.windows(series, { window: 10 })).toThrow(InvalidDataError);
    expect(() => enc.windows(series, { window: 10 })).toThrow('needs at least 10 consecutive returns');
    const e = (() => {
      try {
        enc.inverse([0, 0], [1, 2, 3]);
      } catch (err) {
        return err as UsageError;
      }
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect(e!.oneLine()).toBe('flag --start-prices: expected 2 start prices (one per asset: A, B), got 3');
    const other = pricesFromTable({ date: ['2021-01-01', '2021-01-02'], A: [1, 2], C: [1, 2] });
    expect(() => enc.transform(other)).toThrow(/do not match the encoder's A, B/);
  });
});
