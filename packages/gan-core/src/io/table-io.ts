import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pl from 'nodejs-polars';
import type { Cell, Table } from '../data/table.js';
import { parseIsoDateTime } from '../encoders/datetime.js';
import { COLUMN_KINDS, type ColumnKind } from '../encoders/types.js';
import { InvalidDataError, UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

export type { ColumnKind } from '../encoders/types.js';

export interface ReadTableOptions {
  /** Kinds to use instead of inference, by column name (every name must exist in the file). */
  kinds?: Record<string, ColumnKind>;
  /**
   * The input policy for a mostly-numeric column with text, NaN or Inf cells (see mixedTypes): 'warn' (default) reads
   * it as categorical with a warning; 'refuse' throws an InvalidDataError naming the file, the column and the first
   * offending cell, and counts a column as numeric from half of its non-empty values on. Commands whose numbers are
   * features (credit, fraud) refuse; a declared kind always refuses cells that do not fit it.
   */
  mixedNumbers?: 'warn' | 'refuse';
}

export interface ReadTableResult {
  table: Table;
  /** The kind of every column, in file order: declared or inferred. */
  kinds: Record<string, ColumnKind>;
  /** Suspicious columns that were still read (mostly-numeric columns read as categorical, ...). */
  warnings: string[];
}

/** A column that is mostly numbers but not entirely: usually a numeric column with a sentinel such as 'NA' or '?'. */
export interface MixedTypes {
  numeric: number;
  nonNumeric: number;
  /** Of the non-numeric cells, how many spell a non-finite number ('NaN', 'Inf', '-inf', 'Infinity', any case). */
  nonFinite: number;
  /** The first non-numeric value and its 0-based data row. */
  first: { value: string; row: number };
}

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** readTable calls a column mixed when at least this share of its non-empty values are numbers (and not all are). */
export const MIXED_TYPES_SHARE = 0.9;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;

function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * The kind of a column of text cells (null = empty field), from its non-empty cells: all numbers -> 'integer' if all
 * are integral (within the exactly representable range) else 'continuous'; all `true`/`false` (any case) ->
 * 'boolean'; all ISO dates (`YYYY-MM-DD`, optionally with a time) -> 'datetime'; anything else, including a column
 * with no values at all, -> 'categorical'.
 */
export function inferColumnKind(values: (string | null)[]): ColumnKind {
  let numeric = true;
  let integral = true;
  let bool = true;
  let date = true;
  let any = false;
  for (const s of values) {
    if (s === null || s === '') continue;
    any = true;
    if (numeric) {
      const v = parseNumber(s);
      if (v === null) numeric = false;
      else if (!Number.isSafeInteger(v)) integral = false;
    }
    if (bool && !BOOLEAN.test(s)) bool = false;
    if (date && !parseIsoDateTime(s.trim())) date = false;
    if (!numeric && !bool && !date) return 'categorical';
  }
  if (!any) return 'categorical';
  if (numeric) return integral ? 'integer' : 'continuous';
  return bool ? 'boolean' : date ? 'datetime' : 'categorical';
}

/**
 * A numeric column with stray cells: numbers and text where at least `share` (default MIXED_TYPES_SHARE) of the
 * non-empty cells are numbers, or numbers whose only other cells spell non-finite numbers ('NaN', 'Inf', '-inf'),
 * at any share. Returns the counts, else null.
 */
export function mixedTypes(values: (string | null)[], share = MIXED_TYPES_SHARE): MixedTypes | null {
  let numeric = 0;
  let nonNumeric = 0;
  let nonFinite = 0;
  let first: MixedTypes['first'] | null = null;
  values.forEach((s, row) => {
    if (s === null || s === '') return;
    if (parseNumber(s) !== null) numeric++;
    else {
      nonNumeric++;
      if (NON_FINITE.test(s.trim())) nonFinite++;
      first ??= { value: s, row };
    }
  });
  if (nonNumeric === 0 || numeric === 0) return null;
  if (nonFinite < nonNumeric && numeric < share * (numeric + nonNumeric)) return null;
  return { numeric, nonNumeric, nonFinite, first: first! };
}

/**
 * Read a .csv or .parquet file into a Table plus the kind of each column.
 *
 * CSV: strict RFC 4180 shape (comma separator, `"` quotes, header row, `\n` or `\r\n` line ends); every field is read
 * as text, one column at a time straight from the file's bytes (so a large file is never held as text per cell of
 * every column at once), and the kinds are inferred here (see inferColumnKind), from every row.
 * An empty field, quoted or not, is null. The text 'NA' (and 'NaN', 'null', '?') is NOT treated as missing: it can be
 * a real category ('NA' = North America, not applicable), and silently dropping it would change the data. A numeric
 * column polluted by such sentinels is read as categorical and reported in `warnings` (see mixedTypes); clean the
 * file or declare the column's kind, which then makes the sentinel an error naming the value.
 *
 * Parquet: the stored types are used (integers -> 'integer', floats -> 'continuous' with NaN as null, booleans,
 * dates and timestamps -> 'datetime' as ISO strings, strings -> 'datetime' if all are ISO dates, else 'categorical').
 *
 * Declared kinds (`opts.kinds`) convert the cells: numeric kinds parse text, 'boolean' accepts true/false in any
 * case, 'datetime' keeps ISO strings (epoch-millisecond numbers become ISO strings), 'categorical' keeps the values as
 * read (text from CSV, typed values from Parquet). Cells that do not fit are an error naming the count and the first.
 *
 * Every problem with the file is an InvalidDataError naming the file (and column), in one line.
 */
export function readTable(path: string, opts: ReadTableOptions = {}): ReadTableResult {
  const result = readTableOnce(path, opts);
  // Parquet: polars' copy of the columns is garbage now, but polars' memory is freed only when V8 finalises its
  // objects, after a full collection that V8 may not start for a long while (it does not see polars' memory): for a
  // large file that is hundreds of MiB held through the whole fit. A CSV file is parsed here, without polars.
  if (extname(path).toLowerCase() === '.parquet' && statSync(path).size >= RECLAIM_AFTER_BYTES) collectGarbage();
  return result;
}

/** readTable runs a full garbage collection after reading a Parquet file of at least this many bytes. */
export const RECLAIM_AFTER_BYTES = 16 << 20;

/**
 * A full garbage collection now. Objects of native addons (polars) release their memory in their finalisers, at the
 * event loop's next turn. V8's `gc` function is taken once, the way jest's leak detector does it, from a fresh
 * context made while `--expose-gc` is set for that one instant: the flag is put back at once, so no other context
 * (and not the program's own) gets a global `gc` (when node runs with --expose-gc, its own `gc` is used).
 */
export function collectGarbage(): void {
  fullGc ??= exposedGc();
  fullGc();
}

let fullGc: (() => void) | undefined;

function exposedGc(): () => void {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as () => void;
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

function readTableOnce(path: string, opts: ReadTableOptions): ReadTableResult {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') {
    throw fail(path, `unknown file extension '${ext || '(none)'}': expected .csv or .parquet`);
  }
  if (!existsSync(path)) throw fail(path, 'file not found');
  if (statSync(path).isDirectory()) throw fail(path, 'is a directory, not a file');
  const bytes = readFileSync(path);
  if (bytes.length === 0) throw fail(path, 'file is empty');
  const raw = ext === '.csv' ? readCsvColumns(path, bytes) : readParquetColumns(path, bytes);

  for (const [name, kind] of Object.entries(opts.kinds ?? {})) {
    if (!raw.names.includes(name)) {
      throw fail(path, `column declared as ${kind} is not in the file (columns: ${raw.names.join(', ')})`, name);
    }
    if (!COLUMN_KINDS.includes(kind)) {
      throw new UsageError(`column '${name}': unknown kind '${String(kind)}' (expected ${COLUMN_KINDS.join(', ')})`, { column: name });
    }
  }

  const table: Table = {};
  const kinds: Record<string, ColumnKind> = {};
  const warnings = [...raw.warnings];
  // One column at a time: its raw cells are garbage once converted, so a large file never holds every column twice.
  for (let j = 0; j < raw.names.length; j++) {
    const col = raw.column(j);
    const declared = opts.kinds?.[col.name];
    const kind = declared ?? col.kind;
    kinds[col.name] = kind;
    table[col.name] = coerce(col.values, kind, path, col.name, declared !== undefined);
    if (!declared && col.text) {
      // Refusing, half numbers already make a numeric column (credit's schema inference uses the same share).
      const mixed = mixedTypes(col.text, opts.mixedNumbers === 'refuse' ? 0.5 : undefined);
      if (mixed && opts.mixedNumbers === 'refuse') {
        const total = mixed.numeric + mixed.nonNumeric;
        throw fail(
          path,
          `${mixed.numeric} of ${total} non-empty values are numbers but ${mixed.nonNumeric} ${mixed.nonNumeric === 1 ? 'is' : 'are'} not ` +
            `(first: '${mixed.first.value}' in data row ${mixed.first.row + 1}); a numeric column must hold numbers or empty cells: ` +
            `clean the column, or declare its kind with --kind COL=categorical if it is a category`,
          col.name,
        );
      }
      if (mixed) {
        const total = mixed.numeric + mixed.nonNumeric;
        warnings.push(
          `column '${col.name}': ${mixed.numeric} of ${total} non-empty values are numbers but ${mixed.nonNumeric} ` +
            `${mixed.nonNumeric === 1 ? 'is' : 'are'} not (first: '${mixed.first.value}' in data row ${mixed.first.row + 1}); ` +
            `read as categorical. Clean the column or declare its kind.`,
        );
      }
      if (col.values.every((v) => v === null)) warnings.push(`column '${col.name}': every value is empty; read as categorical`);
    }
    if (kind === 'integer' || kind === 'continuous') {
      const unsafe = (table[col.name] as (number | null)[]).find((v) => v !== null && Number.isInteger(v) && !Number.isSafeInteger(v));
      if (unsafe !== undefined) {
        warnings.push(`column '${col.name}': ${unsafe} is beyond 2^53 and not exact as a number; declare the column categorical if it is an identifier`);
      }
    }
  }
  return { table, kinds, warnings };
}

/** A file's columns, converted to JS cells one at a time (`column(j)`), so only one raw column is alive at once. */
interface RawColumns {
  names: string[];
  column: (j: number) => RawColumn;
  warnings: string[];
}

interface RawColumn {
  name: string;
  /** Inferred kind. */
  kind: ColumnKind;
  /** Cells before coercion: text from CSV, typed values from Parquet. */
  values: Cell[];
  /** The text cells (CSV only), for the mixed-types diagnostic. */
  text?: (string | null)[];
}

function readCsvColumns(path: string, bytes: Buffer): RawColumns {
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === LF) line++;
    throw fail(
      path,
      `not valid UTF-8: byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} at byte offset ${at} (line ${line}); save the file as UTF-8`,
    );
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // a byte-order mark
  if (isBlank(bytes, start)) throw fail(path, 'file is empty');
  const shape = scanCsv(bytes, start, path);
  // Each record's read position, moved one field on as each column is read (columns are read in order).
  const cursor = shape.recordStarts;
  let next = 0;
  const column = (j: number): RawColumn => {
    if (j !== next) throw new Error(`readCsvColumns: column ${j} read out of order (expected ${next})`);
    next++;
    const text = new Array<string | null>(cursor.length);
    const pool = new Map<string, string>();
    for (let r = 0; r < cursor.length; r++) {
      const v = readField(bytes, cursor[r], shape.fieldEnd, path);
      cursor[r] = shape.fieldEnd.at + 1;
      text[r] = v === '' ? null : internString(v, pool);
    }
    return { name: shape.header[j], kind: inferColumnKind(text), values: text, text };
  };
  return { names: shape.header, column, warnings: [] };
}

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;

