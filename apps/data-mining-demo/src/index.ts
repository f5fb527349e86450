/**
 * `fingan demo mining`: the bundled supermarket transactions (4,627 real baskets over 122 departments) split 70/30 by
 * basket with the seed, a basket GAN fitted on the 70%, as many synthetic baskets sampled, and mining on them
 * compared with mining on the untouched 30% (itemsets at min-support 5%, supports, top rules) plus privacy.
 * The same comparison of the real 70% against the real 30% is the reference: the best a perfect generator could do.
 * Segments (k-means on basket item profiles, k by silhouette over 2..8 on the holdout) are compared the same way, with
 * two halves of the holdout as their reference; rules are compared where two real halves agree.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable, trainingProgress, writeFileAtomic, writeTable, type Logger } from '@fingan/gan-core';
import { BasketEncoder, BasketGan, evaluateMining, miningReport, sampleWithoutCopies, segmentFidelity, splitBaskets } from '@fingan/data-mining';

/** The bundled data set (see data/PROVENANCE.md). */
export const BASKETS_DATA = fileURLToPath(new URL('../../../data/supermarket_baskets_long.csv', import.meta.url));

export interface MiningDemoArgs {
  out: string;
  /** QUICK_STEPS generator steps instead of the basket GAN's default (see QUICK_STEPS). */
  quick: boolean;
  seed: number;
  log: Logger;
  /** For tests: fewer generator steps than even the quick run. */
  /** For tests: fewer generator steps, a higher minimum support (fewer itemsets to mine and compare). */
  overrides?: { steps?: number; minSupport?: number };
}

export const MIN_SUPPORT = 0.05;

/**
 * Generator steps of the quick demo (the full demo runs the basket GAN's MINING_DEFAULT_STEPS), chosen so that the
 * quick demo's itemset recall stays within 0.1 of the full run's (see the data-mining README).
 */
export const QUICK_STEPS = 300;

/** The range k is chosen from (largest mean silhouette on the holdout baskets). */
export const SEGMENT_K_RANGE = [2, 8] as const;

/** Run the demo; writes train.csv, holdout.csv, synthetic.csv, model/, metrics.json and report.html under `out`. */
export async function runMiningDemo(args: MiningDemoArgs): Promise<{ summary: Record<string, unknown> }> {
  const cols = { transactionColumn: 'tid', itemColumn: 'item' };
  const { table } = readTable(BASKETS_DATA);
  const encoder = BasketEncoder.fit(table, cols);
  const { train, holdout } = splitBaskets(encoder.toBaskets(table), 0.7, args.seed);
  args.log.info(`mining: ${train.baskets.length} training and ${holdout.baskets.length} holdout baskets (seeded 70/30 split)`);
  mkdirSync(args.out, { recursive: true });
  writeTable(join(args.out, 'train.csv'), encoder.toLongForm(train.baskets, { ids: train.ids }));
  writeTable(join(args.out, 'holdout.csv'), encoder.toLongForm(holdout.baskets, { ids: holdout.ids }));

  const gan = new BasketGan(encoder, { seed: args.seed, steps: args.overrides?.steps ?? (args.quick ? QUICK_STEPS : undefined) });
  await gan.fit(encoder.encode(train), { onEvent: trainingProgress(args.log, 'mining: training', { losses: false }) });
  await gan.save(join(args.out, 'model'));
  // Privacy guard: no synthetic basket may equal a training basket.
  const { baskets: synthetic, copiesDropped } = sampleWithoutCopies(gan, train.baskets.length, args.seed + 1, train.baskets);
  args.log.info(`mining: sampled ${synthetic.length} baskets; dropped ${copiesDropped} that copied a training basket`);
  writeTable(join(args.out, 'synthetic.csv'), encoder.toLongForm(synthetic));

  const common = { minSupport: args.overrides?.minSupport ?? MIN_SUPPORT, seed: args.seed, train: train.baskets, holdout: holdout.baskets };
  const segments = segmentFidelity({ real: holdout.baskets, synthetic, seed: args.seed, kRange: SEGMENT_K_RANGE, nItems: encoder.nItems });
  args.log.info(
    `mining: ${segments.k} segments; assignment agreement ${segments.synthetic.assignmentAgreement.toFixed(3)} (real halves ${segments.realHalves.assignmentAgreement.toFixed(3)})`,
  );
  const { html, metrics } = miningReport({
    segments,
    ...common,
    real: holdout.baskets,
    synthetic,
    itemNames: encoder.items,
    title: 'Synthetic supermarket baskets: does mining find the real patterns?',
  });
  // What a perfect generator would score: the real training baskets mined against the real holdout.
  const reference = evaluateMining({ ...common, real: holdout.baskets, synthetic: train.baskets });
  // Nothing here depends on the clock: the same seed gives the same metrics.json on any machine, busy or idle.
  const { realSegments: _r, syntheticSegments: _s, ...segmentMetrics } = segments;
  const out = { synthetic: metrics, realTrainVsHoldout: reference, segments: segmentMetrics, copiesDropped, steps: gan.lossHistory.length, quick: args.quick };
  writeFileAtomic(join(args.out, 'metrics.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileAtomic(join(args.out, 'report.html'), html);
  const keys = [
    'itemsetPrecision',
    'itemsetRecall',
    'supportMedianRelError',
    'ruleJaccardTop50',
    'exactBasketCopyRate',
    'exactBasketCopyRateBaseline',
  ] as const;
  return {
    summary: {
      ...Object.fromEntries(keys.map((k) => [k, +metrics[k].toFixed(4)])),
      segments: segments.k,
      segmentAgreement: +segments.synthetic.assignmentAgreement.toFixed(4),
      segmentAgreementRealHalves: +segments.realHalves.assignmentAgreement.toFixed(4),
    },
  };
}

/** For `fingan demo mining` (see apps/cli/src/commands/demo.ts). */
export const miningDemo = {
  name: 'mining',
  summary: 'supermarket baskets: fit a basket GAN, sample, compare itemsets, rules and privacy with real data',
  run: runMiningDemo,
};
