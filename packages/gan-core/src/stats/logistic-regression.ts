import { solveCholesky, tryCholesky } from '../math/linalg.js';
import { assertSameLength } from './validate.js';

export interface LogisticRegressionOptions {
  /** L2 penalty on the coefficients (not the intercept), per observation: the loss is mean log-loss + l2/2 |w|^2. */
  l2?: number;
  maxIter?: number;
  /** Stop when half the squared Newton decrement falls below this. */
  tol?: number;
}

const DEFAULTS: Required<LogisticRegressionOptions> = { l2: 1e-4, maxIter: 100, tol: 1e-8 };

/**
 * Binary logistic regression fitted by Newton's method (IRLS) with step halving. The penalty is scaled per
 * observation, so the same `l2` means the same thing for 500 and 50,000 rows; the small default only keeps the
 * problem well posed (separable data, collinear one-hot columns), it is not meant as tuning. Features should be on
 * comparable scales (FeatureEncoder's 'onehot' mode standardises); NaN is rejected.
 */
export class LogisticRegression {
  readonly options: Required<LogisticRegressionOptions>;
  coefficients: Float64Array = new Float64Array(0);
  intercept = 0;
  /** Newton iterations used by the last fit, and whether the last fit met `tol`. */
  iterations = 0;
  converged = false;
  private fitted = false;

  constructor(args: LogisticRegressionOptions = {}) {
    this.options = { ...DEFAULTS, ...args };
    const { l2, maxIter, tol } = this.options;
    if (!(l2 >= 0)) throw new RangeError(`l2 must be >= 0, got ${l2}`);
    if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
    if (!(tol > 0)) throw new RangeError(`tol must be > 0, got ${tol}`);
  }

  /**
   * `sampleWeight` (optional, one non-negative weight per row, e.g. balanced class weights) weights each row's
   * log-loss; the loss is then normalised by the total weight instead of n.
   */
  fit(X: ArrayLike<number>[], y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): this {
    assertSameLength(X, y, 'X and y');
    const n = X.length;
    if (n === 0) throw new RangeError('X is empty');
    const sw = checkWeights(sampleWeight, n);
    const p = X[0].length;
    const d = p + 1; // column 0 is the intercept
    const A = designMatrix(X, p);
    for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`y[${i}] must be 0 or 1, got ${y[i]}`);
    const { l2, maxIter, tol } = this.options;

    const beta = new Float64Array(d);
    const z = new Float64Array(n);
    const grad = new Float64Array(d);
    const H = new Float64Array(d * d);
    const trial = new Float64Array(d);
    let loss = objective(A, y, beta, z, n, d, l2, sw);
    const total = sw ? sw.reduce((a, b) => a + b, 0) : n;
    this.converged = false;
    let it = 0;
    for (; it < maxIter; it++) {
      grad.fill(0);
      H.fill(0);
      for (let i = 0; i < n; i++) {
        const pr = sigmoid(z[i]);
        const wi = sw ? sw[i] : 1;
        const r = (pr - y[i]) * wi;
        const w = pr * (1 - pr) * wi;
        const off = i * d;
        for (let a = 0; a < d; a++) {
          const xa = A[off + a];
          if (xa === 0) continue;
          grad[a] += r * xa;
          const wa = w * xa;
          for (let b = a; b < d; b++) H[a * d + b] += wa * A[off + b];
        }
      }
      for (let a = 0; a < d; a++) {
        grad[a] /= total;
        for (let b = a; b < d; b++) H[b * d + a] = H[a * d + b] /= total;
      }
      for (let a = 1; a < d; a++) {
        grad[a] += l2 * beta[a];
        H[a * d + a] += l2;
      }
      const step = solveSpd(H, grad, d);
      let decrement = 0;
      for (let a = 0; a < d; a++) decrement += grad[a] * step[a];
      if (decrement / 2 < tol) {
        // Close enough for Newton's quadratic convergence: take the full final step and stop.
        for (let a = 0; a < d; a++) beta[a] -= step[a];
        this.converged = true;
        it++;
        break;
      }
      // Step halving keeps every iteration a descent step (plain Newton can overshoot far from the optimum).
      let t = 1;
      let newLoss = Infinity;
      for (let h = 0; h < 40; h++) {
        for (let a = 0; a < d; a++) trial[a] = beta[a] - t * step[a];
        newLoss = objective(A, y, trial, z, n, d, l2, sw);
        if (newLoss <= loss - 1e-4 * t * decrement) break;
        t /= 2;
      }
      if (!(newLoss < loss)) {
        it++;
        break; // no descent possible at machine precision; `converged` stays false
      }
      beta.set(trial);
      loss = newLoss;
    }
    this.iterations = it;
    this.intercept = beta[0];
    this.coefficients = beta.slice(1);
    this.fitted = true;
    return this;
  }

  /** Probability of class 1 for each row. */
  predictProba(X: ArrayLike<number>[]): Float64Array {
    const p = this.coefficients.length;
    if (!this.fitted) throw new Error('LogisticRegression is not fitted');
    const out = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      const row = X[i];
      if (row.length !== p) throw new RangeError(`row ${i} has ${row.length} features, the model has ${p}`);
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += this.coefficients[j] * row[j];
      if (Number.isNaN(s)) throw new RangeError(`row ${i} contains NaN (encode missing values first)`);
      out[i] = sigmoid(s);
    }
    return out;
  }
}

