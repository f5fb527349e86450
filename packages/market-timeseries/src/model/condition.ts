import { quantileSorted, UsageError } from '@fingan/gan-core';
import type { GarchTParams } from '../baselines/garch-t.js';
import type { LogReturns } from '../encoder/log-returns.js';
import { regimeFeatures } from '../encoder/regime.js';

/**
 * The latent volatility of the recurrent GAN and its optional regime features. The latent variance is always
 * tracked (it scales every generated innovation and carries the volatility of a start history into the paths);
 * the features below condition the generator only with `regime: true`. Per asset and step t, all known before
 * the return r_t is drawn:
 *   1. log(rv_{t-1} / sigma_t): realised volatility, an exponentially weighted RMS of the returns up to t-1
 *      (half-life `volHalfLife`, started from the mean square of the first `volWindow` returns), against the
 *      GARCH-like latent volatility sigma_t (sigma_t^2 = omega + alpha e_{t-1}^2 + beta sigma_{t-1}^2). Where
 *      GARCH(1,1)'s short memory under- or overshoots, this says by how much. Exponential rather than a
 *      rectangular window: when a shock leaves a rectangular window the feature drops by a step, and a
 *      generator that reacts to it prints an echo into the ACF of |r| at exactly that lag.
 *   2. (RSI_{t-1} - 50) / 50, RSI of the price path (Wilder, `rsiPeriod`), a trend/drawdown state.
 * 1 is centred and scaled robustly (median, IQR) on the training data and clipped to +-CLIP. The generator
 * produces the standardized innovation z_t; the return is r_t = mu + sigma_t z_t. On real data RSI comes from
 * `regimeFeatures` (technicalindicators); on simulated paths `ConditionTracker` updates the same quantities step by
 * step from the generated returns (a test checks that both agree).
 */
export const FEATURES_PER_ASSET = 2;

/** Scaled features are clipped to +-CLIP, so the generator never has to extrapolate far beyond its training data. */
export const CLIP = 4;
const clip = (v: number) => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);

export interface ConditionConfig {
  /** The latent volatility recursion per asset (GARCH(1,1) parameters; nu is not used). */
  latent: GarchTParams[];
  /** Returns whose mean square starts the realised variance. */
  volWindow: number;
  /** Half-life in steps of the realised variance's exponential weights. */
  volHalfLife: number;
  rsiPeriod: number;
  scaling: ConditionScaling;
}

export interface ConditionScaling {
  gapCenter: number[];
  gapScale: number[];
}

/** One step of the realised variance: the mean square of the first `window` returns, then an EWMA. */
function realisedVarianceStep(prev: number, r: number, count: number, window: number, lambda: number): number {
  if (count < window) return prev + (r * r) / window;
  return lambda * prev + (1 - lambda) * r * r;
}

export interface RealConditions {
  /** Standardized innovations (r_t - mu) / sigma_t per asset. */
  innovations: Float64Array[];
  /** Latent variance sigma_t^2 per asset. */
  variance: Float64Array[];
  /** Scaled features [n, FEATURES_PER_ASSET * k] (asset-major per row); NaN where not defined. */
  cond: Float32Array;
  /** 1 where the step has all features (and a predecessor in the same segment). */
  valid: Uint8Array;
  /** The latent variance for the step after the sample. */
  nextVariance: number[];
  scaling: ConditionScaling;
}

/** Unconditional variance omega / (1 - alpha - beta). */
export function unconditionalVariance(p: GarchTParams): number {
  return p.omega / Math.max(1 - p.alpha - p.beta, 1e-6);
}

/** Floor of the realised variance before the log (a flat stretch has none). */
const VOL_FLOOR2 = 1e-16;

