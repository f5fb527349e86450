import {
  autocorrelation,
  correlationMatrix,
  crossCorrelationLagged,
  excessKurtosis,
  ksStatistic,
  mean,
  quantiles,
  skewness,
  std,
  UsageError,
  wasserstein1,
} from '@fingan/gan-core';
import { assetPooled, checkPanel, pathSeries, rollingSums, type ReturnPanel } from './return-panel.js';
import { valueAtRisk } from './var-es.js';

/**
 * The stylized facts of asset returns (Cont 2001) measured on a panel of log returns, and the distances between a
 * real and a simulated panel. Time-series statistics (ACFs, leverage) are computed per path and then averaged
 * over paths, so that independent simulated paths are never glued into one series; distributional statistics
 * pool every return of an asset across paths. Multi-asset numbers are means over assets.
 */
export interface StylizedFactsOptions {
  /** Largest ACF lag (default 50; capped at steps - 2). */
  maxLag?: number;
  /** Largest leverage lag k in corr(r_t, |r_{t+k}|) (default 20). */
  leverageLags?: number;
  /** Horizon h of the multi-day VaR/ES, in steps (default 10; capped at steps). */
  horizon?: number;
  /** VaR/ES confidence levels (default 0.95, 0.99). */
  levels?: number[];
  /** Tail quantiles of the daily returns (default 1%, 5%, 95%, 99%). */
  tailQuantiles?: number[];
  /** At most this many paths enter the per-path ACF/leverage averages (default 2000; the first ones). */
  maxAcfPaths?: number;
}

export interface AssetFacts {
  asset: string;
  mean: number;
  std: number;
  skew: number;
  excessKurtosis: number;
  /** Values at `tailQuantiles`. */
  tailQuantiles: number[];
  /** ACF of r, |r|, r^2 at lags 1..maxLag, averaged over paths. */
  acf: Float64Array;
  acfAbs: Float64Array;
  acfSq: Float64Array;
  /** corr(r_t, |r_{t+k}|), k = 1..leverageLags, averaged over paths (negative = leverage effect). */
  leverage: Float64Array;
  /** VaR and ES per level, of 1-step and of h-step returns. */
  var1: number[];
  es1: number[];
  varH: number[];
  esH: number[];
}

export interface StylizedFacts {
  assets: string[];
  perAsset: AssetFacts[];
  /** Correlation matrix of the assets' returns (pooled over paths). */
  corr: number[][];
  maxLag: number;
  leverageLags: number;
  horizon: number;
  levels: number[];
  tailQuantileLevels: number[];
}

const DEFAULTS = {
  maxLag: 50,
  leverageLags: 20,
  horizon: 10,
  levels: [0.95, 0.99],
  tailQuantiles: [0.01, 0.05, 0.95, 0.99],
  maxAcfPaths: 2000,
};

export function stylizedFacts(panel: ReturnPanel, options: StylizedFactsOptions = {}): StylizedFacts {
  checkPanel(panel, 'stylized facts');
  const o = { ...DEFAULTS, ...options };
  if (panel.steps < 3) throw new UsageError(`stylized facts need paths of at least 3 steps, got ${panel.steps}`, { option: 'horizon' });
  const maxLag = Math.min(o.maxLag, panel.steps - 2);
  const leverageLags = Math.min(o.leverageLags, panel.steps - 2);
  const horizon = Math.min(o.horizon, panel.steps);
  const acfPaths = Math.min(panel.paths, o.maxAcfPaths);
  const k = panel.assets.length;
  const pooled = panel.assets.map((_, a) => assetPooled(panel, a));
  const perAsset = panel.assets.map((asset, a): AssetFacts => {
    const x = pooled[a];
    const acf = new Float64Array(maxLag);
    const acfAbs = new Float64Array(maxLag);
    const acfSq = new Float64Array(maxLag);
    const leverage = new Float64Array(leverageLags);
    for (let p = 0; p < acfPaths; p++) {
      const r = pathSeries(panel, p, a);
      const ar = r.map(Math.abs);
      addTo(acf, autocorrelation(r, maxLag));
      addTo(acfAbs, autocorrelation(ar, maxLag));
      addTo(
        acfSq,
        autocorrelation(
          r.map((v) => v * v),
          maxLag,
        ),
      );
      for (let lag = 1; lag <= leverageLags; lag++) leverage[lag - 1] += crossCorrelationLagged(r, ar, lag);
    }
    for (const arr of [acf, acfAbs, acfSq, leverage]) for (let i = 0; i < arr.length; i++) arr[i] /= acfPaths;
    const risk1 = o.levels.map((l) => valueAtRisk(x, l));
    const hSums = rollingSums(panel, a, horizon);
    const riskH = o.levels.map((l) => valueAtRisk(hSums, l));
    return {
      asset,
      mean: mean(x),
      std: x.length > 1 ? std(x) : 0,
      skew: skewness(x),
      excessKurtosis: excessKurtosis(x),
      tailQuantiles: Array.from(quantiles(x, o.tailQuantiles)),
      acf,
      acfAbs,
      acfSq,
      leverage,
      var1: risk1.map((r) => r.var),
      es1: risk1.map((r) => r.es),
      varH: riskH.map((r) => r.var),
      esH: riskH.map((r) => r.es),
    };
  });
  return {
    assets: [...panel.assets],
    perAsset,
    corr: k > 1 ? correlationMatrix(pooled) : [[1]],
    maxLag,
    leverageLags,
    horizon,
    levels: [...o.levels],
    tailQuantileLevels: [...o.tailQuantiles],
  };
}

