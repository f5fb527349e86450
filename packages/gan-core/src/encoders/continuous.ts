import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { argmax, checkBlock, inColumn, notFitted, numericColumn } from './cells.js';
import { fitGmm1d } from './gmm.js';
import { normalCdf, normalQuantile } from '../math/normal.js';
import { coarseBounds } from '../math/rounding.js';
import type { ColumnEncoder, ContinuousMethod, LocalSpan } from './types.js';

export interface ContinuousOptions {
  /** 'gmm' (mode-specific normalisation, the CTGAN scheme), 'minmax' or 'quantile'. */
  method?: ContinuousMethod;
  /** Upper bound on GMM modes. */
  maxModes?: number;
  /** GMM components lighter than this are dropped after fitting. */
  weightThreshold?: number;
  /** Seeds GMM initialisation and the subsample of large columns. */
  seed?: number;
  /** Column name, for error messages. */
  name?: string;
  /**
   * 'gmm' and 'minmax': store the range widened outwards to two significant digits (coarseBounds) instead of the exact
   * [min, max] seen at fit, so a saved state holds no extreme row's value (default false). Generated values may then
   * reach a little beyond the observed range, up to the widened bounds. 'quantile' never stores the exact extremes.
   */
  coarseRange?: boolean;
}

const DEFAULTS = { method: 'gmm', maxModes: 10, weightThreshold: 0.005, seed: 0 } as const;

/** Above this many values the GMM is fitted on a seeded subsample: EM cost grows with n, the modes hardly move. */
export const GMM_FIT_SAMPLE = 20_000;
/** The quantile method keeps at most this many knots (quantiles) of the fitted column. */
export const MAX_QUANTILES = 200;
/**
 * Every stored number that summarises a column's values (a quantile knot, the range's ends) is the mean of at least
 * this many training values (fewer only for columns of fewer than 2 x this many values), rounded to the column's own
 * decimal precision. So no knot is a training value verbatim unless the rounded mean happens to equal one, which it
 * does as often for a value the model never saw; and the extremes (the one 300,000 asset) are not stored.
 */
export const MIN_VALUES_PER_KNOT = 10;
/** Half-width of the GMM's normalised value: alpha = (x - mu) / (4 sd), so +-0.99 covers +-3.96 sd of a mode. */
const ALPHA_CLIP = 0.99;

