// Constants the command line shows in --help, in a module that loads nothing heavy (no tfjs, no polars).

/** Generator steps of a default fit (give `epochs` or `steps` for another length). */
export const MINING_DEFAULT_STEPS = 1200;
