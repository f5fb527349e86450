/**
 * The one contract every domain model implements, so that a user who learned one package knows all four:
 *
 *   const model = new SomeSynthesizer(options);      // what to model (schema, columns, assets ...) and the seed
 *   await model.fit(data, { epochs | steps, onEvent, checkpoint, resume });
 *   const rows = model.sample(n, { seed, ... });     // the same seed gives the same rows
 *   await model.save(dir);                           // a model directory (see io/model-dir.ts)
 *   const again = await SomeSynthesizer.load(dir);   // static: the class is a SynthesizerClass
 *   model.dispose();                                 // frees the tensors
 *
 * Training length has one meaning everywhere (training/schedule.ts): `epochs` are full passes over the training
 * data, `steps` generator steps, and each model writes its default down once as a number of steps. Training never
 * stops on the clock unless `timeBudgetSeconds` is given, and `trainingRecord` says whether it was.
 */
import type { TrainingLength, TrainingRecord } from '../training/schedule.js';
import type { RunControls, TrainResult } from '../training/trainer.js';

/** What every fit accepts: how long to train, and the trainer's run controls (progress, checkpoints, resume). */
export type FitOptions = TrainingLength & RunControls;

/** Sampling options every model accepts; models add their own (conditions, horizon ...). */
export interface SampleOptions {
  /** Same seed, same output (on the same backend). */
  seed?: number;
}

export interface Synthesizer<TData, TSample, TSampleOptions extends SampleOptions = SampleOptions, TFitOptions extends FitOptions = FitOptions> {
  /** Learn from the data; resolves with how training went. */
  fit(data: TData, options?: TFitOptions): Promise<TrainResult>;
  /** n synthetic records (rows, baskets, paths ...). */
  sample(n: number, options?: TSampleOptions): TSample;
  /** Write a model directory that the class's static `load` reads back. */
  save(dir: string): Promise<void>;
  /** Free the model's tensors; the object is unusable afterwards. */
  dispose(): void;
  /** How the last fit went (steps, stop reason, reproducibility); null before a fit or load. */
  readonly trainingRecord: TrainingRecord | null;
}

/** The static side of a Synthesizer: `load(dir)` gives back what `save(dir)` wrote. */
export interface SynthesizerClass<S> {
  load(dir: string): Promise<S>;
}
