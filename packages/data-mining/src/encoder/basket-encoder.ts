import { z } from 'zod';
import { InvalidDataError, ModelFormatError, UsageError, type Cell, type Table } from '@fingan/gan-core';

/**
 * Long-form transactions (one row per transaction and item) <-> baskets <-> the fixed-width vectors a generator
 * learns from. The vocabulary is fixed at fit time, most frequent item first, so that item index 0 is the most
 * common item everywhere (FP-growth, the multi-hot columns, reports).
 */

/** A transaction id or an item: text or a finite number (`1` and `'1'` are different values). */
export type ItemValue = string | number;

export interface BasketEncoderOptions {
  /** Column holding the transaction id. */
  transactionColumn: string;
  /** Column holding the item. */
  itemColumn: string;
  /**
   * Basket-level attributes (e.g. a value band), the same on every row of a transaction. They become one-hot
   * condition columns, so a generator can be asked for baskets of a given kind.
   */
  attributeColumns?: string[];
}

/** Transactions grouped into baskets. */
export interface BasketData {
  /** Transaction ids, in order of first appearance. */
  ids: ItemValue[];
  /** Item indices (into the encoder's vocabulary) of each basket, ascending, each item once. */
  baskets: Int32Array[];
  /** Value of each attribute column per basket. */
  attributes: Record<string, Cell[]>;
}

/** Baskets as fixed-width vectors. */
export interface EncodedBaskets {
  n: number;
  nItems: number;
  /** Row-major n x nItems multi-hot matrix: 1 where the basket holds the item. */
  items: Float32Array;
  /** Basket sizes (number of distinct items). */
  sizes: Int32Array;
  /** Size as an explicit feature: size / maxSize of the training baskets. */
  sizeFeature: Float32Array;
  /** Row-major n x nConditions one-hot matrix of the attributes (nConditions may be 0). */
  conditions: Float32Array;
  nConditions: number;
}

export interface DecodeOptions {
  /**
   * Target basket sizes: basket i takes its `sizes[i]` highest-scoring items (rounded, clamped to [0, nItems]).
   * Without sizes, every item scoring at least `threshold` is taken.
   */
  sizes?: ArrayLike<number>;
  /** Cut-off for the scores when no sizes are given (default 0.5). */
  threshold?: number;
}

export interface LongFormOptions {
  /** Transaction ids (default 1, 2, ...). */
  ids?: ItemValue[];
  /** Attribute values per basket, by attribute column. */
  attributes?: Record<string, Cell[]>;
}

const FORMAT = 'fingan-basket-encoder';
const VERSION = 1;

const itemValue = z.union([z.string().min(1), z.number().finite()]);
const attributeValue = z.union([z.string(), z.number().finite(), z.boolean()]);
const encoderSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(VERSION),
    transactionColumn: z.string().min(1),
    itemColumn: z.string().min(1),
    attributeColumns: z.array(z.string().min(1)),
    items: z.array(itemValue).min(1),
    itemCounts: z.array(z.number().int().nonnegative()),
    nTransactions: z.number().int().min(2),
    maxSize: z.number().int().min(1),
    attributeLevels: z.record(z.string(), z.array(attributeValue).min(1)),
  })
  .strict();
export type BasketEncoderJSON = z.infer<typeof encoderSchema>;

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'an empty cell';
  if (v === '') return 'an empty string';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  return `${String(v)} (${typeof v})`;
}

/** Rows are counted from 0, as in the table's columns. */
function readKey(v: Cell | undefined, column: string, row: number): ItemValue {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new InvalidDataError(`column '${column}' row ${row}: expected a non-empty string or a finite number, got ${describe(v)}`, { column });
}

function readAttribute(v: Cell | undefined, column: string, row: number): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new InvalidDataError(`column '${column}' row ${row}: expected a string, finite number or boolean, got ${describe(v)}`, {
    column,
  });
}

