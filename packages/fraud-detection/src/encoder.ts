import { UsageError, rowCount, skewness, type Cell, type Table } from '@fingan/gan-core';
import { withDefaults } from './defaults.js';
import { checkDeclaredKinds, type FraudColumnKind } from './schema/schema.js';

/**
 * FraudEncoder turns a transactions-style table into the space SMOTE measures distances and interpolates in, and
 * back. Money columns are heavy-tailed, so they are log1p-scaled before standardizing: otherwise a handful of huge
 * amounts dominate every Euclidean distance and interpolation between a $20 and a $20,000 sample lands on values no
 * real positive has. All continuous features are then standardized so no column wins a distance by its unit.
 * Decoding restores the table's types: integers are rounded, decimals keep their observed precision, non-negative
 * columns stay non-negative, categories and booleans come back as the original values, ISO times as ISO strings.
 */

export interface FraudEncoderOptions {
  /** Columns left out of the feature space (the label, `_synthetic`, ids). */
  exclude?: string[];
  /** Override the detected kind of any column (e.g. `{ amount: 'amount', hour: 'count' }`). */
  kinds?: Record<string, FraudColumnKind>;
  /**
   * A non-negative numeric column whose sample skewness exceeds this is treated as an amount (log1p) even without a
   * name hint, unless it is a small-range integer count.
   */
  skewThreshold?: number;
}

const DEFAULTS: { skewThreshold: number } = { skewThreshold: 2 };

/** Name tokens that mark a money column (split on `_`, `-`, spaces and camelCase). */
const AMOUNT_TOKENS = new Set([
  'amount',
  'amt',
  'amnt',
  'balance',
  'bal',
  'income',
  'inc',
  'price',
  'value',
  'fee',
  'fees',
  'payment',
  'limit',
  'spend',
  'spent',
  'salary',
  'cost',
  'revenue',
  'sum',
  'usd',
  'eur',
  'gbp',
]);
/** Name tokens that mark the time of the event. */
const TIME_TOKENS = new Set(['time', 'timestamp', 'datetime', 'date', 'ts', 'hour', 'step']);
/** Integer columns with at most this many distinct values are counts even when skewed. */
const SMALL_COUNT_RANGE = 50;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface FraudColumnSpec {
  name: string;
  kind: FraudColumnKind;
  /** For continuous kinds: location and scale in the transformed (log1p / epoch) space. */
  mean: number;
  sd: number;
  /** Observed range in the original units (decoded values are clamped to it). */
  min: number;
  max: number;
  integer: boolean;
  /** Decimal places to round decoded values to (max observed, capped at 6). */
  decimals: number;
  /** For time columns holding ISO strings: 'date' (YYYY-MM-DD) or 'datetime'; undefined for numeric times. */
  timeFormat?: 'date' | 'datetime';
  /** For categorical columns: the original values; the code is the index. */
  categories?: Cell[];
  /** Code of the most frequent category (used to impute a missing category for distances). */
  modeCode?: number;
}

/**
 * Rows in encoded space, row-major: `numeric[i * dNum + j]` is continuous feature j of row i (standardized;
 * 0, the mean, where missing), `categorical[i * dCat + j]` a category code (the mode where missing). The
 * `*Missing` masks remember which cells were null so decoding can put the nulls back.
 */
export interface EncodedRows {
  n: number;
  numeric: Float64Array;
  numericMissing: Uint8Array;
  categorical: Int32Array;
  categoricalMissing: Uint8Array;
}

export class FraudEncoder {
  private constructor(
    readonly numericColumns: FraudColumnSpec[],
    readonly categoricalColumns: FraudColumnSpec[],
    readonly excluded: string[],
  ) {}

  /** Learns column kinds, transforms and scales from `table` (use the training data only). */
  static fit(table: Table, options: FraudEncoderOptions = {}): FraudEncoder {
    const opts = withDefaults(DEFAULTS, options);
    const exclude = opts.exclude ?? [];
    const kinds = opts.kinds ?? {};
    checkDeclaredKinds(table, kinds);
    const numeric: FraudColumnSpec[] = [];
    const categorical: FraudColumnSpec[] = [];
    for (const name of Object.keys(table)) {
      if (exclude.includes(name)) continue;
      const col = table[name];
      const kind = kinds[name] ?? detectKind(name, col, opts.skewThreshold);
      const spec = fitColumn(name, col, kind);
      (kind === 'categorical' ? categorical : numeric).push(spec);
    }
    return new FraudEncoder(numeric, categorical, exclude);
  }

