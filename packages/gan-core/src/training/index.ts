// @fingan/gan-core/training: the adversarial trainer (the `GanProblem` interface), training length, a ready MLP GAN.
export { AdversarialTrainer, DEFAULT_ADAM, runControls } from './trainer.js';
export type { AdamArgs, GanProblem, TrainerArgs, TrainerEvent, TrainResult, LossRecord, StopReason, EarlyStoppingArgs, RunControls } from './trainer.js';
export { resolveSteps, stepsPerEpoch, describeStop, trainingRecordOf } from './schedule.js';
export type { TrainingLength, TrainingRecord } from './schedule.js';
export { MlpGan, type MlpGanArgs, type MlpGanFitArgs } from '../models/mlp-gan.js';
