import { describe, expect, it } from 'vitest';
import { InvalidDataError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { ContinuousEncoder } from './continuous.js';

function normals(n: number, mean: number, sd: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal(mean, sd));
}

/** Largest |a - b| relative to the spread of the data (values near 0 make a per-value relative error meaningless). */
function maxRelErr(a: number[], b: unknown[]): number {
  const range = Math.max(...a) - Math.min(...a);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)))) / range;
}

describe('ContinuousEncoder minmax', () => {
  it('maps [min, max] linearly onto [-1, 1] and clips beyond', () => {
    const enc = new ContinuousEncoder({ method: 'minmax' }).fit([0, 10, 4]);
    expect(enc.spans).toEqual([{ kind: 'continuous', width: 1 }]);
    expect(Array.from(enc.transform([0, 5, 10, 2.5, 20]))).toEqual([-1, 0, 1, -0.5, 1]);
  });

  it('round-trips within 1e-4 of the range', () => {
    const x = normals(500, 3, 2, 1);
    const enc = new ContinuousEncoder({ method: 'minmax' }).fit(x);
    expect(maxRelErr(x, enc.inverse(enc.transform(x), x.length))).toBeLessThan(1e-4);
  });

  it('clamps generator overshoot to the fitted range', () => {
    const enc = new ContinuousEncoder({ method: 'minmax' }).fit([2, 4, 8]);
    expect(enc.inverse(Float32Array.from([-3, 1.5, 0]), 3)).toEqual([2, 8, 5]);
  });
});

