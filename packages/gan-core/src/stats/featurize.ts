import type { Cell, Table } from '../data/table.js';
import { InvalidDataError } from '../errors.js';

/**
 * Turns a mixed-type Table into numeric feature rows for the classifiers used in synthetic-data checks (detection
 * tests, train-on-synthetic/test-on-real). Everything is learned on `fit` (levels, means, spreads) and reused by
 * `transform`, so real and synthetic tables land in the same feature space.
 *
 * - A column is numeric when every non-null cell is a number (NaN counts as missing); anything else (strings,
 *   booleans, mixtures) is categorical.
 * - 'ordinal' (for trees): numbers pass through, missing -> NaN (the trees route it); categories -> integer codes in
 *   sorted level order, missing or unseen -> NaN.
 * - 'onehot' (for logistic regression): numbers are standardised with the fit mean and SD; when the fit data had
 *   missing values, missing -> 0 plus a `name:missing` 0/1 column. Categories -> one 0/1 column per level seen on fit
 *   (`name=level`; a missing cell is a level of its own when it occurred on fit); unseen -> all zeros.
 */
export type EncodingMode = 'ordinal' | 'onehot';

export interface FeatureEncoderOptions {
  /** Columns to leave out (typically the target). Names not in the table are ignored. */
  exclude?: string[];
  mode: EncodingMode;
}

type ColumnPlan =
  | { kind: 'numeric'; name: string; mean: number; sd: number; indicator: boolean }
  | { kind: 'categorical'; name: string; levels: Cell[]; code: Map<Cell, number> };

export class FeatureEncoder {
  readonly featureNames: string[];

  private constructor(
    readonly mode: EncodingMode,
    private readonly plans: ColumnPlan[],
  ) {
    this.featureNames = plans.flatMap((p) => namesOf(p, mode));
  }

  static fit(table: Table, opts: FeatureEncoderOptions): FeatureEncoder {
    const exclude = new Set(opts.exclude ?? []);
    const names = Object.keys(table).filter((c) => !exclude.has(c));
    if (names.length === 0) throw new InvalidDataError('no feature columns left to encode');
    const plans = names.map((name) => planColumn(name, table[name], opts.mode));
    return new FeatureEncoder(opts.mode, plans);
  }

  /** One Float64Array per row, `featureNames.length` long. */
  transform(table: Table): Float64Array[] {
    const width = this.featureNames.length;
    const first = this.plans[0].name;
    if (!(first in table)) throw new InvalidDataError(`column '${first}' is missing`, { column: first });
    const n = table[first].length;
    const rows = Array.from({ length: n }, () => new Float64Array(width));
    let j = 0;
    for (const p of this.plans) {
      const col = table[p.name];
      if (col === undefined) throw new InvalidDataError(`column '${p.name}' is missing`, { column: p.name });
      if (col.length !== n) {
        throw new InvalidDataError(`column '${p.name}' has ${col.length} rows, expected ${n}`, { column: p.name });
      }
      if (p.kind === 'numeric') {
        for (let i = 0; i < n; i++) {
          const v = col[i];
          if (v !== null && typeof v !== 'number') {
            throw new InvalidDataError(`column '${p.name}' was numeric on fit but row ${i} holds ${JSON.stringify(v)}`, {
              column: p.name,
            });
          }
          const missing = v === null || Number.isNaN(v);
          if (this.mode === 'ordinal') rows[i][j] = missing ? NaN : (v as number);
          else {
            rows[i][j] = missing ? 0 : ((v as number) - p.mean) / p.sd;
            if (p.indicator) rows[i][j + 1] = missing ? 1 : 0;
          }
        }
        j += this.mode === 'onehot' && p.indicator ? 2 : 1;
      } else if (this.mode === 'ordinal') {
        for (let i = 0; i < n; i++) rows[i][j] = p.code.get(normalise(col[i])) ?? NaN;
        j += 1;
      } else {
        for (let i = 0; i < n; i++) {
          const c = p.code.get(normalise(col[i]));
          if (c !== undefined) rows[i][j + c] = 1;
        }
        j += p.levels.length;
      }
    }
    return rows;
  }
}

/** 1 where the cell equals `positive` (SameValueZero), else 0: the target vector for the classifiers. */
export function labelVector(column: Cell[], positive: Cell): Float64Array {
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) out[i] = Object.is(column[i], positive) || column[i] === positive ? 1 : 0;
  return out;
}

/** NaN in a categorical column means missing, same as null. */
function normalise(v: Cell): Cell {
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
}

function planColumn(name: string, col: Cell[], mode: EncodingMode): ColumnPlan {
  if (col.every((v) => v === null || typeof v === 'number')) {
    let s = 0,
      k = 0,
      missing = false;
    for (const v of col) {
      if (v === null || Number.isNaN(v)) missing = true;
      else {
        s += v as number;
        k++;
      }
    }
    const mean = k > 0 ? s / k : 0;
    let ss = 0;
    for (const v of col) if (v !== null && !Number.isNaN(v)) ss += ((v as number) - mean) ** 2;
    const sd = k > 1 && ss > 0 ? Math.sqrt(ss / (k - 1)) : 1;
    return { kind: 'numeric', name, mean, sd, indicator: missing };
  }
  const seen = new Set<Cell>();
  for (const v of col) {
    const c = normalise(v);
    if (c !== null || mode === 'onehot') seen.add(c);
  }
  const levels = [...seen].sort(compareCells);
  return { kind: 'categorical', name, levels, code: new Map(levels.map((l, i) => [l, i])) };
}

/** A total order on cells so that codes do not depend on row order: null, booleans, numbers, strings. */
function compareCells(a: Cell, b: Cell): number {
  const rank = (v: Cell) => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a),
    sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function namesOf(p: ColumnPlan, mode: EncodingMode): string[] {
  if (p.kind === 'numeric') return mode === 'onehot' && p.indicator ? [p.name, `${p.name}:missing`] : [p.name];
  if (mode === 'ordinal') return [p.name];
  return p.levels.map((l) => `${p.name}=${l === null ? '(missing)' : String(l)}`);
}