  get dNumeric(): number {
    return this.numericColumns.length;
  }

  get dCategorical(): number {
    return this.categoricalColumns.length;
  }

  /** Every modelled column with its kind, for reports and for overriding with `kinds`. */
  kinds(): Record<string, FraudColumnKind> {
    const out: Record<string, FraudColumnKind> = {};
    for (const s of [...this.numericColumns, ...this.categoricalColumns]) out[s.name] = s.kind;
    return out;
  }

  /** Encodes the rows at `rows` (all rows if omitted). */
  encode(table: Table, rows?: ArrayLike<number>): EncodedRows {
    const idx = rows ?? Array.from({ length: rowCount(table) }, (_, i) => i);
    const n = idx.length;
    const dN = this.dNumeric;
    const dC = this.dCategorical;
    const numeric = new Float64Array(n * dN);
    const numericMissing = new Uint8Array(n * dN);
    const categorical = new Int32Array(n * dC);
    const categoricalMissing = new Uint8Array(n * dC);
    this.numericColumns.forEach((s, j) => {
      const col = requireColumn(table, s.name);
      for (let r = 0; r < n; r++) {
        const t = transformCell(s, col[idx[r]]);
        if (t === null) numericMissing[r * dN + j] = 1;
        else numeric[r * dN + j] = (t - s.mean) / s.sd;
      }
    });
    this.categoricalColumns.forEach((s, j) => {
      const col = requireColumn(table, s.name);
      const codes = new Map(s.categories!.map((c, i) => [keyOf(c), i]));
      for (let r = 0; r < n; r++) {
        const v = col[idx[r]];
        const code = v === null ? undefined : codes.get(keyOf(v));
        if (code === undefined) {
          // Unseen categories and nulls both fall back to the mode for distances; only nulls are decoded as null.
          categorical[r * dC + j] = s.modeCode!;
          if (v === null) categoricalMissing[r * dC + j] = 1;
        } else categorical[r * dC + j] = code;
      }
    });
    return { n, numeric, numericMissing, categorical, categoricalMissing };
  }

  /** Back to a table with the modelled columns (excluded columns are not produced). */
  decode(rows: EncodedRows): Table {
    const out: Table = {};
    const dN = this.dNumeric;
    const dC = this.dCategorical;
    this.numericColumns.forEach((s, j) => {
      const col = new Array<Cell>(rows.n);
      for (let r = 0; r < rows.n; r++) {
        col[r] = rows.numericMissing[r * dN + j] ? null : inverseCell(s, rows.numeric[r * dN + j] * s.sd + s.mean);
      }
      out[s.name] = col;
    });
    this.categoricalColumns.forEach((s, j) => {
      const col = new Array<Cell>(rows.n);
      for (let r = 0; r < rows.n; r++) {
        col[r] = rows.categoricalMissing[r * dC + j] ? null : s.categories![rows.categorical[r * dC + j]];
      }
      out[s.name] = col;
    });
    return out;
  }
}

function requireColumn(table: Table, name: string): Cell[] {
  const col = table[name];
  if (!col) throw new UsageError(`column '${name}' the encoder was fitted on is not in this table`, { column: name });
  return col;
}

