/**
 * Rényi differential privacy (RDP) accountant for DP-SGD: the sampled Gaussian mechanism (each example is in a step's
 * batch with probability q, the clipped gradient sum gets Gaussian noise of standard deviation sigma x the clipping
 * norm), composed over steps, converted to (epsilon, delta).
 *
 * Written from the papers: Mironov, "Rényi Differential Privacy" (2017) for composition and the classic conversion;
 * Mironov, Talwar and Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism" (2019) for the RDP of
 * one step, A_alpha = E_{z ~ N(0, sigma^2)} [(1 - q + q exp((2z - 1) / (2 sigma^2)))^alpha], computed exactly as a
 * binomial sum for integer orders and by numerical integration for fractional ones; Balle et al., "Hypothesis
 * Testing Interpretations and Renyi Differential Privacy" (2020) for the tighter conversion.
 */
import { UsageError } from '../errors.js';
import { logGamma } from '../math/special.js';

/** Orders tried by default: fractional ones near 1 (small epsilon), integers up to 64, and a few large ones. */
export const DEFAULT_RDP_ORDERS: readonly number[] = [
  1.25,
  1.5,
  1.75,
  2,
  2.25,
  2.5,
  2.75,
  3,
  3.5,
  4,
  4.5,
  ...Array.from({ length: 59 }, (_, i) => i + 5),
  64,
  80,
  96,
  128,
  192,
  256,
];

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

function logBinomial(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** log A_alpha for an integer order: sum_k C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2)). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let s = -Infinity;
  for (let k = 0; k <= alpha; k++) {
    const t = logBinomial(alpha, k) + (alpha - k) * Math.log1p(-q) + k * Math.log(q) + (k * k - k) / (2 * sigma * sigma);
    s = logAddExp(s, t);
  }
  return s;
}

/** log A_alpha for any order > 1 by Simpson's rule on the integrand, in log space around its peak. */
function logAIntegral(q: number, sigma: number, alpha: number): number {
  const s2 = sigma * sigma;
  const logF = (z: number) => {
    const e = (2 * z - 1) / (2 * s2);
    // log(1 - q + q e^e), stable for large e.
    const inner = e > 0 ? e + Math.log(q) + Math.log1p(((1 - q) / q) * Math.exp(-e)) : Math.log1p(q * Math.expm1(e));
    return -(z * z) / (2 * s2) - Math.log(sigma * Math.sqrt(2 * Math.PI)) + alpha * inner;
  };
  const lo = -20 * sigma - 1;
  const hi = alpha + 20 * sigma + 1;
  const n = 8_000; // even (Simpson on a smooth peak of width ~sigma: 8,000 points agree with the binomial sum to 1e-9)
  const h = (hi - lo) / n;
  let peak = -Infinity;
  const vals = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    vals[i] = logF(lo + i * h);
    if (vals[i] > peak) peak = vals[i];
  }
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(vals[i] - peak);
  return peak + Math.log((sum * h) / 3);
}

function checkArgs(q: number, sigma: number): void {
  if (!(q >= 0 && q <= 1)) throw new UsageError(`the sampling rate must be in [0, 1], got ${q}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new UsageError(`the noise multiplier must be a positive number, got ${sigma}`);
}

/** RDP of one step of the sampled Gaussian mechanism at order alpha > 1 (epsilon(alpha), in nats). */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  checkArgs(q, sigma);
  if (!(alpha > 1)) throw new UsageError(`RDP orders must be above 1, got ${alpha}`);
  if (q === 0) return 0;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAIntegral(q, sigma, alpha);
  return Math.max(0, logA / (alpha - 1));
}

export type RdpConversion = 'classic' | 'improved';

/**
 * (epsilon, delta) from RDP values at the given orders, minimised over orders. 'classic' (Mironov 2017):
 * epsilon = rdp + log(1 / delta) / (alpha - 1). 'improved' (Balle et al. 2020, Theorem 21):
 * epsilon = rdp + log((alpha - 1) / alpha) - (log(delta) + log(alpha)) / (alpha - 1), never larger.
 */
export function rdpToEpsilon(
  rdp: readonly number[],
  orders: readonly number[],
  delta: number,
  conversion: RdpConversion = 'improved',
): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new UsageError(`delta must be in (0, 1), got ${delta}`, { option: 'delta' });
  if (rdp.length !== orders.length || rdp.length === 0) throw new UsageError('rdpToEpsilon needs one RDP value per order');
  let best = { epsilon: Infinity, order: orders[0] };
  orders.forEach((a, i) => {
    const eps = conversion === 'classic' ? rdp[i] + Math.log(1 / delta) / (a - 1) : rdp[i] + Math.log((a - 1) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
    if (eps < best.epsilon) best = { epsilon: Math.max(0, eps), order: a };
  });
  return best;
}

export interface DpSgdAccountingArgs {
  /** Sampling rate: batch size / number of examples. */
  q: number;
  /** Noise multiplier: noise standard deviation / clipping norm. */
  sigma: number;
  steps: number;
  delta: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
  /**
   * RDP of other mechanisms run on the same data (e.g. Gaussian-noised statistics: alpha * sensitivity^2 /
   * (2 sigma^2)), composed with the steps before the one conversion to (epsilon, delta).
   */
  extraRdp?: (alpha: number) => number;
}

/** RDP of the Gaussian mechanism with L2 sensitivity^2 `sensitivitySq` and noise standard deviation sigma. */
export function rdpGaussian(sensitivitySq: number, sigma: number, alpha: number): number {
  return (alpha * sensitivitySq) / (2 * sigma * sigma);
}

/** The (epsilon, delta) guarantee of `steps` DP-SGD steps (RDP composes additively over steps). */
export function dpSgdEpsilon(args: DpSgdAccountingArgs): { epsilon: number; order: number } {
  if (!Number.isInteger(args.steps) || args.steps < 0) throw new UsageError(`steps must be a non-negative integer, got ${args.steps}`);
  const orders = args.orders ?? DEFAULT_RDP_ORDERS;
  const extra = args.extraRdp;
  if ((args.steps === 0 || args.q === 0) && !extra) return { epsilon: 0, order: orders[0] }; // the data was never used
  const rdp = orders.map((a) => (args.steps === 0 || args.q === 0 ? 0 : args.steps * rdpSampledGaussian(args.q, args.sigma, a)) + (extra ? extra(a) : 0));
  return rdpToEpsilon(rdp, orders, args.delta, args.conversion);
}

/**
 * The smallest noise multiplier (to 0.1% relative) whose `steps` steps at sampling rate q stay within (epsilon,
 * delta): what `fit --epsilon` needs before training. Epsilon is non-increasing in sigma, so a bisection finds it.
 */
export function noiseMultiplierFor(args: Omit<DpSgdAccountingArgs, 'sigma'> & { epsilon: number }): number {
  if (!(args.epsilon > 0) || !Number.isFinite(args.epsilon))
    throw new UsageError(`epsilon must be a positive number, got ${args.epsilon}`, { option: 'epsilon' });
  const eps = (sigma: number) => dpSgdEpsilon({ ...args, sigma }).epsilon;
  let lo = 0.05;
  let hi = 1;
  while (eps(hi) > args.epsilon) {
    lo = hi;
    hi *= 2;
    if (hi > 1e4) throw new UsageError(`no noise multiplier up to 10,000 reaches epsilon ${args.epsilon}`, { option: 'epsilon' });
  }
  if (eps(lo) <= args.epsilon) return lo;
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (eps(mid) > args.epsilon) lo = mid;
    else hi = mid;
  }
  return hi;
}
