import { rowCount, type Table } from '@fingan/gan-core';
import { describeRule, ruleHolds, type Rule } from '../schema/rules.js';
import { isNumericKind, type LoanBookSchema } from '../schema/schema.js';
import { defineMetric } from '@fingan/gan-core/stats';
import type { CreditMetricInput } from './input.js';

export interface RuleAdherence {
  /** Share of rows that satisfy every rule and every bound. */
  share: number;
  rules: { rule: string; share: number }[];
}

/** Share of rows meeting each business rule and each column bound, and all of them together. */
export function ruleAdherence(table: Table, schema: LoanBookSchema): RuleAdherence {
  const n = rowCount(table);
  const all = new Uint8Array(n).fill(1);
  const checks: { rule: string; ok: (i: number) => boolean }[] = schema.rules.map((r: Rule) => ({ rule: describeRule(r), ok: (i) => ruleHolds(r, table, i) }));
  for (const c of schema.columns) {
    if (!isNumericKind(c.kind) || (c.min === undefined && c.max === undefined)) continue;
    const lo = c.min ?? -Infinity,
      hi = c.max ?? Infinity;
    checks.push({
      rule: `${lo}<=${c.name}<=${hi}`,
      ok: (i) => {
        const v = table[c.name][i];
        return typeof v !== 'number' || (v >= lo && v <= hi);
      },
    });
  }
  const rules = checks.map((ch) => {
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (ch.ok(i)) k++;
      else all[i] = 0;
    }
    return { rule: ch.rule, share: n ? k / n : 1 };
  });
  return { share: n ? all.reduce((s, v) => s + v, 0) / n : 1, rules };
}

/** Rule adherence as a metric object: the share of synthetic rows meeting every rule and bound of the schema. */
export const RuleAdherenceMetric = defineMetric<CreditMetricInput, RuleAdherence>({
  name: 'ruleAdherence',
  title: 'Rows meeting every rule',
  description: 'Share of synthetic rows that meet every business rule and declared bound of the schema.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ synthetic, schema }) => {
    const r = ruleAdherence(synthetic, schema);
    return { value: r.share, detail: r };
  },
});
