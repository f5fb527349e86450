import { UsageError } from '@fingan/gan-core';
import type { FrequentItemset } from '../mining/fp-growth.js';
import { associationRules, ruleKey, type AssociationRule } from '../mining/rules.js';
import { countSupports } from '../mining/support-count.js';

/**
 * Rules that mean something: association rules are compared at a support and confidence where two random halves
 * of the real data agree, and every figure comes with the same figure between the two halves.
 *
 * The grid of (support, confidence) pairs is searched on the real halves alone. The criterion: among the pairs
 * where each half has at least `minRules` rules and the halves' rule sets overlap by Jaccard >= `target`, the
 * pair with the most rules (the smaller of the two halves' counts; ties: lower support, then lower confidence).
 * When no pair reaches the target, the pair with the highest overlap among those with `minRules` rules
 * (`agreed` is then false: rules at any threshold are unstable even between real halves).
 */

export interface RuleAgreementOptions {
  /** Supports tried (default: minSupport x 1, 1.5, 2, 3, 4, capped at 1). */
  supports?: readonly number[];
  /** Confidences tried (default 0.5, 0.6, 0.7, 0.8, 0.9). */
  confidences?: readonly number[];
  /** Jaccard overlap of the halves' rule sets that counts as agreement (default 0.7). */
  target?: number;
  /** Fewest rules in each half for a pair to count (default 10). */
  minRules?: number;
  /** Real rules listed with their checks, strongest lift first (default 50). */
  ruleChecks?: number;
}

export interface RuleSetComparison {
  /** Rules in the reference set (real, or the first real half) and in the compared set. */
  nReference: number;
  nCompared: number;
  common: number;
  /** Share of the compared rules that are reference rules (1 when neither has any). */
  precision: number;
  /** Share of the reference rules that are compared rules (1 when neither has any). */
  recall: number;
  jaccard: number;
  /**
   * Mean over the reference rules of |confidence - confidence of the same rule counted in the compared baskets|,
   * whether or not it is a rule there (0 when there are no reference rules).
   */
  confidenceMAE: number;
}

export interface RuleCheck {
  antecedent: number[];
  consequent: number[];
  support: number;
  confidence: number;
  lift: number;
  /** The rule's support and confidence counted in the synthetic baskets. */
  syntheticSupport: number;
  syntheticConfidence: number;
  /** It reaches the chosen support and confidence in the synthetic baskets. */
  inSynthetic: boolean;
  /** It reaches them in both real halves: a rule sampling noise does not make or break. */
  stableInRealHalves: boolean;
}

export interface RuleAgreement {
  support: number;
  confidence: number;
  /** Whether the halves reached the target overlap at the chosen pair. */
  agreed: boolean;
  target: number;
  minRules: number;
  /** Every pair tried, with the halves' rule counts and overlap. */
  grid: { support: number; confidence: number; nHalfA: number; nHalfB: number; jaccard: number }[];
  /** Real rules (reference) against synthetic rules, at the chosen pair. */
  synthetic: RuleSetComparison;
  /** First real half (reference) against the second, at the chosen pair. */
  realHalves: RuleSetComparison;
  /** Share of the synthetic rules that hold in both real halves (1 when there are no synthetic rules). */
  syntheticRulesStableShare: number;
  /** The same share for the real rules: what a perfect generator would score. */
  realRulesStableShare: number;
  /** The strongest real rules at the chosen pair, each checked in the synthetic baskets and in the real halves. */
  rules: RuleCheck[];
}

export interface RuleAgreementInput {
  real: Int32Array[];
  synthetic: Int32Array[];
  halfA: Int32Array[];
  halfB: Int32Array[];
  /** Itemsets of each side mined at the lowest support tried (or lower). */
  realItemsets: FrequentItemset[];
  syntheticItemsets: FrequentItemset[];
  halfAItemsets: FrequentItemset[];
  halfBItemsets: FrequentItemset[];
  minSupport: number;
}

const filter = (rules: AssociationRule[], s: number, c: number) => rules.filter((r) => r.support >= s - 1e-12 && r.confidence >= c - 1e-12);

function jaccardOf(a: Set<string>, b: Set<string>): { common: number; jaccard: number } {
  let common = 0;
  for (const k of b) if (a.has(k)) common++;
  const union = a.size + b.size - common;
  return { common, jaccard: union === 0 ? 1 : common / union };
}

/** Support and confidence of each rule counted in `baskets`. */
function measure(rules: readonly AssociationRule[], baskets: Int32Array[]): { support: number; confidence: number }[] {
  const sets = rules.flatMap((r) => [{ items: [...r.antecedent, ...r.consequent] }, { items: r.antecedent }]);
  const counts = countSupports(baskets, sets);
  return rules.map((_, i) => {
    const both = counts[2 * i];
    const ante = counts[2 * i + 1];
    return { support: both / baskets.length, confidence: ante === 0 ? 0 : both / ante };
  });
}

