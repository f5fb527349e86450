// The time column's kind and its gaps: light (no tfjs, no polars), so the command line can use it before loading.

export const NUMERIC_TIME = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The time column as it comes: calendar dates (ISO 8601 or anything `Date.parse` reads that is not a bare number),
 * or numbers (a day index such as 0, 1, 2 ..., or fractional years such as 1991.496154). A column is one or the
 * other: a bare number among dates (or a date among numbers) is refused, since `Date.parse('5')` would silently read
 * it as a year.
 */
export type TimeAxis = 'dates' | 'numbers';

export function timeAxisOf(dates: readonly string[]): TimeAxis {
  return dates.length > 0 && dates.every((d) => NUMERIC_TIME.test(d.trim())) ? 'numbers' : 'dates';
}

export interface TimeGap {
  fromRow: number;
  toRow: number;
  from: string;
  to: string;
  /** The gap in the axis's unit: days for dates, the column's own unit (index steps, years) for numbers. */
  size: number;
  /** The gap in typical spacings. */
  spacings: number;
}

export interface TimeGaps {
  axis: TimeAxis;
  /** 'days' for dates; 'units' of the column for numbers (index steps, years ...). */
  unit: 'days' | 'units';
  /** The median spacing between consecutive rows, in `unit`. */
  typicalSpacing: number;
  /** Gaps longer than `factor` typical spacings (and, for dates, longer than `minDays`), in row order. */
  gaps: TimeGap[];
}

/**
 * Unusually long gaps in a sorted time column of any kind: calendar dates (in days: weekends and holidays are a few
 * days, so a gap must also exceed `minDays`), day indices or fractional years (in the column's unit). A gap far
 * beyond the typical spacing is a missing stretch that, left alone, would be modelled as one ordinary step.
 */
export function timeGaps(dates: readonly string[], opts: { factor?: number; minDays?: number } = {}): TimeGaps | null {
  const { factor = 10, minDays = 10 } = opts;
  if (dates.length < 3) return null;
  const axis = timeAxisOf(dates);
  const t = dates.map((d) => (axis === 'numbers' ? Number(d.trim()) : Date.parse(d) / 86_400_000));
  if (t.some((x) => !Number.isFinite(x))) return null;
  const steps: number[] = [];
  for (let i = 1; i < t.length; i++) steps.push(t[i] - t[i - 1]);
  const sorted = [...steps].sort((a, b) => a - b);
  const typicalSpacing = sorted[sorted.length >> 1];
  if (!(typicalSpacing > 0)) return null;
  const limit = Math.max(axis === 'dates' ? minDays : 0, factor * typicalSpacing);
  const round = (x: number) => Number(x.toPrecision(6));
  const gaps: TimeGap[] = [];
  steps.forEach((size, i) => {
    if (size > limit) gaps.push({ fromRow: i + 1, toRow: i + 2, from: dates[i], to: dates[i + 1], size: round(size), spacings: round(size / typicalSpacing) });
  });
  return { axis, unit: axis === 'dates' ? 'days' : 'units', typicalSpacing: round(typicalSpacing), gaps };
}
