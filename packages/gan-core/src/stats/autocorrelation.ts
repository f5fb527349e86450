import { pearson } from './correlation.js';
import { assertFinite, assertSameLength } from './validate.js';

/**
 * Sample autocorrelation at lags 1..maxLag, as statsmodels' acf (adjusted=False): every lag uses the full-series mean
 * and the full-series sum of squares as denominator, which keeps the sequence a valid (positive semi-definite) ACF.
 * Volatility clustering shows up as slowly decaying ACF of |returns|. A constant series gives all zeros.
 */
export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  assertFinite(x, 'x');
  const n = x.length;
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag >= n) {
    throw new RangeError(`maxLag must be an integer in [0, ${n - 1}], got ${maxLag}`);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  const d = new Float64Array(n);
  let denom = 0;
  for (let i = 0; i < n; i++) {
    d[i] = x[i] - m;
    denom += d[i] * d[i];
  }
  const out = new Float64Array(maxLag);
  if (denom === 0 || Array.prototype.every.call(x, (v: number) => v === x[0])) return out;
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += d[t] * d[t + k];
    out[k - 1] = s / denom;
  }
  return out;
}

/**
 * corr(x_t, y_{t+lag}): Pearson correlation over the overlapping stretch, so a positive lag asks whether x leads y.
 * Negative lags are allowed (y leads x). Series must be equally long; 0 for a constant stretch.
 */
export function crossCorrelationLagged(x: ArrayLike<number>, y: ArrayLike<number>, lag: number): number {
  assertSameLength(x, y);
  const n = x.length;
  if (!Number.isInteger(lag) || Math.abs(lag) > n - 2) {
    throw new RangeError(`lag must be an integer with |lag| <= ${n - 2}, got ${lag}`);
  }
  const xs = lag >= 0 ? slice(x, 0, n - lag) : slice(x, -lag, n);
  const ys = lag >= 0 ? slice(y, lag, n) : slice(y, 0, n + lag);
  return pearson(xs, ys);
}

function slice(x: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = x[i];
  return out;
}
