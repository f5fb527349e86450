import { InvalidDataError, type Cell, type Table } from '@fingan/gan-core';
import { NUMERIC_TIME } from './time-axis.js';

export { timeAxisOf, timeGaps, type TimeAxis, type TimeGap, type TimeGaps } from './time-axis.js';

/**
 * Daily (or any regular) close prices of several assets on shared dates. `prices[a][t]` is asset a on
 * `dates[t]`; NaN marks a missing price (an empty cell), which the returns encoder refuses to bridge.
 */
export interface PriceSeries {
  dates: string[];
  assets: string[];
  prices: Float64Array[];
}

export interface PriceTableOptions {
  /** Name of the date column (default 'date'). */
  dateColumn?: string;
  /** Asset columns to use, in this order (default: every other column). */
  assets?: string[];
  /** Fewest rows accepted (default 2: one return needs two prices). */
  minRows?: number;
  /** File name for error messages. */
  file?: string;
}

/**
 * Validate a price table and convert it to a PriceSeries. Each problem is one InvalidDataError naming the
 * column (and the date) at fault, so the CLI can print a single actionable line.
 */
export function pricesFromTable(table: Table, options: PriceTableOptions = {}): PriceSeries {
  const { dateColumn = 'date', minRows = 2, file } = options;
  const columns = Object.keys(table);
  if (!columns.includes(dateColumn)) {
    throw new InvalidDataError(`no date column '${dateColumn}' (columns: ${columns.join(', ') || 'none'})`, { file, column: dateColumn });
  }
  const assets = options.assets ?? columns.filter((c) => c !== dateColumn);
  if (assets.length === 0) throw new InvalidDataError('no asset columns besides the date column', { file, column: dateColumn });
  const seen = new Set<string>();
  for (const a of assets) {
    if (!columns.includes(a)) throw new InvalidDataError(`unknown asset column '${a}' (columns: ${columns.join(', ')})`, { file, column: a });
    if (a === dateColumn) throw new InvalidDataError(`asset column '${a}' is the date column`, { file, column: a });
    if (seen.has(a)) throw new InvalidDataError(`asset column '${a}' is listed twice`, { file, column: a });
    seen.add(a);
  }
  const rawDates = table[dateColumn];
  const n = rawDates.length;
  if (n < minRows) {
    throw new InvalidDataError(`needs at least ${minRows} rows of prices, got ${n}`, { file, column: dateColumn });
  }
  const dates = parseDates(rawDates, dateColumn, file);
  const prices = assets.map((a) => parsePrices(table[a], a, dates, file));
  return { dates, assets: [...assets], prices };
}

function parseDates(raw: Cell[], column: string, file: string | undefined): string[] {
  const out = new Array<string>(raw.length);
  const numeric = raw.every((c) => (typeof c === 'number' && Number.isFinite(c)) || (typeof c === 'string' && NUMERIC_TIME.test(c.trim())));
  let prevKey = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    const cell = raw[i];
    let key: number;
    if (typeof cell === 'number' && Number.isFinite(cell)) {
      if (!numeric) throw new InvalidDataError(`row ${i + 1}: ${cell} is a number among dates; use one kind of time throughout the column`, { file, column });
      key = cell;
    } else if (typeof cell === 'string' && cell.trim() !== '') {
      const text = cell.trim();
      if (numeric) key = Number(text);
      else if (NUMERIC_TIME.test(text)) {
        throw new InvalidDataError(`row ${i + 1}: '${text}' is a number among dates; use one kind of time throughout the column`, { file, column });
      } else {
        key = Date.parse(text);
        if (!Number.isFinite(key)) throw new InvalidDataError(`row ${i + 1}: '${cell}' is not a date, a day index or a fractional year`, { file, column });
      }
    } else {
      throw new InvalidDataError(`row ${i + 1}: missing or invalid date ${JSON.stringify(cell)}`, { file, column });
    }
    const label = String(typeof cell === 'string' ? cell.trim() : cell);
    if (i > 0 && key === prevKey) throw new InvalidDataError(`duplicate date ${label} (rows ${i} and ${i + 1})`, { file, column });
    if (key < prevKey) {
      throw new InvalidDataError(`dates are not sorted: ${label} (row ${i + 1}) comes after ${out[i - 1]}`, { file, column });
    }
    prevKey = key;
    out[i] = label;
  }
  return out;
}

function parsePrices(raw: Cell[], column: string, dates: string[], file: string | undefined): Float64Array {
  const out = new Float64Array(raw.length);
  let present = 0;
  for (let i = 0; i < raw.length; i++) {
    const cell = raw[i];
    let v: number;
    if (cell === null || (typeof cell === 'string' && cell.trim() === '')) {
      out[i] = NaN;
      continue;
    } else if (typeof cell === 'number') {
      v = cell;
    } else if (typeof cell === 'string' && Number.isFinite(Number(cell.trim()))) {
      v = Number(cell.trim());
    } else {
      throw new InvalidDataError(`price on ${dates[i]} is not a number: ${JSON.stringify(cell)}`, { file, column });
    }
    if (!Number.isFinite(v)) throw new InvalidDataError(`price on ${dates[i]} is not finite: ${v}`, { file, column });
    if (v <= 0) throw new InvalidDataError(`price on ${dates[i]} is not positive: ${v}`, { file, column });
    out[i] = v;
    present++;
  }
  if (present === 0) throw new InvalidDataError('has no prices (every cell is empty)', { file, column });
  return out;
}
