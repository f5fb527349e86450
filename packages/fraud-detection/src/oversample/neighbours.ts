/**
 * k nearest neighbours of each of `n` points among the others, by brute force. Positives are rare by definition,
 * so n stays in the hundreds to low thousands and O(n^2) is cheaper than building a tree; memory stays O(n k)
 * because each row keeps only its k best. Ties go to the lower index so results never depend on sort stability.
 * Returns `nn` with `nn[i * k + r]` the r-th nearest neighbour of i (nearest first).
 */
export function nearestNeighbours(n: number, k: number, dist2: (i: number, j: number) => number): Int32Array {
  if (k > n - 1) throw new RangeError(`k=${k} neighbours need at least ${k + 1} points, got ${n}`);
  return nearestAmong(n, n, k, dist2);
}

/**
 * The k nearest of `candidates` points (indices 0..candidates-1) to each of `queries` points, by brute force, a
 * query never being its own neighbour (query i is candidate i when both index the same points, as in
 * `nearestNeighbours`; ADASYN's queries are the positives, listed first among the candidates). Same tie rule.
 */
export function nearestAmong(queries: number, candidates: number, k: number, dist2: (i: number, j: number) => number): Int32Array {
  const nn = new Int32Array(queries * k);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  for (let i = 0; i < queries; i++) {
    let filled = 0;
    for (let j = 0; j < candidates; j++) {
      if (j === i) continue;
      const d = dist2(i, j);
      if (filled === k && !(d < bestD[k - 1])) continue;
      // Insert keeping (distance, index) order; j rises, so an equal distance goes after existing ones.
      let p = filled < k ? filled++ : k - 1;
      while (p > 0 && bestD[p - 1] > d) {
        bestD[p] = bestD[p - 1];
        bestJ[p] = bestJ[p - 1];
        p--;
      }
      bestD[p] = d;
      bestJ[p] = j;
    }
    nn.set(bestJ, i * k);
  }
  return nn;
}
