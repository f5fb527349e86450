import { assertFinite, sortedCopy } from './validate.js';

/**
 * Exact first Wasserstein (earth mover's) distance between two 1-D empirical distributions of any sizes:
 * W1 = integral |F_a(t) - F_b(t)| dt, integrated piecewise over the merged sorted sample (the CDFs are step
 * functions, so the integral is an exact finite sum). Same units as the data: scale it yourself to compare columns.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  const sa = sortedCopy(a);
  const sb = sortedCopy(b);
  const n = sa.length,
    m = sb.length;
  let i = 0,
    j = 0;
  let total = 0;
  let prev = Math.min(sa[0], sb[0]);
  while (i < n || j < m) {
    const v = j >= m || (i < n && sa[i] <= sb[j]) ? sa[i] : sb[j];
    // Between prev and v both CDFs are constant at i/n and j/m.
    total += Math.abs(i / n - j / m) * (v - prev);
    while (i < n && sa[i] <= v) i++;
    while (j < m && sb[j] <= v) j++;
    prev = v;
  }
  return total;
}