/** Innovations and scaled conditions of a real history (fits the scaling unless one is given). */
export function realConditions(lr: LogReturns, config: Omit<ConditionConfig, 'scaling'> & { scaling?: ConditionScaling }): RealConditions {
  const n = lr.dates.length;
  const k = lr.assets.length;
  const regime = regimeFeatures(lr, { volWindow: config.volWindow, rsiPeriod: config.rsiPeriod });
  const lambda = Math.pow(0.5, 1 / config.volHalfLife);
  // Realised variance per asset and row, restarted in every gap-free segment (NaN until `volWindow` returns).
  const realised = lr.returns.map((r) => {
    const out = new Float64Array(n).fill(NaN);
    let v = 0;
    let count = 0;
    for (let t = 0; t < n; t++) {
      if (t > 0 && lr.segment[t] !== lr.segment[t - 1]) {
        v = 0;
        count = 0;
      }
      v = realisedVarianceStep(v, r[t], count, config.volWindow, lambda);
      count++;
      if (count >= config.volWindow) out[t] = v;
    }
    return out;
  });
  const innovations: Float64Array[] = [];
  const variance: Float64Array[] = [];
  const nextVariance: number[] = [];
  for (let a = 0; a < k; a++) {
    const p = config.latent[a];
    const r = lr.returns[a];
    const v = new Float64Array(n);
    const e = new Float64Array(n);
    let h = unconditionalVariance(p);
    for (let t = 0; t < n; t++) {
      v[t] = h;
      const d = r[t] - p.mu;
      e[t] = d / Math.sqrt(h);
      h = p.omega + p.alpha * d * d + p.beta * h;
    }
    variance.push(v);
    innovations.push(e);
    nextVariance.push(h);
  }
  const valid = new Uint8Array(n);
  const gap = Array.from({ length: k }, () => new Float64Array(n).fill(NaN));
  for (let t = 1; t < n; t++) {
    if (lr.segment[t] !== lr.segment[t - 1] || !regime.valid[t - 1] || realised.some((v) => Number.isNaN(v[t - 1]))) continue;
    valid[t] = 1;
    for (let a = 0; a < k; a++) gap[a][t] = 0.5 * (Math.log(Math.max(realised[a][t - 1], VOL_FLOOR2)) - Math.log(variance[a][t]));
  }
  const scaling = config.scaling ?? fitScaling(gap, valid);
  const cond = new Float32Array(n * k * FEATURES_PER_ASSET).fill(NaN);
  for (let t = 0; t < n; t++) {
    if (!valid[t]) continue;
    for (let a = 0; a < k; a++) {
      const o = (t * k + a) * FEATURES_PER_ASSET;
      cond[o] = clip((gap[a][t] - scaling.gapCenter[a]) / scaling.gapScale[a]);
      cond[o + 1] = (regime.rsi[a][t - 1] - 50) / 50;
    }
  }
  return { innovations, variance, cond, valid, nextVariance, scaling };
}

function robust(values: Float64Array, valid: Uint8Array): [number, number] {
  const xs = Float64Array.from(Array.from(values).filter((_, t) => valid[t] === 1)).sort();
  if (xs.length === 0) return [0, 1];
  const iqr = quantileSorted(xs, 0.75) - quantileSorted(xs, 0.25);
  return [quantileSorted(xs, 0.5), iqr > 0 ? iqr : 1];
}

function fitScaling(gap: Float64Array[], valid: Uint8Array): ConditionScaling {
  const s: ConditionScaling = { gapCenter: [], gapScale: [] };
  for (const g of gap) {
    const [c, sc] = robust(g, valid);
    s.gapCenter.push(c);
    s.gapScale.push(sc);
  }
  return s;
}

/**
 * The same features, updated one step at a time for many simulated paths at once ([paths, assets], asset
 * fastest). RSI follows technicalindicators' Wilder smoothing (simple mean of the first `rsiPeriod` gains and
 * losses, then avg = (avg (period - 1) + x) / period, 100 when the average loss is 0, 0 when the average gain is
 * 0) without its rounding to two decimals. The latent variance is capped at `maxVarianceRatio` times the
 * unconditional one, a guard against a feedback loop between innovations and variance running away.
 */
export class ConditionTracker {
  readonly k: number;
  /** Latent variance per (path, asset). */
  readonly variance: Float64Array;
  private readonly realised: Float64Array;
  private readonly price: Float64Array;
  private readonly avgGain: Float64Array;
  private readonly avgLoss: Float64Array;
  private count = 0;
  private readonly lambda: number;
  private readonly maxVariance: Float64Array;

  constructor(
    readonly paths: number,
    readonly config: ConditionConfig,
    maxVarianceRatio = 100,
  ) {
    this.k = config.latent.length;
    const m = paths * this.k;
    this.variance = new Float64Array(m);
    this.realised = new Float64Array(m);
    this.price = new Float64Array(m).fill(1);
    this.avgGain = new Float64Array(m);
    this.avgLoss = new Float64Array(m);
    this.lambda = Math.pow(0.5, 1 / config.volHalfLife);
    this.maxVariance = Float64Array.from(config.latent, (p) => maxVarianceRatio * unconditionalVariance(p));
    for (let i = 0; i < m; i++) this.variance[i] = unconditionalVariance(config.latent[i % this.k]);
  }

  /** Fewest history returns for every feature to be defined. */
  static minHistory(config: Pick<ConditionConfig, 'volWindow' | 'rsiPeriod'>): number {
    return Math.max(config.volWindow, config.rsiPeriod);
  }

