/**
 * How long a fit trains, with one meaning in every model: `epochs` are full passes over the training data (rows,
 * windows or baskets), `steps` are generator steps, and a model's default is a fixed number of steps written down
 * once as its DEFAULT_STEPS. Nothing here reads the clock: the same data and options always train the same steps.
 */
import { UsageError } from '../errors.js';

export interface TrainingLength {
  /** Full passes over the training data; each pass is ceil(rows / batchSize) generator steps. */
  epochs?: number;
  /** Generator steps; give either this or `epochs`. */
  steps?: number;
}

/** Generator steps in one pass over `rows` training examples in batches of `batchSize`. */
export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.max(1, Math.ceil(rows / Math.max(1, batchSize)));
}

/**
 * The generator steps a fit runs: `steps` as given, `epochs` passes over `rows` examples, or `defaultSteps`.
 * Errors name the option (`epochs` / `steps`); the CLI maps them to its flags.
 */
export function resolveSteps(length: TrainingLength, rows: number, batchSize: number, defaultSteps: number): number {
  const { epochs, steps } = length;
  if (epochs !== undefined && steps !== undefined) {
    throw new UsageError(`give epochs or steps, not both (epochs ${epochs}, steps ${steps})`, { option: 'epochs' });
  }
  if (steps !== undefined) {
    if (!Number.isInteger(steps) || steps < 0) throw new UsageError(`steps must be a non-negative integer, got ${steps}`, { option: 'steps' });
    return steps;
  }
  if (epochs !== undefined) {
    if (!Number.isInteger(epochs) || epochs < 1)
      throw new UsageError(`epochs must be a positive integer (full passes over the data), got ${epochs}`, { option: 'epochs' });
    return epochs * stepsPerEpoch(rows, batchSize);
  }
  return defaultSteps;
}

/** What a saved model records about how it was trained. */
export interface TrainingRecord {
  /** Generator steps run. */
  steps: number;
  /** Generator steps asked for. */
  plannedSteps: number;
  stoppedBy: string;
  /**
   * False when a wall-clock limit was set: where it stops then depends on the machine's speed and load, so the
   * same seed need not give the same model.
   */
  reproducible: boolean;
}

/** The line a progress display ends with: how many steps ran and why training stopped. */
export function describeStop(e: { step: number; plannedSteps: number; reason: string; reproducible: boolean }): string {
  const of = `${e.step} of ${e.plannedSteps} steps`;
  if (e.reason === 'completed') return `completed ${of}${e.reproducible ? '' : ' (under a time limit: not reproducible from the seed alone)'}`;
  if (e.reason === 'time-budget') return `stopped by the time limit after ${of}: this model is not reproducible from its seed`;
  if (e.reason === 'early-stopping') return `early stopping after ${of}`;
  return `${e.reason} after ${of}`;
}

/** The record a model keeps of a trainer run (what its manifest's `training` holds). */
export function trainingRecordOf(res: { steps: number; plannedSteps: number; stoppedBy: string; reproducible: boolean }): TrainingRecord {
  return { steps: res.steps, plannedSteps: res.plannedSteps, stoppedBy: res.stoppedBy, reproducible: res.reproducible };
}
