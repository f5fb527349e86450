import { describe, expect, it } from 'vitest';
import { pricesFromTable } from '../schema/prices.js';
import { logReturns } from './log-returns.js';
import { readPricesCsv } from '../schema/prices-csv.js';
import { regimeFeatures } from './regime.js';

function seriesOf(prices: (number | null)[]) {
  return logReturns(pricesFromTable({ date: prices.map((_, i) => 20200101 + i), A: prices }));
}

describe('regimeFeatures', () => {
  it('realised vol is the population std of the last volWindow returns, aligned to the last return', () => {
    // Prices 1, e^0.1, e^0.1, e^0.3: returns 0.1, 0, 0.2; window 2 -> std(0.1, 0) = 0.05, std(0, 0.2) = 0.1
    const lr = seriesOf([1, Math.exp(0.1), Math.exp(0.1), Math.exp(0.3)]);
    const f = regimeFeatures(lr, { volWindow: 2, rsiPeriod: 2 });
    expect(Number.isNaN(f.realisedVol[0][0])).toBe(true);
    expect(f.realisedVol[0][1]).toBeCloseTo(0.05, 12);
    expect(f.realisedVol[0][2]).toBeCloseTo(0.1, 12);
  });

  it('RSI(14) is 100 on a steadily rising series and first defined at return 14 (index 13)', () => {
    const prices = Array.from({ length: 30 }, (_, i) => 100 * 1.01 ** i);
    const f = regimeFeatures(seriesOf(prices), { volWindow: 5 });
    expect(Number.isNaN(f.rsi[0][12])).toBe(true);
    expect(f.rsi[0][13]).toBe(100);
    expect(f.scaledRsi[0][20]).toBe(1);
    expect(f.valid[12]).toBe(0);
    expect(f.valid[13]).toBe(1);
  });

  it('RSI(2) of 10, 12, 11, 13, 12 follows Wilder smoothing by hand', () => {
    // Changes +2, -1, +2, -1. First: avgGain (2+0)/2 = 1, avgLoss (0+1)/2 = 0.5, RS 2 -> 66.67.
    // Next (+2): avgGain (1+2)/2 = 1.5, avgLoss 0.5/2 = 0.25, RS 6 -> 85.71.
    // Next (-1): avgGain 0.75, avgLoss (0.25+1)/2 = 0.625, RS 1.2 -> 54.55. (The library rounds to 2 decimals.)
    const f = regimeFeatures(seriesOf([10, 12, 11, 13, 12]), { volWindow: 2, rsiPeriod: 2 });
    expect(Array.from(f.rsi[0])).toEqual([NaN, 66.67, 85.71, 54.55]);
  });

  it('realised vol is right where a window mean is exactly 0 (technicalindicators SD 3.1.0 is not)', () => {
    // Returns 0.1, -0.1, 0.1: window 2 -> population std 0.1 for both windows (means 0 and 0).
    const f = regimeFeatures(seriesOf([1, Math.exp(0.1), 1, Math.exp(0.1)]), { volWindow: 2, rsiPeriod: 2 });
    expect(f.realisedVol[0][1]).toBeCloseTo(0.1, 12);
    expect(f.realisedVol[0][2]).toBeCloseTo(0.1, 12);
  });

  it('restarts after a gap instead of bridging it', () => {
    const prices: (number | null)[] = [1, 1.1, 1.2, 1.1, null, 1, 1.05, 1.1, 1.2];
    const lr = seriesOf(prices);
    // Kept returns: 3 before the gap, 3 after (segment 1 starts at row 3).
    const f = regimeFeatures(lr, { volWindow: 3, rsiPeriod: 2 });
    expect(Number.isNaN(f.realisedVol[0][2])).toBe(false);
    expect(Number.isNaN(f.realisedVol[0][3])).toBe(true);
    expect(Number.isNaN(f.realisedVol[0][4])).toBe(true);
    expect(Number.isNaN(f.realisedVol[0][5])).toBe(false);
  });

  it('reuses a given scaling and rejects one for other assets', () => {
    const lr = seriesOf(Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i)));
    const f = regimeFeatures(lr, { scaling: { logVolCenter: [Math.log(0.01)], logVolScale: [2] } });
    const t = 30;
    expect(f.scaledVol[0][t]).toBeCloseTo((Math.log(f.realisedVol[0][t]) - Math.log(0.01)) / 2, 12);
    expect(() => regimeFeatures(lr, { scaling: { logVolCenter: [0, 0], logVolScale: [1, 1] } })).toThrow(/for 2 assets, the data has 1/);
    expect(() => regimeFeatures(lr, { volWindow: 1 })).toThrow(/integer >= 2/);
  });

  it('on the real S&P 500 closes: defined from row 19 on, RSI in [0, 100], scaled log-vol centred on 0', () => {
    const lr = logReturns(readPricesCsv(new URL('../../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url).pathname, { assets: ['close'] }));
    const f = regimeFeatures(lr);
    expect(f.valid.indexOf(1)).toBe(19);
    expect(f.valid.slice(19).every((v) => v === 1)).toBe(true);
    const rsi = Array.from(f.rsi[0].slice(19));
    expect(Math.min(...rsi)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...rsi)).toBeLessThanOrEqual(100);
    const sv = Array.from(f.scaledVol[0].slice(19)).sort((a, b) => a - b);
    expect(Math.abs(sv[Math.floor(sv.length / 2)])).toBeLessThan(0.01);
    // Realised vol peaks in the 2008 crisis or the March 2020 crash, far above its median.
    const rv = f.realisedVol[0];
    let peak = 19;
    for (let t = 19; t < rv.length; t++) if (rv[t] > rv[peak]) peak = t;
    expect(['2008', '2020']).toContain(f.dates[peak].slice(0, 4));
  });
});
