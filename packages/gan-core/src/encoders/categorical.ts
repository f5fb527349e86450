import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { argmax, checkBlock, describeCell, inColumn, notFitted } from './cells.js';
import type { ColumnEncoder, LocalSpan } from './types.js';

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const categoricalStateSchema = z.object({ type: z.literal('categorical'), categories: z.array(cellSchema).min(1) }).superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.categories.forEach((c, i) => {
    const k = categoryKey(c);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['categories', i], message: `duplicate category ${describeCell(c)}` });
    seen.add(k);
  });
});
export type CategoricalState = z.infer<typeof categoricalStateSchema>;

export interface CategoricalOptions {
  /** Column name, for error messages. */
  name?: string;
}

/** Identity of a category: the JS type is part of it, so 1, '1' and true are three categories. */
export function categoryKey(v: Cell): string {
  return v === null ? 'null' : `${typeof v}:${String(v)}`;
}

const TYPE_RANK: Record<string, number> = { object: 0, boolean: 1, number: 2, string: 3 };

/** Order between distinct category values: null, booleans, numbers, strings; within a type, ascending (strings by code unit, not locale). */
function compareValues(a: Cell, b: Cell): number {
  const ra = TYPE_RANK[typeof a];
  const rb = TYPE_RANK[typeof b];
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Distinct values, most frequent first, ties by value. The order is a pure function of the data (never of row
 * order or locale), so the one-hot layout is reproducible. The first entry is the column's mode.
 */
export function categoryOrder(values: Cell[], name?: string): Cell[] {
  const counts = new Map<string, { v: Cell; n: number }>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new InvalidDataError(`categorical encoder${inColumn(name)}: row ${i + 1} is ${describeCell(v)}, not a usable category`, {
        column: name,
      });
    }
    const k = categoryKey(v);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { v, n: 1 });
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || compareValues(a.v, b.v)).map((e) => e.v);
}

/**
 * One-hot encoding of a categorical column (one discrete span, one slot per category seen at fit). Categories may be
 * strings, numbers or booleans and come back with their original JS type. `null` is treated as a category like any
 * other: in a table the missingness of a categorical column is itself categorical information, it stays in the one
 * span the GAN conditions on, and it needs no imputed stand-in value (TableEncoder relies on this instead of
 * withMissing for categorical columns).
 */
export class CategoricalEncoder implements ColumnEncoder<CategoricalState> {
  readonly kind: string = 'categorical';
  private readonly name: string | undefined;
  private cats: Cell[] | null = null;
  private index = new Map<string, number>();

  constructor(options: CategoricalOptions = {}) {
    this.name = options.name;
  }

  static fromJSON(state: CategoricalState, name?: string): CategoricalEncoder {
    return new CategoricalEncoder({ name }).setCategories([...state.categories]);
  }

  /** The one-hot order. */
  get categories(): Cell[] {
    return [...this.fitted()];
  }

  get width(): number {
    return this.fitted().length;
  }

  get spans(): LocalSpan[] {
    return [{ kind: 'discrete', width: this.width }];
  }

  fit(values: Cell[]): this {
    if (values.length === 0) {
      throw new InvalidDataError(`cannot fit a categorical encoder${inColumn(this.name)} on zero values`, { column: this.name });
    }
    return this.setCategories(categoryOrder(values, this.name));
  }

  /** Position of `value` in the one-hot order, -1 if it was not seen at fit. */
  indexOf(value: Cell): number {
    this.fitted();
    return this.index.get(categoryKey(value)) ?? -1;
  }

  transform(values: Cell[], _rng?: Rng): Float32Array {
    const w = this.width;
    const out = new Float32Array(values.length * w);
    for (let i = 0; i < values.length; i++) {
      const k = this.index.get(categoryKey(values[i]));
      if (k === undefined) {
        throw new InvalidDataError(
          `unseen category ${describeCell(values[i])}${inColumn(this.name)} (row ${i + 1}): not among the ${w} categories seen at fit`,
          { column: this.name },
        );
      }
      out[i * w + k] = 1;
    }
    return out;
  }

  inverse(block: Float32Array, n: number): Cell[] {
    const cats = this.fitted();
    const w = cats.length;
    checkBlock(block, n, w, this.name);
    const out = new Array<Cell>(n);
    for (let i = 0; i < n; i++) out[i] = cats[argmax(block, i * w, w)];
    return out;
  }

  toJSON(): CategoricalState {
    return { type: 'categorical', categories: [...this.fitted()] };
  }

  private setCategories(cats: Cell[]): this {
    this.cats = cats;
    this.index = new Map(cats.map((c, i) => [categoryKey(c), i]));
    return this;
  }

  private fitted(): Cell[] {
    if (!this.cats) throw notFitted('categorical encoder', this.name);
    return this.cats;
  }
}
