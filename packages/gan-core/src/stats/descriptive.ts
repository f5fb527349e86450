import { assertFinite, sortedCopy } from './validate.js';

/**
 * Descriptive statistics of one sample. Inputs must be finite numbers (drop missing values first): a NaN would
 * silently poison a mean and scramble a sort, so every function throws RangeError on a non-finite value or an empty
 * input instead of returning NaN.
 */

export function mean(x: ArrayLike<number>): number {
  assertFinite(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Two-pass variance with `ddof` delta degrees of freedom (1 = sample variance, as pandas; 0 = numpy's default). */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const m = mean(x);
  if (x.length - ddof <= 0) throw new RangeError(`variance with ddof=${ddof} needs more than ${ddof} values`);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return ss / (x.length - ddof);
}

export function std(x: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}

/** Quantile by linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7). */
export function quantile(x: ArrayLike<number>, q: number): number {
  assertFinite(x);
  return quantileSorted(sortedCopy(x), q);
}

/** Several quantiles with one sort. */
export function quantiles(x: ArrayLike<number>, qs: ArrayLike<number>): Float64Array {
  assertFinite(x);
  const s = sortedCopy(x);
  const out = new Float64Array(qs.length);
  for (let i = 0; i < qs.length; i++) out[i] = quantileSorted(s, qs[i]);
  return out;
}

/** Type-7 quantile of an already ascending-sorted, non-empty sample. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  if (sorted.length === 0) throw new RangeError('x is empty');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Central moments; `constant` is decided exactly (all values equal) because rounding leaves m2 tiny but non-zero. */
function centralMoments(x: ArrayLike<number>): { m2: number; m3: number; m4: number; constant: boolean } {
  const m = mean(x);
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  let constant = true;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[0]) constant = false;
    const d = x[i] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const n = x.length;
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n, constant };
}

/**
 * Population (biased, Fisher-Pearson) skewness m3 / m2^1.5, as scipy.stats.skew(bias=True).
 * A constant sample has no defined skew; it returns 0 so that report tables never show NaN.
 */
export function skewness(x: ArrayLike<number>): number {
  const { m2, m3, constant } = centralMoments(x);
  return !constant ? m3 / m2 ** 1.5 : 0;
}

/**
 * Population excess kurtosis m4 / m2^2 - 3 (normal -> 0), as scipy.stats.kurtosis(fisher=True, bias=True).
 * Heavy tails of returns show up here. A constant sample returns 0.
 */
export function excessKurtosis(x: ArrayLike<number>): number {
  const { m2, m4, constant } = centralMoments(x);
  return !constant ? m4 / (m2 * m2) - 3 : 0;
}
