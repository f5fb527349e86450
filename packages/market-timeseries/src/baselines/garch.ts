import { createRng, ModelFormatError, UsageError } from '@fingan/gan-core';
import { z } from 'zod';
import { cholesky, covariance, covToCorr } from '@fingan/gan-core/math';
import type { PathModel, ReturnColumns, SimulateReturnsArgs } from '../model/path-model.js';
import { gammaSample } from '@fingan/gan-core/random';
import { startVariances, type StartState } from '../model/scenario.js';
import { checkReturnColumns, checkSimulateArgs } from './check.js';
import { checkGarchFitOptions, fitGarchNormal, fitGarchT, garchFilter, type Garch11Params, type GarchFitOptions, type GarchInnovation } from './garch-t.js';

/**
 * Multi-asset GARCH(1,1) with constant conditional correlation (Bollerslev 1990): each asset has its own
 * GARCH variance; the standardized innovations are correlated with the sample correlation R of the
 * standardized residuals. Volatility clustering (and, with Student-t innovations, heavy conditional tails), but no
 * leverage effect (symmetric in e). Innovations are Student-t (`innovation: 't'`, GARCH-t, model name 'garch') or
 * Gaussian (`'normal'`, the plain GARCH(1,1), model name 'garch-normal': correlated standard normals).
 *
 * Correlated Student-t innovations with a different nu per asset: assets are ordered by nu and their
 * chi-square mixing variables are built as a cumulative sum of independent Gamma increments
 * (chi2_{nu_1} = G_1, chi2_{nu_2} = G_1 + G(nu_2 - nu_1), ...), so each marginal is exactly t_nu while the
 * mixing variables are strongly dependent. With equal nu this is exactly a multivariate t, whose correlation
 * is R; for nu = 6 and 9 the innovations' correlation is 0.974 R, where independent mixing per asset would give
 * E[sqrt(w_a)] E[sqrt(w_b)] R = 0.907 R.
 */
export interface GarchAssetParams extends Garch11Params {
  /** Conditional variance of the first simulated step (the end of the fitted sample). */
  nextVariance: number;
}

export interface GarchModelParams {
  /** 't' (default): every asset has nu > 2; 'normal': no asset has nu. */
  innovation?: GarchInnovation;
  assets: string[];
  perAsset: GarchAssetParams[];
  /** Correlation of the standardized residuals. */
  corr: number[][];
}

/** Diagnostics of a fit, one per asset. */
export interface GarchFitInfo {
  asset: string;
  logLik: number;
  persistence: number;
  converged: boolean;
  iterations: number;
}

const AssetJson = z
  .object({
    mu: z.number(),
    omega: z.number().positive(),
    alpha: z.number().nonnegative(),
    beta: z.number().nonnegative(),
    nu: z.number().gt(2),
    nextVariance: z.number().positive(),
  })
  .refine((p) => p.alpha + p.beta < 1, { message: 'alpha + beta must be < 1 (stationarity)' });

const NormalAssetJson = z
  .object({
    mu: z.number(),
    omega: z.number().positive(),
    alpha: z.number().nonnegative(),
    beta: z.number().nonnegative(),
    nextVariance: z.number().positive(),
  })
  .strict()
  .refine((p) => p.alpha + p.beta < 1, { message: 'alpha + beta must be < 1 (stationarity)' });

const common = { version: z.literal(1), assets: z.array(z.string()).min(1), corr: z.array(z.array(z.number().min(-1).max(1))) };
const GarchJson = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fingan.market.garch-t-ccc'), perAsset: z.array(AssetJson), ...common }),
  z.object({ kind: z.literal('fingan.market.garch-normal-ccc'), perAsset: z.array(NormalAssetJson), ...common }),
]);

/** Model names: GARCH-t keeps the name 'garch'; the Gaussian GARCH(1,1) is 'garch-normal'. */
export const GARCH_MODEL_NAMES = { t: 'garch', normal: 'garch-normal' } as const;

export class GarchModel implements PathModel {
  readonly name: string;
  readonly innovation: GarchInnovation;
  private readonly chol: Float64Array;
  /** Assets sorted by nu, ascending (the order of the chi-square chain). */
  private readonly nuOrder: number[];

