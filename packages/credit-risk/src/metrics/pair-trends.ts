import { pearson, totalVariation, type Cell, type ColumnKind, type Table } from '@fingan/gan-core';
import { asNumber, isOrdered } from './columns.js';
import { defineMetric } from '@fingan/gan-core/stats';
import { schemaKinds } from '../schema/schema.js';
import type { CreditMetricInput } from './input.js';

export interface PairTrendScore {
  a: string;
  b: string;
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  score: number;
  /** The real and synthetic correlation (numeric pairs only). */
  real?: number;
  synthetic?: number;
}

export interface PairTrendOptions {
  /** Bins for numeric columns in contingency tables (quantiles of the real column); default 10. */
  bins?: number;
}

/** Pearson correlation over the rows where both cells are present; 0 with fewer than 3 such rows. */
export function pairCorrelation(t: Table, a: string, b: string, ka: ColumnKind, kb: ColumnKind): number {
  const x: number[] = [];
  const y: number[] = [];
  const ca = t[a],
    cb = t[b];
  for (let i = 0; i < ca.length; i++) {
    const u = asNumber(ca[i], ka),
      v = asNumber(cb[i], kb);
    if (Number.isFinite(u) && Number.isFinite(v)) {
      x.push(u);
      y.push(v);
    }
  }
  return x.length < 3 ? 0 : pearson(x, y);
}

/** Cut points at the real column's quantiles (distinct values only), so every bin holds real mass. */
function cutPoints(values: Cell[], kind: ColumnKind, bins: number): number[] {
  const x = values
    .map((v) => asNumber(v, kind))
    .filter((v) => Number.isFinite(v))
    .sort((p, q) => p - q);
  const cuts = new Set<number>();
  for (let k = 1; k < bins; k++) if (x.length) cuts.add(x[Math.min(x.length - 1, Math.floor((k * x.length) / bins))]);
  return [...cuts].sort((p, q) => p - q);
}

function binner(real: Cell[], kind: ColumnKind, bins: number): (v: Cell) => string {
  if (!isOrdered(kind)) return (v) => (v === null ? '\u0000null' : `${typeof v}:${String(v)}`);
  const cuts = cutPoints(real, kind, bins);
  return (v) => {
    const x = asNumber(v, kind);
    if (!Number.isFinite(x)) return '\u0000null';
    let k = 0;
    while (k < cuts.length && x >= cuts[k]) k++;
    return `b${k}`;
  };
}

/**
 * Column-pair trends: whether relations between columns are kept, 1 = identical. Two numeric columns: correlation
 * similarity 1 - |r_real - r_synthetic| / 2 (Pearson, over rows where both are present). Any other pair: contingency
 * similarity 1 - TV distance between the joint category shares, numeric columns cut at the real column's deciles
 * (quantile bins, so a heavy tail does not squeeze the whole column into one bin) and missing kept as a category.
 * The headline is the average over all pairs.
 */
export function pairTrends(
  real: Table,
  synthetic: Table,
  kinds: Record<string, ColumnKind>,
  opts: PairTrendOptions = {},
): { score: number; pairs: PairTrendScore[] } {
  const bins = opts.bins ?? 10;
  const names = Object.keys(kinds);
  const binners = new Map(names.map((c) => [c, binner(real[c], kinds[c], bins)]));
  const pairs: PairTrendScore[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i],
        b = names[j];
      const ka = kinds[a],
        kb = kinds[b];
      if (isOrdered(ka) && isOrdered(kb)) {
        const r = pairCorrelation(real, a, b, ka, kb);
        const s = pairCorrelation(synthetic, a, b, ka, kb);
        pairs.push({ a, b, metric: 'CorrelationSimilarity', score: 1 - Math.abs(r - s) / 2, real: r, synthetic: s });
      } else {
        const fa = binners.get(a)!,
          fb = binners.get(b)!;
        const joint = (t: Table) => t[a].map((v, r) => `${fa(v)}|${fb(t[b][r])}`);
        pairs.push({ a, b, metric: 'ContingencySimilarity', score: 1 - totalVariation(joint(real), joint(synthetic)) });
      }
    }
  }
  return { score: pairs.reduce((s, p) => s + p.score, 0) / Math.max(1, pairs.length), pairs };
}

/** Column-pair trends as a metric object: the mean pair score of real training rows against synthetic ones. */
export const PairTrends = defineMetric<CreditMetricInput, PairTrendScore[]>({
  name: 'pairTrends',
  title: 'Column-pair trends',
  description: 'Mean over column pairs of correlation similarity (numeric pairs) or contingency similarity: 1 = identical.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ train, synthetic, schema }) => {
    const r = pairTrends(train, synthetic, schemaKinds(schema));
    return { value: r.score, detail: r.pairs };
  },
});
