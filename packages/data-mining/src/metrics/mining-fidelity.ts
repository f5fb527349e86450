import { createRng, InvalidDataError, median, totalVariation, UsageError, wasserstein1 } from '@fingan/gan-core';
import { fpGrowth, validateMinSupport, type Baskets, type FrequentItemset } from '../mining/fp-growth.js';
import { associationRules, itemsetKey, ruleKey, type AssociationRule } from '../mining/rules.js';
import { countSupports, popcount } from '../mining/support-count.js';
import { ruleAgreement, type RuleAgreement, type RuleAgreementOptions } from './rule-agreement.js';

export { countSupports };

/**
 * Does mining the synthetic baskets tell an analyst what mining the real ones would, and does it leak them?
 *
 * Fidelity: the same frequent itemsets (precision / recall, by length), the same supports for the real
 * itemsets, the same strongest rules, the same basket sizes and item frequencies.
 * Privacy: how often a synthetic basket is an exact copy of a training basket, and how close synthetic baskets
 * sit to training baskets, each next to the same figure for real data the model never saw, which is what
 * "no closer than new real data" means.
 */

export interface EvaluateMiningInput {
  /** Real baskets (item ids). */
  real: Baskets;
  /** Synthetic baskets, with item ids from the same vocabulary. */
  synthetic: Baskets;
  /** The baskets the generator was trained on (default: `real`). */
  train?: Baskets;
  /** Real baskets the generator never saw: the reference for the nearest-neighbour distance. */
  holdout?: Baskets;
  /** Support threshold for both data sets, a fraction in (0, 1]. */
  minSupport: number;
  /** Seeds the split of the real data into halves and the privacy samples. */
  seed: number;
  /** Longest itemset mined (default 4): keeps a degenerate generator from making the itemset count explode. */
  maxLength?: number;
  /** Rules below this confidence are not compared (default 0.5). */
  minConfidence?: number;
  /** How many rules, strongest lift first, are compared (default 50). */
  topRules?: number;
  /** At most this many query baskets for the nearest-neighbour distances (default 2000, drawn with `seed`). */
  privacySample?: number;
  /** The support/confidence grid and criterion of the rule comparison (see `ruleAgreement`). */
  ruleAgreement?: RuleAgreementOptions;
}

export interface ItemsetLengthMetrics {
  length: number;
  real: number;
  synthetic: number;
  common: number;
  precision: number;
  recall: number;
}

export interface MiningMetrics {
  minSupport: number;
  nReal: number;
  nSynthetic: number;
  nRealItemsets: number;
  nSyntheticItemsets: number;
  nCommonItemsets: number;
  /** Share of the synthetic frequent itemsets that are frequent in the real data (1 when neither has any). */
  itemsetPrecision: number;
  /** Share of the real frequent itemsets that are frequent in the synthetic data (1 when neither has any). */
  itemsetRecall: number;
  byLength: ItemsetLengthMetrics[];
  /**
   * Median over the real frequent itemsets of |s_syn - s_real| / s_real, with s_syn counted directly in the
   * synthetic baskets (frequent there or not). 0 when there are no real itemsets.
   */
  supportMedianRelError: number;
  /** Jaccard overlap (by antecedent and consequent) of the strongest `topRules` rules of each side (1 when both have none). */
  ruleJaccardTop50: number;
  /** The same overlap between two random halves of the real data: what sampling noise alone leaves. */
  ruleJaccardTop50Reference: number;
  topRules: number;
  nRealRules: number;
  nSyntheticRules: number;
  /** Total variation between the distributions of basket sizes. */
  basketSizeTV: number;
  /** Wasserstein-1 distance between basket sizes (in items). */
  basketSizeWasserstein: number;
  meanBasketSizeReal: number;
  meanBasketSizeSynthetic: number;
  /** Total variation between the item shares of all item mentions. */
  itemFrequencyTV: number;
  /** Mean over items of |support_real - support_syn|. */
  itemSupportMAE: number;
  /** Share of synthetic baskets identical (as item sets) to some training basket. */
  exactBasketCopyRate: number;
  /** The same share between two disjoint random halves of the real data: what chance repetition gives. */
  exactBasketCopyRateBaseline: number;
  /** Median Jaccard distance from a synthetic basket to its nearest training basket. */
  nnJaccardSyntheticToTrain: number;
  /** Median Jaccard distance from a holdout basket (or, without holdout, a basket of one real half) to its nearest training basket (other half). */
  nnJaccardHoldoutToTrain: number;
  privacyReference: 'holdout' | 'real-halves';
  /**
   * Rules compared at a support and confidence where two real halves agree, each figure beside the same figure
   * between the halves (see `ruleAgreement`).
   */
  rules: RuleAgreement;
}