/** Whether the file holds only whitespace (after `start`). */
function isBlank(bytes: Buffer, start: number): boolean {
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue;
    // Other whitespace (no-break space, ...) is for the decoder to judge; only a short file can be all of it.
    return bytes.length - start <= 4096 && bytes.toString('utf8', start).trim() === '';
  }
  return true;
}

/**
 * The text of the field at byte `p` (RFC 4180: a quoted field with `""` for a quote, or the bytes up to the next
 * comma or line end, less a carriage return before the line end); `end.at` is set to the comma or line feed (or the
 * file's length) that ends it. Text after a closing quote is an error (polars refused it too).
 */
function readField(bytes: Buffer, p: number, end: { at: number }, path: string): string {
  const n = bytes.length;
  if (p < n && bytes[p] === QUOTE) {
    let text = '';
    let from = p + 1;
    for (let i = from; ; i++) {
      if (bytes[i] !== QUOTE) continue;
      if (bytes[i + 1] === QUOTE) {
        text += bytes.toString('utf8', from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      text += bytes.toString('utf8', from, i);
      let e = i + 1;
      if (bytes[e] === CR && (e + 1 === n || bytes[e + 1] === LF)) e++;
      if (e < n && bytes[e] !== COMMA && bytes[e] !== LF) {
        let line = 1;
        for (let k = 0; k < p; k++) if (bytes[k] === LF) line++;
        throw fail(path, `could not parse the CSV: text after the closing quote of a field on line ${line}; quote the whole field`);
      }
      end.at = e;
      return text;
    }
  }
  let e = p;
  while (e < n && bytes[e] !== COMMA && bytes[e] !== LF) e++;
  end.at = e;
  const stop = e > p && bytes[e - 1] === CR && (e === n || bytes[e] === LF) ? e - 1 : e;
  return stop > p ? bytes.toString('utf8', p, stop) : '';
}

/** internStrings keeps at most this many distinct strings per column (an id column is not worth a pool). */
const INTERN_MAX = 65_536;

/** The pool's string equal to `v` (adding `v` while the pool has room). */
function internString(v: string, pool: Map<string, string>): string {
  const seen = pool.get(v);
  if (seen !== undefined) return seen;
  if (pool.size < INTERN_MAX) pool.set(v, v);
  return v;
}

/**
 * Equal strings share one string object (in place, through `pool`): a column of a million cells with a few thousand
 * distinct values then costs a pointer per cell instead of a string per cell.
 */
function internStrings<T extends Cell>(values: T[], pool = new Map<string, string>()): T[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') values[i] = internString(v, pool) as T;
  }
  return values;
}

interface CsvShape {
  header: string[];
  /** The byte offset of every data record (blank lines at the very end are not records). */
  recordStarts: Float64Array;
  /** readField's out-parameter, shared. */
  fieldEnd: { at: number };
}

/**
 * Check the CSV's shape (the bytes from `start`): header names, the field count of every record, unterminated
 * quotes. Returns the header and where each data record starts (blank lines at the very end are not records).
 */
function scanCsv(bytes: Buffer, start: number, path: string): CsvShape {
  const headerBytes: number[] = [];
  const header: string[] = [];
  const endHeaderField = () => {
    header.push(Buffer.from(headerBytes).toString('utf8'));
    headerBytes.length = 0;
  };
  let starts = new Float64Array(1024);
  let inQuotes = false;
  let atFieldStart = true;
  let fields = 1;
  let recordChars = 0;
  let line = 1;
  let recordLine = 1;
  let recordStart = start;
  let quoteLine = 1;
  let records = -1; // the header is record -1
  let trailingBlank = 0;
  let badLine = 0;
  let badFields = 0;
  let bad = 0;
  const check = (n: number, at: number) => {
    if (n !== header.length) {
      if (bad++ === 0) {
        badLine = at;
        badFields = n;
      }
    }
  };
  const checkBlankRun = () => {
    // Blank lines followed by more data: in a one-column file they are empty values, otherwise malformed rows.
    for (let k = trailingBlank; k > 0; k--) check(header.length === 1 ? 1 : 0, recordLine - k);
    trailingBlank = 0;
  };
  const endRecord = (nextStart: number) => {
    if (records === -1) {
      if (headerBytes[headerBytes.length - 1] === CR) headerBytes.pop();
      endHeaderField();
    } else {
      if (records === starts.length) {
        const grown = new Float64Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[records] = recordStart;
      if (recordChars === 0) {
        trailingBlank++; // decided at the next non-blank record
      } else {
        checkBlankRun();
        check(fields, recordLine);
      }
    }
    records++;
    fields = 1;
    recordChars = 0;
    atFieldStart = true;
    recordLine = line;
    recordStart = nextStart;
  };
  const n = bytes.length;
  for (let i = start; i < n; i++) {
    const c = bytes[i];
    if (inQuotes) {
      if (c === QUOTE) {
        if (bytes[i + 1] === QUOTE) {
          if (records === -1) headerBytes.push(QUOTE);
          i++;
        } else inQuotes = false;
      } else {
        if (c === LF) line++;
        if (records === -1) headerBytes.push(c);
      }
      continue;
    }
    if (c === LF) {
      line++;
      endRecord(i + 1);
      continue;
    }
    if (c !== CR) recordChars++;
    if (c === QUOTE && atFieldStart) {
      inQuotes = true;
      quoteLine = line;
      atFieldStart = false;
    } else if (c === COMMA) {
      if (records === -1) endHeaderField();
      fields++;
      atFieldStart = true;
    } else {
      if (records === -1) headerBytes.push(c); // only the header's text is kept
      atFieldStart = false;
    }
  }
  if (inQuotes) throw fail(path, `unterminated quoted field starting on line ${quoteLine}`);
  if (recordChars > 0 || records === -1) endRecord(n);
  const empty = header.findIndex((h) => h.trim() === '');
  if (empty >= 0) throw fail(path, `header column ${empty + 1} of ${header.length} has an empty name`);
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    const prev = seen.get(h);
    if (prev !== undefined) throw fail(path, `duplicate column name '${h}' (header columns ${prev + 1} and ${j + 1})`, h);
    seen.set(h, j);
  });
  if (bad > 0) {
    const what = badFields === 0 ? 'is empty' : `has ${badFields} field${badFields === 1 ? '' : 's'}`;
    throw fail(path, `line ${badLine} ${what} but the header has ${header.length}${bad > 1 ? ` (${bad} rows with the wrong number of fields in all)` : ''}`);
  }
  const dataRecords = records - trailingBlank;
  if (dataRecords <= 0) throw fail(path, 'has a header but no data rows');
  return { header, recordStarts: starts.slice(0, dataRecords), fieldEnd: { at: 0 } };
}

