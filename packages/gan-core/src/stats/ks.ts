import { assertFinite, sortedCopy } from './validate.js';

/**
 * Two-sample Kolmogorov-Smirnov statistic D = sup_t |F_a(t) - F_b(t)| of the empirical CDFs. Ties (within and across
 * samples) are handled by stepping both CDFs past each distinct value together, so D does not depend on input order.
 */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  const sa = sortedCopy(a);
  const sb = sortedCopy(b);
  const n = sa.length,
    m = sb.length;
  let i = 0,
    j = 0,
    d = 0;
  while (i < n && j < m) {
    const v = sa[i] <= sb[j] ? sa[i] : sb[j];
    while (i < n && sa[i] <= v) i++;
    while (j < m && sb[j] <= v) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

/**
 * Two-sided KS test with the asymptotic p-value: sqrt(nm/(n+m)) * D is compared with the Kolmogorov distribution
 * (scipy.stats.kstwobign). Good for the sample sizes of synthetic-data checks (hundreds and up); conservative-ish
 * and rough for tiny samples.
 */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): { statistic: number; pValue: number } {
  const statistic = ksStatistic(a, b);
  const en = (a.length * b.length) / (a.length + b.length);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(en) * statistic) };
}

/** P(K > lambda) for the Kolmogorov distribution, using whichever of its two series converges fast at lambda. */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // P(K <= l) = sqrt(2 pi) / l * sum_k exp(-(2k-1)^2 pi^2 / (8 l^2)); converges fast for small l.
    const c = (-Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k <= 20; k++) {
      const t = Math.exp(c * (2 * k - 1) * (2 * k - 1));
      s += t;
      if (t < 1e-17 * s) break;
    }
    const cdf = (Math.sqrt(2 * Math.PI) / lambda) * s;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  // P(K > l) = 2 sum_k (-1)^(k-1) exp(-2 k^2 l^2); converges fast for large l.
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = Math.exp(-2 * k * k * lambda * lambda);
    s += k % 2 === 1 ? t : -t;
    if (t < 1e-17 * Math.abs(s) || t === 0) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}
