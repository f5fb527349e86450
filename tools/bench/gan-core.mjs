// gan-core speed figures (JSON lines): 512^3 matmul GFLOP/s as the machine's yardstick; an MLP GAN step
// (G 128-256-256-32, D 32-256-256-1, batch 512, WGAN-GP) in ms per critic and per generator step; sampling rows/s
// for a 32-wide MLP generator; peak RSS. Targets (issue 2): critic step <= 60 ms on wasm, sampling >= 1M rows/s.
import {
  AdversarialTrainer,
  MlpGan,
  TabularSynthesizer,
  applyNet,
  initBackend,
  mlp,
  readTable,
  sequenceCritic,
  sequenceGenerator,
  specsFromKinds,
  tf,
} from '@fingan/gan-core';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const out = (o) => console.log(JSON.stringify({ backend: backend.name, simd: backend.simd ?? null, ...o }));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
function time(fn, reps = 7, warm = 2) {
  for (let i = 0; i < warm; i++) fn();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

// 1. matmul yardstick
{
  const a = tf.randomNormal([512, 512]);
  const b = tf.randomNormal([512, 512]);
  // (never return data from tf.tidy: it walks every element of a returned typed array)
  const ms = time(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  });
  out({ metric: 'matmul512', ms: +ms.toFixed(2), gflops: +((2 * 512 ** 3) / (ms * 1e6)).toFixed(1) });
}

// 2. MLP GAN step, timed through the public trainer (critic and generator steps separately)
{
  const dataDim = 32;
  const generator = mlp({ inputDim: 128, hidden: [256, 256], outputDim: dataDim, activation: 'relu', seed: 1, name: 'g' });
  const critic = mlp({ inputDim: dataDim, hidden: [256, 256], outputDim: 1, seed: 2, name: 'd' });
  const real = tf.randomNormal([512, dataDim]);
  const problem = {
    generator,
    critic,
    realBatch: () => ({ real: real.clone() }),
    noiseBatch: (n, rng) => ({ noise: tf.tensor2d(rng.fillNormal(new Float32Array(n * 128)), [n, 128]) }),
  };
  const trainer = new AdversarialTrainer(problem, { batchSize: 512, steps: 1 });
  const criticMs = time(() => trainer['criticStep'](), 9, 3);
  const generatorMs = time(() => trainer['generatorStep'](), 9, 3);
  out({ metric: 'mlpGanStep', batch: 512, criticStepMs: +criticMs.toFixed(1), generatorStepMs: +generatorMs.toFixed(1), targetCriticStepMs: 60 });
}

// 2b. recurrent family: LSTM generator + LSTM critic (64 units, T=24, 5 assets, batch 128, WGAN-GP)
{
  const T = 24,
    k = 5,
    b = 128;
  const generator = sequenceGenerator({ noiseDim: 8, units: [64], cell: 'lstm', outputDim: k, seed: 1, name: 'sg' });
  const critic = sequenceCritic({ inputDim: k, units: [64], cell: 'lstm', seed: 2, name: 'sc' });
  const real = tf.randomNormal([b, T, k]);
  const trainer = new AdversarialTrainer(
    {
      generator,
      critic,
      realBatch: () => ({ real: real.clone() }),
      noiseBatch: (n, rng) => ({ noise: tf.tensor3d(rng.fillNormal(new Float32Array(n * T * 8)), [n, T, 8]) }),
    },
    { batchSize: b, steps: 1 },
  );
  const criticMs = time(() => trainer['criticStep'](), 5, 2);
  const generatorMs = time(() => trainer['generatorStep'](), 5, 2);
  const n = 2000;
  const t0 = performance.now();
  const y = tf.tidy(() => applyNet(generator, tf.randomNormal([n, T, 8])));
  y.dataSync();
  y.dispose();
  const seqPerSecond = Math.round(n / ((performance.now() - t0) / 1000));
  out({
    metric: 'lstmGanStep',
    batch: b,
    T,
    assets: k,
    criticStepMs: +criticMs.toFixed(1),
    generatorStepMs: +generatorMs.toFixed(1),
    windowsPerSecond: seqPerSecond,
  });
}

