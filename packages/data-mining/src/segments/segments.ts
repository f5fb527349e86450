import { createRng, InvalidDataError, UsageError } from '@fingan/gan-core';
import type { Baskets } from '../mining/fp-growth.js';
import { kmeans } from '../mining/kmeans.js';

/**
 * Basket segments: k-means on item profiles, and whether real and synthetic baskets give the same segments.
 *
 * A basket's profile is its multi-hot item vector (1 where the basket holds the item), so a segment's centroid is
 * the share of its baskets that hold each item: "segment 2 is 40% of baskets, 95% of which hold bread and milk".
 * k is given, or chosen over a range by the mean silhouette (Rousseeuw, 1987) on a seeded subsample of the
 * baskets: the largest mean silhouette wins, ties go to the smaller k.
 *
 * Segment fidelity fits segments on the real and on the synthetic baskets with the same k, matches the clusters
 * one to one by profile (the Hungarian method on squared centroid distance) and reports how far matched profiles
 * are, how much their sizes differ, and how often a real basket lands in matching segments under both fits. The
 * same comparison between two random halves of the real data is the reference: what sampling noise alone gives.
 */

export interface SegmentOptions {
  /** Seeds k-means and the silhouette subsample. */
  seed: number;
  /** A fixed number of segments (>= 2). Without it k is chosen over `kRange`. */
  k?: number;
  /** The range k is chosen from, inclusive (default [2, 8], capped at the number of baskets). */
  kRange?: readonly [number, number];
  /** Baskets in the silhouette subsample (default 1000). */
  silhouetteSample?: number;
  /** Number of items (profile length); default: largest item id + 1. */
  nItems?: number;
  /** k-means restarts (default 4). */
  nInit?: number;
  /** Lloyd iterations per restart (default 100). */
  maxIter?: number;
}

export interface Segments {
  k: number;
  /** 'fixed' when k was given, 'silhouette' when chosen. */
  criterion: 'fixed' | 'silhouette';
  /** Mean silhouette of each k tried (empty when k was given). */
  silhouetteByK: { k: number; silhouette: number }[];
  /** Segment of each basket. */
  labels: Int32Array;
  /** For each segment, the share of its baskets that hold each item (the centroid). */
  profiles: Float64Array[];
  /** Baskets per segment. */
  sizes: number[];
  /** sizes / number of baskets. */
  shares: number[];
  inertia: number;
  nItems: number;
}

export interface MatchedSegment {
  /** Segment in the first fit (e.g. real). */
  a: number;
  /** Its match in the second fit (e.g. synthetic). */
  b: number;
  shareA: number;
  shareB: number;
  /** Euclidean distance between the two profiles. */
  profileDistance: number;
}

export interface SegmentComparison {
  k: number;
  matched: MatchedSegment[];
  /** Mean Euclidean distance between matched profiles (0 = the same segments). */
  meanProfileDistance: number;
  maxProfileDistance: number;
  /** Total variation between the matched segment shares, 0.5 * sum |shareA - shareB| (0 = same sizes). */
  sizeTV: number;
  /**
   * Share of the reference baskets that fall in matched segments when assigned to the nearest profile of each fit
   * (1 = both fits split the baskets the same way).
   */
  assignmentAgreement: number;
}

export interface SegmentFidelityInput {
  real: Baskets;
  synthetic: Baskets;
  seed: number;
  /** Fixed k; otherwise chosen on the real baskets over `kRange` and used for every fit. */
  k?: number;
  kRange?: readonly [number, number];
  silhouetteSample?: number;
  nItems?: number;
}

export interface SegmentFidelity {
  k: number;
  criterion: 'fixed' | 'silhouette';
  silhouetteByK: { k: number; silhouette: number }[];
  nReal: number;
  nSynthetic: number;
  /** Segment shares and profiles of the real baskets. */
  realShares: number[];
  /** Real segments against synthetic segments (agreement measured on the real baskets). */
  synthetic: SegmentComparison;
  /** One random half of the real baskets against the other (agreement measured on all real baskets). */
  realHalves: SegmentComparison;
  /** The fits themselves, for reports and tables. */
  realSegments: Segments;
  syntheticSegments: Segments;
}

function int(v: unknown, flag: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new UsageError(`${flag} must be an integer >= ${min}, got ${String(v)}`, { option: flag });
  return v;
}

