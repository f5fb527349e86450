import { createRng } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { evaluateMining } from './mining-fidelity.js';

/**
 * Bundles bought together: bundle g (items 2g, 2g+1) is in a basket with probability 0.5, 0.4, 0.3, 0.25, and then
 * each of its items with probability 0.95; every item also turns up alone with probability 0.04. Rules inside a
 * bundle are strong (confidence about 0.9); rules across bundles are weak.
 */
function bundles(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  const p = [0.5, 0.4, 0.3, 0.25];
  return Array.from({ length: n }, () => {
    const b = new Set<number>();
    p.forEach((pg, g) => {
      if (rng.next() < pg) for (const i of [2 * g, 2 * g + 1]) if (rng.next() < 0.95) b.add(i);
    });
    for (let i = 0; i < 8; i++) if (rng.next() < 0.04) b.add(i);
    if (b.size === 0) b.add(rng.int(8));
    return [...b];
  });
}

describe('rules compared where two real halves agree', () => {
  const real = bundles(600, 1);
  // Each item kept at its own rate but independently of the others: every bundle rule is lost.
  const rng = createRng(9);
  const support = Array.from({ length: 8 }, (_, i) => real.filter((b) => b.includes(i)).length / real.length);
  const independent = real.map(() => {
    const b = support.flatMap((s, i) => (rng.next() < s ? [i] : []));
    return b.length ? b : [rng.int(8)];
  });

  it('finds a support/confidence where the halves agree, and the real data against itself matches it perfectly', () => {
    const m = evaluateMining({ real, synthetic: real, minSupport: 0.05, seed: 3, maxLength: 3 });
    const r = m.rules;
    expect(r.agreed).toBe(true);
    const chosen = r.grid.find((g) => g.support === r.support && g.confidence === r.confidence)!;
    expect(chosen.jaccard).toBeGreaterThanOrEqual(r.target);
    expect(Math.min(chosen.nHalfA, chosen.nHalfB)).toBeGreaterThanOrEqual(r.minRules);
    // The stated criterion: no other agreeing pair has more rules.
    for (const g of r.grid) {
      if (g.jaccard >= r.target && Math.min(g.nHalfA, g.nHalfB) >= r.minRules) {
        expect(Math.min(g.nHalfA, g.nHalfB)).toBeLessThanOrEqual(Math.min(chosen.nHalfA, chosen.nHalfB));
      }
    }
    expect([r.synthetic.precision, r.synthetic.recall, r.synthetic.jaccard, r.synthetic.confidenceMAE]).toEqual([1, 1, 1, 0]);
    expect(r.realHalves.jaccard).toBe(chosen.jaccard);
    expect(r.syntheticRulesStableShare).toBe(r.realRulesStableShare);
    expect(r.rules.length).toBeGreaterThan(0);
    expect(r.rules.every((x) => x.inSynthetic && x.syntheticConfidence === x.confidence)).toBe(true);
    // Every one-to-one rule found is inside a bundle, with confidence near 0.85 (bundle rate 0.95, diluted by lone items).
    const pairs = r.rules.filter((x) => x.antecedent.length === 1 && x.consequent.length === 1);
    expect(pairs.length).toBeGreaterThan(0);
    for (const x of pairs) {
      expect(x.antecedent[0] >> 1).toBe(x.consequent[0] >> 1);
      expect(x.confidence).toBeGreaterThan(0.75);
    }
    expect(m.ruleJaccardTop50).toBe(1);
    expect(m.ruleJaccardTop50Reference).toBeGreaterThan(0);
    expect(m.ruleJaccardTop50Reference).toBeLessThanOrEqual(1);
  });

  it('shows synthetic data without the dependence as far below the real-halves reference', () => {
    const r = evaluateMining({ real, synthetic: independent, minSupport: 0.05, seed: 3, maxLength: 3 }).rules;
    expect(r.agreed).toBe(true);
    expect(r.synthetic.recall).toBeLessThan(0.2);
    expect(r.synthetic.recall).toBeLessThan(r.realHalves.recall - 0.5);
    expect(r.synthetic.confidenceMAE).toBeGreaterThan(0.3);
    expect(r.synthetic.confidenceMAE).toBeGreaterThan(r.realHalves.confidenceMAE + 0.25);
    expect(r.rules.filter((x) => x.inSynthetic).length / r.rules.length).toBeLessThan(0.2);
    expect(r.rules.filter((x) => x.stableInRealHalves).length / r.rules.length).toBeGreaterThan(0.7);
  });

  it('reports agreed = false with the best overlap when no pair reaches the target', () => {
    const r = evaluateMining({ real, synthetic: real, minSupport: 0.05, seed: 3, maxLength: 3, ruleAgreement: { target: 1.01 } }).rules;
    expect(r.agreed).toBe(false);
    const enough = r.grid.filter((g) => Math.min(g.nHalfA, g.nHalfB) >= r.minRules);
    expect(r.realHalves.jaccard).toBe(Math.max(...enough.map((g) => g.jaccard)));
  });
});
