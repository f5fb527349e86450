/**
 * The little dense linear algebra fingan needs (covariance, Cholesky, small symmetric solves): market baselines,
 * logistic regression's Newton steps, discriminative scores. Matrices are row-major Float64Array of k*k; sizes are
 * tens (assets, features), so clarity beats blocking.
 */

/** Sample covariance (n-1 denominator) of equal-length columns. */
export function covariance(columns: ArrayLike<number>[]): Float64Array {
  const k = columns.length;
  const n = k === 0 ? 0 : columns[0].length;
  const means = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += columns[a][t];
    means[a] = s / n;
  }
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      const ca = columns[a];
      const cb = columns[b];
      for (let t = 0; t < n; t++) s += (ca[t] - means[a]) * (cb[t] - means[b]);
      const v = n > 1 ? s / (n - 1) : 0;
      out[a * k + b] = v;
      out[b * k + a] = v;
    }
  }
  return out;
}

/** Correlation matrix from a covariance matrix (a zero-variance asset gets correlation 0 with the others). */
export function covToCorr(cov: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const d = Math.sqrt(cov[a * k + a] * cov[b * k + b]);
      out[a * k + b] = a === b ? 1 : d > 0 ? cov[a * k + b] / d : 0;
    }
  }
  return out;
}

/**
 * Lower Cholesky factor L (L L' = m). Sample covariances of nearly collinear assets can be numerically
 * indefinite, so on failure a growing ridge is added to the diagonal (relative to its mean) before giving up.
 */
export function cholesky(m: Float64Array, k: number): Float64Array {
  let meanDiag = 0;
  for (let i = 0; i < k; i++) meanDiag += m[i * k + i];
  meanDiag = k > 0 ? meanDiag / k : 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const ridge = attempt === 0 ? 0 : meanDiag * 1e-12 * 10 ** attempt;
    const l = tryCholesky(m, k, ridge);
    if (l) return l;
  }
  throw new RangeError('matrix is not positive semi-definite (Cholesky failed even with a diagonal ridge)');
}

/**
 * Lower Cholesky factor of m + ridge I, or null when a pivot falls below `minPivot` (0: the matrix is not
 * positive semi-definite; a small positive value: numerically singular). A zero pivot gives a zero column.
 */
export function tryCholesky(m: Float64Array, k: number, ridge = 0, minPivot = 0): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * k + j] + (i === j ? ridge : 0);
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (!(s >= minPivot)) return null;
        l[i * k + i] = Math.sqrt(s);
      } else {
        const d = l[j * k + j];
        l[i * k + j] = d > 0 ? s / d : 0;
      }
    }
  }
  return l;
}

/** Solve L L' x = b given the lower Cholesky factor L (a zero pivot gives a zero component). */
export function solveCholesky(l: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * k + p] * y[p];
    y[i] = l[i * k + i] > 0 ? s / l[i * k + i] : 0;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
    x[i] = l[i * k + i] > 0 ? s / l[i * k + i] : 0;
  }
  return x;
}

/** Solve A x = b for symmetric positive-definite A (via Cholesky, with `cholesky`'s ridge on failure). */
export function solveSpd(a: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  return solveCholesky(cholesky(a, k), b, k);
}