function compare(reference: AssociationRule[], compared: AssociationRule[], comparedBaskets: Int32Array[]): RuleSetComparison {
  const a = new Set(reference.map(ruleKey));
  const b = new Set(compared.map(ruleKey));
  const { common, jaccard } = jaccardOf(a, b);
  const m = measure(reference, comparedBaskets);
  let mae = 0;
  reference.forEach((r, i) => (mae += Math.abs(r.confidence - m[i].confidence)));
  return {
    nReference: a.size,
    nCompared: b.size,
    common,
    precision: b.size === 0 ? (a.size === 0 ? 1 : 0) : common / b.size,
    recall: a.size === 0 ? (b.size === 0 ? 1 : 0) : common / a.size,
    jaccard,
    confidenceMAE: reference.length ? mae / reference.length : 0,
  };
}

function checkFractions(v: readonly number[], flag: string, lo: number): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new UsageError(`${flag} must be a non-empty list`, { option: flag });
  for (const x of v)
    if (typeof x !== 'number' || !(x >= lo && x <= 1)) throw new UsageError(`${flag} must hold numbers in [${lo}, 1], got ${String(x)}`, { option: flag });
  return [...new Set(v)].sort((a, b) => a - b);
}

export function ruleAgreement(input: RuleAgreementInput, options: RuleAgreementOptions = {}): RuleAgreement {
  const { minSupport } = input;
  const supports = checkFractions(options.supports ?? [1, 1.5, 2, 3, 4].map((f) => Math.min(1, +(minSupport * f).toFixed(6))), 'ruleSupports', 0);
  if (supports[0] < minSupport - 1e-12)
    throw new UsageError(`ruleSupports must not go below minSupport (${minSupport}), got ${supports[0]}`, { option: 'ruleSupports' });
  const confidences = checkFractions(options.confidences ?? [0.5, 0.6, 0.7, 0.8, 0.9], 'ruleConfidences', 0);
  const target = options.target ?? 0.7;
  const minRules = options.minRules ?? 10;
  const ruleChecks = options.ruleChecks ?? 50;
  const c0 = confidences[0];
  const rulesOf = (itemsets: FrequentItemset[], n: number) => associationRules(itemsets, { minConfidence: c0, nTransactions: n });
  const realRules = rulesOf(input.realItemsets, input.real.length);
  const synthRules = rulesOf(input.syntheticItemsets, input.synthetic.length);
  const aRules = rulesOf(input.halfAItemsets, input.halfA.length);
  const bRules = rulesOf(input.halfBItemsets, input.halfB.length);

  const grid = supports.flatMap((support) =>
    confidences.map((confidence) => {
      const a = filter(aRules, support, confidence);
      const b = filter(bRules, support, confidence);
      const { jaccard } = jaccardOf(new Set(a.map(ruleKey)), new Set(b.map(ruleKey)));
      return { support, confidence, nHalfA: a.length, nHalfB: b.length, jaccard };
    }),
  );
  const enough = grid.filter((g) => Math.min(g.nHalfA, g.nHalfB) >= minRules);
  const agreeing = enough.filter((g) => g.jaccard >= target);
  let pick: (typeof grid)[number];
  if (agreeing.length) pick = agreeing.reduce((best, g) => (Math.min(g.nHalfA, g.nHalfB) > Math.min(best.nHalfA, best.nHalfB) ? g : best));
  else {
    const pool = enough.length ? enough : grid;
    pick = pool.reduce((best, g) => (g.jaccard > best.jaccard ? g : best));
  }
  const { support, confidence } = pick;

  const real = filter(realRules, support, confidence);
  const synth = filter(synthRules, support, confidence);
  const a = filter(aRules, support, confidence);
  const b = filter(bRules, support, confidence);
  const bKeys = new Set(b.map(ruleKey));
  const inBoth = new Set(a.map(ruleKey).filter((k) => bKeys.has(k)));
  const synthKeys = new Set(synth.map(ruleKey));
  const stableShare = (rules: AssociationRule[]) => (rules.length === 0 ? 1 : rules.filter((r) => inBoth.has(ruleKey(r))).length / rules.length);

  const shown = real.slice(0, ruleChecks);
  const inSynth = measure(shown, input.synthetic);
  const rules: RuleCheck[] = shown.map((r, i) => ({
    antecedent: r.antecedent,
    consequent: r.consequent,
    support: r.support,
    confidence: r.confidence,
    lift: r.lift,
    syntheticSupport: inSynth[i].support,
    syntheticConfidence: inSynth[i].confidence,
    inSynthetic: synthKeys.has(ruleKey(r)),
    stableInRealHalves: inBoth.has(ruleKey(r)),
  }));
  return {
    support,
    confidence,
    agreed: agreeing.length > 0,
    target,
    minRules,
    grid,
    synthetic: compare(real, synth, input.synthetic),
    realHalves: compare(a, b, input.halfB),
    syntheticRulesStableShare: stableShare(synth),
    realRulesStableShare: stableShare(real),
    rules,
  };
}
