import { normalCdf, UsageError } from '@fingan/gan-core';
import type { LogReturns } from '../encoder/log-returns.js';
import type { PathModel } from '../model/path-model.js';

/**
 * Risk backtests: one-day-ahead Value-at-Risk and Expected Shortfall forecast from a model's simulated one-day
 * distribution, rolled over an evaluation period (each day's forecast sees only the returns before it), and scored
 * against what happened with the standard coverage tests:
 *
 * - Kupiec (1995), proportion of failures: are the exceedances (days whose loss is above the VaR) as frequent as
 *   1 - level? LR_pof = -2 ln[(1-p)^(n-x) p^x / ((1-x/n)^(n-x) (x/n)^x)], chi-square with 1 degree of freedom.
 * - Christoffersen (1998), independence: does an exceedance make the next more likely (clustered misses, a model
 *   that reacts too slowly to volatility)? A likelihood ratio of a two-state Markov chain against independence,
 *   chi-square(1); the conditional-coverage test adds both, chi-square(2).
 * - ES ratio: the mean loss on exceedance days over the mean ES forecast on those days (1 when ES is right; above
 *   1 when the tails are heavier than forecast).
 */

export interface CoverageTest {
  /** Forecast days. */
  n: number;
  /** Days whose loss exceeded the VaR. */
  exceedances: number;
  /** n x (1 - level). */
  expected: number;
  /** exceedances / n. */
  rate: number;
  /** Kupiec's proportion-of-failures likelihood ratio and its p-value (chi-square, 1 df). */
  kupiecLR: number;
  kupiecP: number;
  /** Christoffersen's independence likelihood ratio and p-value (chi-square, 1 df); null without any exceedance. */
  independenceLR: number | null;
  independenceP: number | null;
  /** Conditional coverage (both together, chi-square 2 df). */
  conditionalCoverageLR: number | null;
  conditionalCoverageP: number | null;
}

/** Survival function of chi-square with 1 degree of freedom: P(X > x) = 2 (1 - Phi(sqrt x)). */
export function chiSquare1Sf(x: number): number {
  return x <= 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.sqrt(x))));
}

/** Survival function of chi-square with 2 degrees of freedom: exp(-x / 2). */
export function chiSquare2Sf(x: number): number {
  return x <= 0 ? 1 : Math.exp(-x / 2);
}

/** x ln(y), with 0 ln 0 = 0. */
const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/** Kupiec's and Christoffersen's tests on a 0/1 exceedance sequence at VaR level `level` (0.95, 0.99). */
export function coverageTests(hits: ArrayLike<number>, level: number): CoverageTest {
  if (!(level > 0 && level < 1)) throw new UsageError(`the VaR level must be in (0, 1), got ${level}`, { option: 'levels' });
  const n = hits.length;
  if (n === 0) throw new UsageError('a coverage test needs at least one forecast day', { option: 'from' });
  const p = 1 - level;
  let x = 0;
  for (let i = 0; i < n; i++) x += hits[i] ? 1 : 0;
  const pi = x / n;
  const kupiecLR = Math.max(0, -2 * (xlogy(n - x, 1 - p) + xlogy(x, p) - xlogy(n - x, 1 - pi) - xlogy(x, pi)));
  // Transition counts n_ij: day t-1 in state i, day t in state j.
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let i = 1; i < n; i++) {
    const a = hits[i - 1] ? 1 : 0;
    const b = hits[i] ? 1 : 0;
    if (a === 0 && b === 0) n00++;
    else if (a === 0) n01++;
    else if (b === 0) n10++;
    else n11++;
  }
  let independenceLR: number | null = null;
  if (x > 0 && x < n) {
    const p01 = n01 / Math.max(1, n00 + n01);
    const p11 = n11 / Math.max(1, n10 + n11);
    const p1 = (n01 + n11) / Math.max(1, n00 + n01 + n10 + n11);
    const restricted = xlogy(n00 + n10, 1 - p1) + xlogy(n01 + n11, p1);
    const unrestricted = xlogy(n00, 1 - p01) + xlogy(n01, p01) + xlogy(n10, 1 - p11) + xlogy(n11, p11);
    independenceLR = Math.max(0, -2 * (restricted - unrestricted));
  }
  const cc = independenceLR === null ? null : kupiecLR + independenceLR;
  return {
    n,
    exceedances: x,
    expected: n * p,
    rate: pi,
    kupiecLR,
    kupiecP: chiSquare1Sf(kupiecLR),
    independenceLR,
    independenceP: independenceLR === null ? null : chiSquare1Sf(independenceLR),
    conditionalCoverageLR: cc,
    conditionalCoverageP: cc === null ? null : chiSquare2Sf(cc),
  };
}

