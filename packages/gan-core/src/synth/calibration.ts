import { z } from 'zod';
import { minPerKnot, windowQuantiles } from '../encoders/continuous.js';
import type { ColumnLayout } from '../encoders/index.js';
import type { SpanOrder } from './span-order.js';

/** Knots of each monotone map (quantiles at 0, 1/(K-1), ..., 1; on the real side smoothed, see smoothedQuantilesOf). */
const KNOTS = 201;
/** Rounds of logit-bias fitting; each uses a fresh reference sample. */
const BIAS_ROUNDS = 3;
const MAX_BIAS = 4;
/**
 * Reference rows per round: as many as the training rows, at least MIN_REFERENCE_ROWS and at most MAX_REFERENCE_ROWS
 * (201 knots and category shares are well estimated from 16k rows; generating a 1M-row book's size four times was
 * most of a large fit's time). Generated in chunks of CHUNK_ROWS, so memory stays bounded whatever the size.
 */
export const MIN_REFERENCE_ROWS = 4000;
export const MAX_REFERENCE_ROWS = 16384;
const CHUNK_ROWS = 4096;

export const calibrationStateSchema = z.object({
  /** Added to the generator's raw output of each discrete model column (0 for continuous ones). */
  bias: z.array(z.number()),
  continuous: z.array(
    z.object({
      /** Model column of the value. */
      column: z.number().int().nonnegative(),
      /** Model column of the [present, missing] indicator, or -1. */
      missing: z.number().int(),
      /** Quantiles of the generated values and of the real ones, at the same probabilities. */
      from: z.array(z.number()),
      to: z.array(z.number()),
    }),
  ),
});
export type CalibrationState = z.infer<typeof calibrationStateSchema>;

/** A value's probability under piecewise-linear quantiles `q` (a run of ties maps to its middle). */
function cdfAt(q: number[], x: number): number {
  const m = q.length;
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  let up = lo;
  while (up < m && q[up] === x) up++;
  const p = (i: number) => i / (m - 1);
  if (up > lo) return (p(lo) + p(up - 1)) / 2;
  if (lo === 0) return 0;
  if (lo === m) return 1;
  return p(lo - 1) + ((x - q[lo - 1]) / (q[lo] - q[lo - 1])) * (p(lo) - p(lo - 1));
}

function quantileAt(q: number[], u: number): number {
  const t = u * (q.length - 1);
  const i = Math.min(q.length - 2, Math.floor(t));
  const f = t - i;
  return f === 0 ? q[i] : q[i] + f * (q[i + 1] - q[i]);
}

function quantilesOf(values: number[]): number[] {
  const s = Float64Array.from(values).sort();
  const out: number[] = [];
  for (let k = 0; k < KNOTS; k++) {
    const pos = (k / (KNOTS - 1)) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    out.push(s[lo] + (pos - lo) * (s[hi] - s[lo]));
  }
  return out;
}

/**
 * The real side's KNOTS quantiles, each the mean of a window of at least MIN_VALUES_PER_KNOT sorted values (as the
 * quantile encoder's knots): the model stores them, and decoded through the encoder single order statistics would
 * give training values back.
 */
function smoothedQuantilesOf(values: Float64Array): number[] {
  const s = values.sort(); // in place: the caller's array is scratch (a large book's is millions of values)
  return windowQuantiles(s, KNOTS, minPerKnot(s.length));
}

/**
 * Marginal calibration of a trained generator, fitted after training on reference samples:
 * - every one-hot gets a per-category bias on its logits, log(p_real / p_generated) accumulated over a few rounds,
 *   so category shares (and the missing share of each column) match the training data;
 * - every numeric column encoded by a single monotone value (quantile or min-max scaling) gets the monotone map
 *   F_real^-1(F_generated(v)) on that value (201 knots), so its marginal matches the training data.
 * Both leave the joint structure to the generator: the map is rank-preserving and the biases only re-weight
 * categories. A GAN's marginals converge slowly (tails, rare categories, a missing share of 5%); this fixes them in
 * a few forward passes instead of thousands of training steps. Layouts with GMM mode-specific normalisation keep
 * their values as generated (a mode-relative value has no global order), but their mode one-hots are calibrated.
 */
export class MarginalCalibration {
  private constructor(readonly state: CalibrationState) {}

  static fromJSON(state: CalibrationState): MarginalCalibration {
    return new MarginalCalibration(state);
  }

  toJSON(): CalibrationState {
    return this.state;
  }

  /** The bias row (1 x model width) to add to raw generator output. */
  get bias(): Float32Array {
    return Float32Array.from(this.state.bias);
  }

