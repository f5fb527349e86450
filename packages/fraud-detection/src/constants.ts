// Constants the command line shows in --help, in a module that loads nothing heavy (no tfjs, no polars).
import type { AugmentMethod } from './model/augment.js';
import type { GanSamplerOptions } from './model/gan.js';
import type { FraudColumnKind } from './schema/schema.js';

export const FRAUD_COLUMN_KINDS: readonly FraudColumnKind[] = ['amount', 'count', 'numeric', 'categorical', 'time'];

export const AUGMENT_METHODS: readonly AugmentMethod[] = ['smote', 'smotenc', 'adasyn', 'borderline', 'random', 'gan', 'gan+smote'];

/** The sampler's own defaults; network settings not listed here are the synthesizer's. */
export const GAN_SAMPLER_DEFAULTS: Readonly<
  Pick<
    GanSamplerOptions,
    'epochs' | 'logAmounts' | 'discreteMax' | 'zeroSpikeShare' | 'snapToObserved' | 'calibrate' | 'filter' | 'candidates' | 'fineTuneSteps'
  >
> = {
  epochs: 20,
  logAmounts: false,
  discreteMax: 20,
  zeroSpikeShare: 0.1,
  snapToObserved: true,
  calibrate: false,
  filter: 'detector',
  candidates: 16,
  fineTuneSteps: 50,
};
