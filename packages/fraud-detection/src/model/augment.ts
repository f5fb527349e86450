import { InvalidDataError, UsageError, concatTables, createRng, rowCount, takeRows, type Cell, type Table } from '@fingan/gan-core';
import { withDefaults } from '../defaults.js';
import { FraudEncoder } from '../encoder.js';
import { adasyn, borderlineSmote } from '../oversample/adaptive.js';
import { tabularGanSampler } from './gan.js';
import { randomOversample } from '../oversample/random.js';
import { smote } from '../oversample/smote.js';
import { smotenc } from '../oversample/smotenc.js';
import { SYNTHETIC_COLUMN, checkNeighbours, isPositive, splitByLabel, targetAddCount, type FraudColumnKind } from '../schema/schema.js';

export type AugmentMethod = 'smote' | 'smotenc' | 'adasyn' | 'borderline' | 'random' | 'gan' | 'gan+smote';
import { AUGMENT_METHODS } from '../constants.js';
export { AUGMENT_METHODS };

/**
 * A generator of synthetic positives, e.g. gan-core's conditional tabular synthesizer wrapped to this shape.
 * It receives the whole training table (a conditional model learns from negatives too), must return exactly
 * `nNeeded` rows with the table's columns and the positive label, and must be deterministic in `seed`.
 */
export type GanSampler = (table: Table, label: string, positive: Cell, nNeeded: number, seed: number, options?: Record<string, unknown>) => Promise<Table>;

export interface AugmentOptions {
  label: string;
  /** The label value of the rare class (compared as text, so 1 and '1' match). */
  positive: string | number | boolean;
  method: AugmentMethod;
  /** Desired positives/negatives after oversampling (imblearn's float sampling_strategy). Default 1 (balanced). */
  ratio?: number;
  /** Exactly this many positives to add (instead of ratio). */
  count?: number;
  seed: number;
  /** Adds a boolean `_synthetic` column (false for the input rows, true for added rows). Default true. */
  markSynthetic?: boolean;
  /** Neighbours for SMOTE and SMOTE-NC. Default 5. */
  k?: number;
  /** Override detected column kinds (see FraudEncoder). */
  kinds?: Record<string, FraudColumnKind>;
  /** Options passed through to the GAN sampler (for the default one: GanSamplerOptions, e.g. `{ epochs: 40 }`). */
  gan?: Record<string, unknown>;
  /** The generator for method 'gan'; default gan-core's conditional tabular synthesizer (`tabularGanSampler`). */
  ganSampler?: GanSampler;
}

export interface AugmentResult {
  /** The input rows (unchanged, in order) followed by the added positives. */
  table: Table;
  added: number;
  /** The added rows only (without the `_synthetic` column). */
  synthetic: Table;
}

const DEFAULTS: { k: number; markSynthetic: boolean } = { k: 5, markSynthetic: true };

/**
 * Oversample the rare class in the style of imbalanced-learn's `fit_resample`: the input rows are kept as they
 * are and new positives are appended. Only ever pass the training split: anything given here can leak into the
 * synthetic rows.
 */
