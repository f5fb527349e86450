import { quantileSorted, UsageError } from '@fingan/gan-core';
import { RSI } from 'technicalindicators';
import type { LogReturns } from './log-returns.js';

/**
 * Market-regime features per asset, aligned to the return rows of a `LogReturns` (row t uses information up to
 * and including return t, never later, so they can condition a generator without look-ahead):
 * - realised volatility: rolling (population) std of the last `volWindow` log returns;
 * - RSI(`rsiPeriod`) (Wilder) of the price path, from the `technicalindicators` package.
 * The rolling std is computed here, not with technicalindicators' SD: in version 3.1.0 its SD is wrong
 * whenever a window mean is exactly 0 (`if (mean)` skips it and repeats the previous value) and its value list
 * drifts out of step with its SMA (SD(period 3) of [1, 0, 2] returns 0 instead of 0.8165).
 * Both are computed per gap-free segment and restart after a gap (NaN during each warm-up), for the same reason
 * the encoder does not bridge gaps. RSI only depends on price ratios, so it is computed on the price index
 * exp(cumsum r) of the kept returns, which equals the real prices up to a constant within a segment.
 */
export interface RegimeOptions {
  volWindow?: number;
  rsiPeriod?: number;
  /** Reuse a scaling fitted on training data (otherwise fitted here). */
  scaling?: RegimeScaling;
}

/** log-volatility is centred and scaled robustly (median/IQR per asset); RSI maps to (rsi - 50) / 50 in [-1, 1]. */
export interface RegimeScaling {
  logVolCenter: number[];
  logVolScale: number[];
}

export interface RegimeFeatures {
  dates: string[];
  assets: string[];
  /** Raw features per asset, NaN during warm-up. */
  realisedVol: Float64Array[];
  rsi: Float64Array[];
  /** Scaled features per asset (NaN where raw is NaN). */
  scaledVol: Float64Array[];
  scaledRsi: Float64Array[];
  /** 1 where every feature of every asset is defined. */
  valid: Uint8Array;
  scaling: RegimeScaling;
}

/** Floor for the volatility before the log (a flat stretch has zero rolling std). */
const VOL_FLOOR = 1e-8;

export function regimeFeatures(lr: LogReturns, options: RegimeOptions = {}): RegimeFeatures {
  const { volWindow = 20, rsiPeriod = 14 } = options;
  if (!Number.isInteger(volWindow) || volWindow < 2) throw new UsageError(`must be an integer >= 2, got ${volWindow}`, { option: 'volWindow' });
  if (!Number.isInteger(rsiPeriod) || rsiPeriod < 2) throw new UsageError(`must be an integer >= 2, got ${rsiPeriod}`, { option: 'rsiPeriod' });
  const n = lr.dates.length;
  const k = lr.assets.length;
  const segments = segmentRanges(lr.segment);
  const realisedVol = lr.returns.map(() => new Float64Array(n).fill(NaN));
  const rsi = lr.returns.map(() => new Float64Array(n).fill(NaN));
  for (let a = 0; a < k; a++) {
    for (const [from, to] of segments) {
      const r = Array.from(lr.returns[a].subarray(from, to));
      for (let t = volWindow - 1; t < r.length; t++) realisedVol[a][from + t] = windowStd(r, t - volWindow + 1, t + 1);
      if (r.length >= rsiPeriod) {
        const price = new Array<number>(r.length + 1);
        price[0] = 1;
        for (let i = 0; i < r.length; i++) price[i + 1] = price[i] * Math.exp(r[i]);
        const out = RSI.calculate({ period: rsiPeriod, values: price });
        // The first RSI value belongs to price index rsiPeriod, i.e. return index rsiPeriod - 1.
        for (let i = 0; i < out.length; i++) rsi[a][from + rsiPeriod - 1 + i] = out[i];
      }
    }
  }
  const scaling = options.scaling ?? fitScaling(realisedVol);
  if (scaling.logVolCenter.length !== k || scaling.logVolScale.length !== k) {
    throw new UsageError(`regime scaling is for ${scaling.logVolCenter.length} assets, the data has ${k}`, { option: 'scaling' });
  }
  const scaledVol = realisedVol.map((v, a) => v.map((x) => (Math.log(Math.max(x, VOL_FLOOR)) - scaling.logVolCenter[a]) / scaling.logVolScale[a]));
  const scaledRsi = rsi.map((v) => v.map((x) => (x - 50) / 50));
  const valid = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let ok = 1;
    for (let a = 0; a < k; a++) if (Number.isNaN(realisedVol[a][t]) || Number.isNaN(rsi[a][t])) ok = 0;
    valid[t] = ok;
  }
  return { dates: lr.dates, assets: lr.assets, realisedVol, rsi, scaledVol, scaledRsi, valid, scaling };
}

/** Population std of x[from..to) (two-pass, exact enough for tiny daily returns). */
function windowStd(x: number[], from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m += x[i];
  m /= to - from;
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (to - from));
}

function fitScaling(vols: Float64Array[]): RegimeScaling {
  const logVolCenter: number[] = [];
  const logVolScale: number[] = [];
  for (const v of vols) {
    const lv = Float64Array.from(
      Array.from(v).filter((x) => !Number.isNaN(x)),
      (x) => Math.log(Math.max(x, VOL_FLOOR)),
    ).sort();
    if (lv.length === 0) {
      logVolCenter.push(0);
      logVolScale.push(1);
      continue;
    }
    const iqr = quantileSorted(lv, 0.75) - quantileSorted(lv, 0.25);
    logVolCenter.push(quantileSorted(lv, 0.5));
    logVolScale.push(iqr > 0 ? iqr : 1);
  }
  return { logVolCenter, logVolScale };
}

function segmentRanges(segment: Int32Array): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (let t = 1; t <= segment.length; t++) {
    if (t === segment.length || segment[t] !== segment[t - 1]) {
      out.push([from, t]);
      from = t;
    }
  }
  return out;
}
