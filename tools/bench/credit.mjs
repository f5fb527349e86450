// credit-risk benchmark (JSON lines). The quality table in packages/credit-risk/README.md comes from one run.
// For each bundled loan book (credit scoring, target Status; HMDA Boston, target deny): a seeded stratified 70/30
// split (seed 0), CreditSynthesizer with its defaults fitted on the 70% with seeds 0, 1, 2, as many synthetic rows
// as training rows sampled, and every metric of `fingan credit evaluate` against the untouched 30%.
// Seed 0 on the credit book is exactly `fingan demo credit --out DIR` (split 0, model seed 0, sample seed 1).
// Then the quick demo's setting (QUICK_STEPS generator steps) on the credit book over the same seeds: its target is a
// TSTR/TRTR ROC-AUC ratio of at least 0.85 (`fingan demo credit --quick`, seed 0, is the first of these runs).
// Every fit runs a fixed number of steps, so every figure but the seconds is the same on a busy or an idle machine.
// CREDIT_BENCH_ABLATION=1 adds one run per book with CTGAN's hyperparameters and one without the calibration.
// Usage: npm run build && node tools/bench/credit.mjs   (FINGAN_BACKEND=wasm|tensorflow|cpu; CREDIT_BENCH_SEEDS=0,1,2)
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, rowCount } from '@fingan/gan-core';
import { CREDIT_METRICS, CreditSynthesizer, checkTargets, evaluateSynthetic, readLoanBook, splitTrainTest } from '@fingan/credit-risk';
import { QUICK_STEPS } from '@fingan/credit-risk-demo';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const out = (o) => console.log(JSON.stringify({ bench: 'credit', ...o }));
const r4 = (x) => +x.toFixed(4);
const seeds = (process.env.CREDIT_BENCH_SEEDS ?? '0,1,2').split(',').map(Number);
const BOOKS = [
  { name: 'credit', file: 'credit_scoring_modeldata.csv', target: 'Status' },
  { name: 'hmda', file: 'hmda_boston_mortgage.csv', target: 'deny' },
];
// Every metric object's score (CREDIT_METRICS, in order), then the figures behind them that the README table shows.
const DETAIL = ['tstrAuc', 'trtrAuc', 'tstrAucLr', 'trtrAucLr', 'exactCopies', 'dcrSyntheticMedian', 'dcrHoldoutMedian'];
const METRICS = [...CREDIT_METRICS.map((x) => x.name), ...DETAIL];
/** CTGAN's published defaults (Xu et al. 2019 / the ctgan package) in this implementation. */
const CTGAN_ARGS = {
  generatorDims: [256, 256],
  criticDims: [256, 256],
  batchSize: 500,
  nCritic: 1,
  generatorOptimizer: { learningRate: 2e-4, beta1: 0.5, beta2: 0.9 },
  criticOptimizer: { learningRate: 2e-4, beta1: 0.5, beta2: 0.9 },
  calibrate: false,
};

out({ metric: 'setup', backend: backend.name, cpus: cpus().length, loadAverage: r4(loadavg()[0]), seeds, node: process.version });

async function runOnce(book, train, test, schema, seed, variant, extra = {}) {
  const synth = new CreditSynthesizer({ schema, seed, ...extra });
  const t0 = Date.now();
  const fit = await synth.fit(train);
  const fitSeconds = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  const { table: synthetic, report } = synth.sampleWithReport(rowCount(train), { seed: seed + 1 });
  const sampleSeconds = (Date.now() - t1) / 1000;
  const ev = evaluateSynthetic({ train, test, synthetic, schema, seed });
  const m = ev.metrics;
  const row = {
    metric: 'run',
    book: book.name,
    variant,
    seed,
    trainRows: rowCount(train),
    testRows: rowCount(test),
    fitSeconds: +fitSeconds.toFixed(1),
    steps: fit.steps,
    stoppedBy: fit.stoppedBy,
    reproducible: fit.reproducible,
    sampleSeconds: +sampleSeconds.toFixed(1),
    ruleViolationsDropped: report.ruleViolationsDropped,
    exactCopiesDropped: report.exactCopiesDropped,
    ...Object.fromEntries(ev.scores.map((x) => [x.name, r4(x.value)])),
    ...Object.fromEntries(DETAIL.map((k) => [k, r4(m[k])])),
    targetsMet: checkTargets(ev).every((t) => t.met),
    loadAverage: r4(loadavg()[0]),
  };
  out(row);
  synth.dispose();
  return row;
}

for (const book of BOOKS) {
  const path = fileURLToPath(new URL(`../../data/${book.file}`, import.meta.url));
  const { table, schema } = readLoanBook(path, { target: book.target });
  const { train, test } = splitTrainTest(table, { testShare: 0.3, seed: 0, stratify: book.target });
  const rows = [];
  for (const seed of seeds) rows.push(await runOnce(book, train, test, schema, seed, 'default'));
  const stats = {};
  for (const k of [...METRICS, 'fitSeconds']) {
    const v = rows.map((r) => r[k]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    stats[k] = { mean: r4(mean), sd: r4(sd), min: r4(Math.min(...v)), max: r4(Math.max(...v)) };
  }
  out({
    metric: 'summary',
    book: book.name,
    seeds,
    ...stats,
    targets: {
      columnShapes: rows.every((r) => r.columnShapes >= 0.9),
      pairTrends: rows.every((r) => r.pairTrends >= 0.85),
      utilityRatio: rows.every((r) => r.utilityRatio >= 0.9),
      exactCopies: rows.every((r) => r.exactCopies === 0),
      dcr: rows.every((r) => r.dcrSyntheticMedian >= r.dcrHoldoutMedian),
      fitUnder180s: rows.every((r) => r.fitSeconds < 180),
    },
  });
  if (book.name === 'credit') {
    const quick = [];
    for (const seed of seeds) quick.push(await runOnce(book, train, test, schema, seed, `quick (${QUICK_STEPS} steps)`, { steps: QUICK_STEPS }));
    out({
      metric: 'quick-summary',
      book: book.name,
      steps: QUICK_STEPS,
      seeds,
      utilityRatio: quick.map((r) => r.utilityRatio),
      target: 'utilityRatio >= 0.85',
      met: quick.every((r) => r.utilityRatio >= 0.85),
    });
  }
  if (process.env.CREDIT_BENCH_ABLATION === '1') {
    await runOnce(book, train, test, schema, 0, 'ctgan-hyperparameters', { epochs: 300, model: CTGAN_ARGS });
    await runOnce(book, train, test, schema, 0, 'no-calibration', { model: { calibrate: false } });
  }
}
