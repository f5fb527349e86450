import { accuracy, autocorrelation, createRng, excessKurtosis, GradientBoostedTrees, pearson, skewness, UsageError, type Rng } from '@fingan/gan-core';
import { solveSpd } from '@fingan/gan-core/math';
import { checkPanel, type ReturnPanel } from './return-panel.js';

/**
 * Post-hoc scores of TimeGAN (Yoon, Jarrett & van der Schaar, NeurIPS 2019), adapted:
 * - discriminative score: train a classifier to tell real windows from synthetic ones on 80 % of them, report
 *   |accuracy - 0.5| on the held-out 20 % (0 = indistinguishable). TimeGAN used a 2-layer GRU classifier on
 *   the raw window; ours is gan-core's gradient-boosted trees on features of each window (raw returns plus
 *   per-asset moments, extremes, |r| level, lag-1 ACFs of r and |r|, cross-asset correlations), which is
 *   deterministic, fast on CPU, and sees the stylized facts directly.
 * - predictive score (train on synthetic, test on real): a ridge regression from the previous `lags` returns of
 *   all assets to the next return of each asset, fitted on synthetic data, MAE on the real held-out 20 %.
 *   TimeGAN used a GRU predictor. Returns are divided by the real training part's std per asset, so the MAE is in
 *   units of real daily volatility (about 0.8 = no predictability, as E|z| for a normal z).
 * Held-out splits never share time: a panel with >= 5 paths is split by paths, otherwise each path by time
 * (first 80 % / last 20 %), so overlapping real windows cannot straddle train and test.
 */
export interface DiscriminativeOptions {
  /** Window length in steps (default 24). */
  window?: number;
  /** Step between window starts (default: window / 4 for one-path panels, window for many paths). */
  stride?: number;
  /** Held-out share (default 0.2). */
  testFraction?: number;
  /** At most this many training windows per class (default 2000; test windows scale with testFraction). */
  maxWindows?: number;
  /** Include the raw returns of the window as features (default true). */
  includeRaw?: boolean;
  nEstimators?: number;
  maxDepth?: number;
  seed?: number;
}

export interface DiscriminativeResult {
  /** |accuracy - 0.5| on the held-out windows. */
  score: number;
  accuracy: number;
  trainWindows: number;
  testWindows: number;
}

export interface PredictiveOptions {
  /** Previous steps used as predictors (default 5). */
  lags?: number;
  testFraction?: number;
  /** Ridge penalty per sample on standardized returns (default 1e-3). */
  ridge?: number;
  /** At most this many synthetic training samples (default 50,000). */
  maxSamples?: number;
  seed?: number;
}

export interface PredictiveResult {
  /** MAE on real held-out next-step returns, in units of real std. */
  mae: number;
  trainSamples: number;
  testSamples: number;
}

interface Split {
  train: ReturnPanel;
  test: ReturnPanel;
}

/** First (1 - f) of each path / last f, or whole paths when there are enough of them. */
export function splitPanel(panel: ReturnPanel, testFraction: number, rng: Rng): Split {
  const k = panel.assets.length;
  if (panel.paths >= 5) {
    const perm = rng.permutation(panel.paths);
    const nTest = Math.max(1, Math.round(panel.paths * testFraction));
    const pick = (idx: ArrayLike<number>): ReturnPanel => {
      const size = panel.steps * k;
      const data = new Float64Array(idx.length * size);
      for (let i = 0; i < idx.length; i++) for (let j = 0; j < size; j++) data[i * size + j] = panel.data[idx[i] * size + j];
      return { data, paths: idx.length, steps: panel.steps, assets: panel.assets };
    };
    return { train: pick(perm.subarray(nTest)), test: pick(perm.subarray(0, nTest)) };
  }
  const cut = Math.round(panel.steps * (1 - testFraction));
  const range = (from: number, to: number): ReturnPanel => {
    const steps = to - from;
    const data = new Float64Array(panel.paths * steps * k);
    for (let p = 0; p < panel.paths; p++) {
      for (let t = from; t < to; t++) for (let a = 0; a < k; a++) data[(p * steps + t - from) * k + a] = panel.data[(p * panel.steps + t) * k + a];
    }
    return { data, paths: panel.paths, steps, assets: panel.assets };
  };
  return { train: range(0, cut), test: range(cut, panel.steps) };
}

