import { InvalidDataError, ModelFormatError, quantileSorted, std, UsageError } from '@fingan/gan-core';
import { z } from 'zod';
import type { PriceSeries } from '../data/prices.js';
import { logReturns, type LogReturns } from './log-returns.js';

export interface ReturnsEncoderOptions {
  /** Window length T of training samples (default 64). */
  window?: number;
  /** Step between window starts (default 1). */
  stride?: number;
}

/** Training windows: `data` is [nWindows, T, nAssets] of robust-scaled log returns. */
export interface ReturnWindows {
  data: Float32Array;
  shape: [number, number, number];
  /** Index (into the return rows) of each window's first return. */
  starts: Int32Array;
}

const EncoderJson = z.object({
  kind: z.literal('fingan.market.returns-encoder'),
  version: z.literal(1),
  assets: z.array(z.string()).min(1),
  center: z.array(z.number()),
  scale: z.array(z.number().positive()),
  window: z.number().int().positive(),
  stride: z.number().int().positive(),
});
export type ReturnsEncoderJson = z.infer<typeof EncoderJson>;

/**
 * Prices -> log returns -> robust scaling ((r - median) / IQR per asset) -> sliding windows, and back.
 * Robust statistics because heavy tails would let a handful of crash days dominate a mean/std scaling and
 * squash ordinary days towards zero. The scaling is fitted once and stored, so generated returns are
 * unscaled with the training data's statistics.
 */
export class ReturnsEncoder {
  private constructor(
    readonly assets: string[],
    readonly center: Float64Array,
    readonly scale: Float64Array,
    readonly window: number,
    readonly stride: number,
  ) {}

