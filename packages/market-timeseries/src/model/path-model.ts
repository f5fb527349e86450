import type { StartState } from './scenario.js';

/**
 * What every price-path model offers (GBM, GARCH and, later, the recurrent GAN): simulate log returns; prices
 * are compounded from them by `simulatePaths`, so all models share one path/price/CSV pipeline.
 */
export interface SimulateReturnsArgs {
  /** Steps per path. */
  horizon: number;
  /** Number of paths. */
  paths: number;
  /** Same seed, same model -> the same returns. */
  seed: number;
  /** Recent log returns per asset (oldest first) to condition on; models without memory ignore it. */
  history?: Float64Array[];
  /**
   * A stress scenario: start from calm, normal or stressed volatility, or a given volatility per step (see
   * scenario.ts). It overrides the volatility a history would give; models with constant volatility (GBM) ignore it.
   */
  start?: StartState;
}

export interface PathModel {
  readonly name: string;
  readonly assets: string[];
  /** Log returns, Float32Array [paths, horizon, nAssets] (asset fastest). */
  simulateReturns(args: SimulateReturnsArgs): Float32Array;
  toJSON(): unknown;
}

/** Per-asset log return columns (a `LogReturns` from the encoder fits this shape). */
export interface ReturnColumns {
  assets: string[];
  returns: ArrayLike<number>[];
}
