import type { Rng } from '@fingan/gan-core';
import { nearestAmong } from './neighbours.js';
import { medianContinuousStd, smoteNcDistance, smotenc } from './smotenc.js';
import type { OversampleInput, OversampleResult } from './synthetic-rows.js';

/**
 * ADASYN and Borderline-SMOTE: SMOTE-NC (same distance, interpolation and categorical vote) whose base samples
 * are chosen by where each positive sits among ALL training rows. For each positive, its m nearest neighbours
 * among every row (positives and negatives, SMOTE-NC distance) give the share of negatives around it:
 *
 * - ADASYN (He, Bai, Garcia & Li 2008): positives are drawn as bases in proportion to that share, so more
 *   synthetic rows are made where positives are hardest to learn. (The paper rounds a count per positive; drawing
 *   in proportion is the same in expectation and keeps the exact total.)
 * - Borderline-SMOTE-1 (Han, Wang & Mao 2005): only "danger" positives are bases, those with at least half but
 *   not all of their m neighbours negative (all negative is taken as noise).
 *
 * When no positive qualifies (no negative near any positive, or no danger positive), both fall back to plain
 * SMOTE-NC over every positive and say so in `fallback`.
 */
export interface AdaptiveOptions {
  /** Neighbours among the positives to interpolate with (as in SMOTE). */
  k: number;
  /** Neighbours among all rows that measure each positive's difficulty (default 5 for ADASYN, 10 for Borderline). */
  m?: number;
  rng: Rng;
}

export interface AdaptiveResult extends OversampleResult {
  /** Base weight of each positive (in `input.positives` order). */
  weights: Float64Array;
  fallback: boolean;
}

/** Share of negatives among each positive's m nearest neighbours in the whole table (SMOTE-NC distance). */
export function negativeShare(input: OversampleInput, negatives: number[], m: number): Float64Array {
  const { encoder, positives } = input;
  const rows = [...positives, ...negatives];
  const all = encoder.encode(input.table, rows);
  const pos = encoder.encode(input.table, positives);
  const d = encoder.dNumeric;
  const dc = encoder.dCategorical;
  const med = medianContinuousStd(pos, d);
  const penalty = med * med;
  const P = positives.length;
  const N = rows.length;
  if (m > N - 1) throw new RangeError(`m=${m} neighbours need at least ${m + 1} rows, got ${N}`);
  const nn = nearestAmong(P, N, m, smoteNcDistance(all, d, dc, penalty));
  // Rows 0..P-1 of `all` are the positives, the rest negatives.
  const share = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let neg = 0;
    for (let r = 0; r < m; r++) if (nn[i * m + r] >= P) neg++;
    share[i] = neg / m;
  }
  return share;
}

export function adasyn(input: OversampleInput, negatives: number[], n: number, opts: AdaptiveOptions): AdaptiveResult {
  const share = negativeShare(input, negatives, opts.m ?? 5);
  const fallback = !share.some((v) => v > 0);
  const weights = fallback ? new Float64Array(share.length).fill(1) : share;
  return { ...smotenc(input, n, { k: opts.k, rng: opts.rng, baseWeights: weights }), weights, fallback };
}

export function borderlineSmote(input: OversampleInput, negatives: number[], n: number, opts: AdaptiveOptions): AdaptiveResult {
  const share = negativeShare(input, negatives, opts.m ?? 10);
  const danger = Float64Array.from(share, (v) => (v >= 0.5 && v < 1 ? 1 : 0));
  const fallback = !danger.some((v) => v > 0);
  const weights = fallback ? new Float64Array(share.length).fill(1) : danger;
  return { ...smotenc(input, n, { k: opts.k, rng: opts.rng, baseWeights: weights }), weights, fallback };
}
