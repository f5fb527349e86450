// @fingan/gan-core/io: atomic and safe outputs, input limits, model directories, tables (CSV/Parquet via polars).
export * from './atomic.js';
export * from './safe-output.js';
export * from './limits.js';
export * from './input.js';
export { saveModelDir, loadModelDir, readManifest, manifestSchema, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model-dir.js';
export type { ModelManifest, SaveModelArgs, LoadedModel } from './model-dir.js';
export * from './table-io.js';
export * from './table-stream.js';
