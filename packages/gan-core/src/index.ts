// @fingan/gan-core: the whole public surface in one entry. Each part is also a subpath of its own, which loads only
// what it needs: /light (errors, safe outputs, progress: no tfjs, no polars), /math, /stats, /random, /encoders,
// /nn, /losses, /training, /synth, /io, /privacy, /report, /backend. Internals (testing helpers, kernels) stay
// unexported.
export * from './errors.js';
export * from './data/table.js';
export * from './progress.js';
export * from './random/index.js';
export * from './math/index.js';
export * from './stats/index.js';
export * from './encoders/index.js';
export * from './backend/index.js';
export * from './nn/index.js';
export * from './losses/index.js';
export * from './training/index.js';
export * from './synth/index.js';
export * from './io/index.js';
export * from './privacy/index.js';
export * from './report/index.js';
