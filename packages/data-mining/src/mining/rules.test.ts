import { describe, expect, it } from 'vitest';
import { UsageError } from '@fingan/gan-core';
import { fpGrowth } from './fp-growth.js';
import { associationRules, ruleKey } from './rules.js';

// Tan, Steinbach & Kumar, "Introduction to Data Mining", Table 6.1 (as in fp-growth.test.ts).
const BREAD = 0,
  MILK = 1,
  DIAPER = 2,
  BEER = 3,
  EGGS = 4,
  COKE = 5;
const TEXTBOOK = [
  [BREAD, MILK],
  [BREAD, DIAPER, BEER, EGGS],
  [MILK, DIAPER, BEER, COKE],
  [BREAD, MILK, DIAPER, BEER],
  [BREAD, MILK, DIAPER, COKE],
];
const ITEMSETS = fpGrowth(TEXTBOOK, { minSupport: 0.4 });
const find = (rules: ReturnType<typeof associationRules>, a: number[], c: number[]) =>
  rules.find((r) => ruleKey(r) === ruleKey({ antecedent: a, consequent: c }));

describe('associationRules', () => {
  it('computes support, confidence and lift by the definitions', () => {
    const rules = associationRules(ITEMSETS, { minConfidence: 0 });
    // {Milk, Diaper} -> {Beer}: s = 2/5, conf = s(MDB)/s(MD) = 0.4/0.6, lift = conf / s(Beer) = (2/3)/0.6.
    const mdb = find(rules, [MILK, DIAPER], [BEER])!;
    expect(mdb.support).toBeCloseTo(0.4, 12);
    expect(mdb.confidence).toBeCloseTo(2 / 3, 12);
    expect(mdb.lift).toBeCloseTo(10 / 9, 12);
    // {Diaper} -> {Beer}: conf = 0.6/0.8 = 0.75, lift = 0.75/0.6 = 1.25; {Beer} -> {Diaper}: conf 1, lift 1/0.8.
    expect(find(rules, [DIAPER], [BEER])).toMatchObject({ support: 0.6, confidence: 0.75 });
    expect(find(rules, [DIAPER], [BEER])!.lift).toBeCloseTo(1.25, 12);
    expect(find(rules, [BEER], [DIAPER])!.confidence).toBe(1);
    // {Bread} -> {Milk}: conf = 0.6/0.8 = 0.75, lift = 0.75/0.8 = 0.9375 (a negative association).
    expect(find(rules, [BREAD], [MILK])!.lift).toBeCloseTo(0.9375, 12);
    // 8 pairs give 2 rules each, 4 triples give 6 each: 16 + 24 = 40 rules.
    expect(rules.length).toBe(40);
    // Supports alone (no counts) give the same rules up to rounding.
    const fromSupports = associationRules(
      ITEMSETS.map(({ items, support }) => ({ items, support })),
      { minConfidence: 0 },
    );
    expect(fromSupports.length).toBe(40);
    for (const r of fromSupports) expect(r.lift).toBeCloseTo(find(rules, r.antecedent, r.consequent)!.lift, 12);
  });

  it('keeps only rules at the confidence threshold, strongest lift first', () => {
    const rules = associationRules(ITEMSETS, { minConfidence: 1, nTransactions: 5 });
    // The 8 rules with confidence 1 (s(A) = s(A u C)); {Coke} -> {Milk, Diaper} has lift 1 / 0.6, the rest 1.25.
    expect(rules.map((r) => [r.antecedent, r.consequent])).toEqual([
      [[COKE], [MILK, DIAPER]],
      [[BEER], [DIAPER]], // support 0.6 ranks first among the ties
      [[BREAD, BEER], [DIAPER]],
      [[MILK, BEER], [DIAPER]],
      [[MILK, COKE], [DIAPER]],
      [[DIAPER, COKE], [MILK]],
      [[COKE], [MILK]],
      [[COKE], [DIAPER]],
    ]);
    expect(rules[0].lift).toBeCloseTo(5 / 3, 12);
    expect(rules[1].count).toBe(3);
    expect(rules[2].count).toBe(2);
  });

  it('rejects a bad threshold and itemsets whose subsets are missing', () => {
    expect(() => associationRules(ITEMSETS, { minConfidence: 1.2 })).toThrow(UsageError);
    expect(() => associationRules(ITEMSETS, { minConfidence: -1 })).toThrow(/minConfidence must be in \[0, 1\]/);
    expect(() => associationRules([{ items: [1, 2], support: 0.5 }], { minConfidence: 0.1 })).toThrow(
      /the support of \{1\} \(a subset of \{1, 2\}\) is missing/,
    );
    expect(() => associationRules(ITEMSETS, { minConfidence: 0.5, nTransactions: 0 })).toThrow(/nTransactions must be a positive integer/);
  });
});
