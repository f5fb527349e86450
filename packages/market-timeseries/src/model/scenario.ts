import { createRng, UsageError } from '@fingan/gan-core';
import { standardizedInnovation, type Garch11Params } from '../baselines/garch-t.js';

/**
 * Where a simulation starts, as a stress scenario: 'calm', 'normal' or 'stressed' volatility, or a given
 * volatility per step (the standard deviation of one row's log return: daily volatility for daily data; one
 * number for every asset or one per asset). A historical date is a `history` cut at that date instead (the CLI's
 * `--start-date`).
 *
 * The named states are quantiles of the model's own stationary distribution of conditional volatility (10%, 50%
 * and 95%), found by running its GARCH(1,1) variance recursion for a long seeded stretch: no data is needed, so a
 * model directory stays free of training values, and the same parameters always give the same states.
 */
export type StartState = 'calm' | 'normal' | 'stressed' | { volatility: number | number[] };

export const START_STATE_QUANTILES = { calm: 0.1, normal: 0.5, stressed: 0.95 } as const;

const STATIONARY_STEPS = 50_000;
const BURN_IN = 2_000;

/** The q-quantile of the stationary conditional variance of a GARCH(1,1), -t or Gaussian (deterministic: a fixed seed). */
export function stationaryVarianceQuantile(p: Garch11Params, q: number): number {
  const rng = createRng(0x5eed);
  let h = p.omega / (1 - p.alpha - p.beta);
  const hs = new Float64Array(STATIONARY_STEPS);
  for (let t = 0; t < BURN_IN + STATIONARY_STEPS; t++) {
    if (t >= BURN_IN) hs[t - BURN_IN] = h;
    const e = Math.sqrt(h) * standardizedInnovation(rng, p.nu);
    h = p.omega + p.alpha * e * e + p.beta * h;
  }
  hs.sort();
  return hs[Math.min(hs.length - 1, Math.floor(q * hs.length))];
}

/** Per-asset start variances of a scenario, for models whose volatility follows GARCH(1,1) parameters. */
export function startVariances(start: StartState, params: readonly Garch11Params[]): Float64Array {
  const k = params.length;
  if (typeof start === 'string') {
    const q = START_STATE_QUANTILES[start];
    if (q === undefined) throw new UsageError(`the start state must be calm, normal, stressed or a volatility, got '${start}'`, { option: 'start' });
    return Float64Array.from(params, (p) => stationaryVarianceQuantile(p, q));
  }
  const v = start.volatility;
  const vols = typeof v === 'number' ? new Array<number>(k).fill(v) : v;
  if (!Array.isArray(vols) || vols.length !== k)
    throw new UsageError(`a start volatility per asset needs ${k} numbers, got ${Array.isArray(vols) ? vols.length : typeof v}`, { option: 'start' });
  for (const x of vols)
    if (!(x > 0) || !Number.isFinite(x)) throw new UsageError(`a start volatility must be a positive number, got ${x}`, { option: 'start' });
  return Float64Array.from(vols, (x) => x * x);
}
