import { assertFinite, assertSameLength } from './validate.js';

/**
 * Correlation measures. A constant column has no defined correlation; every function here returns 0 for it instead of
 * NaN, because the callers compare real against synthetic correlation matrices and a NaN would poison the comparison
 * (a constant synthetic column that "correlates 0" with everything is the honest reading).
 */

/** Pearson product-moment correlation (two-pass, so large offsets do not cancel). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y);
  assertFinite(x, 'x');
  assertFinite(y, 'y');
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  let constX = true,
    constY = true;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
    if (x[i] !== x[0]) constX = false;
    if (y[i] !== y[0]) constY = false;
  }
  if (constX || constY) return 0;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata 'average'). */
export function rank(x: ArrayLike<number>): Float64Array {
  assertFinite(x, 'x', 0);
  const n = x.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && x[idx[j]] === x[idx[i]]) j++;
    const avg = (i + j + 1) / 2; // mean of the 1-based ranks i+1..j
    for (let k = i; k < j; k++) r[idx[k]] = avg;
    i = j;
  }
  return r;
}

/** Spearman rank correlation: Pearson on average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y);
  assertFinite(x, 'x');
  assertFinite(y, 'y');
  return pearson(rank(x), rank(y));
}

/**
 * Cramer's V between two categorical samples, without the bias correction: sqrt(chi2 / (n (min(r, c) - 1))).
 * Categories are compared with SameValueZero; `null` is a category. Returns 0 when either variable has one level.
 */
export function cramersV(x: ArrayLike<unknown>, y: ArrayLike<unknown>): number {
  assertSameLength(x, y);
  const n = x.length;
  if (n === 0) throw new RangeError('x is empty');
  const codeX = new Map<unknown, number>();
  const codeY = new Map<unknown, number>();
  const cx = new Int32Array(n),
    cy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let a = codeX.get(x[i]);
    if (a === undefined) codeX.set(x[i], (a = codeX.size));
    let b = codeY.get(y[i]);
    if (b === undefined) codeY.set(y[i], (b = codeY.size));
    cx[i] = a;
    cy[i] = b;
  }
  const r = codeX.size,
    c = codeY.size;
  if (r < 2 || c < 2) return 0;
  const table = new Float64Array(r * c);
  const rowSum = new Float64Array(r),
    colSum = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    table[cx[i] * c + cy[i]]++;
    rowSum[cx[i]]++;
    colSum[cy[i]]++;
  }
  let chi2 = 0;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < c; b++) {
      const e = (rowSum[a] * colSum[b]) / n;
      chi2 += (table[a * c + b] - e) ** 2 / e;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * (Math.min(r, c) - 1))));
}

/**
 * Symmetric matrix of pairwise correlations between equally long columns. The diagonal is 1 by definition (also for a
 * constant column, whose off-diagonal entries are 0).
 */
export function correlationMatrix(columns: ArrayLike<number>[], method: 'pearson' | 'spearman' = 'pearson'): number[][] {
  const k = columns.length;
  for (let j = 0; j < k; j++) {
    assertSameLength(columns[0], columns[j], `columns 0 and ${j}`);
    assertFinite(columns[j], `columns[${j}]`);
  }
  const cols = method === 'spearman' ? columns.map((c) => rank(c)) : columns;
  const out: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    out[a][a] = 1;
    for (let b = a + 1; b < k; b++) out[a][b] = out[b][a] = pearson(cols[a], cols[b]);
  }
  return out;
}