/** Offset of the first byte that starts an invalid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return b.length;
}

function readParquetColumns(path: string, bytes: Buffer): RawColumns {
  let df: pl.DataFrame;
  try {
    df = pl.readParquet(bytes);
  } catch (e) {
    throw fail(path, `not a readable Parquet file: ${firstLine(e)}`);
  }
  if (df.width === 0) throw fail(path, 'has no columns');
  const names = new Set<string>();
  for (const [j, name] of df.columns.entries()) {
    if (name.trim() === '') throw fail(path, `column ${j + 1} of ${df.width} has an empty name`);
    if (names.has(name)) throw fail(path, `duplicate column name '${name}'`, name);
    names.add(name);
  }
  if (df.height === 0) throw fail(path, 'has columns but no data rows');
  const series = df.getColumns();
  const column = (j: number): RawColumn => {
    const s = series[j];
    const t = s.dtype.variant as string;
    const arr = s.toArray() as unknown[];
    if (/^U?Int(8|16|32|64)$/.test(t)) {
      return { name: s.name, kind: 'integer', values: arr.map((v) => (v === null ? null : Number(v as number | bigint))) };
    }
    if (t === 'Float32' || t === 'Float64') {
      return { name: s.name, kind: 'continuous', values: arr.map((v) => (v === null || Number.isNaN(v) ? null : (v as number))) };
    }
    if (t === 'Bool') return { name: s.name, kind: 'boolean', values: arr as Cell[] };
    if (t === 'Date' || t === 'Datetime') {
      const iso = (v: unknown) => (v === null ? null : (v as Date).toISOString());
      const values = arr.map((v) => (t === 'Date' ? (iso(v)?.slice(0, 10) ?? null) : iso(v)));
      return { name: s.name, kind: 'datetime', values };
    }
    if (t === 'String' || t === 'Utf8' || t === 'Categorical' || t === 'Enum') {
      const values = internStrings(arr.map((v) => (v === '' || v === null ? null : String(v))));
      const present = values.filter((v): v is string => v !== null);
      const kind = present.length > 0 && present.every((v) => parseIsoDateTime(v.trim())) ? 'datetime' : 'categorical';
      return { name: s.name, kind, values };
    }
    throw fail(path, `unsupported Parquet column type ${t}`, s.name);
  };
  return { names: df.columns, column, warnings: [] };
}

/** Turn raw cells into the kind's JS type; declared kinds report every cell that does not fit. */
function coerce(values: Cell[], kind: ColumnKind, path: string, column: string, declared: boolean): Cell[] {
  let bad = 0;
  let first: { v: Cell; row: number } | null = null;
  const out = values.map((v, row): Cell => {
    if (v === null) return null;
    const r = coerceCell(v, kind);
    if (r === undefined) {
      bad++;
      first ??= { v, row };
      return null;
    }
    return r;
  });
  if (bad > 0) {
    const f = first!;
    const shown = typeof f.v === 'string' ? `'${f.v}'` : String(f.v);
    const need = { integer: 'integers', continuous: 'numbers', boolean: 'true/false', datetime: 'ISO dates', categorical: '' }[kind];
    throw fail(
      path,
      `${declared ? 'declared' : 'read as'} ${kind} but ${bad} of ${values.filter((x) => x !== null).length} values are not ${need} ` +
        `(first: ${shown} in data row ${f.row + 1})`,
      column,
    );
  }
  return out;
}

