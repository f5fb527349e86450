export { fpGrowth, compareItemsets, minCountFor } from './mining/fp-growth.js';
export type { FrequentItemset, FpGrowthOptions, Baskets } from './mining/fp-growth.js';
