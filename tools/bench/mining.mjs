// Basket GAN quality and speed, JSON lines. Seeded 70/30 split of the bundled supermarket baskets, mined at
// min-support 5%: synthetic vs the real holdout, next to the real training half vs the same holdout (what a perfect
// generator would score), for the full demo (the GAN's default steps) and the quick one (`npm start`). Every fit runs
// a fixed number of steps, so every figure but the seconds is the same on a busy or an idle machine.
// Targets (issue #16): itemset precision and recall >= 0.9 overall and by itemset length (2, 3, 4), median relative
// support error <= 10%, exact-copy rate not above the real-halves baseline; the quick run's itemset recall within 0.1
// of the full run's.
// Usage: npm run build && node tools/bench/mining.mjs   (SEED=0)
import { createLogger, initBackend } from '@fingan/gan-core';
import { QUICK_STEPS, runMiningDemo } from '@fingan/data-mining-demo';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const seed = Number(process.env.SEED ?? 0);
const keys = [
  'itemsetPrecision',
  'itemsetRecall',
  'supportMedianRelError',
  'ruleJaccardTop50',
  'exactBasketCopyRate',
  'exactBasketCopyRateBaseline',
  'basketSizeTV',
  'itemFrequencyTV',
  'nnJaccardSyntheticToTrain',
  'nnJaccardHoldoutToTrain',
];
// Precision and recall by itemset length (2, 3, 4): the targets are per length.
const byLength = (o) =>
  Object.fromEntries(
    o.byLength
      .filter((l) => l.length >= 2)
      .map((l) => [`len${l.length}`, { precision: +l.precision.toFixed(4), recall: +l.recall.toFixed(4), real: l.real, synthetic: l.synthetic }]),
  );
const pick = (o) => ({ ...Object.fromEntries(keys.map((k) => [k, +o[k].toFixed(4)])), ...byLength(o) });
const recall = {};
for (const quick of [false, true]) {
  const out = mkdtempSync(join(tmpdir(), 'fingan-bench-mining-'));
  const t0 = Date.now();
  await runMiningDemo({ out, quick, seed, log: createLogger({ quiet: true }) });
  const seconds = +((Date.now() - t0) / 1000).toFixed(1);
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  const setting = quick ? `quick (${QUICK_STEPS} steps)` : 'full';
  recall[setting] = m.synthetic.itemsetRecall;
  console.log(
    JSON.stringify({
      bench: 'mining',
      backend: backend.name,
      seed,
      setting,
      model: 'basket-gan',
      ...pick(m.synthetic),
      copiesDropped: m.copiesDropped,
      steps: m.steps,
      demoSeconds: seconds,
      loadAverage: +loadavg()[0].toFixed(2),
    }),
  );
  if (!quick) console.log(JSON.stringify({ bench: 'mining', backend: backend.name, seed, model: 'real-train-vs-holdout', ...pick(m.realTrainVsHoldout) }));
  rmSync(out, { recursive: true, force: true });
}
const [full, quick] = Object.values(recall);
console.log(
  JSON.stringify({
    bench: 'mining',
    metric: 'quick-vs-full',
    itemsetRecallFull: +full.toFixed(4),
    itemsetRecallQuick: +quick.toFixed(4),
    target: 'within 0.1',
    met: Math.abs(full - quick) <= 0.1,
  }),
);