/** undefined = does not fit the kind. */
function coerceCell(v: Exclude<Cell, null>, kind: ColumnKind): Cell | undefined {
  switch (kind) {
    case 'integer':
    case 'continuous': {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : null;
      if (n === null || !Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) return undefined;
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return typeof v === 'string' && BOOLEAN.test(v) ? v.toLowerCase() === 'true' : undefined;
    case 'datetime':
      if (typeof v === 'string') return parseIsoDateTime(v.trim()) ? v : undefined;
      return typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : undefined;
    case 'categorical':
      return v;
  }
}

/**
 * Write a Table as .csv or .parquet (by extension), atomically: the bytes go to a temporary sibling that is renamed
 * over `path`, so a crash never leaves a half-written file.
 *
 * CSV: header row, `\n` line ends, a field is quoted (with `""` escapes) when it contains a comma, quote or line
 * break, null is an empty field and the empty string is `""` (both read back as null). Parquet column types come
 * from the values: all integers -> Int64, other numbers -> Float64, booleans -> Bool, anything else -> String
 * (a column mixing numbers and text is written as text).
 */
export function writeTable(path: string, table: Table): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') {
    throw new UsageError(`cannot write ${path}: unknown file extension '${ext || '(none)'}' (use .csv or .parquet)`, { file: path });
  }
  const names = Object.keys(table);
  if (names.length === 0) throw new UsageError(`cannot write ${path}: the table has no columns`, { file: path });
  const n = table[names[0]].length;
  for (const c of names) {
    if (table[c].length !== n) {
      throw new InvalidDataError(`cannot write ${path}: column '${c}' has ${table[c].length} rows, column '${names[0]}' has ${n}`, {
        file: path,
        column: c,
      });
    }
    const bad = table[c].findIndex((v) => typeof v === 'number' && !Number.isFinite(v));
    if (bad >= 0) {
      throw new InvalidDataError(`cannot write ${path}: column '${c}' row ${bad + 1} is ${table[c][bad]}`, { file: path, column: c });
    }
  }
  if (ext === '.csv') {
    const lines = [names.map(csvField).join(',')];
    for (let i = 0; i < n; i++) lines.push(names.map((c) => csvCell(table[c][i])).join(','));
    writeFileAtomic(path, `${lines.join('\n')}\n`);
  } else {
    const df = pl.DataFrame(names.map((c) => parquetSeries(c, table[c])));
    writeFileAtomic(path, df.writeParquet());
  }
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  if (v === '') return '""';
  return csvField(String(v));
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function parquetSeries(name: string, values: Cell[]): pl.Series {
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    const ints = present.every((v) => Number.isSafeInteger(v));
    return pl.Series(name, values, ints ? pl.Int64 : pl.Float64);
  }
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return pl.Series(name, values, pl.Bool);
  return pl.Series(
    name,
    values.map((v) => (v === null ? null : String(v))),
    pl.Utf8,
  );
}

/** "file X[, column 'c']: message" — the same shape FinganError.oneLine prints, so it is not repeated there. */
function fail(path: string, message: string, column?: string): InvalidDataError {
  return new InvalidDataError(`file ${path}${column !== undefined ? `, column '${column}'` : ''}: ${message}`, { file: path, column });
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
