import { createRng, InvalidDataError, UsageError, type Rng } from '@fingan/gan-core';

/**
 * k-means (Lloyd's iterations) with k-means++ seeding (Arthur & Vassilvitskii, 2007), restarted `nInit` times
 * from one seeded generator and keeping the lowest inertia. Used to find customer segments (rows = customers,
 * columns = e.g. item shares) in real and synthetic data alike.
 */

export interface KMeansOptions {
  /** Number of clusters, 1 <= k <= number of rows. */
  k: number;
  seed: number;
  /** Lloyd iterations per restart (default 100). */
  maxIter?: number;
  /** Restarts; the best by inertia is kept (default 4). */
  nInit?: number;
}

export interface KMeansResult {
  /** k centroids of dimension d. */
  centroids: Float64Array[];
  /** Cluster of each row; clusters are numbered in order of first appearance in the rows. */
  labels: Int32Array;
  /** Sum of squared distances from rows to their centroids. */
  inertia: number;
  /** Lloyd iterations of the kept restart. */
  iterations: number;
}

function positiveInt(v: unknown, flag: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got ${String(v)}`, { option: flag });
  }
  return v;
}

export function kmeans(X: ReadonlyArray<ArrayLike<number>>, options: KMeansOptions): KMeansResult {
  const n = X?.length ?? 0;
  if (n === 0) throw new InvalidDataError('kmeans needs at least one row, got none');
  const k = positiveInt(options?.k, 'k');
  if (k > n) throw new UsageError(`k = ${k} exceeds the number of rows (${n})`, { option: 'k' });
  const maxIter = positiveInt(options.maxIter ?? 100, 'maxIter');
  const nInit = positiveInt(options.nInit ?? 4, 'nInit');
  if (typeof options.seed !== 'number' || !Number.isFinite(options.seed)) {
    throw new UsageError(`seed must be a finite number, got ${String(options.seed)}`, { option: 'seed' });
  }
  const d = X[0].length;
  if (d === 0) throw new InvalidDataError('kmeans needs at least one column, row 0 is empty');
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (row.length !== d) throw new InvalidDataError(`row ${i} has ${row.length} values, row 0 has ${d}`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidDataError(`row ${i}, column ${j}: ${String(v)} is not a finite number`);
      data[i * d + j] = v;
    }
  }
  const rng = createRng(options.seed);
  let best: { centroids: Float64Array; labels: Int32Array; inertia: number; iterations: number } | null = null;
  for (let run = 0; run < nInit; run++) {
    const r = lloyd(data, n, d, k, maxIter, seedPlusPlus(data, n, d, k, rng));
    if (best === null || r.inertia < best.inertia) best = r;
  }
  return relabel(best!, k, d);
}

function dist2(data: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const z = data[i * d + t] - c[j * d + t];
    s += z * z;
  }
  return s;
}

/** k-means++: each new centroid is a row drawn with probability proportional to its squared distance to the nearest chosen one. */
function seedPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const c = new Float64Array(k * d);
  const near = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(n);
  for (let j = 0; j < k; j++) {
    c.set(data.subarray(pick * d, pick * d + d), j * d);
    if (j === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const z = dist2(data, i, c, j, d);
      if (z < near[i]) near[i] = z;
      total += near[i];
    }
    // Every row coincides with a chosen centroid (repeated rows): any row will do.
    pick = total > 0 ? rng.weightedIndex(near) : rng.int(n);
  }
  return c;
}

function lloyd(data: Float64Array, n: number, d: number, k: number, maxIter: number, c: Float64Array) {
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bd = dist2(data, i, c, 0, d);
      for (let j = 1; j < k; j++) {
        const z = dist2(data, i, c, j, d);
        if (z < bd) {
          bd = z;
          bj = j;
        }
      }
      if (labels[i] !== bj) changed++;
      labels[i] = bj;
      dist[i] = bd;
    }
    if (changed === 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      sizes[j]++;
      for (let t = 0; t < d; t++) sums[j * d + t] += data[i * d + t];
    }
    for (let j = 0; j < k; j++) {
      if (sizes[j] === 0) {
        // An empty cluster takes over the row farthest from its centroid (which then leaves its old cluster).
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        const old = labels[far];
        sizes[old]--;
        for (let t = 0; t < d; t++) sums[old * d + t] -= data[far * d + t];
        labels[far] = j;
        dist[far] = 0;
        sizes[j] = 1;
        for (let t = 0; t < d; t++) sums[j * d + t] = data[far * d + t];
      }
    }
    for (let j = 0; j < k; j++) {
      if (sizes[j] === 0) continue;
      for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t] / sizes[j];
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist2(data, i, c, labels[i], d);
  return { centroids: c, labels, inertia, iterations };
}

/** Number clusters by first appearance, so that results compare across runs without a permutation. */
function relabel(r: { centroids: Float64Array; labels: Int32Array; inertia: number; iterations: number }, k: number, d: number): KMeansResult {
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  const labels = new Int32Array(r.labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = r.labels[i];
    if (map[l] === -1) map[l] = next++;
    labels[i] = map[l];
  }
  // Clusters no row ended in (only possible with repeated rows) keep the last numbers.
  for (let j = 0; j < k; j++) if (map[j] === -1) map[j] = next++;
  const centroids: Float64Array[] = new Array(k);
  for (let j = 0; j < k; j++) centroids[map[j]] = r.centroids.slice(j * d, j * d + d);
  return { centroids, labels, inertia: r.inertia, iterations: r.iterations };
}