  constructor(
    readonly params: GarchModelParams,
    readonly fitInfo: GarchFitInfo[] = [],
  ) {
    this.innovation = params.innovation ?? 't';
    checkGarchFitOptions({ innovation: this.innovation });
    for (const p of params.perAsset) {
      const ok = this.innovation === 't' ? typeof p.nu === 'number' && p.nu > 2 : p.nu === undefined;
      if (!ok) {
        const need = this.innovation === 't' ? 'nu > 2 for every asset' : 'no nu';
        throw new UsageError(`GARCH with ${this.innovation} innovations needs ${need}, got nu = ${p.nu}`, { option: 'perAsset' });
      }
    }
    this.name = GARCH_MODEL_NAMES[this.innovation];
    const k = params.assets.length;
    const r = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) r[a * k + b] = params.corr[a][b];
    this.chol = cholesky(r, k);
    const nu = (a: number) => params.perAsset[a].nu ?? Infinity;
    this.nuOrder = params.perAsset.map((_, a) => a).sort((a, b) => nu(a) - nu(b));
  }

  get assets(): string[] {
    return this.params.assets;
  }

  /**
   * Start variances: from `history` when given (the variance recursion is run over it, started at the
   * unconditional variance), otherwise where the fitted sample ended; a `start` scenario overrides both.
   */
  private startVariances(history?: Float64Array[], start?: StartState): Float64Array {
    const k = this.assets.length;
    if (start !== undefined) return startVariances(start, this.params.perAsset);
    const out = new Float64Array(k);
    if (history && history.length !== k) {
      throw new UsageError(`history needs one return series per asset (${k}), got ${history.length}`, { option: 'history' });
    }
    for (let a = 0; a < k; a++) {
      const p = this.params.perAsset[a];
      if (history && history[a].length > 0) {
        out[a] = garchFilter(history[a], p, p.omega / (1 - p.alpha - p.beta)).next;
      } else out[a] = p.nextVariance;
    }
    return out;
  }

  simulateReturns(args: SimulateReturnsArgs): Float32Array {
    checkSimulateArgs(args);
    const { horizon, paths, seed } = args;
    const k = this.assets.length;
    const rng = createRng(seed);
    const h0 = this.startVariances(args.history, args.start);
    const pa = this.params.perAsset;
    const mu = Float64Array.from(pa, (p) => p.mu);
    const omega = Float64Array.from(pa, (p) => p.omega);
    const alpha = Float64Array.from(pa, (p) => p.alpha);
    const beta = Float64Array.from(pa, (p) => p.beta);
    const student = this.innovation === 't';
    const nuM2 = Float64Array.from(pa, (p) => (p.nu ?? Infinity) - 2);
    const order = this.nuOrder;
    const halfIncrement = new Float64Array(k);
    if (student) for (let i = 0; i < k; i++) halfIncrement[i] = (pa[order[i]].nu! - (i === 0 ? 0 : pa[order[i - 1]].nu!)) / 2;
    // Gaussian innovations: no chi-square mixing, scale 1.
    const scaleT = new Float64Array(k).fill(1);
    const l = this.chol;
    const zn = new Float64Array(k);
    const h = new Float64Array(k);
    const out = new Float32Array(paths * horizon * k);
    for (let p = 0; p < paths; p++) {
      h.set(h0);
      for (let t = 0; t < horizon; t++) {
        rng.fillNormal(zn);
        if (student) {
          let chi2 = 0;
          for (let i = 0; i < k; i++) {
            if (halfIncrement[i] > 0) chi2 += 2 * gammaSample(rng, halfIncrement[i]);
            const a = order[i];
            scaleT[a] = Math.sqrt(nuM2[a] / chi2);
          }
        }
        const base = (p * horizon + t) * k;
        for (let a = 0; a < k; a++) {
          let zc = 0;
          for (let b = 0; b <= a; b++) zc += l[a * k + b] * zn[b];
          const e = Math.sqrt(h[a]) * zc * scaleT[a];
          out[base + a] = mu[a] + e;
          h[a] = omega[a] + alpha[a] * e * e + beta[a] * h[a];
        }
      }
    }
    return out;
  }

  /**
   * The same model started from each asset's unconditional variance omega / (1 - alpha - beta) instead of the
   * end of the fitted sample: paths then show the long-run behaviour, which is what a comparison with the
   * stylized facts of the whole history needs (a calm or turbulent last day would otherwise shift every path).
   */
  withUnconditionalStart(): GarchModel {
    return new GarchModel(
      { ...this.params, perAsset: this.params.perAsset.map((p) => ({ ...p, nextVariance: p.omega / (1 - p.alpha - p.beta) })) },
      this.fitInfo,
    );
  }

  toJSON() {
    const kind = this.innovation === 't' ? ('fingan.market.garch-t-ccc' as const) : ('fingan.market.garch-normal-ccc' as const);
    return { kind, version: 1 as const, assets: this.assets, perAsset: this.params.perAsset, corr: this.params.corr };
  }

  static fromJSON(json: unknown): GarchModel {
    const r = GarchJson.safeParse(json);
    if (!r.success) throw new ModelFormatError(`not a GARCH model: ${r.error.issues[0]?.message} at ${r.error.issues[0]?.path.join('.')}`);
    const j = r.data;
    const k = j.assets.length;
    if (j.perAsset.length !== k || j.corr.length !== k || j.corr.some((row) => row.length !== k)) {
      throw new ModelFormatError(`GARCH model: parameter sizes do not match ${k} assets`);
    }
    const innovation = j.kind === 'fingan.market.garch-t-ccc' ? 't' : 'normal';
    return new GarchModel({ innovation, assets: j.assets, perAsset: j.perAsset, corr: j.corr });
  }
}

/**
 * Fit GARCH(1,1) per asset by maximum likelihood, with Student-t innovations (default, `innovation: 't'`) or Gaussian
 * ones (`innovation: 'normal'`), then the constant correlation of the standardized residuals.
 */
export function fitGarch(data: ReturnColumns, options: GarchFitOptions = {}): GarchModel {
  checkGarchFitOptions(options);
  const innovation = options.innovation ?? 't';
  checkReturnColumns(data, 50, innovation === 't' ? 'GARCH-t' : 'GARCH');
  const k = data.assets.length;
  const fits = data.returns.map((r) => (innovation === 't' ? fitGarchT(r, options) : fitGarchNormal(r, options)));
  const corr = covToCorr(covariance(fits.map((f) => f.standardized)), k);
  return new GarchModel(
    {
      innovation,
      assets: [...data.assets],
      perAsset: fits.map((f) => ({ ...f.params, nextVariance: f.nextVariance })),
      corr: Array.from({ length: k }, (_, a) => Array.from(corr.subarray(a * k, a * k + k))),
    },
    fits.map((f, a) => ({ asset: data.assets[a], logLik: f.logLik, persistence: f.persistence, converged: f.converged, iterations: f.iterations })),
  );
}
