/**
 * The steps the CLI and the demo share: read long-form transactions, split baskets, sample the basket GAN,
 * mine rules, and compare mining on real and synthetic transactions.
 */
import { InvalidDataError, Rng, UsageError, concatTables, rowCount, type Table } from '@fingan/gan-core';
import { BasketEncoder, type BasketData } from './encoder/basket-encoder.js';
import type { TransactionColumns } from './schema/transactions.js';
import { fpGrowth } from './mining/fp-growth.js';
import { associationRules, type AssociationRule } from './mining/rules.js';
import type { EvaluateMiningInput } from './metrics/mining-fidelity.js';
import type { BasketGan } from './model/basket-gan.js';
import { fitSegments } from './segments/segments.js';

/** Split baskets into train and holdout by a seeded permutation. */
export function splitBaskets(data: BasketData, trainFraction: number, seed: number): { train: BasketData; holdout: BasketData } {
  const n = data.baskets.length;
  const perm = new Rng(seed).permutation(n);
  const nTrain = Math.round(trainFraction * n);
  const pick = (idx: ArrayLike<number>): BasketData => ({
    ids: Array.from(idx, (i) => data.ids[i]),
    baskets: Array.from(idx, (i) => data.baskets[i]),
    attributes: Object.fromEntries(Object.entries(data.attributes).map(([k, v]) => [k, Array.from(idx, (i) => v[i])])),
  });
  return { train: pick(perm.subarray(0, nTrain)), holdout: pick(perm.subarray(nTrain)) };
}

/** Synthetic transactions in long form (transaction ids 1..n), with attribute columns when the model has them. */
export function sampleTransactions(gan: BasketGan, n: number, seed: number): Table {
  const { baskets, conditions } = gan.sample(n, { seed });
  const attributes = gan.encoder.nConditions ? gan.encoder.decodeConditions(conditions) : undefined;
  return gan.encoder.toLongForm(baskets, { attributes });
}

const basketKey = (b: ArrayLike<number>) => Array.from(b).join(',');

/**
 * The privacy guard: sample n baskets, dropping any that equals a training basket exactly and drawing more in their
 * place. Returns the baskets and how many copies were dropped.
 */
export function sampleWithoutCopies(
  gan: BasketGan,
  n: number,
  seed: number,
  train: readonly ArrayLike<number>[],
): { baskets: Int32Array[]; copiesDropped: number } {
  const seen = new Set(train.map(basketKey));
  const out: Int32Array[] = [];
  let copiesDropped = 0;
  for (let round = 0; out.length < n; round++) {
    if (round >= 20)
      throw new InvalidDataError(`the generator keeps reproducing training baskets: ${copiesDropped} copies dropped, ${out.length} of ${n} kept`);
    const { baskets } = gan.sample(n - out.length, { seed: seed + round * 7919 });
    for (const b of baskets) {
      if (seen.has(basketKey(b))) copiesDropped++;
      else out.push(b);
    }
  }
  return { baskets: out, copiesDropped };
}

export interface RuleRow {
  antecedent: string;
  consequent: string;
  support: number;
  confidence: number;
  lift: number;
}

/** FP-growth and association rules on a long-form table; rules strongest lift first, items by name. */
export function mineRules(table: Table, cols: TransactionColumns, opts: { minSupport: number; minConfidence: number; maxLength?: number }): RuleRow[] {
  const enc = BasketEncoder.fit(table, cols);
  const data = enc.toBaskets(table);
  const itemsets = fpGrowth(data.baskets, { minSupport: opts.minSupport, maxLength: opts.maxLength });
  const rules = associationRules(itemsets, { minConfidence: opts.minConfidence, nTransactions: data.baskets.length });
  const name = (i: number) => String(enc.items[i]);
  return rules.map((r: AssociationRule) => ({
    antecedent: r.antecedent.map(name).join(' & '),
    consequent: r.consequent.map(name).join(' & '),
    support: r.support,
    confidence: r.confidence,
    lift: r.lift,
  }));
}

/**
 * The input for `evaluateMining` / `miningReport` from real and synthetic long-form transactions. Both are mapped
 * through one vocabulary (the union of their items), so a synthetic item the real data lacks counts against
 * precision rather than failing.
 */
