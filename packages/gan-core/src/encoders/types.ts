import type { Cell } from '../data/table.js';
import type { Rng } from '../random/rng.js';

/** The column types fingan models; readTable infers them and TableEncoder picks an encoder for each. */
export type ColumnKind = 'continuous' | 'integer' | 'categorical' | 'boolean' | 'datetime';

export const COLUMN_KINDS: readonly ColumnKind[] = ['continuous', 'integer', 'categorical', 'boolean', 'datetime'];

/** How a numeric column is scaled for the generator. */
export type ContinuousMethod = 'gmm' | 'minmax' | 'quantile';

/**
 * A 'continuous' span is one value in [-1, 1] (the generator emits it through tanh); a 'discrete' span is a one-hot
 * block (the generator emits it through softmax / gumbel-softmax and the encoder reads it back by argmax).
 */
export type SpanKind = 'continuous' | 'discrete';

export interface OutputSpan {
  kind: SpanKind;
  width: number;
  offset: number;
}

/** A span inside one encoder's block, before the table layout gives it a global offset. */
export type LocalSpan = Omit<OutputSpan, 'offset'>;

/**
 * One column <-> a block of `width` floats per row. `transform` and `inverse` work on whole columns
 * (row-major n x width) because the GAN consumes and produces batches.
 */
export interface ColumnEncoder<S = unknown> {
  readonly kind: string;
  readonly width: number;
  readonly spans: LocalSpan[];
  /** null = missing. */
  fit(values: Cell[]): this;
  /** n x width, row-major. `rng` makes stochastic encodings (GMM mode sampling) reproducible. */
  transform(values: Cell[], rng?: Rng): Float32Array;
  /** `block` is n x width, row-major (e.g. generator output); discrete spans are read by argmax. */
  inverse(block: Float32Array, n: number): Cell[];
  /** Plain JSON state; the matching `fromJSON` rebuilds an identical encoder. */
  toJSON(): S;
}
