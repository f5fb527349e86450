// Choosing the GAN's augmentation settings (issue #15) without looking at the test split, and scoring the choice.
// One FraudGanSynthesizer fit per (split, setting, seed) with the default settings, saved in a cache directory (a model
// directory holds no training row) and reused by every variant, so variants compare ways of using one fit.
// split 'val': the bench's training split (stratified 70/30, seed 0) split again 70/30 (seed 1): fit on the 70,
// score on the 30 (the test split is never read). split 'test': the bench's own split (tools/bench/fraud.mjs), so a
// variant's test figures are those the bench would print for it (same tables, seeds and streams as evaluateAugmentation).
// Settings: natural, a prevalence (0.01) or an integer >= 2 for that many training positives (25), as in fraud.mjs.
// Variants: 'base' (none, class weights, SMOTE, SMOTE-NC); otherwise tokens g<P> (P% GAN rows, the rest SMOTE rows;
// g50 is method 'gan+smote', g100 'gan'), m<M> (add at most M x the real positives instead of ratio 1), k<K>
// (candidates per kept row for the detector filter, default 16), e.g. g50, g100, m4-g50.
// Usage: npm run build && node tools/bench/fraud-gan-select.mjs val|test natural|0.01|25 1,2 base,g100,g50,m4-g50
// (FRAUD_GAN_CACHE=dir, default /tmp/fraud-gan-cache; `fit` as the variant list fits and caches only.)
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, readTable, takeRows } from '@fingan/gan-core';
import { FraudGanSynthesizer, augment, evaluateAugmentation, splitByLabel, stratifiedSplit } from '@fingan/fraud-detection';

await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const [split, setting, seedList, variantList] = process.argv.slice(2);
if (!['val', 'test'].includes(split) || !setting || !seedList || !variantList) {
  console.error('usage: node tools/bench/fraud-gan-select.mjs val|test natural|0.01|25 1,2,3 base,g100,g50');
  process.exit(2);
}
const cache = process.env.FRAUD_GAN_CACHE ?? '/tmp/fraud-gan-cache';
const seeds = seedList.split(',').map(Number);
const { table } = readTable(fileURLToPath(new URL('../../data/lending_club_2016q1.csv', import.meta.url)));
const outer = stratifiedSplit(table, 'Class', 'bad', 0.3, 0);
const { train, test } = split === 'test' ? outer : stratifiedSplit(outer.train, 'Class', 'bad', 0.3, 1);
const full = splitByLabel(train, 'Class', 'bad');
const nNeg = full.negatives.length;
const x = Number(setting);
const prevalence = setting === 'natural' ? undefined : x >= 2 && Number.isInteger(x) ? x / (nNeg + x) : x;
const nPos = prevalence === undefined ? full.positives.length : Math.round((prevalence * nNeg) / (1 - prevalence));

// The training table and augment seed of one evaluation seed, drawn as evaluateAugmentation draws them.
function seedTable(seed) {
  const rng = createRng(seed);
  const sub = rng.fork();
  const augmentSeed = rng.uint32();
  const keep = sub.permutation(full.positives.length).subarray(0, nPos);
  const rows = [...full.negatives, ...Array.from(keep, (i) => full.positives[i])].sort((a, b) => a - b);
  return { table: nPos === full.positives.length ? train : takeRows(train, rows), augmentSeed };
}
const dirOf = (augmentSeed) => `${cache}/${split}-${setting}-${augmentSeed}`;
const models = new Map();
async function model(t, augmentSeed) {
  const dir = dirOf(augmentSeed);
  if (models.has(dir)) return models.get(dir);
  let gan;
  if (existsSync(`${dir}/done`)) gan = await FraudGanSynthesizer.load(dir);
  else {
    // What createGanSampler does for method 'gan' with the default settings.
    gan = new FraudGanSynthesizer({ label: 'Class', positive: 'bad', seed: augmentSeed });
    await gan.fit(t);
    await gan.save(dir);
    writeFileSync(`${dir}/done`, '');
  }
  models.set(dir, gan);
  return gan;
}
if (variantList === 'fit') {
  for (const s of seeds) {
    const { table: t, augmentSeed } = seedTable(s);
    (await model(t, augmentSeed)).dispose();
    models.clear();
  }
  process.exit(0);
}

for (const variant of variantList.split(',')) {
  const g = +(variant.match(/g(\d+)/)?.[1] ?? 100);
  const k = +(variant.match(/k(\d+)/)?.[1] ?? 16);
  const m = variant.match(/m([\d.]+)/) ? +variant.match(/m([\d.]+)/)[1] : null;
  const sampler = async (t, label, positive, n, sd) => {
    const rows = (await model(t, sd)).sample(n, { seed: sd + 1, filterWith: t, candidates: k });
    const nGan = Math.ceil((n * g) / 100);
    if (nGan === n) return rows;
    // As augment's 'gan+smote': the GAN's first rows, then SMOTE's from the augment seed.
    const s = (await augment(t, { label, positive, method: 'smote', count: n - nGan, seed: sd, markSynthetic: false })).synthetic;
    return Object.fromEntries(Object.keys(rows).map((c) => [c, [...rows[c].slice(0, nGan), ...s[c]]]));
  };
  let ratio;
  if (m !== null) {
    const n = Math.min(nNeg - nPos, Math.round(m * nPos));
    ratio = n >= nNeg - nPos ? undefined : (nPos + n + 0.5) / nNeg;
  }
  const r = await evaluateAugmentation({
    train,
    test,
    label: 'Class',
    positive: 'bad',
    seeds,
    prevalence,
    ratio,
    allowFewerSeeds: true,
    methods: variant === 'base' ? ['class-weights', 'smote', 'smotenc'] : ['gan'],
    ganSampler: sampler,
  });
  for (const mr of r.methods) {
    if (variant !== 'base' && mr.method === 'none') continue;
    const round = (v) => +v.toFixed(4);
    const stat = (s) => ({ mean: round(s.mean), sd: round(s.sd), values: s.values.map(round) });
    console.log(
      JSON.stringify({
        split,
        setting,
        variant: mr.method === 'gan' ? variant : mr.method,
        added: mr.added[0],
        prAuc: stat(mr.metrics.prAuc),
        recallAtP90: stat(mr.metrics.recallAtP90),
        rocAuc: stat(mr.metrics.rocAuc),
      }),
    );
  }
}