  /**
   * Run every path through the same history (per asset, oldest first), starting the latent variance at
   * `startVariance` (default: unconditional), so that simulations continue from the end of that history.
   * `record` receives the features before each history step once they are defined (to warm up a generator).
   */
  warmUp(history: ArrayLike<number>[], startVariance?: number[], record?: (cond: Float32Array, t: number) => void): void {
    const k = this.k;
    if (history.length !== k) throw new UsageError(`history needs one return series per asset (${k}), got ${history.length}`, { option: 'history' });
    const len = history[0].length;
    const need = ConditionTracker.minHistory(this.config);
    if (history.some((h) => h.length !== len)) throw new UsageError('history series have different lengths', { option: 'history' });
    if (len < need) throw new UsageError(`history has ${len} returns; the model needs at least ${need} to compute its regime features`, { option: 'history' });
    const one = new ConditionTracker(1, this.config);
    if (startVariance) one.variance.set(startVariance);
    const step = new Float64Array(k);
    for (let t = 0; t < len; t++) {
      if (record && one.ready) {
        const cond = new Float32Array(FEATURES_PER_ASSET * k);
        one.fill(cond);
        record(cond, t);
      }
      for (let a = 0; a < k; a++) step[a] = history[a][t];
      one.push(step);
    }
    // Broadcast the single warmed-up state to every path.
    for (let p = 0; p < this.paths; p++) {
      for (const [dst, src] of [
        [this.variance, one.variance],
        [this.realised, one.realised],
        [this.price, one.price],
        [this.avgGain, one.avgGain],
        [this.avgLoss, one.avgLoss],
      ]) {
        dst.set(src, p * k);
      }
    }
    this.count = one.count;
  }

  /** Whether every feature is defined (enough returns have been pushed). */
  get ready(): boolean {
    return this.count >= this.config.volWindow && this.count >= this.config.rsiPeriod;
  }

  /** Scaled features for the next step into `out` [paths, FEATURES_PER_ASSET * k]. */
  fill(out: Float32Array): void {
    if (!this.ready) throw new RangeError('condition tracker needs a warm-up history first');
    const { k } = this;
    const s = this.config.scaling;
    for (let i = 0; i < this.paths * k; i++) {
      const a = i % k;
      const gap = 0.5 * (Math.log(Math.max(this.realised[i], VOL_FLOOR2)) - Math.log(this.variance[i]));
      const gain = this.avgGain[i];
      const loss = this.avgLoss[i];
      const rsi = loss === 0 ? 100 : gain === 0 ? 0 : 100 - 100 / (1 + gain / loss);
      const o = i * FEATURES_PER_ASSET;
      out[o] = clip((gap - s.gapCenter[a]) / s.gapScale[a]);
      out[o + 1] = (rsi - 50) / 50;
    }
  }

  /** Latent volatility sigma of (path, asset) for the next step. */
  sigma(i: number): number {
    return Math.sqrt(this.variance[i]);
  }

  /** Record one step of log returns [paths, k] for every path. */
  push(returns: ArrayLike<number>): void {
    const { k } = this;
    const P = this.config.rsiPeriod;
    const W = this.config.volWindow;
    const first = this.count < P;
    const seeding = this.count + 1 === P;
    for (let i = 0; i < this.paths * k; i++) {
      const a = i % k;
      const r = returns[i];
      const lat = this.config.latent[a];
      const d = r - lat.mu;
      this.variance[i] = Math.min(lat.omega + lat.alpha * d * d + lat.beta * this.variance[i], this.maxVariance[a]);
      this.realised[i] = realisedVarianceStep(this.realised[i], r, this.count, W, this.lambda);
      const prev = this.price[i];
      let next = prev * Math.exp(r);
      const change = next - prev;
      const g = change > 0 ? change : 0;
      const l = change < 0 ? -change : 0;
      if (first) {
        // Sums of the first P gains/losses; divided by P when the P-th arrives.
        this.avgGain[i] += g;
        this.avgLoss[i] += l;
        if (seeding) {
          this.avgGain[i] /= P;
          this.avgLoss[i] /= P;
        }
      } else {
        this.avgGain[i] = (this.avgGain[i] * (P - 1) + g) / P;
        this.avgLoss[i] = (this.avgLoss[i] * (P - 1) + l) / P;
      }
      // RSI only depends on ratios of price changes: rescale the index (and the averages) to keep it near 1.
      if (next > 1e6 || next < 1e-6) {
        this.avgGain[i] /= next;
        this.avgLoss[i] /= next;
        next = 1;
      }
      this.price[i] = next;
    }
    this.count++;
  }
}
