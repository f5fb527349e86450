import { Rng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { membershipVerdict } from '../report/credit-report.js';
import { dcrMembershipAttack } from '@fingan/gan-core/privacy';
import { exactCopyMask, privacy } from './privacy.js';

it('Gower distances to the closest training row and exact copies (hand-computed)', () => {
  const train = { n: [0, 10], c: ['a', 'b'] };
  const holdout = { n: [5], c: ['a'] };
  const synthetic = { n: [0, 10, 2], c: ['a', 'a', 'b'] };
  const p = privacy(train, holdout, synthetic, { n: 'integer', c: 'categorical' });
  // holdout (5, a): to (0, a) = (0.5 + 0) / 2 = 0.25, to (10, b) = (0.5 + 1) / 2 = 0.75.
  expect(Array.from(p.dcrHoldout)).toEqual([0.25]);
  // (0, a) is a copy; (10, a) is 0.5 from both; (2, b): (0.2 + 1) / 2 = 0.6 and (0.8 + 0) / 2 = 0.4.
  expect(Array.from(p.dcrSynthetic).map((d) => +d.toFixed(10))).toEqual([0, 0.5, 0.4]);
  expect(p.exactCopies).toBe(1);
  expect(p.exactCopyShare).toBeCloseTo(1 / 3, 12);
  expect(p.dcrSyntheticMedian).toBeCloseTo(0.4, 12);
  expect(p.dcrHoldoutMedian).toBe(0.25);
  // NNDR: holdout (5, a): 0.25 / 0.75; synthetic (0, a): d1 = 0 -> 0; (10, a): 0.5 / 0.5 = 1; (2, b): 0.4 / 0.6.
  expect(p.nndrHoldoutMedian).toBeCloseTo(1 / 3, 12);
  expect(p.nndrSyntheticMedian).toBeCloseTo(2 / 3, 12);
});

it('missing cells: 0 from a missing cell, 1 from a present one; copies compare types', () => {
  const p = privacy({ n: [1, null], c: ['a', 'a'] }, { n: [null], c: ['a'] }, { n: [3], c: ['a'] }, { n: 'integer', c: 'categorical' });
  expect(Array.from(p.dcrHoldout)).toEqual([0]);
  // (3, a): to (1, a) = (2 / 1 + 0) / 2 = 1 (range 1 = no spread, so the raw difference counts), to (null, a) = 0.5.
  expect(Array.from(p.dcrSynthetic)).toEqual([0.5]);
  expect(Array.from(exactCopyMask({ v: ['1', 1, null] }, { v: [1, null] }, ['v']))).toEqual([0, 1, 1]);
});

describe('the distance-to-closest-record membership attack', () => {
  const sample = (n: number, seed: number) => {
    const rng = new Rng(seed);
    return {
      x: Array.from({ length: n }, () => rng.normal(0, 1)),
      y: Array.from({ length: n }, () => rng.normal(5, 2)),
      c: Array.from({ length: n }, () => (rng.next() < 0.3 ? 'a' : 'b')),
    };
  };
  const kinds = { x: 'continuous', y: 'continuous', c: 'categorical' } as const;
  const members = sample(400, 1);
  const nonMembers = sample(300, 2);

  it('finds every member when the synthetic rows are the training rows', () => {
    const r = dcrMembershipAttack(members, nonMembers, members, kinds);
    expect(r.auc).toBe(1);
    expect(r.advantage).toBe(1);
  });

  it('is near chance when the synthetic rows are a fresh sample of the population', () => {
    const r = dcrMembershipAttack(members, nonMembers, sample(400, 3), kinds);
    // 300 a side: the AUC's standard error is about 0.024.
    expect(Math.abs(r.auc - 0.5)).toBeLessThan(0.07);
    expect(r.advantage).toBeLessThan(0.15);
  });

  it('is part of privacy() and says it in plain words', () => {
    const p = privacy(members, nonMembers, members, kinds, 0, ['c']);
    expect(p.membershipAuc).toBe(1);
    // The density-ratio attack (half the non-members as the attacker's reference) and attribute inference of 'c'.
    expect(p.attackRows).toEqual({ dcr: 300, density: 150 });
    expect(p.densityAttackAuc).toBeGreaterThan(0.95);
    expect(p.attributes.map((a) => [a.column, a.memberAccuracy])).toEqual([['c', 1]]);
    expect(p.attributes[0].risk).toBeGreaterThan(0.2);
    expect(membershipVerdict(p.membershipAuc)).toMatch(/reveal which applicants were in the training data/);
    expect(membershipVerdict(0.51)).toMatch(/cannot tell .* better than by guessing/);
    expect(membershipVerdict(0.56)).toMatch(/weak signal of membership/);
  });
});