/** Numbers first (ascending), then strings (by code unit): the same order on every machine and locale. */
function compareValues(a: string | number | boolean, b: string | number | boolean): number {
  const ta = typeof a === 'number' ? 0 : typeof a === 'boolean' ? 1 : 2;
  const tb = typeof b === 'number' ? 0 : typeof b === 'boolean' ? 1 : 2;
  if (ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkColumns(table: Table, options: BasketEncoderOptions): void {
  if (table === null || typeof table !== 'object') throw new InvalidDataError('expected a table (an object of columns)');
  const wanted = [options.transactionColumn, options.itemColumn, ...(options.attributeColumns ?? [])];
  const missing = wanted.filter((c) => !Array.isArray(table[c]));
  if (missing.length > 0) {
    const found = Object.keys(table);
    throw new InvalidDataError(
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')} (the table has: ${
        found.length ? found.join(', ') : 'no columns'
      })`,
      { column: missing[0] },
    );
  }
  const n = table[options.transactionColumn].length;
  for (const c of wanted) {
    if (table[c].length !== n) {
      throw new InvalidDataError(`column '${c}' has ${table[c].length} rows, column '${options.transactionColumn}' has ${n}`, {
        column: c,
      });
    }
  }
  if (n === 0) throw new InvalidDataError('the transactions table is empty (no rows)', { column: options.transactionColumn });
}

/** Group rows into baskets; `itemId` maps an item (at a row) to its index. */
function group(table: Table, options: BasketEncoderOptions, itemId: (item: ItemValue, row: number) => number): BasketData {
  checkColumns(table, options);
  const { transactionColumn: tcol, itemColumn: icol } = options;
  const attrCols = options.attributeColumns ?? [];
  const tids = table[tcol];
  const items = table[icol];
  const basketOf = new Map<ItemValue, number>();
  const ids: ItemValue[] = [];
  const lists: number[][] = [];
  const attributes: Record<string, Cell[]> = {};
  for (const a of attrCols) attributes[a] = [];
  for (let r = 0; r < tids.length; r++) {
    const tid = readKey(tids[r], tcol, r);
    const item = readKey(items[r], icol, r);
    let b = basketOf.get(tid);
    if (b === undefined) {
      b = ids.length;
      basketOf.set(tid, b);
      ids.push(tid);
      lists.push([]);
      for (const a of attrCols) attributes[a].push(readAttribute(table[a][r], a, r));
    } else {
      for (const a of attrCols) {
        const v = readAttribute(table[a][r], a, r);
        if (v !== attributes[a][b]) {
          throw new InvalidDataError(
            `column '${a}' row ${r}: transaction ${describe(tid)} has ${describe(attributes[a][b])} on an earlier row but ${describe(
              v,
            )} here; a basket attribute must be the same on every row of a transaction`,
            { column: a },
          );
        }
      }
    }
    lists[b].push(itemId(item, r));
  }
  const baskets = lists.map(uniqueSorted);
  return { ids, baskets, attributes };
}

function uniqueSorted(list: ArrayLike<number>): Int32Array {
  const a = Int32Array.from(list).sort();
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[k++] = a[i];
  return a.slice(0, k);
}

export class BasketEncoder {
  private readonly index: Map<ItemValue, number>;
  private readonly levelIndex: Map<string | number | boolean, number>[];

  private constructor(private readonly state: BasketEncoderJSON) {
    this.index = new Map(state.items.map((v, i) => [v, i]));
    this.levelIndex = state.attributeColumns.map((a) => new Map(state.attributeLevels[a].map((v, i) => [v, i])));
  }

  /** Learn the item vocabulary, the largest basket and the attribute levels from long-form transactions. */
  static fit(table: Table, options: BasketEncoderOptions): BasketEncoder {
    if (!options || typeof options.transactionColumn !== 'string' || typeof options.itemColumn !== 'string') {
      throw new UsageError('BasketEncoder.fit needs transactionColumn and itemColumn (column names)');
    }
    const attrCols = options.attributeColumns ?? [];
    const dup = [options.transactionColumn, options.itemColumn, ...attrCols].find((c, i, all) => all.indexOf(c) !== i);
    if (dup !== undefined) throw new UsageError(`column '${dup}' is named twice in the encoder options`, { column: dup });
    const firstSeen = new Map<ItemValue, number>();
    const values: ItemValue[] = [];
    const data = group(table, options, (item) => {
      let id = firstSeen.get(item);
      if (id === undefined) {
        id = values.length;
        firstSeen.set(item, id);
        values.push(item);
      }
      return id;
    });
    if (data.ids.length < 2) {
      throw new InvalidDataError(`only one transaction (${describe(data.ids[0])}) in column '${options.transactionColumn}': mining needs at least 2`, {
        column: options.transactionColumn,
      });
    }
    const counts = new Array<number>(values.length).fill(0);
    let maxSize = 0;
    for (const b of data.baskets) {
      for (let i = 0; i < b.length; i++) counts[b[i]]++;
      if (b.length > maxSize) maxSize = b.length;
    }
    const order = values.map((_, i) => i).sort((a, b) => counts[b] - counts[a] || compareValues(values[a], values[b]));
    const attributeLevels: Record<string, (string | number | boolean)[]> = {};
    for (const a of attrCols) {
      attributeLevels[a] = [...new Set(data.attributes[a] as (string | number | boolean)[])].sort(compareValues);
    }
    return new BasketEncoder({
      format: FORMAT,
      version: VERSION,
      transactionColumn: options.transactionColumn,
      itemColumn: options.itemColumn,
      attributeColumns: [...attrCols],
      items: order.map((i) => values[i]),
      itemCounts: order.map((i) => counts[i]),
      nTransactions: data.ids.length,
      maxSize,
      attributeLevels,
    });
  }

  /** The item vocabulary, most frequent first (ties: numbers, then text, ascending). */
  get items(): readonly ItemValue[] {
    return this.state.items;
  }
  get nItems(): number {
    return this.state.items.length;
  }
  /** Share of the training baskets holding each item (vocabulary order). */
  get itemSupport(): number[] {
    return this.state.itemCounts.map((c) => c / this.state.nTransactions);
  }
  /** Largest training basket. */
  get maxSize(): number {
    return this.state.maxSize;
  }
  get attributeColumns(): readonly string[] {
    return this.state.attributeColumns;
  }
  /** The levels of each attribute, in condition-column order. */
  get attributeLevels(): Readonly<Record<string, readonly (string | number | boolean)[]>> {
    return this.state.attributeLevels;
  }
  get nConditions(): number {
    return this.state.attributeColumns.reduce((s, a) => s + this.state.attributeLevels[a].length, 0);
  }
  /** Names of the condition columns, `column=level`. */
  get conditionNames(): string[] {
    return this.state.attributeColumns.flatMap((a) => this.state.attributeLevels[a].map((v) => `${a}=${String(v)}`));
  }

  /** The item index of a value, or -1. */
  indexOf(item: ItemValue): number {
    return this.index.get(item) ?? -1;
  }

  /** Group long-form transactions into baskets of item indices. Items and attribute levels must be known. */
  toBaskets(table: Table): BasketData {
    const icol = this.state.itemColumn;
    const data = group(table, this.options(), (item, row) => {
      const id = this.index.get(item);
      if (id === undefined) {
        throw new InvalidDataError(`column '${icol}' row ${row}: item ${describe(item)} is not in the encoder's vocabulary`, {
          column: icol,
        });
      }
      return id;
    });
    this.state.attributeColumns.forEach((a, k) => {
      const bad = data.attributes[a].findIndex((v) => !this.levelIndex[k].has(v as string | number | boolean));
      if (bad >= 0) {
        throw new InvalidDataError(
          `column '${a}': transaction ${describe(data.ids[bad])} has level ${describe(data.attributes[a][bad])}, unknown to the encoder (levels: ${this.state.attributeLevels[
            a
          ]
            .map(String)
            .join(', ')})`,
          { column: a },
        );
      }
    });
    return data;
  }

  /** Baskets (or long-form transactions) as multi-hot rows, sizes and condition columns. */
  encode(input: BasketData | Table): EncodedBaskets {
    const data = isBasketData(input) ? input : this.toBaskets(input);
    const n = data.baskets.length;
    const nItems = this.nItems;
    const items = new Float32Array(n * nItems);
    const sizes = new Int32Array(n);
    const sizeFeature = new Float32Array(n);
    data.baskets.forEach((b, i) => {
      for (let k = 0; k < b.length; k++) {
        const it = b[k];
        if (!(Number.isInteger(it) && it >= 0 && it < nItems)) {
          throw new InvalidDataError(`basket ${i} holds item index ${String(it)}, outside the vocabulary of ${nItems} items`);
        }
        items[i * nItems + it] = 1;
      }
      let size = 0;
      for (let k = 0; k < nItems; k++) size += items[i * nItems + k];
      sizes[i] = size;
      sizeFeature[i] = size / this.state.maxSize;
    });
    const nConditions = this.nConditions;
    const conditions = new Float32Array(n * nConditions);
    let offset = 0;
    this.state.attributeColumns.forEach((a, k) => {
      const values = data.attributes[a];
      if (!values || values.length !== n) {
        throw new InvalidDataError(`attribute '${a}' needs one value per basket (${n}), got ${values ? values.length : 'none'}`, {
          column: a,
        });
      }
      for (let i = 0; i < n; i++) {
        const level = this.levelIndex[k].get(values[i] as string | number | boolean);
        if (level === undefined) {
          throw new InvalidDataError(`attribute '${a}' of basket ${i}: level ${describe(values[i])} is unknown to the encoder`, {
            column: a,
          });
        }
        conditions[i * nConditions + offset + level] = 1;
      }
      offset += this.state.attributeLevels[a].length;
    });
    return { n, nItems, items, sizes, sizeFeature, conditions, nConditions };
  }

  /** Target sizes from a size feature (size / maxSize), rounded. */
  sizesFromFeature(feature: ArrayLike<number>): Int32Array {
    const out = new Int32Array(feature.length);
    for (let i = 0; i < feature.length; i++) out[i] = clampSize(feature[i] * this.state.maxSize, this.nItems);
    return out;
  }

  /**
   * Multi-hot rows or item scores (row-major, n x nItems) back to baskets: each basket takes its `sizes[i]`
   * best-scoring items when sizes are given (ties: the more frequent item), else the items scoring at least
   * the threshold.
   */
  decode(scores: ArrayLike<number>, options: DecodeOptions = {}): Int32Array[] {
    const nItems = this.nItems;
    if (scores.length % nItems !== 0) {
      throw new UsageError(`scores hold ${scores.length} values, not a whole number of rows of ${nItems} items`);
    }
    const n = scores.length / nItems;
    const { sizes } = options;
    const threshold = options.threshold ?? 0.5;
    if (sizes !== undefined && sizes.length !== n) {
      throw new UsageError(`sizes has ${sizes.length} entries for ${n} rows`, { option: 'sizes' });
    }
    if (!Number.isFinite(threshold)) throw new UsageError(`threshold must be a finite number, got ${threshold}`, { option: 'threshold' });
    const out: Int32Array[] = [];
    const idx = new Array<number>(nItems);
    for (let i = 0; i < n; i++) {
      const base = i * nItems;
      if (sizes !== undefined) {
        const k = clampSize(sizes[i], nItems);
        for (let j = 0; j < nItems; j++) idx[j] = j;
        idx.sort((a, b) => score(scores[base + b]) - score(scores[base + a]) || a - b);
        out.push(Int32Array.from(idx.slice(0, k)).sort());
      } else {
        const picked: number[] = [];
        for (let j = 0; j < nItems; j++) if (scores[base + j] >= threshold) picked.push(j);
        out.push(Int32Array.from(picked));
      }
    }
    return out;
  }

  /** Condition rows (one-hot or scores, n x nConditions) back to attribute values: the top level per attribute. */
  decodeConditions(conditions: ArrayLike<number>): Record<string, Cell[]> {
    const nc = this.nConditions;
    const out: Record<string, Cell[]> = {};
    if (nc === 0) return out;
    if (conditions.length % nc !== 0) {
      throw new UsageError(`conditions hold ${conditions.length} values, not a whole number of rows of ${nc}`);
    }
    const n = conditions.length / nc;
    let offset = 0;
    for (const a of this.state.attributeColumns) {
      const levels = this.state.attributeLevels[a];
      const col: Cell[] = [];
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let l = 1; l < levels.length; l++) {
          if (score(conditions[i * nc + offset + l]) > score(conditions[i * nc + offset + best])) best = l;
        }
        col.push(levels[best]);
      }
      out[a] = col;
      offset += levels.length;
    }
    return out;
  }

  /** Baskets back to long-form transactions (one row per item; an empty basket leaves no row). */
  toLongForm(baskets: ReadonlyArray<ArrayLike<number>>, options: LongFormOptions = {}): Table {
    const { transactionColumn: tcol, itemColumn: icol, attributeColumns } = this.state;
    const n = baskets.length;
    const ids = options.ids ?? Array.from({ length: n }, (_, i) => i + 1);
    if (ids.length !== n) throw new UsageError(`ids has ${ids.length} entries for ${n} baskets`, { option: 'ids' });
    const attrs = options.attributes ?? {};
    for (const a of Object.keys(attrs)) {
      if (!attributeColumns.includes(a)) throw new UsageError(`'${a}' is not an attribute column of this encoder`, { column: a });
      if (attrs[a].length !== n) throw new UsageError(`attribute '${a}' has ${attrs[a].length} values for ${n} baskets`, { column: a });
    }
    const table: Table = { [tcol]: [], [icol]: [] };
    const present = attributeColumns.filter((a) => attrs[a] !== undefined);
    for (const a of present) table[a] = [];
    for (let i = 0; i < n; i++) {
      const b = baskets[i];
      for (let k = 0; k < b.length; k++) {
        const it = b[k];
        if (!(Number.isInteger(it) && it >= 0 && it < this.nItems)) {
          throw new UsageError(`basket ${i} holds item index ${String(it)}, outside the vocabulary of ${this.nItems} items`);
        }
        table[tcol].push(ids[i]);
        table[icol].push(this.state.items[it]);
        for (const a of present) table[a].push(attrs[a][i]);
      }
    }
    return table;
  }

  toJSON(): BasketEncoderJSON {
    return structuredClone(this.state);
  }

  /** Restore a saved encoder; anything malformed is a ModelFormatError naming the field. */
  static fromJSON(json: unknown): BasketEncoder {
    const parsed = encoderSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? issue.path.join('.') : '(root)';
      throw new ModelFormatError(`basket encoder JSON is invalid at ${where}: ${issue.message}`);
    }
    const s = parsed.data;
    if (s.itemCounts.length !== s.items.length) {
      throw new ModelFormatError(`basket encoder JSON is invalid: ${s.items.length} items but ${s.itemCounts.length} itemCounts`);
    }
    if (new Set(s.items).size !== s.items.length) throw new ModelFormatError('basket encoder JSON is invalid: repeated items');
    if (s.maxSize > s.items.length) throw new ModelFormatError('basket encoder JSON is invalid: maxSize exceeds the number of items');
    const levelKeys = Object.keys(s.attributeLevels).sort();
    if (levelKeys.join('\u0000') !== [...s.attributeColumns].sort().join('\u0000')) {
      throw new ModelFormatError('basket encoder JSON is invalid: attributeLevels must list exactly the attributeColumns');
    }
    return new BasketEncoder(s);
  }

  private options(): BasketEncoderOptions {
    const { transactionColumn, itemColumn, attributeColumns } = this.state;
    return { transactionColumn, itemColumn, attributeColumns: [...attributeColumns] };
  }
}

function isBasketData(x: BasketData | Table): x is BasketData {
  const d = x as BasketData;
  if (!Array.isArray(d.baskets) || !Array.isArray(d.ids) || typeof d.attributes !== 'object') return false;
  // A table could have columns named like these, but its cells are never arrays.
  return d.baskets.length === 0 || (typeof d.baskets[0] === 'object' && d.baskets[0] !== null);
}

/** NaN scores rank last. */
function score(v: number): number {
  return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
}

function clampSize(v: number, nItems: number): number {
  if (!Number.isFinite(v)) throw new UsageError(`basket size must be a finite number, got ${v}`, { option: 'sizes' });
  return Math.min(nItems, Math.max(0, Math.round(v)));
}
