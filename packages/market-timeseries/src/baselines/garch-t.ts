import { UsageError, type Rng } from '@fingan/gan-core';
import { logGamma } from '@fingan/gan-core/math';
import { nelderMead } from './nelder-mead.js';
import { gammaSample } from '@fingan/gan-core/random';

/**
 * Univariate GARCH(1,1) (Bollerslev 1986) with Gaussian or standardized Student-t innovations (Bollerslev 1987):
 *   r_t = mu + e_t,  e_t = sqrt(h_t) z_t,  z_t ~ N(0, 1) or t_nu scaled to unit variance,
 *   h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}.
 * Covariance stationary iff alpha + beta < 1; the fit enforces it through its reparametrisation.
 */
export type GarchInnovation = 'normal' | 't';

export const GARCH_INNOVATIONS: readonly GarchInnovation[] = ['normal', 't'];

/** GARCH(1,1) parameters; without `nu` the innovations are Gaussian. */
export interface Garch11Params {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  /** Degrees of freedom of Student-t innovations (> 2 so the variance exists); absent: Gaussian innovations. */
  nu?: number;
}

export interface GarchTParams extends Garch11Params {
  nu: number;
}

export interface Garch11Fit<P extends Garch11Params = Garch11Params> {
  params: P;
  logLik: number;
  /** alpha + beta (< 1). */
  persistence: number;
  converged: boolean;
  iterations: number;
  /** Conditional variance for the step after the sample (where a simulation continues from). */
  nextVariance: number;
  /** Standardized residuals e_t / sqrt(h_t) of the sample (for the CCC correlation). */
  standardized: Float64Array;
}

export type GarchTFit = Garch11Fit<GarchTParams>;

/** Largest persistence the fit may reach; keeps the unconditional variance finite. */
const MAX_PERSISTENCE = 0.9999;
const NU_MIN = 2.05;
const NU_MAX = 300;

/**
 * Run the variance recursion over `returns`, started at `h0` (default: the sample variance, a common choice
 * that makes the first terms of the likelihood sensible without estimating a start value).
 */
export function garchFilter(returns: ArrayLike<number>, p: Garch11Params, h0?: number): { variance: Float64Array; next: number } {
  const n = returns.length;
  const variance = new Float64Array(n);
  let h = h0 ?? sampleVariance(returns, p.mu);
  for (let t = 0; t < n; t++) {
    variance[t] = h;
    const e = returns[t] - p.mu;
    h = p.omega + p.alpha * e * e + p.beta * h;
  }
  return { variance, next: h };
}

/** Exact log-likelihood of GARCH(1,1)-t given the start variance. */
export function garchTLogLik(returns: ArrayLike<number>, p: GarchTParams, h0?: number): number {
  const { nu } = p;
  if (!(p.omega > 0 && p.alpha >= 0 && p.beta >= 0 && nu > 2)) return -Infinity;
  const n = returns.length;
  const c = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  const k = (nu + 1) / 2;
  const inv = 1 / (nu - 2);
  let h = h0 ?? sampleVariance(returns, p.mu);
  let ll = n * c;
  for (let t = 0; t < n; t++) {
    const e = returns[t] - p.mu;
    const e2 = e * e;
    ll -= 0.5 * Math.log(h) + k * Math.log1p((e2 * inv) / h);
    h = p.omega + p.alpha * e2 + p.beta * h;
  }
  return ll;
}

/** Exact log-likelihood of GARCH(1,1) with Gaussian innovations given the start variance. */
export function garchNormalLogLik(returns: ArrayLike<number>, p: Garch11Params, h0?: number): number {
  if (!(p.omega > 0 && p.alpha >= 0 && p.beta >= 0)) return -Infinity;
  const n = returns.length;
  let h = h0 ?? sampleVariance(returns, p.mu);
  let ll = -0.5 * n * Math.log(2 * Math.PI);
  for (let t = 0; t < n; t++) {
    const e = returns[t] - p.mu;
    const e2 = e * e;
    ll -= 0.5 * (Math.log(h) + e2 / h);
    h = p.omega + p.alpha * e2 + p.beta * h;
  }
  return ll;
}

/** Log-likelihood of either kind: Student-t when `nu` is set, Gaussian otherwise. */
export function garchLogLik(returns: ArrayLike<number>, p: Garch11Params, h0?: number): number {
  return p.nu === undefined ? garchNormalLogLik(returns, p, h0) : garchTLogLik(returns, p as GarchTParams, h0);
}

export interface GarchFitOptions {
  /** Nelder-Mead iteration cap per start (default 3000). */
  maxIterations?: number;
  /** Innovations of `fitGarch`: 't' (standardized Student-t, default) or 'normal' (Gaussian: the plain GARCH(1,1)). */
  innovation?: GarchInnovation;
}

/** Checks the fit options; a bad one is a UsageError naming it. */
export function checkGarchFitOptions(options: GarchFitOptions): void {
  const { innovation, maxIterations } = options;
  if (innovation !== undefined && !GARCH_INNOVATIONS.includes(innovation)) {
    throw new UsageError(`innovation must be 'normal' or 't', got '${String(innovation)}'`, { option: 'innovation' });
  }
  if (maxIterations !== undefined && !(Number.isInteger(maxIterations) && maxIterations > 0)) {
    throw new UsageError(`maxIterations must be a positive integer, got ${maxIterations}`, { option: 'maxIterations' });
  }
}

