import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { argmax, checkBlock, inColumn, notFitted } from './cells.js';
import { categoryOrder } from './categorical.js';
import { parseIsoDateTime } from './datetime.js';
import type { ColumnEncoder, LocalSpan } from './types.js';

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The state schema of withMissing around encoders whose states `inner` validates. */
export function missingStateSchema<T extends z.ZodType>(inner: T) {
  return z.object({ type: z.literal('missing'), hasMissing: z.boolean(), fill: cellSchema, inner });
}

export interface MissingState<S = unknown> {
  type: 'missing';
  /** Nulls were seen at fit, so the block carries a [present, missing] indicator span at its end. */
  hasMissing: boolean;
  /** The stand-in value the inner encoder sees for a missing cell (null when hasMissing is false). */
  fill: Cell;
  inner: S;
}

export class MissingEncoder<S = unknown> implements ColumnEncoder<MissingState<S>> {
  private hasMissing: boolean | null = null;
  private fill: Cell = null;

  constructor(
    readonly inner: ColumnEncoder<S>,
    private readonly name?: string,
  ) {}

  static fromJSON<S>(state: MissingState<unknown>, inner: ColumnEncoder<S>, name?: string): MissingEncoder<S> {
    const enc = new MissingEncoder(inner, name);
    enc.hasMissing = state.hasMissing;
    enc.fill = state.fill;
    return enc;
  }

  get kind(): string {
    return this.inner.kind;
  }

  /** Whether the block ends with the [present, missing] indicator. */
  get indicator(): boolean {
    return this.fitted();
  }

  get width(): number {
    return this.inner.width + (this.fitted() ? 2 : 0);
  }

  get spans(): LocalSpan[] {
    return this.fitted() ? [...this.inner.spans, { kind: 'discrete', width: 2 }] : this.inner.spans;
  }

  fit(values: Cell[]): this {
    const present = values.filter((v) => v !== null);
    if (present.length === 0) {
      throw new InvalidDataError(`every value${inColumn(this.name)} is missing: nothing to fit`, { column: this.name });
    }
    this.inner.fit(present);
    this.hasMissing = present.length < values.length;
    this.fill = this.hasMissing ? imputeValue(present, this.inner.kind, this.name) : null;
    return this;
  }

  transform(values: Cell[], rng?: Rng): Float32Array {
    if (!this.fitted()) {
      const row = values.indexOf(null);
      if (row >= 0) {
        throw new InvalidDataError(`missing value${inColumn(this.name)} at row ${row + 1}, but the column had no missing values when the encoder was fitted`, {
          column: this.name,
        });
      }
      return this.inner.transform(values, rng);
    }
    const filled = values.map((v) => (v === null ? this.fill : v));
    const innerBlock = this.inner.transform(filled, rng);
    const wi = this.inner.width;
    const w = wi + 2;
    const out = new Float32Array(values.length * w);
    for (let i = 0; i < values.length; i++) {
      out.set(innerBlock.subarray(i * wi, (i + 1) * wi), i * w);
      out[i * w + wi + (values[i] === null ? 1 : 0)] = 1;
    }
    return out;
  }

  inverse(block: Float32Array, n: number): Cell[] {
    if (!this.fitted()) return this.inner.inverse(block, n);
    const wi = this.inner.width;
    const w = wi + 2;
    checkBlock(block, n, w, this.name);
    const innerBlock = new Float32Array(n * wi);
    for (let i = 0; i < n; i++) innerBlock.set(block.subarray(i * w, i * w + wi), i * wi);
    const out = this.inner.inverse(innerBlock, n);
    for (let i = 0; i < n; i++) if (argmax(block, i * w + wi, 2) === 1) out[i] = null;
    return out;
  }

  toJSON(): MissingState<S> {
    return { type: 'missing', hasMissing: this.fitted(), fill: this.fill, inner: this.inner.toJSON() };
  }

  private fitted(): boolean {
    if (this.hasMissing === null) throw notFitted('missing-value wrapper', this.name);
    return this.hasMissing;
  }
}

/**
 * Wrap an encoder so that the column may contain nulls. If the fitted column had nulls, a discrete span
 * [present, missing] is appended and a missing cell is shown to the inner encoder as an imputed value (the lower
 * median for numbers and dates: an observed value, so integer and date columns stay valid; the mode otherwise).
 * The inner encoder is fitted on the present values only, so the imputed value does not add a fake mode.
 * If the fitted column had no nulls the block is just the inner one and a null at transform is an error.
 */
export function withMissing<S>(inner: ColumnEncoder<S>, options: { name?: string } = {}): MissingEncoder<S> {
  return new MissingEncoder(inner, options.name);
}

function imputeValue(present: Cell[], kind: string, name: string | undefined): Cell {
  const lowerMedian = (key: (v: Cell) => number): Cell => {
    const sorted = present.map((v) => ({ v, k: key(v) })).sort((a, b) => a.k - b.k);
    return sorted[Math.floor((sorted.length - 1) / 2)].v;
  };
  if (kind === 'continuous' || kind === 'integer') return lowerMedian((v) => v as number);
  if (kind === 'datetime') {
    return lowerMedian((v) => (typeof v === 'number' ? v : (parseIsoDateTime(String(v).trim())?.ms ?? 0)));
  }
  return categoryOrder(present, name)[0];
}
