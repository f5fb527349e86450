import type { Rng } from '@fingan/gan-core';
import { nearestNeighbours } from './neighbours.js';
import { emptyEncoded, interpolateNumeric, toTable, type OversampleInput, type OversampleResult, type SyntheticDraw } from './synthetic-rows.js';

export interface SmoteOptions {
  /** Neighbours per positive (Chawla et al. use 5). */
  k: number;
  rng: Rng;
}

/**
 * SMOTE (Chawla, Bowyer, Hall & Kegelmeyer 2002). Each synthetic positive is drawn as: a random positive `b`
 * (rng.int(P)), one of its k nearest positive neighbours `j` (rng.int(k)), a uniform gap (rng.next()), and
 * x = x_b + gap * (x_j - x_b) on the standardized continuous features -- always in that order, so a seed fixes
 * every draw. Distances are Euclidean over the standardized continuous features only (a missing value counts as
 * the column mean). Plain SMOTE has no rule for categories; we take the category of whichever endpoint the point
 * is nearer to (the base if gap < 0.5), which is what interpolating a one-hot vector and taking the arg-max would
 * give. Use SMOTE-NC when categories should count in the distance.
 */
export function smote(input: OversampleInput, n: number, opts: SmoteOptions): OversampleResult {
  const { encoder, positives } = input;
  const { k, rng } = opts;
  const pos = encoder.encode(input.table, positives);
  const P = pos.n;
  const d = encoder.dNumeric;
  const dc = encoder.dCategorical;
  const nn = nearestNeighbours(P, k, (a, b) => {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = pos.numeric[a * d + c] - pos.numeric[b * d + c];
      s += t * t;
    }
    return s;
  });
  const out = emptyEncoded(n, d, dc);
  const draws: SyntheticDraw[] = new Array(n);
  for (let s = 0; s < n; s++) {
    const b = rng.int(P);
    const j = nn[b * k + rng.int(k)];
    const gap = rng.next();
    interpolateNumeric(pos, b, j, gap, out, s, d);
    for (let c = 0; c < dc; c++) {
      const from = gap < 0.5 || pos.categoricalMissing[j * dc + c] ? b : j;
      out.categorical[s * dc + c] = pos.categorical[from * dc + c];
      out.categoricalMissing[s * dc + c] = pos.categoricalMissing[b * dc + c];
    }
    draws[s] = { base: positives[b], neighbour: positives[j], gap };
  }
  return { table: toTable(input, out, draws), draws };
}