/** Validated per-row weights as a Float64Array, or undefined for equal weights. */
export function checkWeights(w: ArrayLike<number> | undefined, n: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w.length !== n) throw new RangeError(`sampleWeight has ${w.length} values for ${n} rows`);
  const out = Float64Array.from(w);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(out[i] >= 0) || !Number.isFinite(out[i])) throw new RangeError(`sampleWeight[${i}] must be a finite number >= 0, got ${out[i]}`);
    total += out[i];
  }
  if (!(total > 0)) throw new RangeError('sampleWeight sums to 0');
  return out;
}

function designMatrix(X: ArrayLike<number>[], p: number): Float64Array {
  const n = X.length,
    d = p + 1;
  const A = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (row.length !== p) throw new RangeError(`row ${i} has ${row.length} features, row 0 has ${p}`);
    A[i * d] = 1;
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new RangeError(`X[${i}][${j}] is not finite (${v}); encode missing values first`);
      A[i * d + j + 1] = v;
    }
  }
  return A;
}

/** Mean log-loss + penalty at beta; also leaves the linear predictor in z. */
function objective(A: Float64Array, y: ArrayLike<number>, beta: Float64Array, z: Float64Array, n: number, d: number, l2: number, sw?: Float64Array): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = sw ? sw[i] : 1;
    total += wi;
    let s = 0;
    const off = i * d;
    for (let a = 0; a < d; a++) s += A[off + a] * beta[a];
    z[i] = s;
    // log(1 + e^s) - y s, written to avoid overflow
    loss += wi * ((s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y[i] * s);
  }
  let pen = 0;
  for (let a = 1; a < d; a++) pen += beta[a] * beta[a];
  return loss / total + (l2 / 2) * pen;
}

export function sigmoid(s: number): number {
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
}

/**
 * Solve H x = g for symmetric positive (semi-)definite H by Cholesky. A tiny ridge is added when H is singular
 * (a constant or duplicated column with l2 = 0), which picks one of the equally good solutions.
 */
function solveSpd(H: Float64Array, g: Float64Array, d: number): Float64Array {
  let maxDiag = 0;
  for (let a = 0; a < d; a++) maxDiag = Math.max(maxDiag, H[a * d + a]);
  const scale = maxDiag > 0 ? maxDiag : 1;
  for (let jitter = 0, tries = 0; tries < 12; tries++, jitter = jitter === 0 ? 1e-10 * scale : jitter * 100) {
    const L = tryCholesky(H, d, jitter, 1e-13 * scale);
    if (L) return solveCholesky(L, g, d);
  }
  throw new Error('logistic regression Hessian is not positive definite');
}
