import { z } from 'zod';
import { UsageError, type Cell, type Table } from '@fingan/gan-core';

export type RuleOp = '<' | '<=' | '>' | '>=';

/**
 * A business rule on one row: `column op value` (a bound, e.g. `Amount>0`, `Age>=18`) or `column op other`
 * (a relation between two columns, e.g. `Amount<=Price`). A rule whose cells are missing holds vacuously: rules
 * constrain values that exist, they do not forbid missing ones (missingness is modelled separately).
 */
export const ruleSchema = z.union([
  z.object({ column: z.string().min(1), op: z.enum(['<', '<=', '>', '>=']), value: z.number() }).strict(),
  z.object({ column: z.string().min(1), op: z.enum(['<', '<=', '>', '>=']), other: z.string().min(1) }).strict(),
]);
export type Rule = z.infer<typeof ruleSchema>;

const OPS: RuleOp[] = ['<=', '>=', '<', '>'];

/** Parse `COL>=NUMBER` or `COL<=OTHER_COL` (also `<`, `>`): the CLI's --rule syntax. */
export function parseRule(text: string, option = 'rules'): Rule {
  for (const op of OPS) {
    const i = text.indexOf(op);
    if (i <= 0) continue;
    const column = text.slice(0, i).trim();
    const rhs = text.slice(i + op.length).trim();
    if (!column || !rhs || /[<>=]/.test(rhs)) break;
    const v = Number(rhs);
    return Number.isFinite(v) && /^[-+.\d]/.test(rhs) ? { column, op, value: v } : { column, op, other: rhs };
  }
  throw new UsageError(`'${text}' is not a rule; use COL>=NUMBER or COL<=OTHER_COLUMN (also <, >)`, { option });
}

export function describeRule(r: Rule): string {
  return `${r.column}${r.op}${'value' in r ? r.value : r.other}`;
}

function compare(a: number, op: RuleOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Whether row i satisfies the rule (true when a cell it needs is missing). */
export function ruleHolds(r: Rule, table: Table, i: number): boolean {
  const a: Cell = table[r.column][i];
  const b: Cell = 'value' in r ? r.value : table[r.other][i];
  if (a === null || b === null) return true;
  return typeof a === 'number' && typeof b === 'number' && compare(a, r.op, b);
}

/** Check that every column a rule names exists and is numeric; `where` names the source for messages. */
export function checkRules(rules: Rule[], numeric: (name: string) => boolean | undefined, option = 'rules'): void {
  for (const r of rules) {
    for (const c of 'other' in r ? [r.column, r.other] : [r.column]) {
      const isNum = numeric(c);
      if (isNum === undefined) throw new UsageError(`rule ${describeRule(r)} names unknown column '${c}'`, { option, column: c });
      if (!isNum) throw new UsageError(`rule ${describeRule(r)} names column '${c}', which is not numeric`, { option, column: c });
    }
  }
}
