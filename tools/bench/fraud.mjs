// fraud-detection benchmark (JSON lines). The README's table comes from one run of this script.
// 1. `augment` with the default GAN sampler on the full training split (seeded stratified 70/30 of the bundled
//    LendingClub loans; ratio 1): wall time, target < 180 s on 2 cores.
// 2. evaluateAugmentation at the natural 5.2% prevalence, with training positives thinned to 1% and to 25 rows:
//    none and every method; 5 seeds; mean and sd of PR-AUC, recall at precision 0.9, ROC-AUC.
// Same split (seed 0) and evaluation seeds (1-5) as `fingan demo fraud --out DIR` without --quick.
// The positives are loan defaults, not fraud (no fraud-labelled data is bundled).
// Usage: npm run build && node tools/bench/fraud.mjs   (FINGAN_BACKEND=wasm|tensorflow|cpu to pick a backend;
// FRAUD_BENCH_METHODS=class-weights,smote,... to compare other methods, without 'gan' to skip the GAN's timing too;
// FRAUD_BENCH_SETTINGS=natural,0.01,25 picks settings: a prevalence, or an integer >= 2 for that many training positives;
// FRAUD_BENCH_TIMING=0 skips the timing of step 1)
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, readTable } from '@fingan/gan-core';
import { augment, evaluateAugmentation, recommend, stratifiedSplit, GAN_SAMPLER_DEFAULTS } from '@fingan/fraud-detection';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const out = (o) => console.log(JSON.stringify({ bench: 'fraud', ...o }));
const round = (x) => +x.toFixed(4);
const stat = (s) => ({ mean: round(s.mean), sd: round(s.sd) });

const data = fileURLToPath(new URL('../../data/lending_club_2016q1.csv', import.meta.url));
const { table } = readTable(data);
const { train, test } = stratifiedSplit(table, 'Class', 'bad', 0.3, 0);
const seeds = [1, 2, 3, 4, 5];
out({
  metric: 'setup',
  backend: backend.name,
  cpus: cpus().length,
  loadAverage: +loadavg()[0].toFixed(2),
  trainRows: train.Class.length,
  testRows: test.Class.length,
  seeds,
  gan: GAN_SAMPLER_DEFAULTS,
});

const methods = (process.env.FRAUD_BENCH_METHODS ?? 'class-weights,smote,smotenc,adasyn,borderline,random,gan,gan+smote').split(',');

// 1. GAN augment time on the full training split.
if (methods.includes('gan') && process.env.FRAUD_BENCH_TIMING !== '0') {
  let stoppedBy = null;
  let steps = null;
  const t0 = Date.now();
  const r = await augment(train, {
    label: 'Class',
    positive: 'bad',
    method: 'gan',
    seed: 1,
    gan: { onEvent: (e) => e.type === 'stop' && ((stoppedBy = e.reason), (steps = e.step)) },
  });
  const seconds = (Date.now() - t0) / 1000;
  out({
    metric: 'ganAugmentSeconds',
    rows: train.Class.length,
    added: r.added,
    seconds: +seconds.toFixed(1),
    targetSeconds: 180,
    trainingSteps: steps,
    stoppedBy,
    loadAverage: +loadavg()[0].toFixed(2),
  });
}

// 2. The evaluation table at both prevalences.
// A setting is 'natural', a prevalence (0.01) or a number of training positives (25): the prevalence that keeps
// exactly that many beside all the negatives.
const negatives = train.Class.filter((v) => v !== 'bad').length;
const settings = (process.env.FRAUD_BENCH_SETTINGS ?? 'natural,0.01,25').split(',').map((s) => {
  if (s === 'natural') return { name: 'natural', prevalence: undefined };
  const x = Number(s);
  return x >= 2 && Number.isInteger(x) ? { name: `${x} positives`, prevalence: x / (negatives + x) } : { name: s, prevalence: x };
});
for (const { name, prevalence } of settings) {
  const t0 = Date.now();
  const stops = [];
  const r = await evaluateAugmentation({
    train,
    test,
    label: 'Class',
    positive: 'bad',
    methods,
    seeds,
    prevalence,
    gan: { onEvent: (e) => e.type === 'stop' && stops.push(e.reason) },
    log: (m) => process.stderr.write(`${m}\n`),
  });
  for (const m of r.methods) {
    out({
      metric: 'evaluation',
      prevalence: name,
      trainPrevalence: round(r.train.prevalence),
      trainPositives: r.train.positives,
      method: m.method,
      prAuc: stat(m.metrics.prAuc),
      recallAtP90: stat(m.metrics.recallAtP90),
      rocAuc: stat(m.metrics.rocAuc),
      added: m.added[0],
      copies: m.copies.reduce((a, b) => a + b, 0),
    });
  }
  out({ metric: 'recommendation', prevalence: name, ...recommend(r) });
  out({ metric: 'evaluationSeconds', prevalence: name, seconds: +((Date.now() - t0) / 1000).toFixed(1), ganStops: stops });
}
out({ metric: 'peakRss', mb: Math.round(process.resourceUsage().maxRSS / 1024) });
