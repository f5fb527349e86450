import { InvalidDataError, UsageError, rowCount, type Cell, type Table } from '@fingan/gan-core';

/**
 * Input checks for rare-class augmentation. Each failure is one line naming the column or option at fault, so a
 * fraud analyst sees "what to change" rather than a stack trace from deep inside a neighbour search.
 */

/** How a column is modelled; see encoder.ts for what each kind means for distances and decoding. */
export type FraudColumnKind = 'amount' | 'count' | 'numeric' | 'categorical' | 'time';

import { FRAUD_COLUMN_KINDS } from '../constants.js';
export { FRAUD_COLUMN_KINDS };

/** The boolean column `augment(..., { markSynthetic: true })` adds. */
export const SYNTHETIC_COLUMN = '_synthetic';

export interface LabelSplit {
  /** Row indices whose label equals the positive value. */
  positives: number[];
  negatives: number[];
}

/** Labels are compared as text so that a CSV's `1` and a caller's `'1'` (or `true`/`'true'`) agree. */
export function isPositive(cell: Cell, positive: Cell): boolean {
  return cell !== null && String(cell) === String(positive);
}

/** Checks the label column and the positive value, and splits row indices into positives and negatives. */
export function splitByLabel(table: Table, label: string, positive: Cell): LabelSplit {
  if (typeof label !== 'string' || label === '') {
    throw new UsageError('label must name a column', { option: 'label' });
  }
  const col = table[label];
  if (!col) {
    const names = Object.keys(table);
    throw new InvalidDataError(`label column '${label}' is not in the data (columns: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''})`, {
      column: label,
      option: 'label',
    });
  }
  if (positive === null || positive === undefined) {
    throw new UsageError('positive must be the label value of the rare class, e.g. "bad"', { option: 'positive' });
  }
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < col.length; i++) {
    if (col[i] === null) {
      throw new InvalidDataError(`label column '${label}' is empty in row ${i + 1}; every row needs a label`, {
        column: label,
      });
    }
    (isPositive(col[i], positive) ? positives : negatives).push(i);
  }
  if (positives.length === 0) {
    throw new InvalidDataError(`positive value '${String(positive)}' does not occur in label column '${label}' (values seen: ${distinct(col).join(', ')})`, {
      column: label,
      option: 'positive',
    });
  }
  if (negatives.length === 0) {
    throw new InvalidDataError(
      `label column '${label}' has no negative rows (every row is '${String(positive)}'); there is no majority class to balance against`,
      { column: label },
    );
  }
  if (positives.length < 2) {
    throw new InvalidDataError(
      `label column '${label}' has only 1 positive row ('${String(positive)}'); SMOTE needs k+1 positives for k neighbours, so at least 2 (k=1) and 6 for the default k=5`,
      { column: label },
    );
  }
  return { positives, negatives };
}

/** SMOTE-family methods look up k neighbours among the other positives, so they need k+1 positives. */
export function checkNeighbours(k: number, nPositives: number, label: string): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new UsageError(`k must be a whole number of neighbours >= 1, got ${k}`, { option: 'k' });
  }
  if (nPositives < k + 1) {
    throw new InvalidDataError(
      `SMOTE with k=${k} neighbours needs k+1 = ${k + 1} positives, but label column '${label}' has ${nPositives}; lower k to at most ${nPositives - 1}`,
      { column: label, option: 'k' },
    );
  }
}

/**
 * How many positives to add. `ratio` follows imbalanced-learn's float `sampling_strategy`: the desired
 * positives/negatives ratio after resampling, so `added = floor(ratio * negatives - positives)` (imblearn truncates
 * with int(); we add 1e-9 first so that 0.29 * 100 gives 29, not 28, through floating-point noise).
 * `count` asks for an exact number instead.
 */
export function targetAddCount(nPositives: number, nNegatives: number, opts: { ratio?: number; count?: number }): number {
  const { ratio, count } = opts;
  if (ratio !== undefined && count !== undefined) {
    throw new UsageError('give either ratio or count, not both', { option: 'count' });
  }
  if (count !== undefined) {
    if (!Number.isInteger(count) || count < 1) {
      throw new UsageError(`count must be a whole number of rows to add, >= 1, got ${count}`, { option: 'count' });
    }
    return count;
  }
  const r = ratio ?? 1;
  const current = nPositives / nNegatives;
  if (typeof r !== 'number' || !Number.isFinite(r)) {
    throw new UsageError(`ratio must be a number in (${current.toPrecision(4)}, 1], got ${String(r)}`, { option: 'ratio' });
  }
  if (r > 1) {
    throw new UsageError(`ratio ${r} is above 1: ratio is positives/negatives after oversampling (imblearn semantics) and 1 means balanced`, {
      option: 'ratio',
    });
  }
  if (r <= current) {
    throw new UsageError(
      `ratio ${r} is not above the current positives/negatives ratio ${current.toPrecision(4)} (${nPositives}/${nNegatives}); oversampling can only add positives`,
      { option: 'ratio' },
    );
  }
  return Math.max(0, Math.floor(r * nNegatives - nPositives + 1e-9));
}

/** Columns declared numeric (by `kinds`) must hold only finite numbers or nulls. */
export function checkDeclaredKinds(table: Table, kinds: Record<string, FraudColumnKind>): void {
  for (const [name, kind] of Object.entries(kinds)) {
    if (!FRAUD_COLUMN_KINDS.includes(kind)) {
      throw new UsageError(`kind '${String(kind)}' for column '${name}' is not one of ${FRAUD_COLUMN_KINDS.join(', ')}`, {
        option: 'kinds',
        column: name,
      });
    }
    const col = table[name];
    if (!col) {
      throw new UsageError(`kinds names column '${name}', which is not in the data`, { option: 'kinds', column: name });
    }
    if (kind === 'categorical' || kind === 'time') continue;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new InvalidDataError(`column '${name}' is declared ${kind} (numeric) but row ${i + 1} holds ${JSON.stringify(v)}`, { column: name });
      }
      if (v !== null && (kind === 'amount' || kind === 'count') && v < 0) {
        throw new InvalidDataError(`column '${name}' is declared ${kind} (non-negative) but row ${i + 1} holds ${v}`, {
          column: name,
        });
      }
    }
  }
}

/** Train and test must have the same columns, or a detector trained on one cannot score the other. */
export function checkSameColumns(train: Table, test: Table): void {
  const a = Object.keys(train);
  const b = Object.keys(test);
  const missing = a.filter((c) => !(c in test));
  const extra = b.filter((c) => !(c in train));
  if (missing.length || extra.length) {
    const parts = [missing.length ? `missing from test: ${missing.join(', ')}` : '', extra.length ? `extra in test: ${extra.join(', ')}` : ''].filter(Boolean);
    throw new InvalidDataError(`test columns differ from train (${parts.join('; ')})`, {
      column: missing[0] ?? extra[0],
    });
  }
  if (rowCount(test) === 0) throw new InvalidDataError('test has no rows');
}

function distinct(col: Cell[]): string[] {
  const seen = new Set<string>();
  for (const v of col) {
    if (v !== null) seen.add(String(v));
    if (seen.size > 10) break;
  }
  return [...seen];
}