  static fit(data: PriceSeries | LogReturns, options: ReturnsEncoderOptions = {}): ReturnsEncoder {
    const { window = 64, stride = 1 } = options;
    checkPositiveInt(window, '--window');
    checkPositiveInt(stride, '--stride');
    const lr = 'returns' in data ? data : logReturns(data);
    if (lr.dates.length === 0) throw new InvalidDataError('no log returns could be formed (need two consecutive rows with every price present)');
    const k = lr.assets.length;
    const center = new Float64Array(k);
    const scale = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      const sorted = Float64Array.from(lr.returns[a]).sort();
      center[a] = quantileSorted(sorted, 0.5);
      let s = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
      // A mostly-flat asset can have IQR 0; fall back to the standard deviation, then to 1.
      if (!(s > 0)) s = sorted.length > 1 ? std(sorted) : 0;
      scale[a] = s > 0 ? s : 1;
    }
    return new ReturnsEncoder([...lr.assets], center, scale, window, stride);
  }

  /** Log returns of a price series (same assets, same order as at fit time), unscaled. */
  logReturns(series: PriceSeries): LogReturns {
    this.checkAssets(series.assets);
    return logReturns(series);
  }

  /** Robust-scaled log returns per asset. */
  transform(data: PriceSeries | LogReturns): Float64Array[] {
    const lr = 'returns' in data ? data : this.logReturns(data);
    this.checkAssets(lr.assets);
    return lr.returns.map((r, a) => r.map((v) => (v - this.center[a]) / this.scale[a]));
  }

  /** Scale an interleaved [..., nAssets] block of log returns. */
  scaleReturns(returns: ArrayLike<number>): Float64Array {
    const k = this.assets.length;
    const out = new Float64Array(returns.length);
    for (let i = 0; i < returns.length; i++) out[i] = (returns[i] - this.center[i % k]) / this.scale[i % k];
    return out;
  }

  /** Undo the scaling of an interleaved [..., nAssets] block: back to log returns. */
  unscaleReturns(scaled: ArrayLike<number>): Float64Array {
    const k = this.assets.length;
    const out = new Float64Array(scaled.length);
    for (let i = 0; i < scaled.length; i++) out[i] = scaled[i] * this.scale[i % k] + this.center[i % k];
    return out;
  }

  /**
   * Sliding windows of scaled returns for training. Windows never span a gap left by a missing price
   * (they stay inside one segment); the stride restarts at each segment's first row.
   */
  windows(data: PriceSeries | LogReturns, options: ReturnsEncoderOptions = {}): ReturnWindows {
    const { window = this.window, stride = this.stride } = options;
    checkPositiveInt(window, '--window');
    checkPositiveInt(stride, '--stride');
    const lr = 'returns' in data ? data : this.logReturns(data);
    const scaled = this.transform(lr);
    const n = lr.dates.length;
    const k = this.assets.length;
    const starts: number[] = [];
    let segStart = 0;
    for (let t = 0; t <= n; t++) {
      if (t === n || (t > 0 && lr.segment[t] !== lr.segment[t - 1])) {
        for (let s = segStart; s + window <= t; s += stride) starts.push(s);
        segStart = t;
      }
    }
    if (starts.length === 0) {
      throw new InvalidDataError(`needs at least ${window} consecutive returns for one window of length ${window}, the longest run has fewer`);
    }
    const out = new Float32Array(starts.length * window * k);
    for (let w = 0; w < starts.length; w++) {
      for (let t = 0; t < window; t++) {
        const base = (w * window + t) * k;
        for (let a = 0; a < k; a++) out[base + a] = scaled[a][starts[w] + t];
      }
    }
    return { data: out, shape: [starts.length, window, k], starts: Int32Array.from(starts) };
  }

  /**
   * Scaled returns [paths, horizon, nAssets] (interleaved) -> prices at steps 1..horizon of each path,
   * compounding from `startPrices` (one per asset). Same layout as the input.
   */
  inverse(scaledReturns: ArrayLike<number>, startPrices: ArrayLike<number>, horizon?: number): Float64Array {
    const k = this.assets.length;
    if (startPrices.length !== k) {
      throw new UsageError(`expected ${k} start prices (one per asset: ${this.assets.join(', ')}), got ${startPrices.length}`, { flag: '--start-prices' });
    }
    const h = horizon ?? scaledReturns.length / k;
    if (!Number.isInteger(h) || h <= 0 || scaledReturns.length % (h * k) !== 0) {
      throw new UsageError(`returns of length ${scaledReturns.length} do not split into paths of ${h} steps x ${k} assets`, { flag: '--horizon' });
    }
    const paths = scaledReturns.length / (h * k);
    const out = new Float64Array(scaledReturns.length);
    for (let p = 0; p < paths; p++) {
      for (let a = 0; a < k; a++) {
        let logP = Math.log(startPrices[a]);
        for (let t = 0; t < h; t++) {
          const i = (p * h + t) * k + a;
          logP += scaledReturns[i] * this.scale[a] + this.center[a];
          out[i] = Math.exp(logP);
        }
      }
    }
    return out;
  }

  toJSON(): ReturnsEncoderJson {
    return {
      kind: 'fingan.market.returns-encoder',
      version: 1,
      assets: [...this.assets],
      center: Array.from(this.center),
      scale: Array.from(this.scale),
      window: this.window,
      stride: this.stride,
    };
  }

  static fromJSON(json: unknown): ReturnsEncoder {
    const r = EncoderJson.safeParse(json);
    if (!r.success) throw new ModelFormatError(`not a returns-encoder state: ${r.error.issues[0]?.message ?? 'invalid'} at ${r.error.issues[0]?.path.join('.') ?? ''}`);
    const j = r.data;
    if (j.center.length !== j.assets.length || j.scale.length !== j.assets.length) {
      throw new ModelFormatError(`returns-encoder state has ${j.assets.length} assets but ${j.center.length} centres and ${j.scale.length} scales`);
    }
    return new ReturnsEncoder(j.assets, Float64Array.from(j.center), Float64Array.from(j.scale), j.window, j.stride);
  }

  private checkAssets(assets: string[]): void {
    if (assets.length !== this.assets.length || assets.some((a, i) => a !== this.assets[i])) {
      throw new InvalidDataError(`asset columns ${assets.join(', ')} do not match the encoder's ${this.assets.join(', ')}`, {
        column: assets.find((a, i) => a !== this.assets[i]) ?? this.assets[assets.length],
      });
    }
  }
}

function checkPositiveInt(v: number, flag: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new UsageError(`must be a positive integer, got ${v}`, { flag });
}
