import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { argmax, checkBlock, describeCell, inColumn, notFitted } from './cells.js';
import type { ColumnEncoder, LocalSpan } from './types.js';

export const booleanStateSchema = z.object({ type: z.literal('boolean') });
export type BooleanState = z.infer<typeof booleanStateSchema>;

/** The one-hot order of a boolean column. */
export const BOOLEAN_CATEGORIES: readonly boolean[] = [false, true];

/**
 * A boolean column as a two-slot one-hot [false, true]. The layout is fixed (not learnt from the data) so a model
 * trained on a column that happened to be all `true` can still represent `false`. Only JS booleans are accepted:
 * readTable already turns 'true'/'false' text into booleans, and silently mapping 0/1 or 'yes'/'no' here would hide
 * a mis-declared column.
 */
export class BooleanEncoder implements ColumnEncoder<BooleanState> {
  readonly kind: string = 'boolean';
  readonly width = 2;
  readonly spans: LocalSpan[] = [{ kind: 'discrete', width: 2 }];
  private readonly name: string | undefined;
  private isFitted = false;

  constructor(options: { name?: string } = {}) {
    this.name = options.name;
  }

  static fromJSON(_state: BooleanState, name?: string): BooleanEncoder {
    const enc = new BooleanEncoder({ name });
    enc.isFitted = true;
    return enc;
  }

  get categories(): Cell[] {
    return [...BOOLEAN_CATEGORIES];
  }

  fit(values: Cell[]): this {
    if (values.length === 0) {
      throw new InvalidDataError(`cannot fit a boolean encoder${inColumn(this.name)} on zero values`, { column: this.name });
    }
    this.check(values);
    this.isFitted = true;
    return this;
  }

  transform(values: Cell[], _rng?: Rng): Float32Array {
    if (!this.isFitted) throw notFitted('boolean encoder', this.name);
    this.check(values);
    const out = new Float32Array(values.length * 2);
    for (let i = 0; i < values.length; i++) out[i * 2 + (values[i] ? 1 : 0)] = 1;
    return out;
  }

  inverse(block: Float32Array, n: number): Cell[] {
    checkBlock(block, n, 2, this.name);
    const out = new Array<Cell>(n);
    for (let i = 0; i < n; i++) out[i] = argmax(block, i * 2, 2) === 1;
    return out;
  }

  toJSON(): BooleanState {
    if (!this.isFitted) throw notFitted('boolean encoder', this.name);
    return { type: 'boolean' };
  }

  private check(values: Cell[]): void {
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'boolean') {
        throw new InvalidDataError(`boolean encoder${inColumn(this.name)}: row ${i + 1} is ${describeCell(values[i])}, not true or false`, {
          column: this.name,
        });
      }
    }
  }
}
