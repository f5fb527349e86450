import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { TableEncoder } from '../encoders/index.js';
import { Rng } from '../random/rng.js';
import { ksStatistic } from '../stats/ks.js';
import { MAX_REFERENCE_ROWS, MarginalCalibration } from './calibration.js';
import { SpanOrder } from './span-order.js';

/** x ~ N(10, 2) with 10% missing; k in a/b/c with shares 0.6/0.3/0.1. */
function realTable(n: number): Table {
  const rng = new Rng(1);
  const x: (number | null)[] = [],
    k: string[] = [];
  for (let i = 0; i < n; i++) {
    x.push(rng.next() < 0.1 ? null : rng.normal(10, 2));
    const u = rng.next();
    k.push(u < 0.6 ? 'a' : u < 0.9 ? 'b' : 'c');
  }
  return { x, k };
}

describe('MarginalCalibration', () => {
  const n = 3000;
  const table = realTable(n);
  const enc = TableEncoder.fit(table, [
    { name: 'x', kind: 'continuous', method: 'quantile' },
    { name: 'k', kind: 'categorical' },
  ]);
  const order = new SpanOrder(enc.spans);
  const real = order.toModel(enc.transform(table), n);
  const D = order.width;
  // A "generator" with wrong marginals: values squeezed and shifted, 30% missing, categories uniform. Its one-hots
  // are drawn from softmax(logits + bias) by Gumbel-max, as the synthesizer does.
  const rng = new Rng(2);
  const generate = (m: number, bias: Float32Array) => {
    const out = new Float32Array(m * D);
    for (let i = 0; i < m; i++) {
      out[i * D] = Math.tanh(rng.normal(0.4, 0.1));
      for (const g of order.groups) {
        for (let c = 0; c < g.count; c++) {
          const o = g.offset + c * g.width;
          let best = 0,
            bestV = -Infinity;
          for (let j = 0; j < g.width; j++) {
            const logit = (g.width === 2 ? [0, Math.log(3 / 7)][j] : 0) + bias[o + j];
            const v = logit - Math.log(-Math.log(rng.next() * (1 - 2e-7) + 1e-7));
            if (v > bestV) [best, bestV] = [j, v];
          }
          out[i * D + o + best] = 1;
        }
      }
    }
    return out;
  };
  const cal = MarginalCalibration.fit({ real, n, order, layouts: enc.layout, generate });

  it('matches category shares and the missing share by logit biases', () => {
    const m = 20000;
    const t = enc.inverse(order.fromModel(generate(m, cal.bias), m), m);
    const share = (v: unknown) => t.k.filter((c) => c === v).length / m;
    expect(share('a')).toBeCloseTo(0.6, 1);
    expect(share('c')).toBeCloseTo(0.1, 1);
    expect(t.x.filter((v) => v === null).length / m).toBeCloseTo(0.1, 1);
  });

  it('maps numeric values onto the real marginal, keeping their order', () => {
    const m = 4000;
    const rows = generate(m, cal.bias);
    const before = rows.filter((_, i) => i % D === 0);
    cal.mapValues(rows, m, D);
    const after = rows.filter((_, i) => i % D === 0);
    for (let i = 1; i < m; i++) expect(Math.sign(after[i] - after[0])).toBe(Math.sign(before[i] - before[0]));
    const realX = table.x.filter((v): v is number => v !== null);
    const decoded = (r: Float32Array) => enc.inverse(order.fromModel(r, m), m).x.filter((v): v is number => v !== null);
    const raw = generate(m, cal.bias);
    // Uncalibrated, the values crowd around the real 79th percentile (KS > 0.5); calibrated, KS is sampling noise.
    expect(ksStatistic(decoded(raw), realX)).toBeGreaterThan(0.5);
    expect(ksStatistic(decoded(rows), realX)).toBeLessThan(0.05);
  });

  it('stores no single real value: its real-side knots, decoded, are not training values', () => {
    const { to, column, missing } = cal.toJSON().continuous[0];
    expect(to).toHaveLength(201);
    expect(to.every((v, i) => i === 0 || v >= to[i - 1])).toBe(true);
    // Not one knot is an encoded real value (single order statistics were: the first and last at least).
    const encoded = new Set(Array.from({ length: n }, (_, i) => real[i * D + column]));
    expect(to.filter((v) => encoded.has(v))).toEqual([]);
    // Decode each knot through the encoder: a model-order row with the knot as x's value, marked present.
    const rows = real.slice(0, to.length * D);
    to.forEach((v, i) => {
      rows[i * D + column] = v;
      rows[i * D + missing] = 1;
      rows[i * D + missing + 1] = 0;
    });
    const x = enc.inverse(order.fromModel(rows, to.length), to.length).x;
    expect(x.every((v) => typeof v === 'number')).toBe(true);
    const seen = new Set(table.x.filter((v): v is number => v !== null));
    expect(x.filter((v) => seen.has(v as number))).toEqual([]);
  });

  it('round-trips through JSON', () => {
    const back = MarginalCalibration.fromJSON(JSON.parse(JSON.stringify(cal.toJSON())));
    expect(back.bias).toEqual(cal.bias);
  });

  it('generates its reference rows in bounded chunks: max(4000, n) rows per round, at most MAX_REFERENCE_ROWS', () => {
    const calls: number[] = [];
    const counting = (m: number, bias: Float32Array) => (calls.push(m), generate(m, bias));
    MarginalCalibration.fit({ real, n, order, layouts: enc.layout, generate: counting });
    expect(calls).toEqual([4000, 4000, 4000, 4000]); // 3 bias rounds and the numeric maps; n = 3000 < 4000
    calls.length = 0;
    // A book larger than the bound (the real rows repeated): 16,384 reference rows per round, 4,096 per call.
    const big = 40000;
    const bigReal = new Float32Array(big * D);
    for (let i = 0; i < big; i++) bigReal.set(real.subarray((i % n) * D, (i % n) * D + D), i * D);
    const c2 = MarginalCalibration.fit({ real: bigReal, n: big, order, layouts: enc.layout, generate: counting });
    expect(MAX_REFERENCE_ROWS).toBe(16384);
    expect(calls).toEqual(Array.from({ length: 16 }, () => 4096));
    expect(c2.toJSON().continuous).toHaveLength(1);
  });
});