describe('ContinuousEncoder gmm', () => {
  const x = [...normals(600, -10, 1, 2), ...normals(400, 10, 2, 3)];
  const enc = new ContinuousEncoder({ seed: 5 }).fit(x);

  it('lays out [alpha, one-hot of the modes]', () => {
    const K = enc.spans[1].width;
    expect(K).toBe(2);
    expect(enc.spans).toEqual([
      { kind: 'continuous', width: 1 },
      { kind: 'discrete', width: 2 },
    ]);
    const block = enc.transform(x);
    for (let i = 0; i < x.length; i++) {
      const row = Array.from(block.subarray(i * 3, i * 3 + 3));
      expect(Math.abs(row[0])).toBeLessThanOrEqual(0.99);
      expect(row[1] + row[2]).toBe(1);
      // Argmax mode of a value: the nearer of the two well-separated modes.
      expect(row[x[i] < 0 ? 1 : 2]).toBe(1);
    }
  });

  it('encodes alpha = (x - mu) / (4 sd) of the chosen mode', () => {
    const { means, sds } = enc.toJSON().scaler as { means: number[]; sds: number[] };
    const v = means[1] + sds[1];
    const block = enc.transform([v]);
    expect(block[0]).toBeCloseTo(0.25, 6);
    expect(Array.from(block.subarray(1))).toEqual([0, 1]);
  });

  it('round-trips within 1e-4 of the range when modes are chosen by argmax', () => {
    expect(maxRelErr(x, enc.inverse(enc.transform(x), x.length))).toBeLessThan(1e-4);
  });

  it('prunes the modes of a unimodal column to one', () => {
    const e = new ContinuousEncoder({ maxModes: 10, seed: 4 }).fit(normals(1500, 40, 5, 31));
    expect(e.spans).toEqual([
      { kind: 'continuous', width: 1 },
      { kind: 'discrete', width: 1 },
    ]);
  });

  it('widens tail modes so that outliers are not clipped', () => {
    // 12 sits 12 sd above the single mode; an unwidened mode would clip it to mu + 0.99 * 4 sd, about 4.
    const y = [...normals(500, 0, 1, 21), 12];
    const e = new ContinuousEncoder({ seed: 1 }).fit(y);
    const back = e.inverse(e.transform(y), y.length) as number[];
    expect(back[500]).toBeCloseTo(12, 4);
    expect(maxRelErr(y, back)).toBeLessThan(1e-4);
  });

  it('samples the mode from the posterior when given an rng', () => {
    // Two equal-weight, equal-width modes: a value half-way between them belongs to each with probability 1/2.
    const e = ContinuousEncoder.fromJSON({
      type: 'continuous',
      min: -5,
      max: 5,
      scaler: { method: 'gmm', means: [-1, 1], sds: [1, 1], weights: [0.5, 0.5] },
    });
    const block = e.transform(new Array(4000).fill(0), new Rng(9));
    let second = 0;
    for (let i = 0; i < 4000; i++) second += block[i * 3 + 2];
    expect(second / 4000).toBeGreaterThan(0.46);
    expect(second / 4000).toBeLessThan(0.54);
    // Same rng seed, same encoding; no rng, always the first (tied) mode.
    expect(e.transform([0, 0.1, -0.2], new Rng(3))).toEqual(e.transform([0, 0.1, -0.2], new Rng(3)));
    expect(Array.from(e.transform([0]))).toEqual([0.25, 1, 0]);
  });

  it('clamps decoded values to the fitted [min, max]', () => {
    const [lo, hi] = enc.range;
    const out = enc.inverse(Float32Array.from([1, 0, 1, -1, 1, 0]), 2) as number[];
    expect(out[0]).toBe(hi);
    expect(out[1]).toBe(lo);
  });

  it('fits a large column on a seeded subsample, deterministically', () => {
    const big = [...normals(15000, 0, 1, 7), ...normals(10000, 20, 1, 8)];
    const a = new ContinuousEncoder({ seed: 1 }).fit(big).toJSON();
    const b = new ContinuousEncoder({ seed: 1 }).fit(big).toJSON();
    expect(a).toEqual(b);
    const sc = a.scaler as { means: number[] };
    expect(sc.means).toHaveLength(2);
    expect(sc.means[0]).toBeCloseTo(0, 1);
    expect(sc.means[1]).toBeCloseTo(20, 1);
    expect([a.min, a.max]).toEqual([Math.min(...big), Math.max(...big)]);
  });

  it('with coarseRange, stores the range widened to two significant digits instead of the extremes (gmm and minmax)', () => {
    const x = [3.76, 12.5, 80.01, 140.2, 1393.05];
    for (const method of ['gmm', 'minmax'] as const) {
      const exact = new ContinuousEncoder({ method }).fit(x);
      const coarse = new ContinuousEncoder({ method, coarseRange: true }).fit(x);
      expect(exact.range).toEqual([3.76, 1393.05]);
      expect(coarse.range).toEqual([0, 1400]);
      expect([coarse.toJSON().min, coarse.toJSON().max]).toEqual([0, 1400]);
      if (method === 'minmax') expect(JSON.stringify(coarse.toJSON())).not.toMatch(/3\.76|1393\.05/);
      // The widened range is what generator overshoot is clamped to, and it survives a save.
      expect(ContinuousEncoder.fromJSON(coarse.toJSON()).range).toEqual([0, 1400]);
    }
  });
});

