import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { attackResult, attackVerdict, attributeInference, attributeVerdict, dcrMembershipAttack, densityRatioAttack, referenceSplit } from './attacks.js';
import { GowerSpace } from './gower.js';

/** A population: x ~ N(0, 1), y = 2x + noise, c depends on the sign of x (so it can be inferred from the rest). */
function sample(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => rng.normal(0, 1));
  return { x, y: x.map((v) => 2 * v + rng.normal(0, 1)), c: x.map((v) => (v + rng.normal(0, 0.7) > 0 ? 'hi' : 'lo')) };
}
const kinds = { x: 'continuous', y: 'continuous', c: 'categorical' } as const;
const members = sample(300, 1);
const nonMembers = sample(300, 2);
const reference = sample(300, 3);

describe('Gower space', () => {
  it('k nearest distances, ascending, averaged over columns (hand-computed)', () => {
    const ref = { n: [0, 10], c: ['a', 'b'] };
    const space = new GowerSpace(ref, { n: 'integer', c: 'categorical' });
    const d = space.kNearest(space.encode({ n: [2], c: ['b'] }), space.encode({ n: [0, 10, 2], c: ['a', 'a', 'b'] }), 2);
    // (2, b) to (2, b) = 0; to (0, a) = (0.2 + 1) / 2 = 0.6; to (10, a) = (0.8 + 1) / 2 = 0.9.
    expect(Array.from(d).map((v) => +v.toFixed(12))).toEqual([0, 0.6]);
    expect(Array.from(space.nndr(space.encode({ n: [5], c: ['a'] }), space.encode(ref)))).toEqual([0.25 / 0.75]);
  });
});

describe('membership attacks', () => {
  it('splits never-seen rows into a reference half and the rows attacked, seeded, each in row order', () => {
    const rows = { id: [0, 1, 2, 3, 4] };
    const { reference, nonMembers } = referenceSplit(rows, 3);
    expect(reference.id).toHaveLength(2);
    expect([...reference.id, ...nonMembers.id].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const t of [reference, nonMembers]) expect(t.id).toEqual([...t.id].sort());
    expect(referenceSplit(rows, 3)).toEqual({ reference, nonMembers });
  });

  it('AUC and advantage from scores (hand-computed)', () => {
    const r = attackResult([3, 2, 0.5], [1, 0, -1]);
    expect(r.auc).toBeCloseTo(8 / 9, 12);
    expect(r.advantage).toBeCloseTo(2 / 3, 12);
    expect(r.rows).toBe(3);
    expect(attackResult([], [1]).auc).toBe(0.5);
  });

  it('DCR and density ratio find every member when the synthetic rows are the training rows', () => {
    expect(dcrMembershipAttack(members, nonMembers, members, kinds).auc).toBe(1);
    const d = densityRatioAttack(members, nonMembers, reference, members, kinds);
    expect(d.auc).toBeGreaterThan(0.95);
    expect(d.rows).toBe(300);
    expect(attackVerdict('Density', d)).toMatch(/reveals who was in the training data/);
  });

  it('are near chance when the synthetic rows are a fresh sample of the population', () => {
    const fresh = sample(600, 4);
    const d = densityRatioAttack(members, nonMembers, reference, fresh, kinds, { seed: 1 });
    // 300 a side: the AUC's standard error under chance is about 0.024.
    expect(Math.abs(d.auc - 0.5)).toBeLessThan(0.08);
    expect(attackVerdict('Density', { auc: 0.51, advantage: 0.05, rows: 300 })).toMatch(/within two standard errors of chance/);
  });

  it('flag near copies (training rows with a little noise) as well', () => {
    const rng = new Rng(7);
    const near = { x: members.x.map((v) => v + rng.normal(0, 0.02)), y: members.y.map((v) => v + rng.normal(0, 0.04)), c: members.c };
    expect(densityRatioAttack(members, nonMembers, reference, near, kinds).auc).toBeGreaterThan(0.85);
    expect(dcrMembershipAttack(members, nonMembers, near, kinds).auc).toBeGreaterThan(0.85);
  });
});

describe('attribute inference', () => {
  it('reveals a hidden category of training rows when the synthetic rows are the training rows', () => {
    const a = attributeInference(members, nonMembers, members, kinds, 'c');
    expect(a.memberAccuracy).toBe(1);
    expect(a.nonMemberAccuracy).toBeGreaterThan(0.6); // the category follows x, so the population pattern helps anyone
    expect(a.nonMemberAccuracy).toBeLessThan(0.95);
    expect(a.risk).toBeCloseTo(1 - a.nonMemberAccuracy, 12);
    expect(attributeVerdict(a)).toMatch(/reveals hidden values of training rows/);
  });

  it('shows no member-specific risk when the synthetic rows are a fresh sample', () => {
    const a = attributeInference(members, nonMembers, sample(600, 6), kinds, 'c');
    expect(Math.abs(a.risk)).toBeLessThan(0.1);
    expect(a.memberAccuracy).toBeGreaterThan(0.6);
    expect(attributeVerdict({ ...a, risk: 0.01 })).toMatch(/no risk specific to the training rows/);
  });

  it('counts a number as right within 5% of its range', () => {
    const a = attributeInference(
      { x: [0, 1, 2, 3], y: [0, 10, 20, 30] },
      { x: [0, 1], y: [100, 100] },
      { x: [0, 1, 2, 3], y: [1, 11, 25, 30] },
      { x: 'continuous', y: 'continuous' },
      'y',
    );
    // Members 0 and 1 (two drawn of four, seeded) are guessed 1 and 11 (within 1.5 of 0 and 10), 25 is 5 off 20.
    expect(a.nonMemberAccuracy).toBe(0);
    expect(a.rows).toBe(2);
  });
});