/** Distances of a simulated panel's facts from the real ones (each a mean over assets; 0 = identical). */
export interface FactComparison {
  /** Wasserstein-1 distance of the pooled 1-step log returns (log-return units). */
  wasserstein: number;
  /** Two-sample KS statistic of the pooled 1-step log returns. */
  ks: number;
  /** The simulated panel's excess kurtosis and skew (compare with the real panel's). */
  excessKurtosis: number;
  skew: number;
  /** Mean absolute error of the ACF curves of r, |r|, r^2 against the real ones. */
  acfMae: number;
  acfAbsMae: number;
  acfSqMae: number;
  leverageMae: number;
  /** Mean absolute difference of the off-diagonal correlations (0 for a single asset). */
  corrMatrixError: number;
  /** Mean relative error of the tail quantiles. */
  tailQuantileRelError: number;
  /** Mean relative error of VaR and of ES over levels, 1-step and h-step. */
  varRelError: number;
  esRelError: number;
  real: StylizedFacts;
  simulated: StylizedFacts;
}

export function compareStylizedFacts(
  real: ReturnPanel,
  simulated: ReturnPanel,
  options: StylizedFactsOptions = {},
  precomputedReal?: StylizedFacts,
): FactComparison {
  checkPanel(real, 'real returns');
  checkPanel(simulated, 'simulated returns');
  if (real.assets.length !== simulated.assets.length || real.assets.some((a, i) => a !== simulated.assets[i])) {
    throw new UsageError(`simulated assets ${simulated.assets.join(', ')} differ from the real ones ${real.assets.join(', ')}`);
  }
  // Compare on the lags and horizon both panels support.
  const common = {
    ...options,
    maxLag: Math.min(options.maxLag ?? DEFAULTS.maxLag, real.steps - 2, simulated.steps - 2),
    leverageLags: Math.min(options.leverageLags ?? DEFAULTS.leverageLags, real.steps - 2, simulated.steps - 2),
    horizon: Math.min(options.horizon ?? DEFAULTS.horizon, real.steps, simulated.steps),
  };
  const rf =
    precomputedReal &&
    precomputedReal.maxLag === common.maxLag &&
    precomputedReal.leverageLags === common.leverageLags &&
    precomputedReal.horizon === common.horizon
      ? precomputedReal
      : stylizedFacts(real, common);
  const sf = stylizedFacts(simulated, common);
  const k = real.assets.length;
  const avg = (f: (a: number) => number) => {
    let s = 0;
    for (let a = 0; a < k; a++) s += f(a);
    return s / k;
  };
  const ra = rf.perAsset;
  const sa = sf.perAsset;
  let corrErr = 0;
  let pairs = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      corrErr += Math.abs(rf.corr[a][b] - sf.corr[a][b]);
      pairs++;
    }
  }
  return {
    wasserstein: avg((a) => wasserstein1(assetPooled(real, a), assetPooled(simulated, a))),
    ks: avg((a) => ksStatistic(assetPooled(real, a), assetPooled(simulated, a))),
    excessKurtosis: avg((a) => sa[a].excessKurtosis),
    skew: avg((a) => sa[a].skew),
    acfMae: avg((a) => mae(ra[a].acf, sa[a].acf)),
    acfAbsMae: avg((a) => mae(ra[a].acfAbs, sa[a].acfAbs)),
    acfSqMae: avg((a) => mae(ra[a].acfSq, sa[a].acfSq)),
    leverageMae: avg((a) => mae(ra[a].leverage, sa[a].leverage)),
    corrMatrixError: pairs > 0 ? corrErr / pairs : 0,
    tailQuantileRelError: avg((a) => meanRelError(ra[a].tailQuantiles, sa[a].tailQuantiles)),
    varRelError: avg((a) => meanRelError([...ra[a].var1, ...ra[a].varH], [...sa[a].var1, ...sa[a].varH])),
    esRelError: avg((a) => meanRelError([...ra[a].es1, ...ra[a].esH], [...sa[a].es1, ...sa[a].esH])),
    real: rf,
    simulated: sf,
  };
}

function addTo(acc: Float64Array, x: Float64Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] += x[i];
}

function mae(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a[i] - b[i]);
  return s / n;
}

/** |sim - real| / |real|, falling back to the absolute error where the real value is 0. */
function meanRelError(real: number[], sim: number[]): number {
  let s = 0;
  for (let i = 0; i < real.length; i++) {
    const d = Math.abs(sim[i] - real[i]);
    s += real[i] !== 0 ? d / Math.abs(real[i]) : d;
  }
  return real.length > 0 ? s / real.length : 0;
}
