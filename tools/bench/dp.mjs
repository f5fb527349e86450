// Differential privacy benchmark (JSON lines): the "Differential privacy" table of packages/credit-risk/README.md.
// For each bundled loan book (credit scoring, target Status; HMDA Boston, target deny): the seeded stratified 70/30
// split of tools/bench/credit.mjs (seed 0), CreditSynthesizer with its defaults fitted on the 70% without DP (the
// bench's own schema, as credit.mjs does) and with --epsilon 1, 3, 10 (default delta; the schema inferred from the
// training rows in DP mode: nothing but kinds and the two classes), as many synthetic rows as training rows, and
// the metrics of `fingan credit evaluate` against the untouched 30% (evaluated under the book's schema for all rows).
// Every fit runs a fixed number of steps, so every figure but the seconds is the same on a busy or an idle machine.
// Usage: npm run build && node tools/bench/dp.mjs   (or npm run bench -- dp; DP_BENCH_SEEDS=0,1,2;
// DP_BENCH_EPSILONS=1,3,10; DP_BENCH_BOOKS=credit,hmda)
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, rowCount } from '@fingan/gan-core';
import { CreditSynthesizer, evaluateSynthetic, readLoanBook, splitTrainTest } from '@fingan/credit-risk';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const out = (o) => console.log(JSON.stringify({ bench: 'dp', ...o }));
const r4 = (x) => +x.toFixed(4);
const seeds = (process.env.DP_BENCH_SEEDS ?? '0').split(',').map(Number);
const epsilons = (process.env.DP_BENCH_EPSILONS ?? 'none,10,3,1').split(',').map((e) => (e === 'none' ? null : Number(e)));
const books = (process.env.DP_BENCH_BOOKS ?? 'credit,hmda').split(',');
const BOOKS = [
  { name: 'credit', file: 'credit_scoring_modeldata.csv', target: 'Status' },
  { name: 'hmda', file: 'hmda_boston_mortgage.csv', target: 'deny' },
].filter((b) => books.includes(b.name));
const METRICS = [
  'columnShapes',
  'pairTrends',
  'tstrAuc',
  'trtrAuc',
  'utilityRatio',
  'tstrAucLr',
  'trtrAucLr',
  'exactCopies',
  'dcrSyntheticMedian',
  'dcrHoldoutMedian',
];

out({ metric: 'setup', backend: backend.name, cpus: cpus().length, loadAverage: r4(loadavg()[0]), seeds, epsilons, node: process.version });

for (const book of BOOKS) {
  const path = fileURLToPath(new URL(`../../data/${book.file}`, import.meta.url));
  const { table, schema } = readLoanBook(path, { target: book.target });
  const { train, test } = splitTrainTest(table, { testShare: 0.3, seed: 0, stratify: book.target });
  for (const epsilon of epsilons) {
    for (const seed of seeds) {
      const synth = new CreditSynthesizer(epsilon === null ? { schema, seed } : { target: book.target, seed, epsilon });
      const t0 = Date.now();
      const fit = await synth.fit(train);
      const fitSeconds = (Date.now() - t0) / 1000;
      const { table: synthetic } = synth.sampleWithReport(rowCount(train), { seed: seed + 1 });
      const m = evaluateSynthetic({ train, test, synthetic, schema, seed }).metrics;
      const dp = synth.dpRecord;
      out({
        metric: 'run',
        book: book.name,
        epsilon,
        seed,
        trainRows: rowCount(train),
        steps: fit.steps,
        fitSeconds: +fitSeconds.toFixed(1),
        ...(dp
          ? {
              delta: dp.delta,
              epsilonSpent: r4(dp.epsilonSpent),
              noiseMultiplier: r4(dp.noiseMultiplier),
              samplingRate: r4(dp.samplingRate),
              criticSteps: dp.criticSteps,
              statsNoiseStd: r4(dp.statistics.noiseStd),
              categoryThreshold: dp.statistics.categoryThreshold === null ? null : r4(dp.statistics.categoryThreshold),
            }
          : {}),
        ...Object.fromEntries(METRICS.map((k) => [k, r4(m[k])])),
        loadAverage: r4(loadavg()[0]),
      });
      synth.dispose();
    }
  }
}