/** Windows [T, nAssets] (interleaved) of every path, starting every `stride` steps. */
function windowsOf(panel: ReturnPanel, window: number, stride: number): Float64Array[] {
  const k = panel.assets.length;
  const out: Float64Array[] = [];
  for (let p = 0; p < panel.paths; p++) {
    for (let s = 0; s + window <= panel.steps; s += stride) {
      const w = new Float64Array(window * k);
      const base = (p * panel.steps + s) * k;
      for (let i = 0; i < w.length; i++) w[i] = panel.data[base + i];
      out.push(w);
    }
  }
  return out;
}

/** The classifier's view of one window (see the module comment). */
export function windowFeatures(w: Float64Array, nAssets: number, includeRaw = true): number[] {
  const k = nAssets;
  const T = w.length / k;
  const f: number[] = includeRaw ? Array.from(w) : [];
  const cols: Float64Array[] = [];
  for (let a = 0; a < k; a++) {
    const x = new Float64Array(T);
    for (let t = 0; t < T; t++) x[t] = w[t * k + a];
    cols.push(x);
    const ax = x.map(Math.abs);
    let sum = 0,
      min = Infinity,
      max = -Infinity,
      absSum = 0,
      sq = 0;
    for (const v of x) {
      sum += v;
      sq += v * v;
      absSum += Math.abs(v);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const m = sum / T;
    f.push(
      sum,
      Math.sqrt(Math.max(0, sq / T - m * m)),
      min,
      max,
      absSum / T,
      skewness(x),
      excessKurtosis(x),
      autocorrelation(x, 1)[0],
      autocorrelation(ax, 1)[0],
    );
  }
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) f.push(pearson(cols[a], cols[b]));
  return f;
}

function sample<T>(items: T[], n: number, rng: Rng): T[] {
  if (items.length <= n) return items;
  const perm = rng.permutation(items.length);
  return Array.from(perm.subarray(0, n), (i) => items[i]);
}

export function discriminativeScore(real: ReturnPanel, synthetic: ReturnPanel, options: DiscriminativeOptions = {}): DiscriminativeResult {
  checkPanel(real, 'real returns');
  checkPanel(synthetic, 'synthetic returns');
  const { window = 24, testFraction = 0.2, maxWindows = 2000, includeRaw = true, nEstimators = 100, maxDepth = 3, seed = 0 } = options;
  if (!Number.isInteger(window) || window < 4) throw new UsageError(`window must be an integer >= 4, got ${window}`, { option: 'window' });
  if (real.assets.length !== synthetic.assets.length) throw new UsageError(`real has ${real.assets.length} assets, synthetic ${synthetic.assets.length}`);
  const rng = createRng(seed);
  const stride = (p: ReturnPanel) => options.stride ?? (p.paths >= 5 ? window : Math.max(1, Math.floor(window / 4)));
  const rs = splitPanel(real, testFraction, rng);
  const ss = splitPanel(synthetic, testFraction, rng);
  const k = real.assets.length;
  const maxTest = Math.max(1, Math.round((maxWindows * testFraction) / (1 - testFraction)));
  const build = (r: ReturnPanel, s: ReturnPanel, cap: number) => {
    const rw = windowsOf(r, window, stride(real));
    const sw = windowsOf(s, window, stride(synthetic));
    const n = Math.min(rw.length, sw.length, cap);
    if (n < 2) {
      throw new UsageError(
        `too few windows of ${window} steps for the discriminative score (real ${rw.length}, synthetic ${sw.length}); use longer series or a shorter window`,
        { option: 'window' },
      );
    }
    const X = [...sample(rw, n, rng), ...sample(sw, n, rng)].map((w) => windowFeatures(w, k, includeRaw));
    const y = Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? 1 : 0));
    return { X, y };
  };
  const train = build(rs.train, ss.train, maxWindows);
  const test = build(rs.test, ss.test, maxTest);
  const clf = new GradientBoostedTrees({ nEstimators, maxDepth, seed }).fit(train.X, train.y);
  const pred = Array.from(clf.predictProba(test.X), (p) => (p >= 0.5 ? 1 : 0));
  const acc = accuracy(test.y, pred);
  return { score: Math.abs(acc - 0.5), accuracy: acc, trainWindows: train.y.length, testWindows: test.y.length };
}

