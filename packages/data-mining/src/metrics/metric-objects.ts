/**
 * The mining metrics as metric objects (gan-core's `Metric`: name, title, goal, range, one compute), each read from one
 * comparison of real and synthetic baskets (`evaluateMining`, which mines each side once). `MINING_METRICS` lists them
 * in report order; the report's Scores table iterates over them.
 */
import { defineMetric, type Metric } from '@fingan/gan-core/stats';
import type { MiningMetrics } from './mining-fidelity.js';

type Key = { [K in keyof MiningMetrics]: MiningMetrics[K] extends number ? K : never }[keyof MiningMetrics];

function fromMetrics(name: Key, title: string, description: string, goal: 'maximize' | 'minimize', range: [number, number] = [0, 1]): Metric<MiningMetrics> {
  return defineMetric<MiningMetrics>({ name, title, description, goal, range, compute: (m) => ({ value: m[name], detail: undefined }) });
}

export const ItemsetPrecision = fromMetrics(
  'itemsetPrecision',
  'Itemset precision',
  'Share of the synthetic frequent itemsets that are frequent in the real data (1 = none invented).',
  'maximize',
);
export const ItemsetRecall = fromMetrics(
  'itemsetRecall',
  'Itemset recall',
  'Share of the real frequent itemsets that are frequent in the synthetic data (1 = none lost).',
  'maximize',
);
export const SupportError = fromMetrics(
  'supportMedianRelError',
  'Median relative support error',
  'Median over the real frequent itemsets of |synthetic support - real support| / real support.',
  'minimize',
  [0, Infinity],
);
export const RuleOverlap = fromMetrics(
  'ruleJaccardTop50',
  'Rule overlap (top rules by lift)',
  'Jaccard overlap of the strongest rules of each side; compare with two real halves.',
  'maximize',
);
export const BasketSizeTv = fromMetrics(
  'basketSizeTV',
  'Basket size TV distance',
  'Total variation between the basket-size distributions (0 = the same).',
  'minimize',
);
export const ItemFrequencyTv = fromMetrics(
  'itemFrequencyTV',
  'Item frequency TV distance',
  'Total variation between the item shares of all mentions (0 = the same).',
  'minimize',
);
export const ExactCopyRate = fromMetrics(
  'exactBasketCopyRate',
  'Exact basket copies',
  'Share of synthetic baskets identical to a training basket; compare with two real halves.',
  'minimize',
);
export const NearestBasketDistance = fromMetrics(
  'nnJaccardSyntheticToTrain',
  'Distance to the nearest training basket',
  'Median Jaccard distance from a synthetic basket to its nearest training basket (higher = further from copying).',
  'maximize',
);

export const MINING_METRICS = [
  ItemsetPrecision,
  ItemsetRecall,
  SupportError,
  RuleOverlap,
  BasketSizeTv,
  ItemFrequencyTv,
  ExactCopyRate,
  NearestBasketDistance,
] as const;