// 2c. tabular family: the conditional tabular synthesizer on the bundled credit data (defaults: batch 500, pac 10)
{
  const { table, kinds } = readTable(new URL('../../data/credit_scoring_modeldata.csv', import.meta.url).pathname);
  const synth = new TabularSynthesizer({ columns: specsFromKinds(kinds), seed: 1 });
  const t0 = performance.now();
  const res = await synth.fit(table, { epochs: 3 });
  const msPerStep = (performance.now() - t0) / res.steps;
  const t1 = performance.now();
  synth.sample(20_000, { seed: 1 });
  out({
    metric: 'tabularSynthesizer',
    rows: 4454,
    columns: Object.keys(table).length,
    msPerTrainingStepInclFit: +msPerStep.toFixed(1),
    rowsPerSecond: Math.round(20_000 / ((performance.now() - t1) / 1000)),
  });
}

// 3. sampling throughput of a 32-wide MLP generator
{
  const gan = new MlpGan({ dataDim: 32, noiseDim: 32, generatorHidden: [32, 32] });
  gan.sample(10_000);
  const n = 1_000_000;
  const ms = time(() => gan.sample(n, { seed: 1 }), 3, 1);
  out({ metric: 'sampling', generator: '32-32-32-32', rows: n, rowsPerSecond: Math.round(n / (ms / 1000)), targetRowsPerSecond: 1_000_000 });
}
out({ metric: 'peakRss', mb: Math.round(process.resourceUsage().maxRSS / 1024) });
void applyNet;

// Gradient-boosted trees (the detector and TSTR model): 7000 x 30, the default 200 trees of depth 3. It was a timed
// test once; speed lives here, where a busy machine cannot fail the suite.
{
  const { GradientBoostedTrees, createRng } = await import('@fingan/gan-core');
  const rng = createRng(1);
  const X = Array.from({ length: 7000 }, () => Float64Array.from({ length: 30 }, () => rng.normal()));
  const y = X.map((r) => (r[0] * r[1] + 0.5 * r[2] + 0.5 * rng.normal() > 0 ? 1 : 0));
  const t0 = performance.now();
  new GradientBoostedTrees().fit(X, y);
  out({
    metric: 'gradientBoostedTreesFit',
    rows: 7000,
    features: 30,
    trees: 200,
    ms: Math.round(performance.now() - t0),
    note: 'about 250 ms on an idle core',
  });
}

// The classic mode-collapse check at full size (the suite runs a 4-Gaussian ring of 800 steps): 8 Gaussians (sd 0.1)
// on a circle of radius 2, WGAN-GP, 3,000 generator steps of 3 critic steps, seed 1. Passes when every mode holds
// at least 5% of 4,000 samples (12.5% is perfect) and 70% lie within 0.5 of a mode.
{
  const { createRng } = await import('@fingan/gan-core');
  const centres = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)]);
  const rng = createRng(1);
  const data = new Float32Array(2 * 8000);
  for (let i = 0; i < 8000; i++) {
    const [cx, cy] = centres[rng.int(8)];
    data[2 * i] = cx + rng.normal(0, 0.1);
    data[2 * i + 1] = cy + rng.normal(0, 0.1);
  }
  const gan = new MlpGan({ dataDim: 2, noiseDim: 8, generatorHidden: [64, 64], criticHidden: [64, 64], loss: 'wgan-gp', seed: 1 });
  const t0 = performance.now();
  await gan.fit(data, {
    batchSize: 128,
    steps: 3000,
    nCritic: 3,
    generatorOptimizer: { learningRate: 1e-3, beta1: 0.5, beta2: 0.9 },
    criticOptimizer: { learningRate: 3e-3, beta1: 0.5, beta2: 0.9 },
  });
  const seconds = (performance.now() - t0) / 1000;
  const n = 4000;
  const s = gan.sample(n, { seed: 2 });
  const perMode = new Array(8).fill(0);
  for (let i = 0; i < n; i++) centres.forEach(([cx, cy], k) => (s[2 * i] - cx) ** 2 + (s[2 * i + 1] - cy) ** 2 < 0.25 && perMode[k]++);
  const near = perMode.reduce((a, b) => a + b, 0) / n;
  const minShare = Math.min(...perMode) / n;
  out({
    metric: 'ring8',
    steps: 3000,
    seconds: +seconds.toFixed(1),
    modeShares: perMode.map((p) => +(p / n).toFixed(3)),
    near: +near.toFixed(3),
    pass: minShare > 0.05 && near > 0.7,
  });
  gan.dispose();
}