/**
 * Maximum-likelihood fit of GARCH(1,1)-t. mu is the sample mean (its MLE differs negligibly for daily returns and
 * fixing it keeps the search 4-dimensional). The data are standardized first so that omega is O(0.05) instead of
 * O(1e-6), then (omega, alpha, beta, nu) are optimised by Nelder-Mead on an unconstrained reparametrisation:
 *   omega = exp(x0), persistence = MAX * sigmoid(x1), alpha = persistence * sigmoid(x2), beta = persistence - alpha,
 *   nu = 2.05 + (300 - 2.05) * sigmoid(x3)
 * so every point the simplex visits is a valid, stationary model. Several starts; the best likelihood wins.
 */
export function fitGarchT(returns: ArrayLike<number>, options: GarchFitOptions = {}): GarchTFit {
  return fitGarch11(returns, 't', options) as GarchTFit;
}

/** Maximum-likelihood fit of the plain GARCH(1,1), Gaussian innovations: as `fitGarchT` without nu (3 dimensions). */
export function fitGarchNormal(returns: ArrayLike<number>, options: GarchFitOptions = {}): Garch11Fit {
  return fitGarch11(returns, 'normal', options);
}

function fitGarch11(returns: ArrayLike<number>, innovation: GarchInnovation, options: GarchFitOptions): Garch11Fit {
  checkGarchFitOptions(options);
  const { maxIterations = 3000 } = options;
  const t = innovation === 't';
  const n = returns.length;
  let mu = 0;
  for (let i = 0; i < n; i++) mu += returns[i];
  mu /= n;
  const v = sampleVariance(returns, mu);
  const s = Math.sqrt(v) || 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = (returns[i] - mu) / s;

  const decode = (x: number[]): Garch11Params => {
    const pers = MAX_PERSISTENCE * sigmoid(x[1]);
    const alpha = pers * sigmoid(x[2]);
    const p: Garch11Params = { mu: 0, omega: Math.exp(x[0]), alpha, beta: pers - alpha };
    if (t) p.nu = NU_MIN + (NU_MAX - NU_MIN) * sigmoid(x[3]);
    return p;
  };
  const encode = (omega: number, alpha: number, beta: number, nu: number) => {
    const x = [Math.log(omega), logit((alpha + beta) / MAX_PERSISTENCE), logit(alpha / (alpha + beta))];
    return t ? [...x, logit((nu - NU_MIN) / (NU_MAX - NU_MIN))] : x;
  };
  const objective = (x: number[]) => -garchLogLik(y, decode(x), 1);
  const starts = [encode(0.05, 0.08, 0.9, 8), encode(0.1, 0.05, 0.85, 5), encode(0.02, 0.12, 0.86, 15), encode(0.3, 0.1, 0.6, 30)];
  let best: ReturnType<typeof nelderMead> | null = null;
  let iterations = 0;
  for (const x0 of starts) {
    const r = nelderMead(objective, x0, { step: 0.6, maxIterations, restarts: 3 });
    iterations += r.iterations;
    if (!best || r.f < best.f) best = r;
  }
  const z = decode(best!.x);
  const params: Garch11Params = { mu, omega: z.omega * v, alpha: z.alpha, beta: z.beta, ...(t ? { nu: z.nu } : {}) };
  const { variance, next } = garchFilter(returns, params, v);
  const standardized = new Float64Array(n);
  for (let i = 0; i < n; i++) standardized[i] = (returns[i] - mu) / Math.sqrt(variance[i]);
  return {
    params,
    logLik: garchLogLik(returns, params, v),
    persistence: params.alpha + params.beta,
    converged: best!.converged,
    iterations,
    nextVariance: next,
    standardized,
  };
}

/** One standardized (unit-variance) Student-t draw: z * sqrt((nu - 2) / chi2_nu). */
export function standardizedT(rng: Rng, nu: number): number {
  const chi2 = 2 * gammaSample(rng, nu / 2);
  return rng.normal() * Math.sqrt((nu - 2) / chi2);
}

/** One unit-variance innovation: standardized Student-t with `nu`, Gaussian without. */
export function standardizedInnovation(rng: Rng, nu: number | undefined): number {
  return nu === undefined ? rng.normal() : standardizedT(rng, nu);
}

/** Simulate n returns of a univariate GARCH(1,1) (Student-t innovations with `nu`, Gaussian without), started at variance h1 (default: unconditional). */
export function simulateGarchT(p: Garch11Params, n: number, rng: Rng, h1?: number): Float64Array {
  const out = new Float64Array(n);
  let h = h1 ?? p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < n; t++) {
    const e = Math.sqrt(h) * standardizedInnovation(rng, p.nu);
    out[t] = p.mu + e;
    h = p.omega + p.alpha * e * e + p.beta * h;
  }
  return out;
}

function sampleVariance(x: ArrayLike<number>, mu: number): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) s += (x[t] - mu) ** 2;
  return x.length > 0 ? s / x.length : 0;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}
