// Basket GAN quality over several generator seeds, JSON lines: the demo's protocol (the bundled baskets split 70/30
// by a seeded permutation, seed 0; the GAN fitted on the 70% with its defaults; as many baskets sampled through the
// privacy guard; evaluateMining at min-support 5% against the untouched 30%), for generator seeds 0, 1 and 2, then
// the mean and spread (min, max) of each figure, next to the real 70% mined instead of synthetic data.
// Usage: npm run build && npm run bench -- basket-seeds   (SEEDS=0,1,2 STEPS=n MODELS=dir SHARPNESS_GROUPS=g AVERAGE=d)
// MODELS=dir keeps each fit in dir/seed-N and reuses it when it is there (the sharpness is fitted again, as a fit
// with these settings fits it: it depends on the generator, the training baskets and the seed only).
import { initBackend, readTable } from '@fingan/gan-core';
import { BasketEncoder, BasketGan, evaluateMining, sampleWithoutCopies, splitBaskets } from '@fingan/data-mining';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const seeds = (process.env.SEEDS ?? '0,1,2').split(',').map(Number);
const steps = process.env.STEPS ? Number(process.env.STEPS) : undefined;
const groups = process.env.SHARPNESS_GROUPS ? Number(process.env.SHARPNESS_GROUPS) : undefined;
const average = process.env.AVERAGE ? Number(process.env.AVERAGE) : undefined;
const models = process.env.MODELS;
const { table } = readTable('data/supermarket_baskets_long.csv');
const encoder = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item' });
const { train, holdout } = splitBaskets(encoder.toBaskets(table), 0.7, 0);
const data = encoder.encode(train);
const common = { minSupport: 0.05, seed: 0, train: train.baskets, holdout: holdout.baskets, real: holdout.baskets };

const figures = (m) => {
  const out = {};
  for (const l of m.byLength.filter((x) => x.length >= 2 && x.length <= 4)) {
    out[`len${l.length}Precision`] = l.precision;
    out[`len${l.length}Recall`] = l.recall;
  }
  for (const k of ['itemsetPrecision', 'itemsetRecall', 'supportMedianRelError', 'exactBasketCopyRate', 'exactBasketCopyRateBaseline']) out[k] = m[k];
  for (const k of ['nnJaccardSyntheticToTrain', 'nnJaccardHoldoutToTrain', 'basketSizeTV', 'itemFrequencyTV']) out[k] = m[k];
  return out;
};
const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(4) : v]));

const runs = [];
for (const seed of seeds) {
  const dir = models ? join(models, `seed-${seed}`) : null;
  let gan;
  if (dir && existsSync(join(dir, 'state.json'))) {
    gan = await BasketGan.load(dir);
    if (groups !== undefined && gan.args.sharpnessGroups !== groups) {
      gan.args.sharpnessGroups = groups;
      gan.calibrateSharpness(data); // as a fit with these settings would (see above)
    }
  } else {
    gan = new BasketGan(encoder, { seed, steps, sharpnessGroups: groups, weightAverage: average });
    await gan.fit(data);
    if (dir) await gan.save(dir);
  }
  const { baskets, copiesDropped } = sampleWithoutCopies(gan, train.baskets.length, seed + 1, train.baskets);
  const f = figures(evaluateMining({ ...common, synthetic: baskets }));
  runs.push(f);
  const sharpness = gan.sharpnessBySize.map((g) => [g.maxSize === Infinity ? null : g.maxSize, +g.scale.toFixed(3)]);
  console.log(JSON.stringify({ bench: 'basket-seeds', seed, steps: gan.lossHistory.length, sharpness, copiesDropped, ...round(f) }));
  gan.dispose();
}
const summary = {};
for (const k of Object.keys(runs[0])) {
  const v = runs.map((r) => r[k]);
  summary[k] = { mean: +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(4), min: +Math.min(...v).toFixed(4), max: +Math.max(...v).toFixed(4) };
}
console.log(JSON.stringify({ bench: 'basket-seeds', seeds, summary }));
console.log(
  JSON.stringify({ bench: 'basket-seeds', model: 'real-train-vs-holdout', ...round(figures(evaluateMining({ ...common, synthetic: train.baskets }))) }),
);
