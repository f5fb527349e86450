import type { Rng } from '@fingan/gan-core';
import type { EncodedRows } from '../encoder.js';
import { nearestNeighbours } from './neighbours.js';
import { emptyEncoded, interpolateNumeric, toTable, type OversampleInput, type OversampleResult, type SyntheticDraw } from './synthetic-rows.js';

export interface SmoteNcOptions {
  k: number;
  rng: Rng;
  /**
   * How often each positive is drawn as a base (non-negative, one per positive; default: uniformly). ADASYN and
   * Borderline-SMOTE are SMOTE-NC with their own base weights (see adaptive.ts).
   */
  baseWeights?: Float64Array;
}

/**
 * The SMOTE-NC penalty for one mismatching categorical feature (Chawla et al. 2002, section 6.1): the median,
 * over the continuous features, of their standard deviation among the positives (population sd, in the
 * standardized space distances are measured in; missing values are skipped). With no continuous features
 * the penalty is 1, i.e. the distance becomes a Hamming distance.
 */
export function medianContinuousStd(pos: EncodedRows, d: number): number {
  const sds: number[] = [];
  for (let c = 0; c < d; c++) {
    let n = 0;
    let m = 0;
    for (let i = 0; i < pos.n; i++) {
      if (pos.numericMissing[i * d + c]) continue;
      n++;
      m += pos.numeric[i * d + c];
    }
    if (n === 0) continue;
    m /= n;
    let v = 0;
    for (let i = 0; i < pos.n; i++) {
      if (pos.numericMissing[i * d + c]) continue;
      const t = pos.numeric[i * d + c] - m;
      v += t * t;
    }
    sds.push(Math.sqrt(v / n));
  }
  if (sds.length === 0) return 1;
  sds.sort((a, b) => a - b);
  const h = sds.length >> 1;
  return sds.length % 2 ? sds[h] : (sds[h - 1] + sds[h]) / 2;
}

/** SMOTE-NC's squared distance between rows a and b of `rows`: squared Euclidean over continuous, + penalty per category mismatch. */
export function smoteNcDistance(rows: EncodedRows, d: number, dc: number, penalty: number): (a: number, b: number) => number {
  return (a, b) => {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = rows.numeric[a * d + c] - rows.numeric[b * d + c];
      s += t * t;
    }
    for (let c = 0; c < dc; c++) if (rows.categorical[a * dc + c] !== rows.categorical[b * dc + c]) s += penalty;
    return s;
  };
}

/**
 * SMOTE-NC (Chawla et al. 2002): SMOTE for mixed continuous and categorical features. The squared distance is
 * the squared Euclidean distance over standardized continuous features plus Med^2 for every categorical feature
 * on which the two positives differ (Med from `medianContinuousStd`). Continuous features are interpolated as in
 * SMOTE (same draw order: base, neighbour slot, gap); each categorical feature takes the value most frequent
 * among the base's k nearest neighbours (a tie goes to the value met first, nearest neighbour first; neighbours
 * missing that feature do not vote; a null in the base stays null).
 */
export function smotenc(input: OversampleInput, n: number, opts: SmoteNcOptions): OversampleResult {
  const { encoder, positives } = input;
  const { k, rng } = opts;
  const pos = encoder.encode(input.table, positives);
  const P = pos.n;
  const d = encoder.dNumeric;
  const dc = encoder.dCategorical;
  const med = medianContinuousStd(pos, d);
  const penalty = med * med;
  const nn = nearestNeighbours(P, k, smoteNcDistance(pos, d, dc, penalty));
  // The categorical vote depends only on the base, so it is computed once per positive.
  const vote = new Int32Array(P * dc);
  const voteMissing = new Uint8Array(P * dc);
  for (let b = 0; b < P; b++) {
    for (let c = 0; c < dc; c++) {
      // Map iteration follows insertion order, i.e. nearest neighbour first, which settles ties.
      const counts = new Map<number, number>();
      for (let r = 0; r < k; r++) {
        const j = nn[b * k + r];
        if (pos.categoricalMissing[j * dc + c]) continue;
        const code = pos.categorical[j * dc + c];
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      let best = -1;
      let bestN = 0;
      for (const [code, m] of counts) {
        if (m > bestN) {
          best = code;
          bestN = m;
        }
      }
      vote[b * dc + c] = best >= 0 ? best : pos.categorical[b * dc + c];
      voteMissing[b * dc + c] = pos.categoricalMissing[b * dc + c];
    }
  }
  const out = emptyEncoded(n, d, dc);
  const draws: SyntheticDraw[] = new Array(n);
  const pickBase = opts.baseWeights ? weightedPicker(opts.baseWeights, rng) : () => rng.int(P);
  for (let s = 0; s < n; s++) {
    const b = pickBase();
    const j = nn[b * k + rng.int(k)];
    const gap = rng.next();
    interpolateNumeric(pos, b, j, gap, out, s, d);
    out.categorical.set(vote.subarray(b * dc, (b + 1) * dc), s * dc);
    out.categoricalMissing.set(voteMissing.subarray(b * dc, (b + 1) * dc), s * dc);
    draws[s] = { base: positives[b], neighbour: positives[j], gap };
  }
  return { table: toTable(input, out, draws), draws };
}

/** Draws index i with probability w[i] / sum(w) (one rng.next() per draw, binary search on the cumulative sums). */
function weightedPicker(w: Float64Array, rng: Rng): () => number {
  const cum = new Float64Array(w.length);
  let t = 0;
  for (let i = 0; i < w.length; i++) cum[i] = t += w[i];
  if (!(t > 0)) throw new RangeError('base weights sum to 0');
  return () => {
    const u = rng.next() * t;
    let lo = 0;
    let hi = w.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
