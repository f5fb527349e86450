import { z } from 'zod';
import type { Cell } from '../data/table.js';
import { InvalidDataError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { describeCell, inColumn } from './cells.js';
import { ContinuousEncoder, continuousStateSchema, type ContinuousOptions } from './continuous.js';
import type { ColumnEncoder, LocalSpan } from './types.js';

const MS_PER_DAY = 86_400_000;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export interface ParsedDateTime {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  ms: number;
  /** The text was a bare `YYYY-MM-DD`. */
  dateOnly: boolean;
}

/**
 * Parse an ISO 8601 date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DD[T| ]hh:mm[:ss[.fff]][Z|+hh:mm]`); null if it is
 * not one or names an impossible day. A date-time without a zone is read as UTC, not local time, so that the same
 * file gives the same numbers on every machine.
 */
export function parseIsoDateTime(text: string): ParsedDateTime | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, keeps years 0-99 as written
  let ms = date.getTime() + ((h * 60 + mi) * 60 + s) * 1000 + (m[7] ? Number(`0${m[7]}`) * 1000 : 0);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return { ms, dateOnly: m[4] === undefined };
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export const datetimeStateSchema = z.object({
  type: z.literal('datetime'),
  /** 'day': decode to YYYY-MM-DD; 'second' / 'millisecond': full ISO strings rounded to that unit. */
  resolution: z.enum(['day', 'second', 'millisecond']),
  inner: continuousStateSchema,
});
export type DatetimeState = z.infer<typeof datetimeStateSchema>;

/**
 * Dates and date-times as days since 1970-01-01 (fractional for times), modelled by a ContinuousEncoder. Accepts
 * ISO strings or epoch-millisecond numbers. Decodes to `YYYY-MM-DD` when every fitted value was a bare date,
 * otherwise to full ISO strings (`toISOString`), rounded to whole seconds when no fitted value had a fraction of a
 * second, so generated timestamps look like the data.
 */
export class DatetimeEncoder implements ColumnEncoder<DatetimeState> {
  readonly kind: string = 'datetime';
  private inner: ContinuousEncoder;
  private readonly name: string | undefined;
  private resolution: DatetimeState['resolution'] | null = null;

  constructor(options: ContinuousOptions = {}) {
    this.inner = new ContinuousEncoder(options);
    this.name = options.name;
  }

  static fromJSON(state: DatetimeState, name?: string): DatetimeEncoder {
    const enc = new DatetimeEncoder({ name });
    enc.inner = ContinuousEncoder.fromJSON(state.inner, name);
    enc.resolution = state.resolution;
    return enc;
  }

  get width(): number {
    return this.inner.width;
  }

  get spans(): LocalSpan[] {
    return this.inner.spans;
  }

  fit(values: Cell[]): this {
    const { days, allDates, wholeSeconds } = this.toDays(values);
    this.inner.fitNumbers(days);
    this.resolution = allDates ? 'day' : wholeSeconds ? 'second' : 'millisecond';
    return this;
  }

  transform(values: Cell[], rng?: Rng): Float32Array {
    return this.inner.encodeNumbers(this.toDays(values).days, rng);
  }

  inverse(block: Float32Array, n: number): Cell[] {
    const days = this.inner.decodeNumbers(block, n);
    const res = this.resolution;
    const out = new Array<Cell>(n);
    for (let i = 0; i < n; i++) {
      if (res === 'day') {
        out[i] = new Date(Math.round(days[i]) * MS_PER_DAY).toISOString().slice(0, 10);
      } else {
        const ms = days[i] * MS_PER_DAY;
        out[i] = new Date(res === 'second' ? Math.round(ms / 1000) * 1000 : Math.round(ms)).toISOString();
      }
    }
    return out;
  }

  toJSON(): DatetimeState {
    if (!this.resolution) throw new Error(`datetime encoder${inColumn(this.name)} is used before fit()`);
    return { type: 'datetime', resolution: this.resolution, inner: this.inner.toJSON() };
  }

  private toDays(values: Cell[]): { days: Float64Array; allDates: boolean; wholeSeconds: boolean } {
    const days = new Float64Array(values.length);
    let allDates = true;
    let wholeSeconds = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      let ms: number;
      if (typeof v === 'string') {
        const p = parseIsoDateTime(v.trim());
        if (!p) throw this.bad(i, v, 'not an ISO date (YYYY-MM-DD) or date-time');
        ms = p.ms;
        allDates &&= p.dateOnly;
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        ms = v;
        allDates = false;
      } else {
        throw this.bad(i, v, v === null ? 'a missing value' : 'neither an ISO date string nor epoch milliseconds');
      }
      if (ms % 1000 !== 0) wholeSeconds = false;
      days[i] = ms / MS_PER_DAY;
    }
    return { days, allDates, wholeSeconds };
  }

  private bad(row: number, v: Cell, why: string): InvalidDataError {
    return new InvalidDataError(`datetime encoder${inColumn(this.name)}: row ${row + 1} is ${describeCell(v)}, ${why}`, {
      column: this.name,
    });
  }
}
