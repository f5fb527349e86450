import type { Table } from '@fingan/gan-core';
import type { LoanBookSchema } from '../schema/schema.js';

/**
 * What every credit metric is computed from: `train`, the real book the generator was fitted on; `test`, a real holdout
 * it never saw (the TSTR/TRTR test set and the privacy baseline); the synthetic book; the schema; the seed of any
 * randomised step (models, attack splits).
 */
export interface CreditMetricInput {
  train: Table;
  test: Table;
  synthetic: Table;
  schema: LoanBookSchema;
  seed?: number;
}
