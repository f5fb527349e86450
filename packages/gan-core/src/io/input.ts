/**
 * One check for every input file, so each command words the same fault the same way: `file PATH: file not found`,
 * `file PATH: is a directory, not a file`, `file PATH: cannot be read (permission denied)`. Each is an
 * InvalidDataError naming the file (the same words readTable uses): exit 2 in the CLI.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { InvalidDataError } from '../errors.js';

export function checkInputFile(path: string): void {
  const fail = (m: string) => new InvalidDataError(`file ${path}: ${m}`, { file: path });
  if (!existsSync(path)) throw fail('file not found');
  if (statSync(path).isDirectory()) throw fail('is a directory, not a file');
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw fail('cannot be read (permission denied)');
  }
}

export interface CalendarGap {
  /** 1-based data rows on either side of the gap. */
  fromRow: number;
  toRow: number;
  from: string;
  to: string;
  days: number;
}

export interface CalendarGaps {
  /** The median spacing between consecutive rows, in days. */
  typicalDays: number;
  /** Gaps longer than the threshold, in row order. */
  gaps: CalendarGap[];
}

/**
 * Gaps in a sorted date column longer than `minDays` and `factor` times the typical (median) spacing. Market data
 * has weekends and holidays (a few days); a gap of months or years is a missing stretch that, left alone, would be
 * modelled as one ordinary step. Returns null when the dates are not calendar dates.
 */
export function calendarGaps(dates: readonly string[], opts: { factor?: number; minDays?: number } = {}): CalendarGaps | null {
  const { factor = 10, minDays = 10 } = opts;
  const t = dates.map((d) => Date.parse(d));
  if (t.length < 3 || t.some((x) => !Number.isFinite(x)) || dates.some((d) => /^\d+(\.\d+)?$/.test(d.trim()))) return null;
  const steps: number[] = [];
  for (let i = 1; i < t.length; i++) steps.push((t[i] - t[i - 1]) / 86_400_000);
  const sorted = [...steps].sort((a, b) => a - b);
  const typicalDays = sorted[sorted.length >> 1];
  const limit = Math.max(minDays, factor * typicalDays);
  const gaps: CalendarGap[] = [];
  steps.forEach((days, i) => {
    if (days > limit) gaps.push({ fromRow: i + 1, toRow: i + 2, from: dates[i], to: dates[i + 1], days: Math.round(days * 10) / 10 });
  });
  return { typicalDays, gaps };
}