/** Baskets as multi-hot rows of length nItems. */
export function basketProfiles(baskets: Baskets, nItems?: number): Float64Array[] {
  if (!Array.isArray(baskets) || baskets.length === 0) throw new InvalidDataError('segments need at least one basket, got none');
  let d = 0;
  baskets.forEach((b, i) => {
    if (b === null || typeof b !== 'object' || typeof b.length !== 'number') throw new InvalidDataError(`basket ${i} is not an array of item ids`);
    for (let t = 0; t < b.length; t++) {
      const v = b[t];
      if (!(Number.isInteger(v) && v >= 0)) throw new InvalidDataError(`basket ${i} holds item ${String(v)}: items must be non-negative integer ids`);
      if (v + 1 > d) d = v + 1;
    }
  });
  if (nItems !== undefined) {
    int(nItems, 'nItems', 1);
    if (d > nItems) throw new InvalidDataError(`a basket holds item ${d - 1}, beyond nItems = ${nItems}`);
    d = nItems;
  }
  if (d === 0) throw new InvalidDataError('segments need items: every basket is empty');
  return baskets.map((b) => {
    const row = new Float64Array(d);
    for (let t = 0; t < b.length; t++) row[b[t]] = 1;
    return row;
  });
}

function dist2(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) {
    const z = x[t] - y[t];
    s += z * z;
  }
  return s;
}

function nearest(x: ArrayLike<number>, centroids: readonly Float64Array[]): number {
  let best = 0;
  let bd = Number.POSITIVE_INFINITY;
  for (let j = 0; j < centroids.length; j++) {
    const z = dist2(x, centroids[j]);
    if (z < bd) {
      bd = z;
      best = j;
    }
  }
  return best;
}

/**
 * Mean silhouette of a clustering (Euclidean): for each row, (b - a) / max(a, b) with a its mean distance to the
 * rest of its cluster and b the smallest mean distance to another cluster; a row alone in its cluster scores 0.
 * `rows` restricts the computation to those rows (a subsample), distances among them only.
 */
export function silhouette(X: readonly ArrayLike<number>[], labels: ArrayLike<number>, k: number, rows?: ArrayLike<number>): number {
  const idx = rows ?? Array.from(X, (_, i) => i);
  const m = idx.length;
  if (m < 2) return 0;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let r = 0; r < m; r++) counts[labels[idx[r]]]++;
  let total = 0;
  for (let r = 0; r < m; r++) {
    const i = idx[r];
    sums.fill(0);
    for (let q = 0; q < m; q++) {
      if (q === r) continue;
      const j = idx[q];
      sums[labels[j]] += Math.sqrt(dist2(X[i], X[j]));
    }
    const own = labels[i];
    if (counts[own] <= 1) continue;
    const a = sums[own] / (counts[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    if (!Number.isFinite(b)) continue;
    const s = Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
    total += s;
  }
  return total / m;
}

/** k-means segments of baskets on their item profiles, k fixed or chosen by silhouette. */
export function fitSegments(baskets: Baskets, options: SegmentOptions): Segments {
  if (typeof options?.seed !== 'number' || !Number.isFinite(options.seed)) {
    throw new UsageError(`seed must be a finite number, got ${String(options?.seed)}`, { option: 'seed' });
  }
  const X = basketProfiles(baskets, options.nItems);
  const n = X.length;
  const km = { seed: options.seed, nInit: options.nInit, maxIter: options.maxIter };
  let ks: number[];
  if (options.k !== undefined) {
    const k = int(options.k, 'k', 2);
    if (k > n) throw new UsageError(`k = ${k} exceeds the number of baskets (${n})`, { option: 'k' });
    ks = [k];
  } else {
    const [lo, hiWanted] = options.kRange ?? [2, 8];
    int(lo, 'kRange', 2);
    int(hiWanted, 'kRange', lo);
    if (lo > n) throw new UsageError(`the smallest k (${lo}) exceeds the number of baskets (${n})`, { option: 'k' });
    const hi = Math.min(hiWanted, n);
    ks = [];
    for (let k = lo; k <= hi; k++) ks.push(k);
  }
  const sampleSize = int(options.silhouetteSample ?? 1000, 'silhouetteSample', 2);
  const rows = n <= sampleSize ? undefined : createRng(options.seed).permutation(n).subarray(0, sampleSize);
  let best: { k: number; score: number; fit: ReturnType<typeof kmeans> } | null = null;
  const silhouetteByK: { k: number; silhouette: number }[] = [];
  for (const k of ks) {
    const fit = kmeans(X, { ...km, k });
    if (ks.length === 1) {
      best = { k, score: 0, fit };
      break;
    }
    const score = silhouette(X, fit.labels, k, rows);
    silhouetteByK.push({ k, silhouette: score });
    if (best === null || score > best.score + 1e-12) best = { k, score, fit };
  }
  const { k, fit } = best!;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) sizes[fit.labels[i]]++;
  return {
    k,
    criterion: options.k !== undefined ? 'fixed' : 'silhouette',
    silhouetteByK,
    labels: fit.labels,
    profiles: fit.centroids,
    sizes,
    shares: sizes.map((s) => s / n),
    inertia: fit.inertia,
    nItems: X[0].length,
  };
}

