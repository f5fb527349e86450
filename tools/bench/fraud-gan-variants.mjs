// Exploration behind the fraud README's "The GAN" figures: variants of the GAN's synthetic positives, all drawn from
// ONE synthesizer fit per seed (calibrated at fit time; 'raw' variants sample with the calibration switched off), judged
// by evaluateAugmentation (gradient-boosted trees, PR-AUC on the untouched test split). 2 seeds by default.
// Variants: cal | raw, then -detK (keep the n of K*n candidates a detector fitted on the real rows scores highest),
// -wK (keep with probability ~ that score), -drK (~ a real-positive-vs-candidate discriminator's density ratio),
// -smote (second half SMOTE rows).
// Usage: npm run build && [PREV=0.01] [SEEDS=1,2] [STEPS=n] [VARIANTS=cal,raw,raw-det4,raw-det16-smote] node tools/bench/fraud-gan-variants.mjs
// It reads the synthesizer's private calibration field: an experiment, not an API.
import { fileURLToPath } from 'node:url';
import { FeatureEncoder, GradientBoostedTrees, takeRows, createRng } from '@fingan/gan-core';
import { initBackend, readTable, TabularSynthesizer } from '@fingan/gan-core';
import { evaluateAugmentation, stratifiedSplit, augment, planGanColumns, toSynthTable, fromSynthTable, filterByDetector } from '@fingan/fraud-detection';
await initBackend({ backend: 'wasm' });
const { table } = readTable(fileURLToPath(new URL('../../data/lending_club_2016q1.csv', import.meta.url)));
const { train, test } = stratifiedSplit(table, 'Class', 'bad', 0.3, 0);
const prevalence = process.env.PREV ? +process.env.PREV : undefined;
const seeds = (process.env.SEEDS ?? '1,2').split(',').map(Number);
const steps = process.env.STEPS ? +process.env.STEPS : undefined;
const cache = new Map();
async function fitted(t, seed) {
  const key = `${seed}:${t.Class.length}`;
  if (cache.has(key)) return cache.get(key);
  const plans = planGanColumns(t, 'Class', {});
  const synth = new TabularSynthesizer({
    columns: plans.map((p) => p.synth),
    conditionColumns: ['Class'],
    sampleConditionColumn: 'Class',
    conditionOnMissing: false,
    seed,
  });
  const t0 = Date.now();
  await synth.fit(toSynthTable(t, plans), steps ? { steps } : { epochs: 20 });
  process.stderr.write(`fit ${key} ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
  const m = { synth, plans, cal: synth.calibration };
  cache.set(key, m);
  return m;
}
function draw(m, n, seed, cal) {
  m.synth.calibration = cal ? m.cal : null;
  return fromSynthTable(m.synth.sample(n, { seed, conditions: [{ column: 'Class', op: '==', value: 'bad' }] }), m.plans);
}
const sampler = async (t, label, positive, n, seed, o) => {
  const m = await fitted(t, seed);
  const cal = o.variant.startsWith('cal');
  const f = o.variant.match(/det(\d+)/);
  const w = o.variant.match(/(w|dr)(\d+)/);
  let rows;
  if (f) rows = filterByDetector(t, label, positive, draw(m, n * +f[1], seed + 1, cal), n, seed + 2);
  else if (w) rows = weighted(t, label, positive, draw(m, n * +w[2], seed + 1, cal), n, seed + 2, w[1]);
  else rows = draw(m, n, seed + 1, cal);
  if (o.variant.includes('smote')) {
    const h = Math.floor(n / 2);
    const s = (await augment(t, { label, positive, method: 'smote', count: n - h, seed, markSynthetic: false })).synthetic;
    rows = Object.fromEntries(Object.keys(rows).map((c) => [c, [...rows[c].slice(0, h), ...s[c]]]));
  }
  return rows;
};
function weighted(t, label, positive, cand, n, seed, kind) {
  const fe = FeatureEncoder.fit(t, { exclude: [label, '_synthetic'], mode: 'ordinal' });
  const isPos = (v) => String(v) === String(positive);
  let wts;
  const gbt = () => new GradientBoostedTrees({ nEstimators: 100, maxDepth: 3, learningRate: 0.1, minSamplesLeaf: 20, subsample: 0.8, seed });
  if (kind === 'w') {
    const y = Float64Array.from(t[label], (v) => (isPos(v) ? 1 : 0));
    wts = gbt().fit(fe.transform(t), y).predictProba(fe.transform(cand));
  } else {
    const pos = t[label].flatMap((v, i) => (isPos(v) ? [i] : []));
    const real = takeRows(t, pos);
    const X = [...fe.transform(real), ...fe.transform(cand)];
    const nc = cand[label].length;
    const y = Float64Array.from({ length: X.length }, (_, i) => (i < pos.length ? 1 : 0));
    const sw = Float64Array.from(y, (v) => (v ? nc / pos.length : 1));
    const d = gbt().fit(X, y, sw).predictProba(fe.transform(cand));
    wts = Float64Array.from(d, (p) => p / Math.max(1e-6, 1 - p));
  }
  const rng = createRng(seed);
  const keys = Array.from(wts, (x) => Math.log(rng.next() || 1e-12) / Math.max(x, 1e-12));
  const order = Array.from(keys.keys()).sort((a, b) => keys[b] - keys[a] || a - b);
  return takeRows(
    cand,
    order.slice(0, n).sort((a, b) => a - b),
  );
}
const variants = (process.env.VARIANTS ?? 'cal,raw,raw-det4,cal-det4,raw-det4-smote').split(',');
for (const variant of variants) {
  const r = await evaluateAugmentation({
    train,
    test,
    label: 'Class',
    positive: 'bad',
    methods: variant === variants[0] ? ['smote', 'gan'] : ['gan'],
    seeds,
    prevalence,
    allowFewerSeeds: true,
    ganSampler: sampler,
    gan: { variant },
  });
  for (const m of r.methods)
    console.log(
      JSON.stringify({
        prev: prevalence ?? 'nat',
        variant: m.method === 'gan' ? variant : m.method,
        pr: m.metrics.prAuc.values.map((x) => +x.toFixed(4)),
        mean: +m.metrics.prAuc.mean.toFixed(4),
        roc: +m.metrics.rocAuc.mean.toFixed(4),
      }),
    );
}
