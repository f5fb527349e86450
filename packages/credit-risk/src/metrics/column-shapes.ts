import { ksStatistic, totalVariation, type ColumnKind, type Table } from '@fingan/gan-core';
import { isOrdered, presentNumbers } from './columns.js';
import { defineMetric } from '@fingan/gan-core/stats';
import { schemaKinds } from '../schema/schema.js';
import type { CreditMetricInput } from './input.js';

export interface ColumnShapeScore {
  column: string;
  kind: ColumnKind;
  metric: 'KSComplement' | 'TVComplement';
  score: number;
}

/**
 * Column shapes: how well each column's marginal distribution is kept, 1 = identical. Numeric and date columns:
 * 1 - KS statistic between the present values; categorical and boolean columns: 1 - total variation distance between
 * the category shares, missing counted as a category. The headline is the plain average over columns.
 */
export function columnShapes(real: Table, synthetic: Table, kinds: Record<string, ColumnKind>): { score: number; columns: ColumnShapeScore[] } {
  const columns = Object.entries(kinds).map(([column, kind]): ColumnShapeScore => {
    if (isOrdered(kind)) {
      const a = presentNumbers(real[column], kind);
      const b = presentNumbers(synthetic[column], kind);
      const score = a.length === 0 || b.length === 0 ? (a.length === b.length ? 1 : 0) : 1 - ksStatistic(a, b);
      return { column, kind, metric: 'KSComplement', score };
    }
    return { column, kind, metric: 'TVComplement', score: 1 - totalVariation(real[column], synthetic[column]) };
  });
  return { score: columns.reduce((s, c) => s + c.score, 0) / Math.max(1, columns.length), columns };
}

/** Column shapes as a metric object: the mean per-column score of real training rows against synthetic ones. */
export const ColumnShapes = defineMetric<CreditMetricInput, ColumnShapeScore[]>({
  name: 'columnShapes',
  title: 'Column shapes',
  description: 'Mean over columns of 1 - KS statistic (numeric) or 1 - total variation (categorical): 1 = identical marginals.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ train, synthetic, schema }) => {
    const r = columnShapes(train, synthetic, schemaKinds(schema));
    return { value: r.score, detail: r.columns };
  },
});
