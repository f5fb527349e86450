import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { describeCell, inColumn, numericColumn } from './cells.js';
import { ContinuousEncoder, continuousStateSchema, type ContinuousOptions } from './continuous.js';
import type { ColumnEncoder, LocalSpan } from './types.js';

export const integerStateSchema = z.object({ type: z.literal('integer'), inner: continuousStateSchema });
export type IntegerState = z.infer<typeof integerStateSchema>;

/**
 * Integer column: encoded exactly like a continuous one (same methods and options), decoded by rounding to the
 * nearest integer inside the fitted [min, max] (both integers, so rounding cannot leave the range).
 */
export class IntegerEncoder implements ColumnEncoder<IntegerState> {
  readonly kind: string = 'integer';
  private inner: ContinuousEncoder;
  private readonly name: string | undefined;

  constructor(options: ContinuousOptions = {}) {
    this.inner = new ContinuousEncoder(options);
    this.name = options.name;
  }

  static fromJSON(state: IntegerState, name?: string): IntegerEncoder {
    const enc = new IntegerEncoder({ name });
    enc.inner = ContinuousEncoder.fromJSON(state.inner, name);
    return enc;
  }

  get width(): number {
    return this.inner.width;
  }

  get spans(): LocalSpan[] {
    return this.inner.spans;
  }

  /** The range inverse clamps to (integers). */
  get range(): [number, number] {
    return this.inner.range;
  }

  fit(values: Cell[]): this {
    this.inner.fitNumbers(this.integers(values));
    return this;
  }

  transform(values: Cell[], rng?: Rng): Float32Array {
    return this.inner.encodeNumbers(this.integers(values), rng);
  }

  inverse(block: Float32Array, n: number): Cell[] {
    const x = this.inner.decodeNumbers(block, n);
    const out = new Array<Cell>(n);
    for (let i = 0; i < n; i++) out[i] = Math.round(x[i]) + 0; // + 0 turns -0 into 0
    return out;
  }

  toJSON(): IntegerState {
    return { type: 'integer', inner: this.inner.toJSON() };
  }

  private integers(values: Cell[]): Float64Array {
    const x = numericColumn(values, this.name, 'integer encoder');
    for (let i = 0; i < x.length; i++) {
      if (!Number.isInteger(x[i])) {
        throw new InvalidDataError(`integer encoder${inColumn(this.name)}: row ${i + 1} is ${describeCell(x[i])}, not an integer`, {
          column: this.name,
        });
      }
    }
    return x;
  }
}
