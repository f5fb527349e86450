/**
 * The in-memory table every package exchanges: column-major, key order is column order.
 * A missing cell is `null`. Numbers are JS numbers; categories are strings; booleans are booleans.
 */
export type Cell = number | string | boolean | null;
export type Table = Record<string, Cell[]>;

export function columnNames(t: Table): string[] {
  return Object.keys(t);
}

export function rowCount(t: Table): number {
  const first = Object.keys(t)[0];
  return first === undefined ? 0 : t[first].length;
}

/** Rows at the given indices, as a new table. */
export function takeRows(t: Table, idx: ArrayLike<number>): Table {
  const out: Table = {};
  for (const c of Object.keys(t)) {
    const src = t[c];
    const col = new Array<Cell>(idx.length);
    for (let i = 0; i < idx.length; i++) col[i] = src[idx[i]];
    out[c] = col;
  }
  return out;
}

/** Concatenate tables with the same columns (in the first table's order). */
export function concatTables(tables: Table[]): Table {
  if (tables.length === 0) return {};
  const out: Table = {};
  for (const c of Object.keys(tables[0])) out[c] = tables.flatMap((t) => t[c] ?? []);
  return out;
}

/** Row i as an object (for messages and small tools, not hot loops). */
export function rowAt(t: Table, i: number): Record<string, Cell> {
  const r: Record<string, Cell> = {};
  for (const c of Object.keys(t)) r[c] = t[c][i];
  return r;
}
