// @fingan/gan-core: the public surface. Internals (testing helpers, kernels) stay unexported.
export * from './errors.js';
export * from './data/table.js';
export * from './random/rng.js';
export * from './io/atomic.js';
export { saveModelDir, loadModelDir, readManifest, manifestSchema, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './io/model-dir.js';
export type { ModelManifest, SaveModelArgs, LoadedModel } from './io/model-dir.js';
export { initBackend, ensureBackend, BACKEND_NAMES, tf } from './backend/backend.js';
export type { BackendInfo, BackendName, BackendRequest, InitBackendArgs } from './backend/backend.js';
export * from './nn/index.js';
export * from './losses/index.js';
export { AdversarialTrainer, DEFAULT_ADAM } from './training/trainer.js';
export type { AdamArgs, GanProblem, TrainerArgs, TrainerEvent, TrainResult, LossRecord, StopReason, EarlyStoppingArgs } from './training/trainer.js';
export { MlpGan, type MlpGanArgs, type MlpGanFitArgs } from './models/mlp-gan.js';
export * from './progress.js';
export * from './stats/index.js';
export * from './report/index.js';
