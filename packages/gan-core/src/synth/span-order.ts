import * as tf from '@tensorflow/tfjs';
import type { OutputSpan } from '../encoders/index.js';

interface Group {
  /** Width of each one-hot in the group. */
  width: number;
  count: number;
  /** First model column of the group. */
  offset: number;
}

/**
 * The generator's and critic's column order: all continuous values first, then the one-hot spans grouped by width.
 * With this order the per-span activations (softmax over each one-hot) become one reshape-and-softmax per distinct
 * width instead of one slice per span: tfjs's wasm `slice` copies the whole input tensor on every call, and a table
 * with 30 spans spent a third of each training step slicing. The networks never see the encoder's order, so any
 * fixed permutation is as good as another; `toModel`/`fromModel` convert rows between the two.
 */
export class SpanOrder {
  /** Model column m holds encoder column perm[m]. */
  readonly perm: Int32Array;
  /** Continuous columns (the first `continuous` model columns). */
  readonly continuous: number;
  readonly groups: Group[];
  readonly width: number;
  /** Encoder span offset -> model offset of the same span. */
  private readonly spanAt = new Map<number, number>();

  constructor(spans: OutputSpan[]) {
    const perm: number[] = [];
    for (const s of spans) if (s.kind === 'continuous') for (let k = 0; k < s.width; k++) perm.push(s.offset + k);
    this.continuous = perm.length;
    const widths = [...new Set(spans.filter((s) => s.kind === 'discrete').map((s) => s.width))].sort((a, b) => a - b);
    this.groups = widths.map((width) => {
      const members = spans.filter((s) => s.kind === 'discrete' && s.width === width);
      const g = { width, count: members.length, offset: perm.length };
      for (const s of members) {
        this.spanAt.set(s.offset, perm.length);
        for (let k = 0; k < width; k++) perm.push(s.offset + k);
      }
      return g;
    });
    for (const s of spans) if (s.kind === 'continuous') this.spanAt.set(s.offset, perm.indexOf(s.offset));
    this.perm = Int32Array.from(perm);
    this.width = perm.length;
  }

  /** Model offset of the span that starts at encoder offset `encoderOffset`. */
  offsetOf(encoderOffset: number): number {
    const m = this.spanAt.get(encoderOffset);
    if (m === undefined) throw new RangeError(`no span starts at encoder column ${encoderOffset}`);
    return m;
  }

  /** Encoder-order rows (n x width) -> model order. */
  toModel(data: Float32Array, n: number): Float32Array {
    const D = this.width;
    const out = new Float32Array(n * D);
    for (let i = 0; i < n; i++) for (let m = 0; m < D; m++) out[i * D + m] = data[i * D + this.perm[m]];
    return out;
  }

  /** `toModel` in place, one row at a time: the same values without a second n x width copy. */
  toModelInPlace(data: Float32Array, n: number): Float32Array {
    const D = this.width;
    const row = new Float32Array(D);
    for (let i = 0; i < n; i++) {
      row.set(data.subarray(i * D, i * D + D));
      for (let m = 0; m < D; m++) data[i * D + m] = row[this.perm[m]];
    }
    return data;
  }

  /** Model-order rows -> encoder order. */
  fromModel(data: Float32Array, n: number): Float32Array {
    const D = this.width;
    const out = new Float32Array(n * D);
    for (let i = 0; i < n; i++) for (let m = 0; m < D; m++) out[i * D + this.perm[m]] = data[i * D + m];
    return out;
  }

  /**
   * Apply `f` to every one-hot of `x`, a tensor holding the discrete model columns only (n x (width - continuous)):
   * each group is reshaped to [n, count, width] so that `f` works along the last axis.
   */
  private groupwise(x: tf.Tensor, f: (g: tf.Tensor3D) => tf.Tensor): tf.Tensor {
    const n = x.shape[0];
    const parts = this.groups.map((g) => {
      const block = tf.reshape(tf.slice(x, [0, g.offset - this.continuous], [n, g.count * g.width]), [n, g.count, g.width]) as tf.Tensor3D;
      return tf.reshape(f(block), [n, g.count * g.width]);
    });
    return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  }

  /**
   * Generator outputs: tanh on continuous columns, Gumbel-softmax with temperature `tau` on every one-hot.
   * `gumbel` holds one Gumbel(0, 1) draw per discrete column (n x (width - continuous)).
   */
  activate(raw: tf.Tensor, gumbel: tf.Tensor, tau: number): tf.Tensor {
    const n = raw.shape[0];
    const disc = this.width - this.continuous;
    if (disc === 0) return tf.tanh(raw);
    const soft = this.groupwise(tf.div(tf.add(this.discrete(raw), gumbel), tau), (b) => tf.softmax(b));
    return this.continuous > 0 ? tf.concat([tf.tanh(tf.slice(raw, [0, 0], [n, this.continuous])), soft], 1) : soft;
  }

  /** The discrete model columns of `x`. */
  discrete(x: tf.Tensor): tf.Tensor {
    const n = x.shape[0];
    return this.continuous === 0 ? x : tf.slice(x, [0, this.continuous], [n, this.width - this.continuous]);
  }

  /** Log-softmax of every one-hot of the discrete part (n x (width - continuous)), e.g. for a cross-entropy. */
  discreteLogSoftmax(raw: tf.Tensor): tf.Tensor {
    return this.groupwise(this.discrete(raw), (b) => tf.logSoftmax(b));
  }
}
