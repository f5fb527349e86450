import type { Cell, ColumnKind } from '@fingan/gan-core';

/** Numbers of a numeric or datetime column, missing cells left out (dates as epoch milliseconds). */
export function presentNumbers(values: Cell[], kind: ColumnKind): Float64Array {
  const out: number[] = [];
  for (const v of values) {
    if (v === null) continue;
    if (kind === 'datetime') {
      const ms = typeof v === 'number' ? v : Date.parse(String(v));
      if (Number.isFinite(ms)) out.push(ms);
    } else if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out);
}

/** Columns compared as distributions of numbers (KS, correlation); the rest are compared as categories. */
export function isOrdered(kind: ColumnKind): boolean {
  return kind === 'continuous' || kind === 'integer' || kind === 'datetime';
}

/** A cell as a number (dates as epoch ms); NaN when missing or not a number. */
export function asNumber(v: Cell, kind: ColumnKind): number {
  if (v === null) return NaN;
  if (kind === 'datetime') return typeof v === 'number' ? v : Date.parse(String(v));
  return typeof v === 'number' ? v : NaN;
}
