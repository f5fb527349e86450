// Choosing the GAN's augmentation settings (issue #15) without looking at the test split, and scoring the choice.
// One FraudGanSynthesizer fit per (split, setting, seed) with the default settings, saved in a cache directory (a model
// directory holds no training row) and reused by every variant, so variants compare ways of using one fit.
// split 'val': the bench's training split (stratified 70/30, seed 0) split again 70/30 (seed 1): fit on the 70,
// score on the 30 (the test split is never read). split 'test': the bench's own split (tools/bench/fraud.mjs), so a
// variant's test figures are those the bench would print for it (same tables, seeds and streams as evaluateAugmentation).
// Settings: natural, a prevalence (0.01) or an integer >= 2 for that many training positives (25), as in fraud.mjs.
// Variants: 'base' (none, class weights, SMOTE, SMOTE-NC); otherwise tokens g<P> (P% GAN rows, the rest SMOTE rows;
// g50 is method 'gan+smote', g100 'gan'), m<M> (add at most M x the real positives instead of ratio 1), k<K>
// (candidates per kept row for the detector filter, default 16), f<S> (the fit fine-tuned S more steps on the
// training positives alone, gan-core's TabularSynthesizer.fineTune; cached beside the fit), xc (keep the candidates
// the GAN's own critic scores most real instead of the detector's choice), xcd (the critic keeps the better half of
// the candidates, the detector chooses among them), e.g. g50, g100, m4-g50, f200-g100, xcd-g50; 'default' is method
// 'gan' with the default sampler, fitted in the run (it equals f50-g100: fine-tuning a saved fit is the same).
// Usage: npm run build && node tools/bench/fraud-gan-select.mjs val|test natural|0.01|25 1,2 base,g100,g50,m4-g50
// (FRAUD_GAN_CACHE=dir, default /tmp/fraud-gan-cache; `fit` as the variant list fits and caches only.)
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, readTable, takeRows } from '@fingan/gan-core';
import {
  FraudGanSynthesizer,
  augment,
  evaluateAugmentation,
  filterByDetector,
  fromSynthTable,
  splitByLabel,
  stratifiedSplit,
  toSynthTable,
} from '@fingan/fraud-detection';

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
    // What createGanSampler does for method 'gan' with the default settings, without the fine-tuning (variants f<S>).
    gan = new FraudGanSynthesizer({ label: 'Class', positive: 'bad', seed: augmentSeed, fineTuneSteps: 0 });
    await gan.fit(t);
    await gan.save(dir);
    writeFileSync(`${dir}/done`, '');
  }
  models.set(dir, gan);
  return gan;
}
// The fit of `model`, fine-tuned `steps` more generator steps on the positives of `t` (cached as its own directory).
async function tuned(t, augmentSeed, steps) {
  if (!steps) return model(t, augmentSeed);
  const dir = `${dirOf(augmentSeed)}-ft${steps}`;
  if (models.has(dir)) return models.get(dir);
  let gan;
  if (existsSync(`${dir}/done`)) gan = await FraudGanSynthesizer.load(dir);
  else {
    await model(t, augmentSeed);
    gan = await FraudGanSynthesizer.load(dirOf(augmentSeed));
    const pos = takeRows(t, splitByLabel(t, 'Class', 'bad').positives);
    await gan.synth.fineTune(toSynthTable(pos, gan.plans), { steps });
    await gan.save(dir);
    writeFileSync(`${dir}/done`, '');
  }
  models.set(dir, gan);
  return gan;
}
// n rows of the GAN from k x n candidates, chosen by the detector ('d', what sample's filterWith does), the critic
// ('c') or both ('cd': the critic keeps the better half, the detector chooses n of those).
function choose(gan, t, n, sd, k, how) {
  if (how === 'd') return gan.sample(n, { seed: sd + 1, filterWith: t, candidates: k });
  const { rows, scores } = gan.synth.scoredCandidates(n * k, createRng(sd + 1), [{ column: 'Class', op: '==', value: gan.positiveCell }]);
  const cands = fromSynthTable(rows, gan.plans);
  const keep = how === 'c' ? n : Math.max(n, Math.floor((n * k) / 2));
  const order = Array.from(scores.keys())
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
  const best = takeRows(cands, order);
  return how === 'c' ? best : filterByDetector(t, 'Class', 'bad', best, n, sd + 2);
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
  const ft = +(variant.match(/f(\d+)/)?.[1] ?? 0);
  const how = variant.match(/x(cd|c|d)/)?.[1] ?? 'd';
  const sampler = async (t, label, positive, n, sd) => {
    const rows = choose(await tuned(t, sd, ft), t, n, sd, k, how);
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
    // 'default': method 'gan' as augment runs it (fit and fine-tuning in one process, nothing cached).
    ganSampler: variant === 'default' ? undefined : sampler,
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
