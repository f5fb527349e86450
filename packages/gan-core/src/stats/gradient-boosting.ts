import { createRng } from '../random/rng.js';
import { checkWeights, sigmoid } from './logistic-regression.js';
import { assertSameLength } from './validate.js';

export interface GradientBoostedTreesOptions {
  nEstimators?: number;
  learningRate?: number;
  maxDepth?: number;
  /** Fewest training rows in a leaf. */
  minSamplesLeaf?: number;
  /** Share of rows each tree sees (Bernoulli draw per row). */
  subsample?: number;
  /** Share of features each tree may split on. */
  colsampleByTree?: number;
  /** Value bins per feature (2..255); one more bin holds NaN. */
  maxBins?: number;
  /** L2 penalty on leaf values (lambda in XGBoost). */
  l2?: number;
  seed?: number;
}

const DEFAULTS: Required<GradientBoostedTreesOptions> = {
  nEstimators: 200,
  learningRate: 0.1,
  maxDepth: 3,
  minSamplesLeaf: 20,
  subsample: 0.8,
  colsampleByTree: 1,
  maxBins: 64,
  l2: 1,
  seed: 0,
};

/** Smallest hessian sum a child may have; keeps leaf values finite where probabilities are already near 0 or 1. */
const MIN_CHILD_HESSIAN = 1e-3;

/** One fitted tree in flat arrays; `feature[k] < 0` marks a leaf. */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  binThreshold: Int32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/**
 * Gradient-boosted decision trees for binary classification (logistic loss): the workhorse for synthetic-data
 * detection tests and train-on-synthetic/test-on-real, where it must be quick enough to run inside a report.
 *
 * Following the histogram GBDT recipe of LightGBM/XGBoost-hist: every feature is cut once into at most `maxBins`
 * quantile bins on fit and stored as bytes; each node accumulates gradient/hessian histograms (the larger child by
 * subtracting the smaller from its parent), split gain and leaf values come from the second-order expansion
 * (G^2 / (H + l2), leaf = -G / (H + l2)), and missing values (NaN) get their own bin and a learned default
 * direction at every split. Same seed, same data -> bit-identical model.
 */
export class GradientBoostedTrees {
  readonly options: Required<GradientBoostedTreesOptions>;
  private trees: Tree[] = [];
  private baseScore = 0;
  private nFeatures = -1;
  private gains = new Float64Array(0);

