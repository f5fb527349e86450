import type { Rng } from '../random/rng.js';

/** A 1-D Gaussian mixture, components sorted by mean. */
export interface Gmm1d {
  means: number[];
  sds: number[];
  weights: number[];
}

export interface GmmFitOptions {
  maxModes: number;
  /** Components whose weight ends below this are dropped and the rest refitted. */
  weightThreshold: number;
  /** Seeds the subsample and the k-means++ initialisation. */
  rng: Rng;
  /** EM iteration cap for the final fit (the search over K uses at most 60). */
  maxIter?: number;
  /** Stop EM when the mean log-likelihood per value improves by less than this. */
  tol?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** The number of modes is chosen on at most this many values. */
export const SEARCH_SAMPLE = 5000;

/**
 * Fit a 1-D Gaussian mixture by EM.
 *
 * Plain maximum-likelihood EM never empties a component by itself (ten components on a unimodal column just split
 * the bell into ten slices, all with sizeable weight), so the number of modes is chosen by BIC over K = 1, 2, ...
 * (stopping once two larger K in a row fail to improve it), and only then are components below `weightThreshold`
 * dropped and the rest refitted. Each K starts from k-means++ seeding plus a few Lloyd steps, which in one dimension
 * reliably lands near separated modes. Variances are floored at 1e-6 of the column variance so that a component
 * sitting on a repeated value (common in integer money columns) cannot collapse to zero width.
 *
 * The search over K runs on at most SEARCH_SAMPLE values (a seeded subsample); the chosen model is then refined on
 * all of `x`. EM works on the distinct values with their counts, which gives the same fit and is much cheaper for
 * integer columns with many repeats.
 */
export function fitGmm1d(x: Float64Array, opts: GmmFitOptions): Gmm1d {
  const n = x.length;
  if (n === 0) throw new RangeError('fitGmm1d needs at least one value');
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-5;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i] - mean) ** 2;
  variance /= n;
  // A constant column still needs a positive width so that (x - mu) / sd is defined.
  const varFloor = variance > 0 ? variance * 1e-6 : 1;

  const all = compress(x);
  let search = all;
  if (n > SEARCH_SAMPLE) {
    const perm = opts.rng.permutation(n);
    const sub = new Float64Array(SEARCH_SAMPLE);
    for (let i = 0; i < SEARCH_SAMPLE; i++) sub[i] = x[perm[i]];
    search = compress(sub);
  }
  const kMax = Math.max(1, Math.min(opts.maxModes, search.v.length));
  let best: { model: Mixture; bic: number } | null = null;
  let worse = 0;
  for (let k = 1; k <= kMax; k++) {
    const model = initKMeansPlusPlus(search, k, varFloor, opts.rng);
    const ll = runEm(search, model, varFloor, Math.min(maxIter, 60), tol);
    const K = model.means.length;
    const bic = -2 * ll + (3 * K - 1) * Math.log(search.n);
    if (best === null || bic < best.bic) {
      best = { model, bic };
      worse = 0;
    } else if (++worse >= 2) {
      break;
    }
  }
  let model = best!.model;
  if (search !== all) runEm(all, model, varFloor, maxIter, tol);
  for (let round = 0; round < 20; round++) {
    const keep = model.weights.map((w, i) => (w >= opts.weightThreshold ? i : -1)).filter((i) => i >= 0);
    if (keep.length === model.weights.length) break;
    if (keep.length === 0) keep.push(model.weights.indexOf(Math.max(...model.weights)));
    const total = keep.reduce((s, i) => s + model.weights[i], 0);
    model = {
      means: keep.map((i) => model.means[i]),
      vars: keep.map((i) => model.vars[i]),
      weights: keep.map((i) => (total > 0 ? model.weights[i] / total : 1 / keep.length)),
    };
    runEm(all, model, varFloor, maxIter, tol);
  }
  const order = model.means.map((_, i) => i).sort((a, b) => model.means[a] - model.means[b]);
  return {
    means: order.map((i) => model.means[i]),
    sds: order.map((i) => Math.sqrt(model.vars[i])),
    weights: order.map((i) => model.weights[i]),
  };
}

interface Mixture {
  means: number[];
  vars: number[];
  weights: number[];
}

/** Distinct values `v` (ascending) with their counts `c`; `n` is the total count. */
interface Counted {
  v: Float64Array;
  c: Float64Array;
  n: number;
}

function compress(x: Float64Array): Counted {
  const s = Float64Array.from(x).sort();
  const v: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (v.length > 0 && s[i] === v[v.length - 1]) c[c.length - 1]++;
    else {
      v.push(s[i]);
      c.push(1);
    }
  }
  return { v: Float64Array.from(v), c: Float64Array.from(c), n: s.length };
}

