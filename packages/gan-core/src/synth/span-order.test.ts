import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import type { OutputSpan } from '../encoders/index.js';
import { SpanOrder } from './span-order.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// Encoder order: c0 (continuous) | d2 (2-wide) | c3 | d3 (3-wide, cols 4-6) | d2' (cols 7-8)
const spans: OutputSpan[] = [
  { kind: 'continuous', width: 1, offset: 0 },
  { kind: 'discrete', width: 2, offset: 1 },
  { kind: 'continuous', width: 1, offset: 3 },
  { kind: 'discrete', width: 3, offset: 4 },
  { kind: 'discrete', width: 2, offset: 7 },
];

describe('SpanOrder', () => {
  const order = new SpanOrder(spans);

  it('puts continuous columns first, then one-hots grouped by width', () => {
    // continuous 0, 3; width-2 spans at 1-2 and 7-8; the width-3 span at 4-6.
    expect(Array.from(order.perm)).toEqual([0, 3, 1, 2, 7, 8, 4, 5, 6]);
    expect(order.continuous).toBe(2);
    expect(order.groups).toEqual([
      { width: 2, count: 2, offset: 2 },
      { width: 3, count: 1, offset: 6 },
    ]);
    expect([0, 1, 3, 4, 7].map((o) => order.offsetOf(o))).toEqual([0, 2, 1, 6, 4]);
    expect(() => order.offsetOf(2)).toThrow(/no span starts at encoder column 2/);
  });

  it('converts rows to model order and back', () => {
    const rows = Float32Array.from({ length: 18 }, (_, i) => i);
    const m = order.toModel(rows, 2);
    expect(Array.from(m.subarray(0, 9))).toEqual([0, 3, 1, 2, 7, 8, 4, 5, 6]);
    expect(order.fromModel(m, 2)).toEqual(rows);
    const inPlace = rows.slice();
    expect(order.toModelInPlace(inPlace, 2)).toBe(inPlace);
    expect(inPlace).toEqual(m);
  });

  it('applies tanh to values and a softmax within each one-hot', () => {
    const raw = tf.tensor2d([[0.5, -2, 1, 3, 0, 0, 1, 2, 3]]);
    const out = order.activate(raw, tf.zeros([1, 7]), 1).dataSync();
    expect(out[0]).toBeCloseTo(Math.tanh(0.5), 6);
    expect(out[1]).toBeCloseTo(Math.tanh(-2), 6);
    // softmax([1, 3]) = [0.1192, 0.8808]; softmax([0, 0]) = [0.5, 0.5]; softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652]
    const want = [0.119203, 0.880797, 0.5, 0.5, 0.090031, 0.244728, 0.665241];
    want.forEach((w, i) => expect(out[2 + i]).toBeCloseTo(w, 5));
    const logp = order.discreteLogSoftmax(raw).dataSync();
    want.forEach((w, i) => expect(logp[i]).toBeCloseTo(Math.log(w), 5));
  });
});