/** Kind detection: booleans and text are categorical (ISO dates are times), numbers by name hint, then by shape. */
export function detectKind(name: string, col: Cell[], skewThreshold: number = DEFAULTS.skewThreshold): FraudColumnKind {
  let nNum = 0;
  let nStr = 0;
  let nIso = 0;
  let nOther = 0;
  for (const v of col) {
    if (v === null) continue;
    if (typeof v === 'number' && Number.isFinite(v)) nNum++;
    else if (typeof v === 'string') {
      nStr++;
      if (ISO_DATE.test(v) && !Number.isNaN(Date.parse(v))) nIso++;
    } else nOther++;
  }
  if (nStr > 0 && nIso === nStr && nNum === 0 && nOther === 0) return 'time';
  if (nNum === 0 || nStr > 0 || nOther > 0) return 'categorical';
  const tokens = nameTokens(name);
  if (tokens.some((t) => TIME_TOKENS.has(t))) return 'time';
  const nums = col.filter((v): v is number => typeof v === 'number');
  const nonNegative = nums.every((v) => v >= 0);
  const integer = nums.every(Number.isInteger);
  if (nonNegative && tokens.some((t) => AMOUNT_TOKENS.has(t))) return 'amount';
  const smallIntegerRange = integer && new Set(nums).size <= SMALL_COUNT_RANGE;
  if (nonNegative && !smallIntegerRange && skewness(nums) > skewThreshold) return 'amount';
  if (nonNegative && integer) return 'count';
  return 'numeric';
}

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function fitColumn(name: string, col: Cell[], kind: FraudColumnKind): FraudColumnSpec {
  if (kind === 'categorical') {
    const counts = new Map<string, { value: Cell; n: number }>();
    for (const v of col) {
      if (v === null) continue;
      const k = keyOf(v);
      const e = counts.get(k);
      if (e) e.n++;
      else counts.set(k, { value: v, n: 1 });
    }
    const categories = [...counts.values()].map((e) => e.value);
    let modeCode = 0;
    [...counts.values()].forEach((e, i, all) => {
      if (e.n > all[modeCode].n) modeCode = i;
    });
    return { name, kind, mean: 0, sd: 1, min: 0, max: 0, integer: false, decimals: 0, categories, modeCode };
  }
  const spec: FraudColumnSpec = { name, kind, mean: 0, sd: 1, min: Infinity, max: -Infinity, integer: true, decimals: 0 };
  if (kind === 'time') {
    const strings = col.filter((v): v is string => typeof v === 'string');
    if (strings.length > 0) spec.timeFormat = strings.every((s) => s.length === 10) ? 'date' : 'datetime';
  }
  const ts: number[] = [];
  for (const v of col) {
    if (v === null) continue;
    const raw = spec.timeFormat ? Date.parse(v as string) : (v as number);
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      throw new UsageError(`column '${name}' of kind ${kind} holds ${JSON.stringify(v)}`, { column: name });
    }
    if (raw < spec.min) spec.min = raw;
    if (raw > spec.max) spec.max = raw;
    if (!Number.isInteger(raw)) spec.integer = false;
    if (!spec.timeFormat) spec.decimals = Math.max(spec.decimals, decimalPlaces(raw));
    ts.push(transform(kind, raw));
  }
  if (ts.length > 0) {
    let m = 0;
    for (const t of ts) m += t;
    m /= ts.length;
    let v = 0;
    for (const t of ts) v += (t - m) * (t - m);
    const sd = Math.sqrt(v / ts.length);
    spec.mean = m;
    spec.sd = sd > 0 ? sd : 1;
  } else {
    spec.min = 0;
    spec.max = 0;
  }
  return spec;
}

function transform(kind: FraudColumnKind, raw: number): number {
  return kind === 'amount' ? Math.log1p(raw) : raw;
}

function transformCell(s: FraudColumnSpec, v: Cell): number | null {
  if (v === null) return null;
  const raw = s.timeFormat ? (typeof v === 'string' ? Date.parse(v) : NaN) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(raw)) {
    throw new UsageError(`column '${s.name}' of kind ${s.kind} holds ${JSON.stringify(v)}`, { column: s.name });
  }
  return transform(s.kind, raw);
}

function inverseCell(s: FraudColumnSpec, t: number): Cell {
  let v = s.kind === 'amount' ? Math.expm1(t) : t;
  // Interpolation stays inside the observed range; clamping only removes rounding error (and keeps >= 0).
  v = Math.min(s.max, Math.max(s.min, v));
  if (s.integer) v = Math.round(v);
  else v = roundTo(v, s.decimals);
  if (s.timeFormat) {
    const iso = new Date(Math.round(v)).toISOString();
    return s.timeFormat === 'date' ? iso.slice(0, 10) : iso;
  }
  return v;
}

function decimalPlaces(x: number): number {
  if (Number.isInteger(x)) return 0;
  const s = String(x);
  if (s.includes('e')) return 6;
  const dot = s.indexOf('.');
  return Math.min(6, dot < 0 ? 0 : s.length - dot - 1);
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Distinguishes 1 from '1' and true from 'true' while grouping equal values. */
function keyOf(v: Cell): string {
  return `${typeof v}:${String(v)}`;
}