/** k-means++ seeding (D^2 sampling), then Lloyd steps; returns fewer than k components if the data run out. */
function initKMeansPlusPlus(d: Counted, k: number, varFloor: number, rng: Rng): Mixture {
  const { v, c } = d;
  const m = v.length;
  const centers: number[] = [v[rng.weightedIndex(c)]];
  const d2 = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) d2[i] = (v[i] - centers[0]) ** 2;
  while (centers.length < k) {
    let total = 0;
    for (let i = 0; i < m; i++) total += w[i] = d2[i] * c[i];
    if (total === 0) break;
    const ctr = v[rng.weightedIndex(w)];
    centers.push(ctr);
    for (let i = 0; i < m; i++) d2[i] = Math.min(d2[i], (v[i] - ctr) ** 2);
  }
  const K = centers.length;
  const assign = new Int32Array(m).fill(-1);
  const sum = new Float64Array(K);
  const sq = new Float64Array(K);
  const cnt = new Float64Array(K);
  for (let iter = 0; iter < 10; iter++) {
    sum.fill(0);
    sq.fill(0);
    cnt.fill(0);
    let changed = false;
    for (let i = 0; i < m; i++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < K; j++) {
        const dist = Math.abs(v[i] - centers[j]);
        if (dist < bd) {
          bd = dist;
          bj = j;
        }
      }
      if (assign[i] !== bj) changed = true;
      assign[i] = bj;
      sum[bj] += c[i] * v[i];
      sq[bj] += c[i] * v[i] * v[i];
      cnt[bj] += c[i];
    }
    for (let j = 0; j < K; j++) if (cnt[j] > 0) centers[j] = sum[j] / cnt[j];
    if (!changed) break;
  }
  const model: Mixture = { means: [], vars: [], weights: [] };
  for (let j = 0; j < K; j++) {
    if (cnt[j] === 0) continue;
    const mu = sum[j] / cnt[j];
    model.means.push(mu);
    model.vars.push(Math.max(sq[j] / cnt[j] - mu * mu, varFloor));
    model.weights.push(cnt[j] / d.n);
  }
  return model;
}

/** EM in place on counted values; returns the final total log-likelihood. */
function runEm(d: Counted, m: Mixture, varFloor: number, maxIter: number, tol: number): number {
  const { v, c, n } = d;
  const M = v.length;
  const K = m.means.length;
  const resp = new Float64Array(M * K);
  const logc = new Float64Array(K);
  const half = new Float64Array(K);
  let prev = -Infinity;
  let ll = -Infinity;
  for (let iter = 0; iter < maxIter; iter++) {
    // E-step (log-sum-exp per distinct value).
    for (let j = 0; j < K; j++) {
      logc[j] = Math.log(m.weights[j]) - 0.5 * (LOG_2PI + Math.log(m.vars[j]));
      half[j] = 0.5 / m.vars[j];
    }
    ll = 0;
    for (let i = 0; i < M; i++) {
      const xi = v[i];
      const base = i * K;
      let mx = -Infinity;
      for (let j = 0; j < K; j++) {
        const dd = xi - m.means[j];
        const l = logc[j] - dd * dd * half[j];
        resp[base + j] = l;
        if (l > mx) mx = l;
      }
      let s = 0;
      for (let j = 0; j < K; j++) {
        const e = Math.exp(resp[base + j] - mx);
        resp[base + j] = e;
        s += e;
      }
      const scale = c[i] / s; // responsibilities times the value's count
      for (let j = 0; j < K; j++) resp[base + j] *= scale;
      ll += c[i] * (mx + Math.log(s));
    }
    if (iter > 0 && ll - prev < tol * n) break;
    prev = ll;
    // M-step.
    for (let j = 0; j < K; j++) {
      let nk = 0;
      let sx = 0;
      for (let i = 0; i < M; i++) {
        const r = resp[i * K + j];
        nk += r;
        sx += r * v[i];
      }
      if (nk < 1e-12) {
        // An emptied component: weight ~0, left where it was; pruning removes it.
        m.weights[j] = 1e-300;
        continue;
      }
      const mu = sx / nk;
      let sv = 0;
      for (let i = 0; i < M; i++) sv += resp[i * K + j] * (v[i] - mu) ** 2;
      m.means[j] = mu;
      m.vars[j] = Math.max(sv / nk, varFloor);
      m.weights[j] = nk / n;
    }
  }
  return ll;
}
