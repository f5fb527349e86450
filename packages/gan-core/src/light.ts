// @fingan/gan-core/light: the part of the public surface that loads neither tfjs nor nodejs-polars (errors, safe
// outputs, limits, progress and logging, column kinds, conditions), so a command line can parse flags and answer
// --help at once and load the heavy modules only when a command runs. Everything here is also in the main entry.
export * from './errors.js';
export * from './io/atomic.js';
export * from './io/safe-output.js';
export * from './io/limits.js';
export * from './io/input.js';
export * from './progress.js';
export { COLUMN_KINDS } from './encoders/types.js';
export { parseCondition, describeCondition, matches as conditionMatches } from './synth/conditions.js';
export * from './data/table.js';
export type { Condition } from './synth/conditions.js';
