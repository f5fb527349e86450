/**
 * Argument checks shared by the statistics functions. They throw RangeError (a programming error, not bad user data):
 * callers are expected to have cleaned missing values out before asking for a statistic.
 */

/** Throws unless `x` has at least `min` elements, all finite. */
export function assertFinite(x: ArrayLike<number>, what = 'x', min = 1): void {
  if (x.length < min) {
    throw new RangeError(min === 1 ? `${what} is empty` : `${what} needs at least ${min} values, got ${x.length}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`${what}[${i}] is not a finite number (${x[i]})`);
  }
}

export function assertSameLength(x: ArrayLike<unknown>, y: ArrayLike<unknown>, what = 'x and y'): void {
  if (x.length !== y.length) throw new RangeError(`${what} differ in length (${x.length} vs ${y.length})`);
}

/** A sorted Float64Array copy (the input is left untouched). */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(x);
  s.sort();
  return s;
}
