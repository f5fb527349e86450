import type { Rng } from '@fingan/gan-core';
import { logGamma } from '@fingan/gan-core/math';
import { nelderMead } from './nelder-mead.js';
import { gammaSample } from '@fingan/gan-core/random';

/**
 * Univariate GARCH(1,1) with standardized Student-t innovations (Bollerslev 1986, 1987):
 *   r_t = mu + e_t,  e_t = sqrt(h_t) z_t,  z_t ~ t_nu scaled to unit variance,
 *   h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}.
 * Covariance stationary iff alpha + beta < 1; the fit enforces it through its reparametrisation.
 */
export interface GarchTParams {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  /** Degrees of freedom of the innovations (> 2 so the variance exists). */
  nu: number;
}

export interface GarchTFit {
  params: GarchTParams;
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

/** Largest persistence the fit may reach; keeps the unconditional variance finite. */
const MAX_PERSISTENCE = 0.9999;
const NU_MIN = 2.05;
const NU_MAX = 300;

/**
 * Run the variance recursion over `returns`, started at `h0` (default: the sample variance, a common choice
 * that makes the first terms of the likelihood sensible without estimating a start value).
 */
export function garchFilter(returns: ArrayLike<number>, p: GarchTParams, h0?: number): { variance: Float64Array; next: number } {
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

export interface GarchFitOptions {
  /** Nelder-Mead iteration cap per start (default 3000). */
  maxIterations?: number;
}

/**
 * Maximum-likelihood fit. mu is the sample mean (its MLE differs negligibly for daily returns and fixing it
 * keeps the search 4-dimensional). The data are standardized first so that omega is O(0.05) instead of
 * O(1e-6), then (omega, alpha, beta, nu) are optimised by Nelder-Mead on an unconstrained reparametrisation:
 *   omega = exp(x0), persistence = MAX * sigmoid(x1), alpha = persistence * sigmoid(x2), beta = persistence - alpha,
 *   nu = 2.05 + (300 - 2.05) * sigmoid(x3)
 * so every point the simplex visits is a valid, stationary model. Several starts; the best likelihood wins.
 */
export function fitGarchT(returns: ArrayLike<number>, options: GarchFitOptions = {}): GarchTFit {
  const { maxIterations = 3000 } = options;
  const n = returns.length;
  let mu = 0;
  for (let t = 0; t < n; t++) mu += returns[t];
  mu /= n;
  const v = sampleVariance(returns, mu);
  const s = Math.sqrt(v) || 1;
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = (returns[t] - mu) / s;

  const decode = (x: number[]): GarchTParams => {
    const pers = MAX_PERSISTENCE * sigmoid(x[1]);
    const alpha = pers * sigmoid(x[2]);
    return { mu: 0, omega: Math.exp(x[0]), alpha, beta: pers - alpha, nu: NU_MIN + (NU_MAX - NU_MIN) * sigmoid(x[3]) };
  };
  const encode = (omega: number, alpha: number, beta: number, nu: number) => [
    Math.log(omega),
    logit((alpha + beta) / MAX_PERSISTENCE),
    logit(alpha / (alpha + beta)),
    logit((nu - NU_MIN) / (NU_MAX - NU_MIN)),
  ];
  const objective = (x: number[]) => -garchTLogLik(y, decode(x), 1);
  const starts = [encode(0.05, 0.08, 0.9, 8), encode(0.1, 0.05, 0.85, 5), encode(0.02, 0.12, 0.86, 15), encode(0.3, 0.1, 0.6, 30)];
  let best: ReturnType<typeof nelderMead> | null = null;
  let iterations = 0;
  for (const x0 of starts) {
    const r = nelderMead(objective, x0, { step: 0.6, maxIterations, restarts: 3 });
    iterations += r.iterations;
    if (!best || r.f < best.f) best = r;
  }
  const z = decode(best!.x);
  const params: GarchTParams = { mu, omega: z.omega * v, alpha: z.alpha, beta: z.beta, nu: z.nu };
  const { variance, next } = garchFilter(returns, params, v);
  const standardized = new Float64Array(n);
  for (let t = 0; t < n; t++) standardized[t] = (returns[t] - mu) / Math.sqrt(variance[t]);
  return {
    params,
    logLik: garchTLogLik(returns, params, v),
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

/** Simulate n returns of a univariate GARCH(1,1)-t, started at variance h1 (default: unconditional). */
export function simulateGarchT(p: GarchTParams, n: number, rng: Rng, h1?: number): Float64Array {
  const out = new Float64Array(n);
  let h = h1 ?? p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < n; t++) {
    const e = Math.sqrt(h) * standardizedT(rng, p.nu);
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