/**
 * The one-to-one matching of rows to columns of a square cost matrix with the smallest total cost (the Hungarian
 * method with potentials, O(k^3)). Returns match[i] = the column of row i.
 */
export function hungarian(cost: readonly ArrayLike<number>[]): Int32Array {
  const n = cost.length;
  const INF = Number.POSITIVE_INFINITY;
  // 1-based: u, v potentials; p[j] = row matched to column j; way[j] = previous column on the augmenting path.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    if (cost[i - 1].length !== n) throw new InvalidDataError(`hungarian needs a square matrix: row ${i - 1} has ${cost[i - 1].length} of ${n}`);
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Int32Array(n);
  for (let j = 1; j <= n; j++) match[p[j] - 1] = j - 1;
  return match;
}

/**
 * Match the segments of two fits with the same k by profile and compare them; `reference` baskets (default: none,
 * agreement 1 is then not measured and reported as NaN) are assigned to the nearest profile of each fit.
 */
export function compareSegments(a: Segments, b: Segments, reference?: Baskets): SegmentComparison {
  if (a.k !== b.k) throw new UsageError(`segments to compare need the same k, got ${a.k} and ${b.k}`, { option: 'k' });
  if (a.nItems !== b.nItems) throw new InvalidDataError(`segments to compare need the same items, got ${a.nItems} and ${b.nItems}`);
  const k = a.k;
  const cost = a.profiles.map((pa) => b.profiles.map((pb) => dist2(pa, pb)));
  const match = hungarian(cost);
  const matched: MatchedSegment[] = [];
  let tv = 0;
  for (let i = 0; i < k; i++) {
    const j = match[i];
    matched.push({ a: i, b: j, shareA: a.shares[i], shareB: b.shares[j], profileDistance: Math.sqrt(cost[i][j]) });
    tv += Math.abs(a.shares[i] - b.shares[j]);
  }
  let agreement = Number.NaN;
  if (reference !== undefined) {
    const X = basketProfiles(reference, a.nItems);
    let same = 0;
    for (const x of X) if (match[nearest(x, a.profiles)] === nearest(x, b.profiles)) same++;
    agreement = same / X.length;
  }
  const dists = matched.map((m) => m.profileDistance);
  return {
    k,
    matched,
    meanProfileDistance: dists.reduce((s, x) => s + x, 0) / k,
    maxProfileDistance: Math.max(...dists),
    sizeTV: tv / 2,
    assignmentAgreement: agreement,
  };
}

/**
 * Do real and synthetic baskets give the same segments? k is fixed or chosen on the real baskets; the real and
 * synthetic baskets, and two seeded random halves of the real baskets, are each segmented with that k and compared.
 */
export function segmentFidelity(input: SegmentFidelityInput): SegmentFidelity {
  const { real, synthetic, seed } = input;
  if (!Array.isArray(real) || real.length < 4) throw new InvalidDataError('segment fidelity needs at least 4 real baskets (two halves of 2)');
  if (!Array.isArray(synthetic) || synthetic.length === 0) throw new InvalidDataError('segment fidelity needs synthetic baskets, got none');
  let maxId = -1;
  for (const set of [real, synthetic]) for (const b of set) for (let t = 0; t < b.length; t++) if (b[t] > maxId) maxId = b[t];
  const nItems = input.nItems ?? maxId + 1;
  const common = { seed, nItems, silhouetteSample: input.silhouetteSample };
  const realSeg = fitSegments(real, { ...common, k: input.k, kRange: input.kRange });
  const k = realSeg.k;
  const half = Math.floor(real.length / 2);
  if (k > half) throw new UsageError(`k = ${k} exceeds the baskets in half of the real data (${half}), which the reference needs`, { option: 'k' });
  const synthSeg = fitSegments(synthetic, { ...common, k });
  const perm = createRng(seed + 1).permutation(real.length);
  const halfA = Array.from(perm.subarray(0, half), (i) => real[i]);
  const halfB = Array.from(perm.subarray(half), (i) => real[i]);
  const segA = fitSegments(halfA, { ...common, k });
  const segB = fitSegments(halfB, { ...common, k });
  return {
    k,
    criterion: realSeg.criterion,
    silhouetteByK: realSeg.silhouetteByK,
    nReal: real.length,
    nSynthetic: synthetic.length,
    realShares: realSeg.shares,
    synthetic: compareSegments(realSeg, synthSeg, real),
    realHalves: compareSegments(segA, segB, real),
    realSegments: realSeg,
    syntheticSegments: synthSeg,
  };
}
