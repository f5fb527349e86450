// @fingan/gan-core/math: shared numerics (no tfjs, no polars): special functions, the standard normal, small dense
// linear algebra. One implementation of each, used by every package.
export { logGamma } from './special.js';
export { normalCdf, normalQuantile } from './normal.js';
export { covariance, covToCorr, cholesky, tryCholesky, solveCholesky, solveSpd } from './linalg.js';
export { coarseBounds } from './rounding.js';
