// Basket GAN quality and speed (issue 6 targets), JSON lines. Seeded 70/30 split of the bundled supermarket baskets,
// mined at min-support 5%: synthetic vs the real holdout, next to the real training half vs the same holdout (what a
// perfect generator would score). Targets: itemset precision and recall >= 0.85, median relative support error
// <= 15%, top-50 rule Jaccard >= 0.5, exact-copy rate not above the baseline; fit within 3 minutes.
import { createLogger, initBackend } from '../../packages/gan-core/dist/index.js';
import { runMiningDemo } from '../../apps/data-mining-demo/dist/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const out = mkdtempSync(join(tmpdir(), 'fingan-bench-mining-'));
const seed = Number(process.env.SEED ?? 0);
await runMiningDemo({ out, quick: false, seed, log: createLogger({ quiet: true }) });
const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
const keys = ['itemsetPrecision', 'itemsetRecall', 'supportMedianRelError', 'ruleJaccardTop50', 'exactBasketCopyRate', 'exactBasketCopyRateBaseline', 'basketSizeTV', 'itemFrequencyTV', 'nnJaccardSyntheticToTrain', 'nnJaccardHoldoutToTrain'];
const pick = (o) => Object.fromEntries(keys.map((k) => [k, +o[k].toFixed(4)]));
console.log(JSON.stringify({ bench: 'mining', backend: backend.name, seed, model: 'basket-gan', ...pick(m.synthetic), fitSeconds: +m.fitSeconds.toFixed(1), steps: m.steps }));
console.log(JSON.stringify({ bench: 'mining', backend: backend.name, seed, model: 'real-train-vs-holdout', ...pick(m.realTrainVsHoldout) }));
rmSync(out, { recursive: true, force: true });
