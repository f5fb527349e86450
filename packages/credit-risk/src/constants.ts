// Constants the command line shows in --help, in a module that loads nothing heavy (no tfjs, no polars).

/**
 * Generator steps of a default fit, whatever the book's size: 40 epochs of the 3,118-row credit book. A step costs the
 * same whatever the book's size, and on the 1,665-row HMDA book 360 steps (40 epochs) left TSTR/TRTR between 0.91
 * and 0.98 over three seeds where 648 steps gave 0.95 to 1.0; so the default is a number of steps, not of epochs.
 */
export const DEFAULT_STEPS = 640;