export function comparisonInput(
  real: Table,
  synthetic: Table,
  cols: TransactionColumns,
  opts: { minSupport: number; seed: number; train?: Table; maxLength?: number },
): { input: EvaluateMiningInput; itemNames: (string | number)[] } {
  const tag = (t: Table, prefix: string): Table => {
    const out: Table = { [cols.transactionColumn]: t[cols.transactionColumn].map((v) => `${prefix}${String(v)}`), [cols.itemColumn]: t[cols.itemColumn] };
    return out;
  };
  for (const [t, what] of [
    [real, 'real'],
    [synthetic, 'synthetic'],
  ] as const) {
    if (rowCount(t) === 0) throw new InvalidDataError(`the ${what} transactions are empty`);
    for (const c of [cols.transactionColumn, cols.itemColumn])
      if (!(c in t)) throw new InvalidDataError(`the ${what} transactions have no column '${c}'`, { column: c });
  }
  const parts = [tag(real, 'r:'), tag(synthetic, 's:')];
  if (opts.train) parts.push(tag(opts.train, 't:'));
  const enc = BasketEncoder.fit(concatTables(parts), cols);
  const realB = enc.toBaskets(parts[0]).baskets;
  const synB = enc.toBaskets(parts[1]).baskets;
  const trainB = opts.train ? enc.toBaskets(parts[2]).baskets : undefined;
  checkMinSupport(opts.minSupport);
  const input: EvaluateMiningInput = {
    real: realB,
    synthetic: synB,
    train: trainB,
    holdout: trainB ? realB : undefined,
    minSupport: opts.minSupport,
    seed: opts.seed,
    maxLength: opts.maxLength,
  };
  return { input, itemNames: [...enc.items] };
}

export function checkMinSupport(v: number, option = 'minSupport'): void {
  if (!(v > 0 && v <= 1)) throw new UsageError(`must be a fraction in (0, 1], got ${v}`, { option });
}

/** What `fingan mining segments` writes: the chosen k, each segment's size and item profile, and each transaction's segment. */
export interface SegmentsFile {
  k: number;
  criterion: 'fixed' | 'silhouette';
  /** Mean silhouette of each k tried (empty when k was given). */
  silhouetteByK: { k: number; silhouette: number }[];
  nBaskets: number;
  seed: number;
  segments: {
    segment: number;
    size: number;
    share: number;
    /** Share of the segment's baskets holding each item, items by name, largest share first (items at 0 left out). */
    profile: { item: string; share: number }[];
  }[];
  /** Segment of each transaction, in the order transactions first appear in the data. */
  assignments: { transaction: string | number; segment: number }[];
}

/**
 * Segment the baskets of a long-form table by k-means on their item profiles, k fixed or chosen by silhouette over
 * `kRange` (see fitSegments). Segments are numbered from 1. `k` above the number of baskets is a UsageError on `--k`.
 */
export function mineSegments(table: Table, cols: TransactionColumns, opts: { seed: number; k?: number; kRange?: readonly [number, number] }): SegmentsFile {
  const enc = BasketEncoder.fit(table, cols);
  const data = enc.toBaskets(table);
  const n = data.baskets.length;
  if (opts.k !== undefined && opts.k > n) throw new UsageError(`k = ${opts.k} exceeds the number of baskets (${n})`, { option: 'k' });
  if (opts.k === undefined && opts.kRange && opts.kRange[0] > n) {
    throw new UsageError(`the smallest k (${opts.kRange[0]}) exceeds the number of baskets (${n})`, { option: 'kRange' });
  }
  const seg = fitSegments(data.baskets, { seed: opts.seed, k: opts.k, kRange: opts.kRange, nItems: enc.nItems });
  const segments = seg.profiles.map((p, j) => ({
    segment: j + 1,
    size: seg.sizes[j],
    share: seg.shares[j],
    profile: Array.from(p.keys())
      .filter((i) => p[i] > 0)
      .sort((x, y) => p[y] - p[x] || x - y)
      .map((i) => ({ item: String(enc.items[i]), share: p[i] })),
  }));
  return {
    k: seg.k,
    criterion: seg.criterion,
    silhouetteByK: seg.silhouetteByK,
    nBaskets: n,
    seed: opts.seed,
    segments,
    assignments: data.ids.map((id, i) => ({ transaction: id as string | number, segment: seg.labels[i] + 1 })),
  };
}