export const continuousStateSchema = z
  .object({
    type: z.literal('continuous'),
    min: z.number(),
    max: z.number(),
    scaler: z.discriminatedUnion('method', [
      z.object({
        method: z.literal('gmm'),
        means: z.array(z.number()).min(1),
        sds: z.array(z.number().positive()).min(1),
        weights: z.array(z.number().nonnegative()).min(1),
      }),
      z.object({ method: z.literal('minmax') }),
      z.object({ method: z.literal('quantile'), quantiles: z.array(z.number()).min(1) }),
    ]),
  })
  .superRefine((s, ctx) => {
    if (s.min > s.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${s.max}) is below min (${s.min})` });
    const sc = s.scaler;
    if (sc.method === 'gmm' && (sc.sds.length !== sc.means.length || sc.weights.length !== sc.means.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scaler', 'sds'],
        message: `means, sds and weights must have the same length (${sc.means.length}, ${sc.sds.length}, ${sc.weights.length})`,
      });
    }
    if (sc.method === 'quantile' && sc.quantiles.some((q, i) => i > 0 && q < sc.quantiles[i - 1])) {
      ctx.addIssue({ code: 'custom', path: ['scaler', 'quantiles'], message: 'quantiles must be non-decreasing' });
    }
  });

export type ContinuousState = z.infer<typeof continuousStateSchema>;

/**
 * Numeric column -> generator space.
 * - 'gmm': mode-specific normalisation. A 1-D Gaussian mixture is fitted; a value x is encoded as
 *   [alpha, one-hot(k)] with alpha = (x - mu_k) / (4 sd_k) clipped to +-0.99. k is drawn from the posterior
 *   responsibilities when an `rng` is given (so a value between two modes is sometimes explained by either, which is
 *   what the generator has to learn) and is the most probable mode otherwise.
 * - 'minmax': one value, [min, max] -> [-1, 1].
 * - 'quantile': empirical CDF -> standard normal -> tanh(z / 2), so the generator sees a bell-shaped target in
 *   (-1, 1) whatever the column's shape; inverted through the stored quantiles.
 *
 * What 'quantile' stores holds no training value verbatim beyond what an aggregate needs: its knots are means of
 * windows of at least MIN_VALUES_PER_KNOT sorted values rounded to the column's decimal precision, and its [min, max]
 * is the first and last knot (so the exact extremes are not stored). 'gmm' stores EM estimates (means, sds, weights)
 * and 'minmax' nothing but the range; both keep the exact [min, max] seen at fit (two values per column) unless
 * `coarseRange` widens it to two significant digits.
 *
 * `inverse` clamps to [min, max]: the generator overshoots (tanh outputs near +-1, alpha * 4 sd
 * extrapolates beyond a mode), and values outside what the data ever showed (negative amounts, 130-year-old
 * applicants) do more harm downstream than a small pile-up at the boundary.
 */
export class ContinuousEncoder implements ColumnEncoder<ContinuousState> {
  readonly kind: string = 'continuous';
  private readonly opts: Required<Omit<ContinuousOptions, 'name' | 'coarseRange'>>;
  private readonly coarseRange: boolean;
  private readonly name: string | undefined;
  private state: ContinuousState | null = null;

  constructor(options: ContinuousOptions = {}) {
    this.opts = {
      method: options.method ?? DEFAULTS.method,
      maxModes: options.maxModes ?? DEFAULTS.maxModes,
      weightThreshold: options.weightThreshold ?? DEFAULTS.weightThreshold,
      seed: options.seed ?? DEFAULTS.seed,
    };
    this.coarseRange = options.coarseRange ?? false;
    this.name = options.name;
    if (!Number.isInteger(this.opts.maxModes) || this.opts.maxModes < 1) {
      throw new RangeError(`maxModes must be a positive integer, got ${this.opts.maxModes}`);
    }
  }

  static fromJSON(state: ContinuousState, name?: string): ContinuousEncoder {
    const enc = new ContinuousEncoder({ method: state.scaler.method, name });
    enc.state = structuredClone(state);
    return enc;
  }

  get method(): ContinuousMethod {
    return this.state?.scaler.method ?? this.opts.method;
  }

  get width(): number {
    const sc = this.fitted().scaler;
    return sc.method === 'gmm' ? 1 + sc.means.length : 1;
  }

  get spans(): LocalSpan[] {
    const sc = this.fitted().scaler;
    return sc.method === 'gmm'
      ? [
          { kind: 'continuous', width: 1 },
          { kind: 'discrete', width: sc.means.length },
        ]
      : [{ kind: 'continuous', width: 1 }];
  }

  /** The range inverse clamps to ('quantile': the first and last knot; otherwise the [min, max] seen at fit). */
  get range(): [number, number] {
    const s = this.fitted();
    return [s.min, s.max];
  }

  fit(values: Cell[]): this {
    return this.fitNumbers(numericColumn(values, this.name, 'continuous encoder'));
  }

  /** fit() for callers that already hold numbers (integer and datetime encoders). */
  fitNumbers(x: Float64Array): this {
    if (x.length === 0) throw new InvalidDataError(`cannot fit an encoder${inColumn(this.name)} on zero values`, { column: this.name });
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        throw new InvalidDataError(`row ${i + 1}${inColumn(this.name)} is ${x[i]}, not a finite number`, { column: this.name });
      }
      if (x[i] < min) min = x[i];
      if (x[i] > max) max = x[i];
    }
    const rng = new Rng(this.opts.seed);
    let scaler: ContinuousState['scaler'];
    switch (this.opts.method) {
      case 'gmm': {
        let sample = x;
        if (x.length > GMM_FIT_SAMPLE) {
          const perm = rng.permutation(x.length);
          sample = new Float64Array(GMM_FIT_SAMPLE);
          for (let i = 0; i < GMM_FIT_SAMPLE; i++) sample[i] = x[perm[i]];
        }
        const g = fitGmm1d(sample, { maxModes: this.opts.maxModes, weightThreshold: this.opts.weightThreshold, rng });
        scaler = { method: 'gmm', means: g.means, sds: widenToCover(x, g.means, g.sds, g.weights), weights: g.weights };
        if (this.coarseRange) [min, max] = coarseBounds(min, max);
        break;
      }
      case 'minmax':
        scaler = { method: 'minmax' };
        if (this.coarseRange) [min, max] = coarseBounds(min, max);
        break;
      case 'quantile': {
        const sorted = Float64Array.from(x).sort();
        const decimals = columnDecimals(sorted);
        const quantiles = smoothedQuantiles(sorted, MAX_QUANTILES, minPerKnot(x.length)).map((q) => roundTo(q, decimals));
        scaler = { method: 'quantile', quantiles };
        [min, max] = [quantiles[0], quantiles[quantiles.length - 1]];
        break;
      }
      default:
        throw new RangeError(`unknown continuous method '${String(this.opts.method)}'`);
    }
    this.state = { type: 'continuous', min, max, scaler };
    return this;
  }

  transform(values: Cell[], rng?: Rng): Float32Array {
    this.fitted();
    return this.encodeNumbers(numericColumn(values, this.name, 'continuous encoder'), rng);
  }

  /** transform() for numbers already extracted. */
  encodeNumbers(x: Float64Array, rng?: Rng): Float32Array {
    const s = this.fitted();
    const sc = s.scaler;
    const n = x.length;
    const w = this.width;
    const out = new Float32Array(n * w);
    if (sc.method === 'gmm') {
      const K = sc.means.length;
      const logc = sc.weights.map((wk, k) => Math.log(wk) - Math.log(sc.sds[k]));
      const lp = new Float64Array(K);
      for (let i = 0; i < n; i++) {
        const xi = x[i];
        let best = 0;
        for (let k = 0; k < K; k++) {
          const d = (xi - sc.means[k]) / sc.sds[k];
          lp[k] = logc[k] - 0.5 * d * d;
          if (lp[k] > lp[best]) best = k;
        }
        let k = best;
        if (rng && K > 1) {
          const top = lp[best];
          for (let j = 0; j < K; j++) lp[j] = Math.exp(lp[j] - top);
          k = rng.weightedIndex(lp);
        }
        const alpha = (xi - sc.means[k]) / (4 * sc.sds[k]);
        out[i * w] = Math.max(-ALPHA_CLIP, Math.min(ALPHA_CLIP, alpha));
        out[i * w + 1 + k] = 1;
      }
    } else if (sc.method === 'minmax') {
      const span = s.max - s.min;
      for (let i = 0; i < n; i++) out[i] = span > 0 ? Math.max(-1, Math.min(1, (2 * (x[i] - s.min)) / span - 1)) : 0;
    } else {
      const q = sc.quantiles;
      const eps = quantileEps(q.length);
      for (let i = 0; i < n; i++) {
        const u = eps + (1 - 2 * eps) * cdfAt(q, x[i]);
        out[i] = Math.tanh(normalQuantile(u) / 2);
      }
    }
    return out;
  }

  inverse(block: Float32Array, n: number): Cell[] {
    return Array.from(this.decodeNumbers(block, n));
  }

  /** inverse() as numbers. */
  decodeNumbers(block: Float32Array, n: number): Float64Array {
    const s = this.fitted();
    const w = this.width;
    checkBlock(block, n, w, this.name);
    const sc = s.scaler;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v: number;
      if (sc.method === 'gmm') {
        const k = argmax(block, i * w + 1, w - 1);
        const alpha = Math.max(-1, Math.min(1, block[i * w]));
        v = alpha * 4 * sc.sds[k] + sc.means[k];
      } else if (sc.method === 'minmax') {
        const y = Math.max(-1, Math.min(1, block[i]));
        v = ((y + 1) / 2) * (s.max - s.min) + s.min;
      } else {
        const q = sc.quantiles;
        const eps = quantileEps(q.length);
        const y = Math.max(-1 + 1e-7, Math.min(1 - 1e-7, block[i]));
        const u = (normalCdf(2 * Math.atanh(y)) - eps) / (1 - 2 * eps);
        v = quantileAt(q, Math.max(0, Math.min(1, u)));
      }
      out[i] = Number.isNaN(v) ? s.min : Math.max(s.min, Math.min(s.max, v));
    }
    return out;
  }

  toJSON(): ContinuousState {
    return structuredClone(this.fitted());
  }

  private fitted(): ContinuousState {
    if (!this.state) throw notFitted('continuous encoder', this.name);
    return this.state;
  }
}

/**
 * Widen modes so that every fitted value is within +-ALPHA_CLIP of its most probable mode. EM leaves the extreme
 * tail (a few loans of 72 months, one 300000 asset) more than 4 sd from any mode; clipping alpha there would make the
 * column's real extremes unreachable, both for the round trip and for the generator's tanh. Widening a mode only
 * makes it claim more of the tail, so a few passes settle.
 */
function widenToCover(x: Float64Array, means: number[], sds: number[], weights: number[]): number[] {
  const sd = [...sds];
  const distinct = Array.from(new Set(x));
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    const logc = weights.map((w, k) => Math.log(w) - Math.log(sd[k]));
    for (const v of distinct) {
      let best = 0;
      let bestL = -Infinity;
      for (let k = 0; k < means.length; k++) {
        const l = logc[k] - 0.5 * ((v - means[k]) / sd[k]) ** 2;
        if (l > bestL) {
          bestL = l;
          best = k;
        }
      }
      const need = Math.abs(v - means[best]) / (4 * ALPHA_CLIP);
      if (need > sd[best]) {
        sd[best] = need * (1 + 1e-9);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return sd;
}

/** The CDF is squeezed into [eps, 1 - eps] so that the extremes map to finite z (about +-3.3 sd for 1000 quantiles). */
function quantileEps(m: number): number {
  return 1 / (2 * Math.max(m, 2));
}

/** Values averaged per knot: MIN_VALUES_PER_KNOT, or half the column when it is smaller than twice that (at least 1). */
export function minPerKnot(n: number): number {
  return Math.max(1, Math.min(MIN_VALUES_PER_KNOT, Math.floor(n / 2)));
}

/** Mean of sorted[lo..hi] (inclusive). */
function windowMean(sorted: Float64Array, lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i <= hi; i++) s += sorted[i];
  const mean = s / (hi - lo + 1);
  // Keep the mean inside the window's range (floating-point sums can step just outside a run of ties).
  return Math.max(sorted[lo], Math.min(sorted[hi], mean));
}

/**
 * Decimal places the column is written with (0 for integers, at most 10): the precision knots are rounded to, so a
 * knot looks like a value of the column without being one of its rows.
 */
export function columnDecimals(values: Float64Array): number {
  let d = 0;
  const step = Math.max(1, Math.floor(values.length / 2000)); // a spread-out sample is enough to see the precision
  for (let i = 0; i < values.length && d < 10; i += step) {
    const v = values[i];
    while (d < 10 && Math.abs(roundTo(v, d) - v) > 1e-9 * Math.max(1, Math.abs(v))) d++;
  }
  return d;
}

function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  return r + 0; // no -0
}

/** K = min(maxQ, n / m) knots (at least 2; 1 for a single value), each the mean of at least m values. */
function smoothedQuantiles(sorted: Float64Array, maxQ: number, m: number): number[] {
  const n = sorted.length;
  if (n === 1) return [sorted[0]];
  return windowQuantiles(sorted, Math.max(2, Math.min(maxQ, Math.floor(n / m))), m);
}

/**
 * K >= 2 knots at probabilities k / (K - 1), each the mean of a window of sorted values centred on that order
 * statistic: half-width about n / (2 (K - 1)), narrowed towards the ends (so the tails keep their reach) but never
 * below m values (m <= n). Both window ends are non-decreasing in k, so the knots are non-decreasing. A smoothed
 * quantile table: no knot is a single order statistic, so none is a training value unless a window is all ties.
 */
export function windowQuantiles(sorted: Float64Array, K: number, m: number): number[] {
  const n = sorted.length;
  const H = (Math.max(m, n / (K - 1)) - 1) / 2;
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    const c = (k / (K - 1)) * (n - 1);
    const h = Math.min(H, c, n - 1 - c);
    const lo = Math.round(Math.min(Math.max(c - h, 0), n - m));
    const hi = Math.round(Math.min(Math.max(c + h, m - 1), n - 1));
    out.push(Math.max(out[k - 1] ?? -Infinity, windowMean(sorted, lo, hi)));
  }
  return out;
}

/**
 * Piecewise-linear CDF through (q_i, i / (m - 1)). A value equal to a run of tied quantiles maps to the middle of
 * the run, which quantileAt maps back to exactly that value.
 */
function cdfAt(q: number[], x: number): number {
  const m = q.length;
  if (m === 1) return 0.5;
  const lower = bisect(q, x, false); // number of q < x
  const upper = bisect(q, x, true); // number of q <= x
  const p = (i: number) => i / (m - 1);
  if (upper > lower) return (p(lower) + p(upper - 1)) / 2;
  if (lower === 0) return 0;
  if (lower === m) return 1;
  const a = q[lower - 1];
  const b = q[lower];
  return p(lower - 1) + ((x - a) / (b - a)) * (p(lower) - p(lower - 1));
}

function quantileAt(q: number[], u: number): number {
  const m = q.length;
  if (m === 1) return q[0];
  const t = u * (m - 1);
  const i = Math.min(m - 2, Math.floor(t));
  const f = t - i;
  return f === 0 ? q[i] : q[i] + f * (q[i + 1] - q[i]);
}

/** Count of elements < x (or <= x when `orEqual`) in sorted q. */
function bisect(q: number[], x: number, orEqual: boolean): number {
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid] < x || (orEqual && q[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
