import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { DatetimeEncoder, parseIsoDateTime } from './datetime.js';

describe('parseIsoDateTime', () => {
  it('parses dates and date-times as UTC epoch milliseconds', () => {
    // Epoch values from Date.UTC (hand-checked: 2020-01-01 is day 18262 since 1970-01-01).
    expect(parseIsoDateTime('2020-01-01')).toEqual({ ms: 18262 * 86_400_000, dateOnly: true });
    expect(parseIsoDateTime('2020-01-01T06:30:00Z')?.ms).toBe(18262 * 86_400_000 + 6.5 * 3_600_000);
    expect(parseIsoDateTime('2020-01-01 06:30')?.ms).toBe(18262 * 86_400_000 + 6.5 * 3_600_000);
    expect(parseIsoDateTime('2020-01-01T08:30:00+02:00')?.ms).toBe(18262 * 86_400_000 + 6.5 * 3_600_000);
    expect(parseIsoDateTime('2020-01-01T00:00:00.250Z')?.ms).toBe(18262 * 86_400_000 + 250);
    expect(parseIsoDateTime('0050-03-01')?.ms).toBe(Date.UTC(2050, 2, 1) - 2000 * 365.2425 * 86_400_000);
  });

  it('rejects impossible days and other text', () => {
    expect(parseIsoDateTime('2021-02-29')).toBeNull();
    expect(parseIsoDateTime('2020-02-29')).not.toBeNull();
    expect(parseIsoDateTime('2020-13-01')).toBeNull();
    expect(parseIsoDateTime('01/02/2020')).toBeNull();
    expect(parseIsoDateTime('2020-01-01T25:00')).toBeNull();
  });
});

describe('DatetimeEncoder', () => {
  const rng = new Rng(5);
  const dates = Array.from({ length: 400 }, () => new Date(Date.UTC(2015, 0, 1) + rng.int(3000) * 86_400_000).toISOString().slice(0, 10));

  for (const method of ['gmm', 'minmax', 'quantile'] as const) {
    it(`round-trips dates exactly (${method})`, () => {
      const enc = new DatetimeEncoder({ method }).fit(dates);
      // 'quantile' clamps to its first and last knot (whole days, means of the 10 earliest and latest dates).
      const { min, max } = enc.toJSON().inner;
      expect(Number.isInteger(min) && Number.isInteger(max)).toBe(true);
      const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
      const [lo, hi] = [day(min), day(max)];
      if (method !== 'quantile') expect([lo, hi]).toEqual([[...dates].sort()[0], [...dates].sort()[dates.length - 1]]);
      expect(enc.inverse(enc.transform(dates), dates.length)).toEqual(dates.map((d) => (d < lo ? lo : d > hi ? hi : d)));
    });
  }

  it('returns full ISO strings when the fitted values had times', () => {
    const x = ['2020-01-01T10:00:00Z', '2020-01-02T11:30:15Z', '2020-01-05T00:00:00Z'];
    const enc = new DatetimeEncoder({ method: 'minmax' }).fit(x);
    expect(enc.inverse(enc.transform(x), 3)).toEqual(['2020-01-01T10:00:00.000Z', '2020-01-02T11:30:15.000Z', '2020-01-05T00:00:00.000Z']);
  });

  it('accepts epoch milliseconds', () => {
    const ms = [Date.UTC(2020, 0, 1), Date.UTC(2020, 5, 1, 12)];
    const enc = new DatetimeEncoder({ method: 'minmax' }).fit(ms);
    expect(enc.inverse(enc.transform(ms), 2)).toEqual(['2020-01-01T00:00:00.000Z', '2020-06-01T12:00:00.000Z']);
  });

  it('rejects unparseable values naming the column and value', () => {
    expect(() => new DatetimeEncoder({ name: 'opened' }).fit(['2020-01-01', '31/12/2020'])).toThrow(
      "datetime encoder in column 'opened': row 2 is '31/12/2020', not an ISO date (YYYY-MM-DD) or date-time",
    );
  });

  it('toJSON / fromJSON gives identical transforms and output format', () => {
    const enc = new DatetimeEncoder().fit(dates);
    const back = DatetimeEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(back.transform(dates, new Rng(1))).toEqual(enc.transform(dates, new Rng(1)));
    expect(back.inverse(back.transform(dates), dates.length)).toEqual(dates);
  });
});