describe('ContinuousEncoder quantile', () => {
  const knotsOf = (enc: ContinuousEncoder): number[] => {
    const sc = enc.toJSON().scaler;
    if (sc.method !== 'quantile') throw new Error('not a quantile encoder');
    return sc.quantiles;
  };

  it('maps a knot through its probability, a normal quantile and tanh(z / 2)', () => {
    // 1..100: 10 knots (100 values / 10 per knot); the first is the mean of 1..10 rounded to the column's precision
    // (integers): round(5.5) = 6; the last, the mean of 91..100 = 95.5 -> 96.
    const x = Array.from({ length: 100 }, (_, i) => i + 1);
    const enc = new ContinuousEncoder({ method: 'quantile' }).fit(x);
    const q = knotsOf(enc);
    expect(q).toHaveLength(10);
    expect(q[0]).toBe(6);
    expect(q[9]).toBe(96);
    expect(enc.range).toEqual([6, 96]);
    // CDF squeezed into [eps, 1 - eps] with eps = 1 / 20: knot 0 -> 0.05, the middle of the range -> 0.5.
    // tanh(Phi^-1(0.05) / 2) = -0.6763885795074476 (Python's statistics.NormalDist).
    const y = enc.transform([q[0], 1, (q[4] + q[5]) / 2, 1000]);
    expect(y[0]).toBeCloseTo(-0.6763885795074476, 6);
    expect(y[1]).toBeCloseTo(-0.6763885795074476, 6); // below the first knot: the first knot's probability
    expect(y[2]).toBeCloseTo(0, 6);
    expect(y[3]).toBeCloseTo(0.6763885795074476, 6);
  });

  it('stores at most 200 knots, none a training value, and round-trips inside its range', () => {
    const x = normals(5000, 100, 15, 4).map((v) => Math.exp(v / 50));
    const enc = new ContinuousEncoder({ method: 'quantile' }).fit(x);
    const q = knotsOf(enc);
    expect(q).toHaveLength(200);
    const seen = new Set(x);
    expect(q.filter((v) => seen.has(v))).toEqual([]);
    // The range is the mean of the 10 lowest and of the 10 highest values: inside the exact extremes, not equal to them.
    const s = [...x].sort((a, b) => a - b);
    const mean = (v: number[]) => v.reduce((t, u) => t + u, 0) / v.length;
    expect(enc.range[0]).toBeCloseTo(mean(s.slice(0, 10)), 8);
    expect(enc.range[1]).toBeCloseTo(mean(s.slice(-10)), 8);
    expect(enc.range[0]).toBeGreaterThan(s[0]);
    expect(enc.range[1]).toBeLessThan(s[s.length - 1]);
    const y = enc.transform(x);
    expect(y.every((v) => v > -1 && v < 1)).toBe(true);
    const clamped = x.map((v) => Math.min(enc.range[1], Math.max(enc.range[0], v)));
    expect(maxRelErr(clamped, enc.inverse(y, x.length))).toBeLessThan(1e-4);
  });

  it('rounds knots to the precision the column is written with', () => {
    const rng = new Rng(9);
    const prices = Array.from({ length: 3000 }, () => Math.round(rng.normal(50, 10) * 100) / 100);
    const q = knotsOf(new ContinuousEncoder({ method: 'quantile' }).fit(prices));
    expect(q.every((v) => Math.abs(Math.round(v * 100) / 100 - v) < 1e-12)).toBe(true);
    expect(q.some((v) => Math.abs(Math.round(v * 10) / 10 - v) > 1e-9)).toBe(true); // not coarser than the data
  });

  it('maps tied values back to themselves', () => {
    const x = [...Array(40).fill(0), ...Array(20).fill(1), ...Array(30).fill(2), ...Array(10).fill(3)] as number[];
    const enc = new ContinuousEncoder({ method: 'quantile' }).fit(x);
    const back = enc.inverse(enc.transform(x), x.length) as number[];
    back.forEach((v, i) => expect(v).toBeCloseTo(x[i], 6));
  });

  it('keeps knots non-decreasing and fits tiny columns', () => {
    for (const x of [[7], [1, 2], [5, 1, 4, 2, 3], normals(37, 0, 1, 3)]) {
      const q = knotsOf(new ContinuousEncoder({ method: 'quantile' }).fit(x));
      expect(q.every((v, i) => i === 0 || v >= q[i - 1])).toBe(true);
    }
    expect(knotsOf(new ContinuousEncoder({ method: 'quantile' }).fit([5, 1, 4, 2, 3]))).toEqual([2, 5]); // means 1.5 and 4.5 of the 2 lowest and highest, rounded to integers;
  });
});

describe('ContinuousEncoder state and errors', () => {
  it('toJSON / fromJSON gives identical transforms', () => {
    const x = normals(300, 0, 1, 12);
    for (const method of ['gmm', 'minmax', 'quantile'] as const) {
      const enc = new ContinuousEncoder({ method }).fit(x);
      const back = ContinuousEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
      expect(back.transform(x, new Rng(2))).toEqual(enc.transform(x, new Rng(2)));
    }
  });

  it('rejects nulls, text and non-finite numbers with the row and value', () => {
    const enc = new ContinuousEncoder({ name: 'Income' });
    expect(() => enc.fit([1, null])).toThrow(/column 'Income'.*row 2 is a missing value/);
    expect(() => enc.fit([1, 'abc'])).toThrow(InvalidDataError);
    expect(() => enc.fit([1, 'abc'])).toThrow(/row 2 is 'abc', not a finite number/);
    expect(() => enc.fit([Infinity])).toThrow(/row 1 is Infinity/);
  });
});