export async function augment(table: Table, options: AugmentOptions): Promise<AugmentResult> {
  const opts = withDefaults(DEFAULTS, options);
  if (!AUGMENT_METHODS.includes(opts.method)) {
    throw new UsageError(`method '${String(opts.method)}' is not one of ${AUGMENT_METHODS.join(', ')}`, {
      option: 'method',
    });
  }
  if (!Number.isFinite(opts.seed)) {
    throw new UsageError(`seed must be a number, got ${String(opts.seed)}`, { option: 'seed' });
  }
  const { positives, negatives } = splitByLabel(table, opts.label, opts.positive);
  if (opts.method !== 'random' && opts.method !== 'gan') checkNeighbours(opts.k, positives.length, opts.label);
  const n = targetAddCount(positives.length, negatives.length, { ratio: opts.ratio, count: opts.count });

  let synthetic: Table;
  if (n === 0) {
    synthetic = emptyLike(table);
  } else if (opts.method === 'random') {
    synthetic = randomOversample(table, positives, n, createRng(opts.seed)).table;
  } else if (opts.method === 'gan' || opts.method === 'gan+smote') {
    // Declared kinds reach the sampler with its options (the default sampler maps them to the synthesizer's kinds).
    const ganOptions = opts.kinds ? { kinds: opts.kinds, ...opts.gan } : opts.gan;
    const sampler = opts.ganSampler ?? tabularGanSampler;
    const sampled = await sampler(table, opts.label, opts.positive, n, opts.seed, ganOptions);
    synthetic = checkSampled(table, sampled, opts.label, opts.positive, n);
    if (opts.method === 'gan+smote') {
      // The GAN's first ceil(n/2) rows (the sampler asked for n, so evaluate can reuse one fit for 'gan' and
      // 'gan+smote'), then SMOTE's floor(n/2) from the same seed.
      const nGan = Math.ceil(n / 2);
      const encoder = FraudEncoder.fit(table, { exclude: [opts.label, SYNTHETIC_COLUMN], kinds: opts.kinds });
      const rows = smote({ table, label: opts.label, positives, encoder }, n - nGan, { k: opts.k, rng: createRng(opts.seed) }).table;
      synthetic = concatTables([
        takeRows(
          synthetic,
          Array.from({ length: nGan }, (_, i) => i),
        ),
        withoutColumn(rows, SYNTHETIC_COLUMN),
      ]);
    }
  } else {
    const encoder = FraudEncoder.fit(table, { exclude: [opts.label, SYNTHETIC_COLUMN], kinds: opts.kinds });
    const input = { table, label: opts.label, positives, encoder };
    const rng = createRng(opts.seed);
    if (opts.method === 'adasyn') synthetic = adasyn(input, negatives, n, { k: opts.k, rng }).table;
    else if (opts.method === 'borderline') synthetic = borderlineSmote(input, negatives, n, { k: opts.k, rng }).table;
    else synthetic = (opts.method === 'smote' ? smote : smotenc)(input, n, { k: opts.k, rng }).table;
  }
  synthetic = withoutColumn(synthetic, SYNTHETIC_COLUMN);

  // An input that already has `_synthetic` (augmented before) keeps it, extended for the new rows.
  const body =
    opts.markSynthetic || SYNTHETIC_COLUMN in table
      ? concatTables([markRows(table, false), { ...synthetic, [SYNTHETIC_COLUMN]: new Array<Cell>(n).fill(true) }])
      : concatTables([table, synthetic]);
  return { table: body, added: n, synthetic };
}

/** The input rows of an augmented table: drops rows marked synthetic and the `_synthetic` column itself. */
export function removeSynthetic(table: Table): Table {
  const flags = table[SYNTHETIC_COLUMN];
  if (!flags) {
    throw new UsageError(`table has no '${SYNTHETIC_COLUMN}' column; augment with markSynthetic: true to mark rows`, {
      column: SYNTHETIC_COLUMN,
    });
  }
  const keep: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] !== true) keep.push(i);
  const out: Table = {};
  for (const [name, col] of Object.entries(table)) {
    if (name !== SYNTHETIC_COLUMN) out[name] = keep.map((i) => col[i]);
  }
  return out;
}

/** Keeps an existing `_synthetic` column (rows may already be marked); otherwise marks every row with `value`. */
function markRows(table: Table, value: boolean): Table {
  if (SYNTHETIC_COLUMN in table) return table;
  return { ...table, [SYNTHETIC_COLUMN]: new Array<Cell>(rowCount(table)).fill(value) };
}

function withoutColumn(table: Table, name: string): Table {
  if (!(name in table)) return table;
  const { [name]: _dropped, ...rest } = table;
  return rest;
}

function emptyLike(table: Table): Table {
  const out: Table = {};
  for (const name of Object.keys(table)) out[name] = [];
  return out;
}

/** A sampler is outside code: check its rows fit before they are mixed into training data; keep our columns. */
function checkSampled(table: Table, sampled: Table, label: string, positive: Cell, n: number): Table {
  const want = Object.keys(table).filter((c) => c !== SYNTHETIC_COLUMN);
  const missing = want.filter((c) => !(c in sampled));
  if (missing.length) {
    throw new InvalidDataError(`GAN sampler output lacks columns: ${missing.join(', ')}`, { column: missing[0] });
  }
  if (rowCount(sampled) !== n) {
    throw new InvalidDataError(`GAN sampler returned ${rowCount(sampled)} rows, ${n} were asked for`);
  }
  if (!sampled[label].every((v) => isPositive(v, positive))) {
    throw new InvalidDataError(`GAN sampler returned rows whose '${label}' is not '${String(positive)}'`, {
      column: label,
    });
  }
  return Object.fromEntries(want.map((c) => [c, sampled[c]]));
}
