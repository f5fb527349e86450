import type { Cell, Table } from '@fingan/gan-core';
import type { EncodedRows, FraudEncoder } from '../encoder.js';

/** Where a synthetic row came from: table row indices of the base sample and its neighbour, and the gap in [0, 1). */
export interface SyntheticDraw {
  base: number;
  neighbour: number;
  gap: number;
}

/** The common input of every oversampler: the training table, its positive rows and the fitted encoder. */
export interface OversampleInput {
  table: Table;
  /** Label column: synthetic rows copy it from their base sample (so it is the positive value). */
  label: string;
  /** Row indices of the positives to oversample. */
  positives: number[];
  encoder: FraudEncoder;
}

export interface OversampleResult {
  /** The new rows only, with the input table's columns in its order. */
  table: Table;
  draws: SyntheticDraw[];
}

/**
 * Decoded synthetic rows back into the input's column layout. Columns the encoder excluded are not modelled:
 * the label is copied from the base sample, anything else (ids, `_synthetic`) is left null rather than invented.
 */
export function toTable(input: OversampleInput, rows: EncodedRows, draws: SyntheticDraw[]): Table {
  const decoded = input.encoder.decode(rows);
  const out: Table = {};
  for (const name of Object.keys(input.table)) {
    if (name in decoded) out[name] = decoded[name];
    else if (name === input.label) out[name] = draws.map((d) => input.table[name][d.base]);
    else out[name] = new Array<Cell>(draws.length).fill(null);
  }
  return out;
}

export function emptyEncoded(n: number, dNum: number, dCat: number): EncodedRows {
  return {
    n,
    numeric: new Float64Array(n * dNum),
    numericMissing: new Uint8Array(n * dNum),
    categorical: new Int32Array(n * dCat),
    categoricalMissing: new Uint8Array(n * dCat),
  };
}

/**
 * Interpolates the continuous features of synthetic row `s` between positive `b` and positive `j` (indices into
 * `pos`). Missing values: a null in the base stays null (the synthetic row keeps the base's pattern of nulls); a
 * null only in the neighbour means there is no direction to move in, so the base's value is kept.
 */
export function interpolateNumeric(pos: EncodedRows, b: number, j: number, gap: number, out: EncodedRows, s: number, d: number): void {
  for (let c = 0; c < d; c++) {
    const xb = pos.numeric[b * d + c];
    if (pos.numericMissing[b * d + c]) {
      out.numericMissing[s * d + c] = 1;
    } else if (pos.numericMissing[j * d + c]) {
      out.numeric[s * d + c] = xb;
    } else {
      out.numeric[s * d + c] = xb + gap * (pos.numeric[j * d + c] - xb);
    }
  }
}
