/**
 * Category frequencies and the total variation distance between two categorical samples. Categories are compared with
 * SameValueZero (Map keys): `1` and `'1'` are different categories, and `null` (missing) is a category of its own, so
 * a generator that drops or invents missing values is penalised.
 */

/** Relative frequency (share, summing to 1) of each distinct value, in order of first appearance. */
export function frequencies(x: ArrayLike<unknown>): Map<unknown, number> {
  if (x.length === 0) throw new RangeError('x is empty');
  const counts = new Map<unknown, number>();
  for (let i = 0; i < x.length; i++) counts.set(x[i], (counts.get(x[i]) ?? 0) + 1);
  for (const [k, c] of counts) counts.set(k, c / x.length);
  return counts;
}

/** TV distance = half the L1 distance between the two frequency vectors: 0 = identical shares, 1 = disjoint support. */
export function totalVariation(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  const fa = frequencies(a);
  const fb = frequencies(b);
  let s = 0;
  for (const [k, p] of fa) s += Math.abs(p - (fb.get(k) ?? 0));
  for (const [k, q] of fb) if (!fa.has(k)) s += q;
  return Math.min(1, s / 2);
}