  constructor(args: GradientBoostedTreesOptions = {}) {
    const o = (this.options = { ...DEFAULTS, ...args });
    const isInt = (v: number, lo: number, hi = Infinity) => Number.isInteger(v) && v >= lo && v <= hi;
    if (!isInt(o.nEstimators, 1)) throw new RangeError(`nEstimators must be a positive integer, got ${o.nEstimators}`);
    if (!(o.learningRate > 0)) throw new RangeError(`learningRate must be > 0, got ${o.learningRate}`);
    if (!isInt(o.maxDepth, 1, 16)) throw new RangeError(`maxDepth must be an integer in [1, 16], got ${o.maxDepth}`);
    if (!isInt(o.minSamplesLeaf, 1)) throw new RangeError(`minSamplesLeaf must be a positive integer, got ${o.minSamplesLeaf}`);
    if (!(o.subsample > 0 && o.subsample <= 1)) throw new RangeError(`subsample must be in (0, 1], got ${o.subsample}`);
    if (!(o.colsampleByTree > 0 && o.colsampleByTree <= 1)) {
      throw new RangeError(`colsampleByTree must be in (0, 1], got ${o.colsampleByTree}`);
    }
    if (!isInt(o.maxBins, 2, 255)) throw new RangeError(`maxBins must be an integer in [2, 255], got ${o.maxBins}`);
    if (!(o.l2 >= 0)) throw new RangeError(`l2 must be >= 0, got ${o.l2}`);
    if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be finite, got ${o.seed}`);
  }

  /**
   * `sampleWeight` (optional, one non-negative weight per row, e.g. balanced class weights) scales each row's
   * gradient and hessian, and the base score is the weighted log-odds; without it every row weighs 1 (bit for bit
   * the unweighted fit).
   */
  fit(X: ArrayLike<number>[], y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): this {
    assertSameLength(X, y, 'X and y');
    const n = X.length;
    if (n < 2) throw new RangeError(`need at least 2 rows, got ${n}`);
    const sw = checkWeights(sampleWeight, n);
    const F = X[0].length;
    if (F === 0) throw new RangeError('X has no features');
    let pos = 0;
    for (let i = 0; i < n; i++) {
      if (X[i].length !== F) throw new RangeError(`row ${i} has ${X[i].length} features, row 0 has ${F}`);
      if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`y[${i}] must be 0 or 1, got ${y[i]}`);
      pos += y[i];
    }
    if (pos === 0 || pos === n) throw new RangeError('y must contain both classes');

    const o = this.options;
    const B = o.maxBins + 1; // histogram slots per feature; slot maxBins is NaN
    const missingBin = o.maxBins;
    const { bins, edges, nBins } = binFeatures(X, F, o.maxBins);
    const rng = createRng(o.seed);

    this.nFeatures = F;
    if (sw) {
      let wp = 0;
      let wn = 0;
      for (let i = 0; i < n; i++) {
        if (y[i] === 1) wp += sw[i];
        else wn += sw[i];
      }
      if (!(wp > 0 && wn > 0)) throw new RangeError('sampleWeight gives one class no weight');
      this.baseScore = Math.log(wp / wn);
    } else this.baseScore = Math.log(pos / (n - pos));
    this.trees = [];
    this.gains = new Float64Array(F);

    const margin = new Float64Array(n).fill(this.baseScore);
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    const rows = new Int32Array(n);
    const scratch = new Int32Array(n);
    const nCols = Math.max(1, Math.round(F * o.colsampleByTree));
    const maxNodes = 2 ** (o.maxDepth + 1) - 1;

    for (let t = 0; t < o.nEstimators; t++) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(margin[i]);
        g[i] = p - y[i];
        h[i] = p * (1 - p);
        if (sw) {
          g[i] *= sw[i];
          h[i] *= sw[i];
        }
      }
      let m = 0;
      if (o.subsample < 1) {
        for (let i = 0; i < n; i++) if (rng.next() < o.subsample) rows[m++] = i;
      } else {
        for (let i = 0; i < n; i++) rows[m++] = i;
      }
      let cols: Int32Array;
      if (nCols < F) {
        cols = rng.permutation(F).slice(0, nCols);
        cols.sort();
      } else {
        cols = new Int32Array(F);
        for (let f = 0; f < F; f++) cols[f] = f;
      }

      const tree = emptyTree(maxNodes);
      let nodeCount = 1;
      const splittable = (size: number, depth: number) => depth < o.maxDepth && size >= 2 * o.minSamplesLeaf;
      let G0 = 0,
        H0 = 0;
      for (let k = 0; k < m; k++) {
        G0 += g[rows[k]];
        H0 += h[rows[k]];
      }
      let rootHist: Float64Array | null = null;
      if (splittable(m, 0)) {
        rootHist = new Float64Array(F * B * 3);
        buildHistogram(rootHist, bins, F, B, cols, rows, 0, m, g, h);
      }
      // Grown level by level; a node carries a histogram only if it may still be split.
      let level: PendingNode[] = [{ id: 0, start: 0, end: m, depth: 0, G: G0, H: H0, hist: rootHist }];
      while (level.length > 0) {
        const next: PendingNode[] = [];
        for (const node of level) {
          const split = node.hist && bestSplit(node.hist, node.G, node.H, cols, B, missingBin, nBins, o.minSamplesLeaf, o.l2);
          if (!split) {
            tree.value[node.id] = (-node.G / (node.H + o.l2)) * o.learningRate;
            continue;
          }
          const { feature: f, bin, defaultLeft } = split;
          // Stable in-place partition of the node's rows into left | right.
          let nl = 0,
            nr = 0;
          for (let k = node.start; k < node.end; k++) {
            const i = rows[k];
            const b = bins[i * F + f];
            const goLeft = b === missingBin ? defaultLeft : b <= bin;
            if (goLeft) rows[node.start + nl++] = i;
            else scratch[nr++] = i;
          }
          rows.set(scratch.subarray(0, nr), node.start + nl);
          const lid = nodeCount++,
            rid = nodeCount++;
          tree.feature[node.id] = f;
          tree.binThreshold[node.id] = bin;
          tree.threshold[node.id] = edges[f][bin];
          tree.defaultLeft[node.id] = defaultLeft ? 1 : 0;
          tree.left[node.id] = lid;
          tree.right[node.id] = rid;
          this.gains[f] += split.gain;

          const mid = node.start + nl;
          const depth = node.depth + 1;
          const L: PendingNode = { id: lid, start: node.start, end: mid, depth, G: split.GL, H: split.HL, hist: null };
          const R: PendingNode = { id: rid, start: mid, end: node.end, depth, G: node.G - split.GL, H: node.H - split.HL, hist: null };
          const needL = splittable(nl, depth),
            needR = splittable(nr, depth);
          if (needL || needR) {
            // Histogram subtraction: build the smaller child, get the larger as parent minus smaller (in the
            // parent's buffer), which roughly halves the histogram work below the root.
            const [small, large] = nl <= nr ? [L, R] : [R, L];
            small.hist = new Float64Array(F * B * 3);
            buildHistogram(small.hist, bins, F, B, cols, rows, small.start, small.end, g, h);
            if (nl <= nr ? needR : needL) {
              const ph = node.hist as Float64Array;
              for (const c of cols) {
                const off = c * B * 3;
                for (let k = off; k < off + B * 3; k++) ph[k] -= small.hist[k];
              }
              large.hist = ph;
            }
            if (!(nl <= nr ? needL : needR)) small.hist = null;
          }
          next.push(L, R);
        }
        level = next;
      }
      const fitted = trimTree(tree, nodeCount);
      this.trees.push(fitted);
      // Update the margin of every training row (also those this tree did not see) from the binned data.
      for (let i = 0; i < n; i++) margin[i] += predictBinned(fitted, bins, i * F, missingBin);
    }
    return this;
  }

  /** Probability of class 1 for each row (rows as in fit; NaN = missing). */
  predictProba(X: ArrayLike<number>[]): Float64Array {
    if (this.nFeatures < 0) throw new Error('GradientBoostedTrees is not fitted');
    const out = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      const row = X[i];
      if (row.length !== this.nFeatures) {
        throw new RangeError(`row ${i} has ${row.length} features, the model has ${this.nFeatures}`);
      }
      let s = this.baseScore;
      for (const t of this.trees) {
        let k = 0;
        while (t.feature[k] >= 0) {
          const v = row[t.feature[k]];
          const goLeft = Number.isNaN(v) ? t.defaultLeft[k] === 1 : v <= t.threshold[k];
          k = goLeft ? t.left[k] : t.right[k];
        }
        s += t.value[k];
      }
      out[i] = sigmoid(s);
    }
    return out;
  }

  /** Total split gain per feature, normalised to sum 1 (all zeros if no tree split). */
  featureImportances(): Float64Array {
    if (this.nFeatures < 0) throw new Error('GradientBoostedTrees is not fitted');
    let total = 0;
    for (const v of this.gains) total += v;
    return this.gains.map((v) => (total > 0 ? v / total : 0));
  }
}

/**
 * Quantile bin edges per feature and the row-major byte matrix of bin indices. Edges are upper bounds: value v falls
 * in the first bin b with v <= edges[b]; the last edge is +Infinity. With few distinct values every value gets its
 * own bin; otherwise bins hold about n / maxBins values each (a heavy value gets a bin to itself).
 */
function binFeatures(X: ArrayLike<number>[], F: number, maxBins: number): { bins: Uint8Array; edges: Float64Array[]; nBins: Int32Array } {
  const n = X.length;
  const bins = new Uint8Array(n * F);
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(F);
  const col = new Float64Array(n);
  for (let f = 0; f < F; f++) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = X[i][f];
      if (!Number.isNaN(v)) col[k++] = v;
    }
    const sorted = col.subarray(0, k).sort();
    const e = cutPoints(sorted, maxBins);
    edges.push(e);
    nBins[f] = e.length;
    for (let i = 0; i < n; i++) {
      const v = X[i][f];
      bins[i * F + f] = Number.isNaN(v) ? maxBins : binOf(e, v);
    }
  }
  return { bins, edges, nBins };
}

function cutPoints(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const cuts: number[] = [];
  if (n > 0) {
    let cum = 0;
    let k = 1;
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && sorted[j] === sorted[i]) j++;
      cum += j - i;
      if (j >= n) break;
      if (cum >= (k * n) / maxBins) {
        const a = sorted[i],
          b = sorted[j];
        const midpoint = a + (b - a) / 2;
        cuts.push(midpoint < b ? midpoint : a);
        while ((k * n) / maxBins <= cum) k++;
        if (cuts.length === maxBins - 1) break;
      }
      i = j;
    }
  }
  cuts.push(Infinity);
  return Float64Array.from(cuts);
}

function binOf(edges: Float64Array, v: number): number {
  let lo = 0,
    hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** hist layout: for feature f and bin b, slot (f * B + b) * 3 holds [sum g, sum h, count]. */
function buildHistogram(
  hist: Float64Array,
  bins: Uint8Array,
  F: number,
  B: number,
  cols: Int32Array,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
  const nc = cols.length;
  if (nc === F) {
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const gi = g[i],
        hi = h[i];
      const base = i * F;
      for (let f = 0; f < F; f++) {
        const s = (f * B + bins[base + f]) * 3;
        hist[s] += gi;
        hist[s + 1] += hi;
        hist[s + 2] += 1;
      }
    }
  } else {
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const gi = g[i],
        hi = h[i];
      const base = i * F;
      for (let c = 0; c < nc; c++) {
        const f = cols[c];
        const s = (f * B + bins[base + f]) * 3;
        hist[s] += gi;
        hist[s + 1] += hi;
        hist[s + 2] += 1;
      }
    }
  }
}

interface Split {
  feature: number;
  bin: number;
  defaultLeft: boolean;
  gain: number;
  /** Gradient and hessian sums of the left child. */
  GL: number;
  HL: number;
}

interface PendingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array | null;
}

function bestSplit(
  hist: Float64Array,
  G: number,
  H: number,
  cols: Int32Array,
  B: number,
  missingBin: number,
  nBins: Int32Array,
  minLeaf: number,
  l2: number,
): Split | null {
  let best: Split | null = null;
  let C = 0;
  for (let b = 0; b < B; b++) C += hist[(cols[0] * B + b) * 3 + 2];
  const parentScore = (G * G) / (H + l2);
  const consider = (f: number, b: number, GL: number, HL: number, CL: number, defaultLeft: boolean) => {
    const GR = G - GL,
      HR = H - HL,
      CR = C - CL;
    if (CL < minLeaf || CR < minLeaf || HL < MIN_CHILD_HESSIAN || HR < MIN_CHILD_HESSIAN) return;
    const gain = (GL * GL) / (HL + l2) + (GR * GR) / (HR + l2) - parentScore;
    if (gain > 1e-12 && (best === null || gain > best.gain)) best = { feature: f, bin: b, defaultLeft, gain, GL, HL };
  };
  for (const f of cols) {
    const base = f * B * 3;
    const ms = base + missingBin * 3;
    const gM = hist[ms],
      hM = hist[ms + 1],
      cM = hist[ms + 2];
    const nb = nBins[f];
    let GL = 0,
      HL = 0,
      CL = 0;
    for (let b = 0; b < nb; b++) {
      const s = base + b * 3;
      GL += hist[s];
      HL += hist[s + 1];
      CL += hist[s + 2];
      if (cM === 0) {
        // No missing values here: send future NaNs to the larger side.
        if (b < nb - 1) consider(f, b, GL, HL, CL, CL >= C - CL);
      } else {
        consider(f, b, GL, HL, CL, false);
        if (b < nb - 1) consider(f, b, GL + gM, HL + hM, CL + cM, true);
      }
    }
  }
  return best;
}

function emptyTree(size: number): Tree {
  return {
    feature: new Int32Array(size).fill(-1),
    threshold: new Float64Array(size),
    binThreshold: new Int32Array(size),
    defaultLeft: new Uint8Array(size),
    left: new Int32Array(size),
    right: new Int32Array(size),
    value: new Float64Array(size),
  };
}

function trimTree(t: Tree, n: number): Tree {
  return {
    feature: t.feature.slice(0, n),
    threshold: t.threshold.slice(0, n),
    binThreshold: t.binThreshold.slice(0, n),
    defaultLeft: t.defaultLeft.slice(0, n),
    left: t.left.slice(0, n),
    right: t.right.slice(0, n),
    value: t.value.slice(0, n),
  };
}

function predictBinned(t: Tree, bins: Uint8Array, base: number, missingBin: number): number {
  let k = 0;
  while (t.feature[k] >= 0) {
    const b = bins[base + t.feature[k]];
    const goLeft = b === missingBin ? t.defaultLeft[k] === 1 : b <= t.binThreshold[k];
    k = goLeft ? t.left[k] : t.right[k];
  }
  return t.value[k];
}
