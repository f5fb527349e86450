/**
 * The recurrent price-path GAN behind gan-core's Synthesizer contract, so it reads like every other domain model:
 * `new MarketSynthesizer(options).fit(prices, { epochs | steps })`, `sample(paths, { horizon, seed, history })`,
 * `save(dir)`, `MarketSynthesizer.load(dir)`, `dispose()`. It wraps `fitRecurrentGan` / `loadRecurrentGan`, which stay
 * available for the model's own extras (simulation in chunks, the latent volatility, paths files).
 */
import {
  UsageError,
  type FitOptions,
  type SampleOptions,
  type Synthesizer,
  type SynthesizerClass,
  type TrainResult,
  type TrainingRecord,
} from '@fingan/gan-core';
import type { PriceSeries } from '../schema/prices.js';
import type { LogReturns } from '../encoder/log-returns.js';
import { simulatePanel, type ReturnPanel } from '../metrics/return-panel.js';
import { fitRecurrentGan, loadRecurrentGan, type RecurrentGanModel, type RecurrentGanOptions } from './recurrent-gan.js';

export interface MarketSampleOptions extends SampleOptions {
  /** Days per path. */
  horizon: number;
  /** Recent log returns per asset (oldest first) to continue from; without it paths start from the stored state. */
  history?: Float64Array[];
}

/** Options of the model itself (architecture, calibration, seed); training length and run controls go to fit(). */
export type MarketSynthesizerOptions = Omit<RecurrentGanOptions, 'epochs' | 'steps' | 'timeBudgetSeconds' | 'onEvent' | 'checkpoint' | 'resume'> & {
  /** Opt-in wall-clock limit (the model is then recorded as not reproducible). */
  timeBudgetSeconds?: number;
};

export class MarketSynthesizer implements Synthesizer<PriceSeries | LogReturns, ReturnPanel, MarketSampleOptions> {
  private model: RecurrentGanModel | null = null;

  constructor(readonly options: MarketSynthesizerOptions = {}) {}

  /** The fitted recurrent GAN (for simulation in chunks, paths files and the latent volatility). */
  get recurrentGan(): RecurrentGanModel {
    if (!this.model) throw new UsageError('the market model is not fitted yet; call fit() or load()');
    return this.model;
  }

  get trainingRecord(): TrainingRecord | null {
    return this.model?.trainingRecord ?? null;
  }

  async fit(data: PriceSeries | LogReturns, options: FitOptions = {}): Promise<TrainResult> {
    const t0 = Date.now();
    const model = await fitRecurrentGan(data, {
      ...this.options,
      epochs: options.epochs,
      steps: options.steps,
      timeBudgetSeconds: options.timeBudgetSeconds ?? this.options.timeBudgetSeconds,
      onEvent: options.onEvent,
      checkpoint: options.checkpoint,
      resume: options.resume,
    });
    this.model?.dispose();
    this.model = model;
    const t = model.trainingRecord;
    return {
      steps: t.steps,
      plannedSteps: t.plannedSteps,
      stoppedBy: t.stoppedBy as TrainResult['stoppedBy'],
      reproducible: t.reproducible,
      history: model.lossHistory,
      elapsedMs: Date.now() - t0,
    };
  }

  /** `paths` simulated return paths of `horizon` days for every asset; the same seed gives the same paths. */
  sample(paths: number, options: MarketSampleOptions): ReturnPanel {
    if (!options || !(options.horizon > 0)) throw new UsageError('sample needs a horizon (days per path)', { option: 'horizon' });
    return simulatePanel(this.recurrentGan, { horizon: options.horizon, paths, seed: options.seed ?? 0, history: options.history });
  }

  async save(dir: string): Promise<void> {
    await this.recurrentGan.save(dir);
  }

  static async load(dir: string): Promise<MarketSynthesizer> {
    const s = new MarketSynthesizer();
    s.model = await loadRecurrentGan(dir);
    return s;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

/** The static side of the contract: `MarketSynthesizer.load(dir)` (checked by the compiler). */
export const marketSynthesizerClass: SynthesizerClass<MarketSynthesizer> = MarketSynthesizer;
