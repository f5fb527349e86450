import type { PriceSeries } from '../schema/prices.js';

/**
 * Log returns of every asset on shared dates. `returns[a][t] = ln(p[t+1] / p[t])`, dated by the later day.
 *
 * Zero-return days (a repeated close) are kept: they are real observations of the data set.
 * A return is only formed from two consecutive rows that both have a price for *every* asset; a row touching a
 * missing price is dropped for all assets (no forward-fill, no bridging return over the gap), because a
 * fabricated flat day or a two-day return passed off as one day would distort exactly the tails and volatility
 * clustering being modelled. Each kept row carries a `segment` number that increases after every gap, so windows
 * and ACFs never span a gap.
 */
export interface LogReturns {
  dates: string[];
  assets: string[];
  returns: Float64Array[];
  segment: Int32Array;
  /** Return rows dropped because a price was missing on either side. */
  dropped: number;
}

export function logReturns(series: PriceSeries): LogReturns {
  const { prices, assets } = series;
  const n = series.dates.length;
  const keep: number[] = [];
  const seg: number[] = [];
  let segment = 0;
  let dropped = 0;
  let lastKept = -2;
  for (let t = 0; t + 1 < n; t++) {
    let ok = true;
    for (const p of prices) if (!(p[t] > 0 && p[t + 1] > 0)) ok = false;
    if (!ok) {
      dropped++;
      continue;
    }
    if (keep.length > 0 && lastKept !== t - 1) segment++;
    keep.push(t);
    seg.push(segment);
    lastKept = t;
  }
  const returns = prices.map((p) => {
    const r = new Float64Array(keep.length);
    for (let i = 0; i < keep.length; i++) r[i] = Math.log(p[keep[i] + 1] / p[keep[i]]);
    return r;
  });
  return {
    dates: keep.map((t) => series.dates[t + 1]),
    assets: [...assets],
    returns,
    segment: Int32Array.from(seg),
    dropped,
  };
}
