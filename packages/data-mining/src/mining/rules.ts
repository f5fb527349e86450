import { UsageError } from '@fingan/gan-core';

/**
 * Association rules A -> C from frequent itemsets (Agrawal, Imielinski & Swami, 1993): every split of each
 * itemset I into a non-empty antecedent A and consequent C = I \ A, with
 *   support = s(I), confidence = s(I) / s(A), lift = confidence / s(C).
 * The supports of A and C are looked up among the itemsets (every subset of a frequent itemset is frequent, so
 * fpGrowth's full output contains them).
 */

export interface AssociationRule {
  /** Item ids, ascending. */
  antecedent: number[];
  consequent: number[];
  support: number;
  confidence: number;
  lift: number;
  /** Baskets holding antecedent and consequent (only with `nTransactions`). */
  count?: number;
}

export interface AssociationRuleOptions {
  /** Smallest confidence, in [0, 1]. */
  minConfidence: number;
  /** Number of baskets the supports refer to: when given, each rule also carries its basket count. */
  nTransactions?: number;
}

export interface ItemsetSupport {
  items: readonly number[];
  support: number;
  /**
   * Number of baskets (as fpGrowth gives it). When every itemset has one, confidence and lift are computed from
   * the integer counts, so equal ratios compare equal (3/4 and 6/8) and rule order does not hinge on rounding.
   */
  count?: number;
}

/** Itemsets longer than this would need more than 2^31 splits each: a bitmask enumerates the splits. */
const MAX_RULE_ITEMSET = 30;

export const itemsetKey = (items: readonly number[]): string => items.join(',');

/** All rules reaching `minConfidence`, strongest lift first (then confidence, support, and item ids). */
export function associationRules(itemsets: readonly ItemsetSupport[], options: AssociationRuleOptions): AssociationRule[] {
  const { minConfidence, nTransactions } = options ?? ({} as AssociationRuleOptions);
  if (typeof minConfidence !== 'number' || !(minConfidence >= 0 && minConfidence <= 1)) {
    throw new UsageError(`minConfidence must be in [0, 1], got ${String(minConfidence)}`, { option: 'minConfidence' });
  }
  if (nTransactions !== undefined && !(Number.isInteger(nTransactions) && nTransactions > 0)) {
    throw new UsageError(`nTransactions must be a positive integer, got ${String(nTransactions)}`, { option: 'nTransactions' });
  }
  const useCounts = itemsets.length > 0 && itemsets.every((s) => Number.isInteger(s.count) && (s.count as number) > 0);
  // With counts, "support" below holds counts and n the number of baskets; ratios of integers are exact.
  let n = 1;
  if (useCounts) {
    const s0 = itemsets[0];
    n = nTransactions ?? Math.round((s0.count as number) / s0.support);
  }
  const support = new Map<string, number>();
  const sets: { items: number[]; support: number }[] = [];
  for (const s of itemsets) {
    const items = [...s.items].sort((a, b) => a - b);
    if (!(s.support > 0 && s.support <= 1)) {
      throw new UsageError(`itemset {${items.join(', ')}} has support ${s.support}; supports must be fractions in (0, 1]`);
    }
    const v = useCounts ? (s.count as number) : s.support;
    support.set(itemsetKey(items), v);
    sets.push({ items, support: v });
  }
  const lookup = (items: number[], of: number[]) => {
    const v = support.get(itemsetKey(items));
    if (v === undefined) {
      throw new UsageError(
        `the support of {${items.join(', ')}} (a subset of {${of.join(', ')}}) is missing: pass every frequent itemset, as fpGrowth returns them`,
      );
    }
    return v;
  };
  // Supports given only as fractions carry rounding: a confidence a hair under the threshold still counts.
  const eps = useCounts ? 0 : 1e-12;
  const rules: AssociationRule[] = [];
  for (const { items, support: sI } of sets) {
    const k = items.length;
    if (k < 2) continue;
    if (k > MAX_RULE_ITEMSET) throw new UsageError(`itemset of ${k} items is too long for rule generation (at most ${MAX_RULE_ITEMSET})`);
    const full = 2 ** k - 1;
    for (let mask = 1; mask < full; mask++) {
      const a: number[] = [];
      const c: number[] = [];
      for (let i = 0; i < k; i++) (mask & (1 << i) ? a : c).push(items[i]);
      const sA = lookup(a, items);
      const confidence = Math.min(1, sI / sA);
      if (confidence < minConfidence - eps) continue;
      const sC = lookup(c, items);
      const lift = useCounts ? (sI * n) / (sA * sC) : confidence / sC;
      const rule: AssociationRule = { antecedent: a, consequent: c, support: useCounts ? sI / n : sI, confidence, lift };
      if (nTransactions !== undefined) rule.count = useCounts ? sI : Math.round(sI * nTransactions);
      rules.push(rule);
    }
  }
  rules.sort(compareRules);
  return rules;
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Strongest first: lift, confidence, support descending; then item ids, so the order never depends on input order. */
export function compareRules(x: AssociationRule, y: AssociationRule): number {
  return (
    y.lift - x.lift || y.confidence - x.confidence || y.support - x.support || compareIds(x.antecedent, y.antecedent) || compareIds(x.consequent, y.consequent)
  );
}

/** Identity of a rule (antecedent and consequent), for comparing rule sets. */
export function ruleKey(r: { antecedent: readonly number[]; consequent: readonly number[] }): string {
  return `${itemsetKey(r.antecedent)}=>${itemsetKey(r.consequent)}`;
}