  /** Apply the numeric maps in place to activated model-order rows. */
  mapValues(out: Float32Array, n: number, width: number): void {
    for (const c of this.state.continuous) {
      for (let i = 0; i < n; i++) {
        const o = i * width + c.column;
        out[o] = quantileAt(c.to, cdfAt(c.from, out[o]));
      }
    }
  }

  /**
   * Fit on the real training rows (model order) with `generate(n, bias)`, which returns n activated model-order rows
   * sampled the way `sample` does. `skip` lists discrete model columns that keep their logits (the anchor, whose
   * output is set from the condition anyway).
   */
  static fit(args: {
    real: Float32Array;
    n: number;
    order: SpanOrder;
    layouts: ColumnLayout[];
    generate: (n: number, bias: Float32Array) => Float32Array;
    skip?: (modelColumn: number) => boolean;
    referenceRows?: number;
  }): MarginalCalibration {
    const { real, n, order } = args;
    const D = order.width;
    const R = args.referenceRows ?? Math.min(MAX_REFERENCE_ROWS, Math.max(MIN_REFERENCE_ROWS, n));
    const spans: { offset: number; width: number }[] = [];
    for (const g of order.groups) for (let c = 0; c < g.count; c++) spans.push({ offset: g.offset + c * g.width, width: g.width });
    const argmaxShares = (rows: Float32Array, count: number, s: { offset: number; width: number }, into: Float64Array, w: number) => {
      for (let i = 0; i < count; i++) {
        let best = 0;
        for (let k = 1; k < s.width; k++) if (rows[i * D + s.offset + k] > rows[i * D + s.offset + best]) best = k;
        into[best] += w;
      }
    };
    const target = spans.map((s) => {
      const f = new Float64Array(s.width);
      argmaxShares(real, n, s, f, 1 / n);
      return f;
    });
    /** R generated rows, CHUNK_ROWS at a time, each chunk handed to `use` (in order, so the result is the same for any chunk size). */
    const generateChunked = (bias: Float32Array, use: (rows: Float32Array, count: number) => void) => {
      for (let done = 0; done < R; done += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, R - done);
        use(args.generate(count, bias), count);
      }
    };
    const bias = new Float32Array(D);
    for (let round = 0; round < BIAS_ROUNDS; round++) {
      const shares = spans.map((s) => new Float64Array(s.width));
      generateChunked(bias, (gen, count) => spans.forEach((s, j) => !args.skip?.(s.offset) && argmaxShares(gen, count, s, shares[j], 1 / R)));
      spans.forEach((s, j) => {
        if (args.skip?.(s.offset)) return;
        const f = shares[j];
        const eps = 0.5 / R;
        for (let k = 0; k < s.width; k++) {
          const b = bias[s.offset + k] + Math.log((target[j][k] + eps) / (f[k] + eps));
          bias[s.offset + k] = Math.max(-MAX_BIAS, Math.min(MAX_BIAS, b));
        }
      });
    }
    const mapped: { column: number; missing: number; genValues: number[] }[] = [];
    for (const l of args.layouts) {
      const valueSpans = l.spans.filter((s) => s !== l.missingSpan);
      if (l.conditionSpan || valueSpans.length !== 1 || valueSpans[0].kind !== 'continuous' || valueSpans[0].width !== 1) continue;
      mapped.push({ column: order.offsetOf(valueSpans[0].offset), missing: l.missingSpan ? order.offsetOf(l.missingSpan.offset) : -1, genValues: [] });
    }
    const present = (rows: Float32Array, i: number, missing: number) => missing < 0 || rows[i * D + missing] >= rows[i * D + missing + 1];
    generateChunked(bias, (gen, count) => {
      for (const m of mapped) for (let i = 0; i < count; i++) if (present(gen, i, m.missing)) m.genValues.push(gen[i * D + m.column]);
    });
    const continuous: CalibrationState['continuous'] = [];
    for (const { column, missing, genValues } of mapped) {
      // Counted, then filled: one typed array per column instead of a growing JS array and a sorted copy of it.
      let count = 0;
      for (let i = 0; i < n; i++) if (present(real, i, missing)) count++;
      const realValues = new Float64Array(count);
      for (let i = 0, k = 0; i < n; i++) if (present(real, i, missing)) realValues[k++] = real[i * D + column];
      if (realValues.length < 2 || genValues.length < 2) continue;
      continuous.push({ column, missing, from: quantilesOf(genValues), to: smoothedQuantilesOf(realValues) });
    }
    return new MarginalCalibration({ bias: Array.from(bias), continuous });
  }
}
