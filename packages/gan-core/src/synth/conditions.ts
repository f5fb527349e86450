import type { Cell } from '../data/table.js';
import { UsageError } from '../errors.js';

export type ConditionOp = '==' | '>=' | '>' | '<=' | '<';

/** A sampling condition: equality on any column (categorical ones steer the generator), ranges on numeric ones. */
export interface Condition {
  column: string;
  op: ConditionOp;
  value: Cell;
}

const OPS: ConditionOp[] = ['>=', '<=', '==', '>', '<'];

/**
 * Parse `COL=VALUE`, `COL==VALUE`, `COL>=N`, `COL>N`, `COL<=N`, `COL<N` (the CLI's --condition syntax).
 * Values stay strings here; the synthesizer converts them to the column's type.
 */
export function parseCondition(text: string, option = 'conditions'): Condition {
  for (const op of OPS) {
    const i = text.indexOf(op);
    if (i > 0) {
      const column = text.slice(0, i).trim();
      const value = text.slice(i + op.length).trim();
      if (!column || value === '') break;
      return { column, op, value };
    }
  }
  const eq = text.indexOf('=');
  if (eq > 0 && text.slice(eq + 1).trim() !== '') return { column: text.slice(0, eq).trim(), op: '==', value: text.slice(eq + 1).trim() };
  throw new UsageError(`'${text}' is not a condition; use COL=VALUE or COL>=NUMBER (also >, <=, <)`, { option });
}

export function describeCondition(c: Condition): string {
  return `${c.column}${c.op === '==' ? '=' : c.op}${String(c.value)}`;
}

export function matches(value: Cell, c: Condition): boolean {
  if (c.op === '==') return value === c.value;
  if (typeof value !== 'number' || typeof c.value !== 'number') return false;
  switch (c.op) {
    case '>=':
      return value >= c.value;
    case '>':
      return value > c.value;
    case '<=':
      return value <= c.value;
    case '<':
      return value < c.value;
  }
}
