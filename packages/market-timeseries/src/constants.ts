// Constants the command line shows in --help, in a module that loads nothing heavy (no tfjs, no polars).

/** Generator steps of a default fit (give `epochs` or `steps` for another length). */
export const MARKET_DEFAULT_STEPS = 500;

// The time column's kind and gaps, for checks before anything heavy loads.
export { timeAxisOf, timeGaps, type TimeAxis, type TimeGap, type TimeGaps } from './schema/time-axis.js';