export interface VarBacktestOptions {
  /** Index (into `returns`) of the first day forecast; every earlier return is history only. */
  from: number;
  /** Last day forecast, exclusive (default: all). */
  to?: number;
  /** VaR/ES levels (default 0.95 and 0.99). */
  levels?: number[];
  /** Simulated one-day outcomes per forecast (default 1,000). */
  paths?: number;
  /** Returns before each forecast day given to the model as its history (default 250; fewer at a gap). */
  historyLength?: number;
  seed?: number;
}

export interface AssetBacktest {
  asset: string;
  level: number;
  coverage: CoverageTest;
  /** Mean realised loss on exceedance days / mean ES forecast on those days (null without exceedances). */
  esRatio: number | null;
  /** Mean one-day VaR and ES forecast over the period (positive losses). */
  meanVar: number;
  meanEs: number;
}

export interface VarBacktest {
  model: string;
  from: string;
  to: string;
  days: number;
  rows: AssetBacktest[];
  /** Per asset and level, the forecasts themselves, for charts: var[levelIndex][asset][day]. */
  forecasts: { dates: string[]; var: Float64Array[][]; realised: Float64Array[] };
}

/**
 * Roll one-day-ahead VaR/ES forecasts of `model` over returns[from..to): for each day the model is given the
 * previous `historyLength` returns (never crossing a gap in the data: a segment boundary shortens the history) and
 * simulates `paths` one-day outcomes of all assets; VaR is minus their (1 - level) quantile, ES minus the mean at or
 * below it. The same seed gives the same forecasts; each day uses seed + day so days are independent draws.
 */
export function varBacktest(model: PathModel, returns: LogReturns, options: VarBacktestOptions): VarBacktest {
  const { from, levels = [0.95, 0.99], paths = 1000, historyLength = 250, seed = 0 } = options;
  const n = returns.dates.length;
  const to = options.to ?? n;
  if (!Number.isInteger(from) || from < 1 || from >= n)
    throw new UsageError(`the first forecast day must be within the returns (1..${n - 1}), got ${from}`, { option: 'from' });
  if (!Number.isInteger(to) || to <= from || to > n)
    throw new UsageError(`the end of the forecast period must be in (${from}, ${n}], got ${to}`, { option: 'to' });
  if (!Number.isInteger(paths) || paths < 100) throw new UsageError(`a VaR forecast needs at least 100 simulated outcomes, got ${paths}`, { option: 'paths' });
  for (const l of levels) if (!(l > 0 && l < 1)) throw new UsageError(`VaR levels must be in (0, 1), got ${l}`, { option: 'levels' });
  const k = returns.assets.length;
  if (model.assets.length !== k || model.assets.some((a, i) => a !== returns.assets[i])) {
    throw new UsageError(`the model's assets (${model.assets.join(', ')}) are not the data's (${returns.assets.join(', ')})`, { option: 'model' });
  }
  const days = to - from;
  const varOut = levels.map(() => returns.assets.map(() => new Float64Array(days)));
  const esOut = levels.map(() => returns.assets.map(() => new Float64Array(days)));
  const realised = returns.assets.map(() => new Float64Array(days));
  const column = new Float64Array(paths);
  for (let d = 0; d < days; d++) {
    const t = from + d;
    let start = Math.max(0, t - historyLength);
    while (start < t && returns.segment[start] !== returns.segment[t]) start++;
    const history = start < t ? returns.returns.map((r) => r.subarray(start, t)) : undefined;
    const sim = model.simulateReturns({ horizon: 1, paths, seed: seed + t, history });
    for (let a = 0; a < k; a++) {
      for (let p = 0; p < paths; p++) column[p] = sim[p * k + a];
      column.sort();
      realised[a][d] = returns.returns[a][t];
      levels.forEach((level, li) => {
        const m = Math.max(1, Math.floor((1 - level) * paths));
        let sum = 0;
        for (let i = 0; i < m; i++) sum += column[i];
        varOut[li][a][d] = -column[m - 1];
        esOut[li][a][d] = -sum / m;
      });
    }
  }
  const rows: AssetBacktest[] = [];
  levels.forEach((level, li) => {
    returns.assets.forEach((asset, a) => {
      const hits = new Uint8Array(days);
      let lossSum = 0;
      let esSum = 0;
      let meanVar = 0;
      let meanEs = 0;
      for (let d = 0; d < days; d++) {
        const loss = -realised[a][d];
        meanVar += varOut[li][a][d] / days;
        meanEs += esOut[li][a][d] / days;
        if (loss > varOut[li][a][d]) {
          hits[d] = 1;
          lossSum += loss;
          esSum += esOut[li][a][d];
        }
      }
      rows.push({ asset, level, coverage: coverageTests(hits, level), esRatio: esSum > 0 ? lossSum / esSum : null, meanVar, meanEs });
    });
  });
  return {
    model: model.name,
    from: returns.dates[from],
    to: returns.dates[to - 1],
    days,
    rows,
    forecasts: { dates: returns.dates.slice(from, to), var: varOut, realised },
  };
}