/** Everything evaluateMining computed on the way, for reports. */
export interface MiningAnalysis {
  metrics: MiningMetrics;
  realItemsets: FrequentItemset[];
  syntheticItemsets: FrequentItemset[];
  realRules: AssociationRule[];
  syntheticRules: AssociationRule[];
  /** Support of each item id 0..nItems-1. */
  realItemSupport: Float64Array;
  syntheticItemSupport: Float64Array;
  realSizes: Int32Array;
  syntheticSizes: Int32Array;
}

/** Each basket as its distinct items, ascending. */
function canonical(baskets: Baskets, what: string): Int32Array[] {
  if (!Array.isArray(baskets) || baskets.length === 0) {
    throw new InvalidDataError(`${what} baskets: expected a non-empty array of baskets`);
  }
  return baskets.map((b, i) => {
    if (b === null || typeof b !== 'object' || typeof b.length !== 'number') {
      throw new InvalidDataError(`${what} basket ${i} is not an array of item ids`);
    }
    const a = new Int32Array(b.length);
    for (let k = 0; k < b.length; k++) {
      const v = b[k];
      if (!(Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) {
        throw new InvalidDataError(`${what} basket ${i} holds item ${String(v)}: items must be non-negative integer ids`);
      }
      a[k] = v;
    }
    a.sort();
    let m = 0;
    for (let k = 0; k < a.length; k++) if (k === 0 || a[k] !== a[k - 1]) a[m++] = a[k];
    return a.slice(0, m);
  });
}

const basketKey = (b: Int32Array): string => b.join(',');

function checkPositiveInt(v: unknown, flag: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UsageError(`${flag} must be an integer >= 1, got ${String(v)}`, { option: flag });
  return v;
}

/** The fidelity and privacy metrics of synthetic baskets against real ones. */
export function evaluateMining(input: EvaluateMiningInput): MiningMetrics {
  return analyzeMining(input).metrics;
}

export function analyzeMining(input: EvaluateMiningInput): MiningAnalysis {
  validateMinSupport(input?.minSupport);
  const { minSupport, seed } = input;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new UsageError(`seed must be a finite number, got ${String(seed)}`, { option: 'seed' });
  const maxLength = checkPositiveInt(input.maxLength ?? 4, 'maxLength');
  const topRules = checkPositiveInt(input.topRules ?? 50, 'topRules');
  const privacySample = checkPositiveInt(input.privacySample ?? 2000, 'privacySample');
  const minConfidence = input.minConfidence ?? 0.5;
  const real = canonical(input.real, 'real');
  const synthetic = canonical(input.synthetic, 'synthetic');
  if (real.length < 2) throw new InvalidDataError('real baskets: need at least 2 (the privacy baseline splits them in halves)');
  const train = input.train === undefined ? real : canonical(input.train, 'train');
  const holdout = input.holdout === undefined ? null : canonical(input.holdout, 'holdout');

  // Itemsets.
  const realItemsets = fpGrowth(real, { minSupport, maxLength });
  const syntheticItemsets = fpGrowth(synthetic, { minSupport, maxLength });
  const realKeys = new Set(realItemsets.map((s) => itemsetKey(s.items)));
  const synthKeys = new Set(syntheticItemsets.map((s) => itemsetKey(s.items)));
  let common = 0;
  for (const k of synthKeys) if (realKeys.has(k)) common++;
  const lengths = [...new Set([...realItemsets, ...syntheticItemsets].map((s) => s.items.length))].sort((a, b) => a - b);
  const byLength = lengths.map((length) => {
    const r = realItemsets.filter((s) => s.items.length === length);
    const s = syntheticItemsets.filter((x) => x.items.length === length);
    const c = s.filter((x) => realKeys.has(itemsetKey(x.items))).length;
    return { length, real: r.length, synthetic: s.length, common: c, precision: ratio(c, s.length, r.length), recall: ratio(c, r.length, s.length) };
  });

  // Supports of the real itemsets, counted in the synthetic baskets.
  const synthCounts = countSupports(synthetic, realItemsets);
  const relErrors = realItemsets.map((s, i) => Math.abs(synthCounts[i] / synthetic.length - s.support) / s.support);

  // Two seeded random halves of the real data: the reference for rules and the privacy baseline.
  const rng = createRng(seed);
  const perm = rng.permutation(real.length);
  const half = Math.floor(real.length / 2);
  const halfA = Array.from(perm.subarray(0, half), (i) => real[i]);
  const halfB = Array.from(perm.subarray(half), (i) => real[i]);
  const halfAItemsets = fpGrowth(halfA, { minSupport, maxLength });
  const halfBItemsets = fpGrowth(halfB, { minSupport, maxLength });

  // Rules.
  const topRulesOf = (itemsets: FrequentItemset[], n: number) => associationRules(itemsets, { minConfidence, nTransactions: n }).slice(0, topRules);
  const realRules = associationRules(realItemsets, { minConfidence, nTransactions: real.length }).slice(0, topRules);
  const syntheticRules = associationRules(syntheticItemsets, { minConfidence, nTransactions: synthetic.length }).slice(0, topRules);
  const realRuleKeys = new Set(realRules.map(ruleKey));
  const synthRuleKeys = new Set(syntheticRules.map(ruleKey));
  let ruleCommon = 0;
  for (const k of synthRuleKeys) if (realRuleKeys.has(k)) ruleCommon++;
  const ruleUnion = realRuleKeys.size + synthRuleKeys.size - ruleCommon;
  const halfAKeys = new Set(topRulesOf(halfAItemsets, halfA.length).map(ruleKey));
  const halfBKeys = topRulesOf(halfBItemsets, halfB.length).map(ruleKey);
  const halfCommon = halfBKeys.filter((k) => halfAKeys.has(k)).length;
  const halfUnion = halfAKeys.size + halfBKeys.length - halfCommon;
  const rules = ruleAgreement(
    { real, synthetic, halfA, halfB, realItemsets, syntheticItemsets, halfAItemsets, halfBItemsets, minSupport },
    input.ruleAgreement,
  );

  // Sizes and item frequencies.
  const realSizes = Int32Array.from(real, (b) => b.length);
  const syntheticSizes = Int32Array.from(synthetic, (b) => b.length);
  let nItems = 0;
  for (const set of [real, synthetic]) for (const b of set) if (b.length && b[b.length - 1] + 1 > nItems) nItems = b[b.length - 1] + 1;
  const realItemSupport = itemSupport(real, nItems);
  const syntheticItemSupport = itemSupport(synthetic, nItems);
  let mae = 0;
  for (let i = 0; i < nItems; i++) mae += Math.abs(realItemSupport[i] - syntheticItemSupport[i]);

  // Privacy.
  const trainIndex = new NearestBasket(train);
  const synthSample = sample(synthetic, privacySample, rng);
  let nnReference: number[];
  if (holdout !== null) {
    nnReference = sample(holdout, privacySample, rng).map((b) => trainIndex.distance(b));
  } else {
    const halfIndex = new NearestBasket(halfA);
    nnReference = sample(halfB, privacySample, rng).map((b) => halfIndex.distance(b));
  }

  const metrics: MiningMetrics = {
    minSupport,
    nReal: real.length,
    nSynthetic: synthetic.length,
    nRealItemsets: realItemsets.length,
    nSyntheticItemsets: syntheticItemsets.length,
    nCommonItemsets: common,
    itemsetPrecision: ratio(common, synthKeys.size, realKeys.size),
    itemsetRecall: ratio(common, realKeys.size, synthKeys.size),
    byLength,
    supportMedianRelError: relErrors.length ? median(relErrors) : 0,
    ruleJaccardTop50: ruleUnion === 0 ? 1 : ruleCommon / ruleUnion,
    ruleJaccardTop50Reference: halfUnion === 0 ? 1 : halfCommon / halfUnion,
    topRules,
    nRealRules: realRules.length,
    nSyntheticRules: syntheticRules.length,
    basketSizeTV: totalVariation(realSizes, syntheticSizes),
    basketSizeWasserstein: wasserstein1(realSizes, syntheticSizes),
    meanBasketSizeReal: meanOf(realSizes),
    meanBasketSizeSynthetic: meanOf(syntheticSizes),
    itemFrequencyTV: mentionTV(real, synthetic),
    itemSupportMAE: nItems ? mae / nItems : 0,
    exactBasketCopyRate: copyRate(synthetic, train),
    exactBasketCopyRateBaseline: copyRate(halfB, halfA),
    nnJaccardSyntheticToTrain: median(synthSample.map((b) => trainIndex.distance(b))),
    nnJaccardHoldoutToTrain: median(nnReference),
    privacyReference: holdout !== null ? 'holdout' : 'real-halves',
    rules,
  };
  return { metrics, realItemsets, syntheticItemsets, realRules, syntheticRules, realItemSupport, syntheticItemSupport, realSizes, syntheticSizes };
}

/** hits / of, where an empty `of` scores 1 if the other side is empty too (nothing to find, nothing invented), else 0. */
function ratio(hits: number, of: number, other: number): number {
  if (of === 0) return other === 0 ? 1 : 0;
  return hits / of;
}

function meanOf(x: Int32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function itemSupport(baskets: Int32Array[], nItems: number): Float64Array {
  const s = new Float64Array(nItems);
  for (const b of baskets) for (let k = 0; k < b.length; k++) s[b[k]]++;
  for (let i = 0; i < nItems; i++) s[i] /= baskets.length;
  return s;
}

/** TV between the item shares of all mentions (1 when exactly one side mentions no item at all). */
function mentionTV(a: Int32Array[], b: Int32Array[]): number {
  const flat = (x: Int32Array[]) => {
    let n = 0;
    for (const y of x) n += y.length;
    const out = new Int32Array(n);
    let o = 0;
    for (const y of x) {
      out.set(y, o);
      o += y.length;
    }
    return out;
  };
  const fa = flat(a);
  const fb = flat(b);
  if (fa.length === 0 || fb.length === 0) return fa.length === fb.length ? 0 : 1;
  return totalVariation(fa, fb);
}

function copyRate(query: Int32Array[], reference: Int32Array[]): number {
  if (query.length === 0) return 0;
  const keys = new Set(reference.map(basketKey));
  let hits = 0;
  for (const b of query) if (keys.has(basketKey(b))) hits++;
  return hits / query.length;
}

/** Up to `max` baskets drawn without replacement (all of them, in order, when there are few enough). */
function sample(baskets: Int32Array[], max: number, rng: ReturnType<typeof createRng>): Int32Array[] {
  if (baskets.length <= max) return baskets;
  const perm = rng.permutation(baskets.length);
  return Array.from(perm.subarray(0, max), (i) => baskets[i]);
}

/**
 * Nearest reference basket by Jaccard distance 1 - |A n B| / |A u B| (two empty baskets: 0). Reference baskets
 * are de-duplicated, kept as bitsets and grouped by size: a basket of size r is at least 1 - min(r,s)/max(r,s)
 * from one of size s, so the search widens from the query's size and stops once no size can beat the best.
 */
class NearestBasket {
  private readonly words: number;
  private readonly bySize = new Map<number, Uint32Array[]>();
  private readonly sizes: number[];

  constructor(reference: Int32Array[]) {
    let maxItem = 0;
    for (const b of reference) if (b.length && b[b.length - 1] > maxItem) maxItem = b[b.length - 1];
    this.words = (maxItem >>> 5) + 1;
    const seen = new Set<string>();
    for (const b of reference) {
      const key = basketKey(b);
      if (seen.has(key)) continue;
      seen.add(key);
      let list = this.bySize.get(b.length);
      if (list === undefined) this.bySize.set(b.length, (list = []));
      list.push(this.bits(b));
    }
    this.sizes = [...this.bySize.keys()].sort((a, b) => a - b);
  }

  private bits(b: Int32Array): Uint32Array {
    const out = new Uint32Array(this.words);
    for (let k = 0; k < b.length; k++) if (b[k] >>> 5 < this.words) out[b[k] >>> 5] |= 1 << (b[k] & 31);
    return out;
  }

  distance(q: Int32Array): number {
    const s = q.length;
    // Items beyond the reference's largest id are in no reference basket: bits() drops them, and they still
    // count in s, hence in the union.
    const qb = this.bits(q);
    const W = this.words;
    let best = Number.POSITIVE_INFINITY;
    const bound = (r: number) => (r === 0 && s === 0 ? 0 : 1 - Math.min(r, s) / Math.max(r, s));
    // Walk outwards from the query size through the sizes present, in order of their lower bound.
    let hi = this.sizes.findIndex((r) => r >= s);
    if (hi === -1) hi = this.sizes.length;
    let lo = hi - 1;
    while (lo >= 0 || hi < this.sizes.length) {
      const bLo = lo >= 0 ? bound(this.sizes[lo]) : Number.POSITIVE_INFINITY;
      const bHi = hi < this.sizes.length ? bound(this.sizes[hi]) : Number.POSITIVE_INFINITY;
      const useHi = bHi <= bLo;
      const r = useHi ? this.sizes[hi++] : this.sizes[lo--];
      if (Math.min(bLo, bHi) >= best) break;
      for (const rb of this.bySize.get(r)!) {
        let inter = 0;
        for (let w = 0; w < W; w++) inter += popcount(qb[w] & rb[w]);
        const union = s + r - inter;
        const dist = union === 0 ? 0 : 1 - inter / union;
        if (dist < best) {
          best = dist;
          if (best === 0) return 0;
        }
      }
    }
    return best;
  }
}
