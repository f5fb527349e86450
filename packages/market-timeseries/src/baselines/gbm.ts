import { createRng, ModelFormatError } from '@fingan/gan-core';
import { z } from 'zod';
import { cholesky, covariance, covToCorr } from '@fingan/gan-core/math';
import type { PathModel, ReturnColumns, SimulateReturnsArgs } from '../model/path-model.js';
import { checkReturnColumns, checkSimulateArgs } from './check.js';

/**
 * Geometric Brownian motion: log returns are i.i.d. multivariate normal, r ~ N(m, S) per step with
 * m = mu - sigma^2/2. Correlated assets come from the Cholesky factor of the sample covariance. The reference
 * "no stylized facts" baseline: thin tails, no volatility clustering, no leverage effect.
 * All parameters are per step (per day for daily data), not annualised.
 */
export interface GbmParams {
  assets: string[];
  /** Mean log return m per step. */
  meanLogReturn: number[];
  /** Drift mu of the price process per step (m + sigma^2 / 2). */
  drift: number[];
  /** Volatility sigma per step. */
  vol: number[];
  /** Correlation of the log returns. */
  corr: number[][];
}

const GbmJson = z.object({
  kind: z.literal('fingan.market.gbm'),
  version: z.literal(1),
  assets: z.array(z.string()).min(1),
  meanLogReturn: z.array(z.number()),
  vol: z.array(z.number().nonnegative()),
  corr: z.array(z.array(z.number().min(-1).max(1))),
});

export class GbmModel implements PathModel {
  readonly name = 'gbm';
  private readonly chol: Float64Array;

  constructor(readonly params: GbmParams) {
    const k = params.assets.length;
    const cov = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cov[a * k + b] = params.corr[a][b] * params.vol[a] * params.vol[b];
    this.chol = cholesky(cov, k);
  }

  get assets(): string[] {
    return this.params.assets;
  }

  simulateReturns(args: SimulateReturnsArgs): Float32Array {
    checkSimulateArgs(args);
    const { horizon, paths, seed } = args;
    const k = this.assets.length;
    const rng = createRng(seed);
    const m = this.params.meanLogReturn;
    const l = this.chol;
    const z = new Float64Array(k);
    const out = new Float32Array(paths * horizon * k);
    for (let i = 0; i < paths * horizon; i++) {
      rng.fillNormal(z);
      for (let a = 0; a < k; a++) {
        let s = m[a];
        for (let b = 0; b <= a; b++) s += l[a * k + b] * z[b];
        out[i * k + a] = s;
      }
    }
    return out;
  }

  toJSON() {
    return {
      kind: 'fingan.market.gbm' as const,
      version: 1 as const,
      assets: this.assets,
      meanLogReturn: this.params.meanLogReturn,
      vol: this.params.vol,
      corr: this.params.corr,
    };
  }

  static fromJSON(json: unknown): GbmModel {
    const r = GbmJson.safeParse(json);
    if (!r.success) throw new ModelFormatError(`not a GBM model: ${r.error.issues[0]?.message} at ${r.error.issues[0]?.path.join('.')}`);
    const j = r.data;
    const k = j.assets.length;
    if (j.meanLogReturn.length !== k || j.vol.length !== k || j.corr.length !== k || j.corr.some((row) => row.length !== k)) {
      throw new ModelFormatError(`GBM model: parameter sizes do not match ${k} assets`);
    }
    return new GbmModel({ ...j, drift: j.meanLogReturn.map((m, a) => m + j.vol[a] ** 2 / 2) });
  }
}

/** Fit GBM by the sample mean and covariance of the log returns (the maximum-likelihood fit up to n/(n-1)). */
export function fitGbm(data: ReturnColumns): GbmModel {
  const n = checkReturnColumns(data, 2, 'GBM');
  const k = data.assets.length;
  const cov = covariance(data.returns);
  const corr = covToCorr(cov, k);
  const meanLogReturn: number[] = [];
  const vol: number[] = [];
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += data.returns[a][t];
    meanLogReturn.push(s / n);
    vol.push(Math.sqrt(cov[a * k + a]));
  }
  const corrRows = Array.from({ length: k }, (_, a) => Array.from(corr.subarray(a * k, a * k + k)));
  return new GbmModel({
    assets: [...data.assets],
    meanLogReturn,
    drift: meanLogReturn.map((m, a) => m + vol[a] ** 2 / 2),
    vol,
    corr: corrRows,
  });
}
