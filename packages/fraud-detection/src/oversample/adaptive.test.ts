import { describe, expect, test } from 'vitest';
import { createRng, type Table } from '@fingan/gan-core';
import { FraudEncoder } from '../encoder.js';
import { adasyn, borderlineSmote, negativeShare } from './adaptive.js';

// One numeric feature. Negatives sit at 0..19. Positives: 2.5 and 12.5 alone among negatives, a pair at 7.4 and
// 7.6, and a group of six far away at 100..105.
const x = [...Array.from({ length: 20 }, (_, i) => i), 2.5, 7.4, 7.6, 12.5, 100, 101, 102, 103, 104, 105];
const y = x.map((_, i) => (i >= 20 ? 'bad' : 'good'));
const table: Table = { x, y };
const positives = y.flatMap((v, i) => (v === 'bad' ? [i] : []));
const negatives = y.flatMap((v, i) => (v === 'good' ? [i] : []));
const encoder = FraudEncoder.fit(table, { exclude: ['y'], kinds: { x: 'numeric' } });
const input = { table, label: 'y', positives, encoder };

describe('ADASYN and Borderline-SMOTE', () => {
  test('the share of negatives around each positive, among its m nearest rows', () => {
    // 7.4's three nearest rows: 7.6 (positive), 7 and 8; the far group sees only itself.
    expect(Array.from(negativeShare(input, negatives, 3))).toEqual([1, 2 / 3, 2 / 3, 1, 0, 0, 0, 0, 0, 0]);
  });

  test('ADASYN draws its bases where positives sit among negatives; the far group gets none', () => {
    const r = adasyn(input, negatives, 200, { k: 2, m: 3, rng: createRng(1) });
    expect(r.fallback).toBe(false);
    const bases = new Set(r.draws.map((d) => d.base));
    expect([...bases].sort()).toEqual([20, 21, 22, 23]);
    expect(r.table.x).toHaveLength(200);
    expect(r.table.y.every((v) => v === 'bad')).toBe(true);
  });

  test('Borderline-SMOTE: only danger positives (half or more, not all, of m neighbours negative) are bases', () => {
    // m = 4: 2.5 and 12.5 see only negatives (noise), the far group only positives (safe), the pair 3 of 4 negatives.
    const r = borderlineSmote(input, negatives, 100, { k: 2, m: 4, rng: createRng(2) });
    expect(r.fallback).toBe(false);
    expect(positives.filter((_, i) => r.weights[i] > 0)).toEqual([21, 22]);
    expect(r.draws.every((d) => d.base === 21 || d.base === 22)).toBe(true);
    // Without the pair there is no danger positive: plain SMOTE-NC over every positive, said so.
    const keep = x.map((_, i) => i).filter((i) => i !== 21 && i !== 22);
    const t2: Table = { x: keep.map((i) => x[i]), y: keep.map((i) => y[i]) };
    const pos2 = t2.y.flatMap((v, i) => (v === 'bad' ? [i] : []));
    const enc2 = FraudEncoder.fit(t2, { exclude: ['y'], kinds: { x: 'numeric' } });
    const none = borderlineSmote({ table: t2, label: 'y', positives: pos2, encoder: enc2 }, negatives, 100, { k: 2, m: 4, rng: createRng(2) });
    expect(none.fallback).toBe(true);
    expect(new Set(none.draws.map((d) => d.base)).size).toBe(pos2.length);
  });
});