/**
 * Train on `train` (synthetic, or the real training part for the real reference), test on the last
 * `testFraction` of `real`. Pass the same real panel for every model so the scores compare.
 */
export function predictiveScore(real: ReturnPanel, train: ReturnPanel | 'real', options: PredictiveOptions = {}): PredictiveResult {
  checkPanel(real, 'real returns');
  const { lags = 5, testFraction = 0.2, ridge = 1e-3, maxSamples = 50_000, seed = 0 } = options;
  if (!Number.isInteger(lags) || lags < 1) throw new UsageError(`lags must be a positive integer, got ${lags}`, { option: 'lags' });
  const rng = createRng(seed);
  const split = splitPanel(real, testFraction, createRng(seed + 1));
  const source = train === 'real' ? split.train : train;
  checkPanel(source, 'training returns');
  const k = real.assets.length;
  if (source.assets.length !== k) throw new UsageError(`training returns have ${source.assets.length} assets, real ${k}`);
  // Scale by the real training part's std per asset (never the test part).
  const scale = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0,
      s2 = 0;
    const n = split.train.paths * split.train.steps;
    for (let i = 0; i < n; i++) {
      const v = split.train.data[i * k + a];
      s += v;
      s2 += v * v;
    }
    const m = s / n;
    scale[a] = Math.sqrt(Math.max(s2 / n - m * m, 0)) || 1;
  }
  const samples = (p: ReturnPanel, cap: number) => {
    const idx: [number, number][] = [];
    for (let path = 0; path < p.paths; path++) for (let t = lags; t < p.steps; t++) idx.push([path, t]);
    return sample(idx, cap, rng).map(([path, t]) => {
      const x = new Float64Array(lags * k);
      const y = new Float64Array(k);
      for (let l = 0; l < lags; l++) for (let a = 0; a < k; a++) x[l * k + a] = p.data[(path * p.steps + t - lags + l) * k + a] / scale[a];
      for (let a = 0; a < k; a++) y[a] = p.data[(path * p.steps + t) * k + a] / scale[a];
      return { x, y };
    });
  };
  const tr = samples(source, maxSamples);
  const te = samples(split.test, Infinity);
  if (tr.length < 2 || te.length < 1) {
    throw new UsageError(`too few samples for the predictive score with ${lags} lags (train ${tr.length}, test ${te.length})`, { option: 'lags' });
  }
  const d = lags * k;
  // Ridge with an unpenalised intercept: centre X and y on the training means.
  const mx = new Float64Array(d);
  const my = new Float64Array(k);
  for (const s of tr) {
    for (let j = 0; j < d; j++) mx[j] += s.x[j] / tr.length;
    for (let a = 0; a < k; a++) my[a] += s.y[a] / tr.length;
  }
  const xtx = new Float64Array(d * d);
  const xty = Array.from({ length: k }, () => new Float64Array(d));
  for (const s of tr) {
    for (let i = 0; i < d; i++) {
      const xi = s.x[i] - mx[i];
      for (let j = i; j < d; j++) xtx[i * d + j] += xi * (s.x[j] - mx[j]);
      for (let a = 0; a < k; a++) xty[a][i] += xi * (s.y[a] - my[a]);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) xtx[i * d + j] = xtx[j * d + i];
    xtx[i * d + i] += ridge * tr.length;
  }
  const w = xty.map((b) => solveSpd(xtx, b, d));
  let err = 0;
  for (const s of te) {
    for (let a = 0; a < k; a++) {
      let pred = my[a];
      for (let j = 0; j < d; j++) pred += w[a][j] * (s.x[j] - mx[j]);
      err += Math.abs(s.y[a] - pred);
    }
  }
  return { mae: err / (te.length * k), trainSamples: tr.length, testSamples: te.length };
}
