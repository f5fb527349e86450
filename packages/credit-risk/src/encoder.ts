/**
 * How a loan book is encoded for the model: gan-core's column encoders, configured from the schema. Numeric and date
 * columns use the quantile transform (a coarsened table of at most 200 knots, never training values verbatim; see
 * the gan-core README, "What encoder states hold"), categorical and boolean columns one-hot codes, and a missing
 * indicator wherever the schema allows empty cells (added by gan-core's TableEncoder).
 */
import type { ColumnSpec } from '@fingan/gan-core';
import { isNumericKind, type LoanBookSchema } from './schema/schema.js';

/** The encoder's column specs for a loan book: one per schema column, in the schema's order. */
export function creditColumnSpecs(schema: LoanBookSchema): ColumnSpec[] {
  return schema.columns.map((c) =>
    isNumericKind(c.kind) || c.kind === 'datetime' ? { name: c.name, kind: c.kind, method: 'quantile' } : { name: c.name, kind: c.kind },
  );
}
