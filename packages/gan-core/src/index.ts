export * from './errors.js';
export * from './data/table.js';
export * from './random/rng.js';
export * from './io/atomic.js';
