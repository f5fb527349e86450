import { quantileSorted } from '@fingan/gan-core';

/**
 * Historical Value-at-Risk and Expected Shortfall of a sample of log returns at confidence `level` (0.95, 0.99),
 * both as positive losses: VaR = -q_{1-level}, ES = -mean of the returns at or below that quantile.
 */
export function valueAtRisk(returns: ArrayLike<number>, level: number): { var: number; es: number } {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const s = Float64Array.from(returns).sort();
  const q = quantileSorted(s, 1 - level);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.length && s[i] <= q; i++) {
    sum += s[i];
    n++;
  }
  return { var: -q, es: n > 0 ? -sum / n : -q };
}
