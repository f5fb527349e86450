// Constants the command line shows in --help, in a module that loads nothing heavy (no tfjs, no polars).

/**
 * Generator steps of a default fit, whatever the book's size: about 26 epochs of the 3,118-row credit book. A step
 * costs the same whatever the book's size, so the default is a number of steps, not of epochs. It was 640 until the
 * generator's layer norm stopped tiling (gan-core nn/layer-norm.ts) and fits got faster; measured then (70/30
 * splits, held-out 30%): on the credit book 240 and 320 steps already gave TSTR/TRTR 0.95-0.96 on seeds 0-2 (160:
 * 0.74-0.87), but on the HMDA book seed 1 needed more (240: 0.84, 320: 0.8996, 400: 0.918). packages/credit-risk/
 * README.md has the full table at this default (tools/bench/credit.mjs).
 */
export const DEFAULT_STEPS = 400;
