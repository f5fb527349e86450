import { readTable, type ColumnKind, type Table } from '@fingan/gan-core';
import type { Rule } from './rules.js';
import { checkColumns, inferLoanBookSchema, schemaKinds, type LoanBookSchema } from './schema.js';

export interface LoanBookFile {
  table: Table;
  schema: LoanBookSchema;
  /** readTable's notes on suspicious columns that were still accepted. */
  warnings: string[];
}

/**
 * Read a loan book (.csv or .parquet) and infer its schema; every problem is a one-line error naming the file and
 * the column. With `schema`, the file is read with the schema's kinds and must have its columns (for holdout and
 * synthetic files that are compared with a training book).
 */
export function readLoanBook(
  path: string,
  opts: {
    target?: string;
    kinds?: Record<string, ColumnKind>;
    rules?: Rule[];
    positive?: string;
    schema?: LoanBookSchema;
    /** Declared bounds by column, used instead of the observed range. */
    bounds?: Record<string, { min?: number; max?: number }>;
  },
): LoanBookFile {
  if (opts.schema) {
    const { table, warnings } = readTable(path, { kinds: schemaKinds(opts.schema) });
    checkColumns(table, opts.schema, path);
    textTarget(table, opts.schema.target);
    return { table, schema: opts.schema, warnings };
  }
  const { table, kinds, warnings } = readTable(path, { kinds: opts.kinds });
  if (opts.target && textTarget(table, opts.target)) kinds[opts.target] = 'categorical';
  const schema = inferLoanBookSchema(table, { target: opts.target!, kinds, rules: opts.rules, positive: opts.positive, bounds: opts.bounds, file: path });
  return { table, schema, warnings };
}

/**
 * A 0/1 target is a class label, not a number: keep it as text, whatever the file format stored, so a training CSV
 * and a holdout Parquet file agree on the label values. Returns whether anything was converted.
 */
function textTarget(table: Table, target: string): boolean {
  const col = table[target];
  if (!col || !col.some((v) => typeof v === 'number')) return false;
  table[target] = col.map((v) => (v === null ? null : String(v)));
  return true;
}
