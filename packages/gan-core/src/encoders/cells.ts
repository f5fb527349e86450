import type { Cell } from '../data/table.js';
import { InvalidDataError, UsageError } from '../errors.js';

/** A cell as a user would recognise it in an error message: strings quoted, everything else as written. */
export function describeCell(v: Cell | undefined): string {
  if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;
  return String(v);
}

/** " in column 'x'" or "" — so messages read the same whether or not the caller named the column. */
export function inColumn(name: string | undefined): string {
  return name === undefined ? '' : ` in column '${name}'`;
}

/** Numbers of a column; nulls, non-numbers and non-finite numbers are rejected with the row and value. */
export function numericColumn(values: Cell[], name: string | undefined, what: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const why = v === null ? 'a missing value (null)' : `${describeCell(v)}, not a finite number`;
      throw new InvalidDataError(`${what}${inColumn(name)}: row ${i + 1} is ${why}`, { column: name });
    }
    out[i] = v;
  }
  return out;
}

/** Index of the largest of block[start .. start+width); the first wins ties. */
export function argmax(block: Float32Array, start: number, width: number): number {
  let best = 0;
  let bestV = block[start];
  for (let j = 1; j < width; j++) {
    const v = block[start + j];
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}

export function checkBlock(block: Float32Array, n: number, width: number, name: string | undefined): void {
  if (!Number.isInteger(n) || n < 0 || block.length !== n * width) {
    throw new UsageError(`inverse${inColumn(name)}: block has ${block.length} values, expected n x width = ${n} x ${width} = ${n * width}`, { column: name });
  }
}

export function notFitted(what: string, name: string | undefined): Error {
  return new Error(`${what}${inColumn(name)} is used before fit()`);
}
