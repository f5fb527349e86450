import { z } from 'zod';
import { COLUMN_KINDS, InvalidDataError, UsageError, coarseBounds, mixedTypes, rowCount, type Cell, type ColumnKind, type Table } from '@fingan/gan-core';
import { checkRules, describeRule, ruleHolds, ruleSchema, type Rule } from './rules.js';

const cellValue = z.union([z.string(), z.number(), z.boolean()]);

export const loanColumnSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]]),
    /**
     * Numeric columns: synthetic values are clipped into [min, max] (inferred: the range seen in the data, widened
     * outwards to two significant digits, so that the model directory does not store the extreme rows' values).
     */
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
export type LoanColumn = z.infer<typeof loanColumnSchema>;

/**
 * What a loan book is: its columns and their kinds, the default/bad flag, per-column bounds and business rules.
 * Inferred from a table by `inferLoanBookSchema` and overridable field by field; stored in the model directory so
 * that sampling enforces the same rules the model was fitted under.
 */
export const loanBookSchema = z
  .object({
    target: z.string().min(1),
    /** The target value that marks a bad loan (the positive class of every utility metric). */
    positive: cellValue,
    columns: z.array(loanColumnSchema).min(2),
    rules: z.array(ruleSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = new Set<string>();
    s.columns.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['columns', i, 'name'], message: `duplicate column '${c.name}'` });
      names.add(c.name);
      if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
        ctx.addIssue({ code: 'custom', path: ['columns', i, 'max'], message: `max ${c.max} is below min ${c.min}` });
      }
    });
    const target = s.columns.find((c) => c.name === s.target);
    if (!target) ctx.addIssue({ code: 'custom', path: ['target'], message: `target '${s.target}' is not a column` });
    else if (target.kind !== 'categorical' && target.kind !== 'boolean') {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `target '${s.target}' must be categorical or boolean, not ${target.kind}` });
    }
  });
export type LoanBookSchema = z.infer<typeof loanBookSchema>;

export interface InferSchemaOptions {
  /** The default/bad flag column. */
  target: string;
  /** The bad value; default: 'bad', 'yes', 'default', 1 or true when present, else the rarer class. */
  positive?: Cell;
  /** Column kinds (e.g. readTable's), overriding what the cells suggest. */
  kinds?: Record<string, ColumnKind>;
  /** Extra business rules, checked against the columns. */
  rules?: Rule[];
  /** Add the rules recognised from column names (see `defaultRules`); default true. */
  defaultRules?: boolean;
  /** Bounds to use instead of the observed range, by column. */
  bounds?: Record<string, { min?: number; max?: number }>;
  /** The file the table came from, named in errors. */
  file?: string;
  /** Fewest rows accepted (default 20). */
  minRows?: number;
  /**
   * Differentially private fit: take nothing from the values beyond the columns' kinds and the target's two classes
   * (checks still refuse unusable tables): numeric bounds only where declared (`bounds`; the synthesizer fills the
   * rest from its noisy histograms), no rules recognised from column names (they are kept only when every row obeys
   * them, which reads the rows), and the bad class by name or as given (the synthesizer picks the rarer class from
   * noisy counts otherwise).
   */
  privateValues?: boolean;
}

const NUMERIC: ColumnKind[] = ['continuous', 'integer'];
export const isNumericKind = (k: ColumnKind): boolean => NUMERIC.includes(k);

/** Kinds from the JS types of the cells: all numbers -> integer or continuous, all booleans -> boolean, else categorical. */
export function kindsOf(table: Table): Record<string, ColumnKind> {
  const out: Record<string, ColumnKind> = {};
  for (const [name, col] of Object.entries(table)) {
    // Plain loops, no filtered copies: a copy of every column of a million-row book is hundreds of MiB of garbage.
    let present = 0;
    let numbers = 0;
    let integers = 0;
    let booleans = 0;
    for (const v of col) {
      if (v === null) continue;
      present++;
      if (typeof v === 'number') {
        numbers++;
        if (Number.isInteger(v)) integers++;
      } else if (typeof v === 'boolean') booleans++;
    }
    if (present > 0 && numbers === present) out[name] = integers === present ? 'integer' : 'continuous';
    else if (present > 0 && booleans === present) out[name] = 'boolean';
    else out[name] = 'categorical';
  }
  return out;
}

const POSITIVE_NAMES = ['bad', 'yes', 'default', 'defaulted', 'deny', 'denied', 'charged off', '1', 'true'];

/** The bad class: by name ('bad', 'yes', 'default', 1, true ...), else the rarer of the two classes. */
export function pickPositive(classes: Cell[], counts: number[]): Cell {
  for (const name of POSITIVE_NAMES) {
    const hit = classes.find((c) => String(c).toLowerCase() === name);
    if (hit !== undefined) return hit;
  }
  return counts[0] <= counts[1] ? classes[0] : classes[1];
}

function fail(file: string | undefined, message: string, column?: string): InvalidDataError {
  return new InvalidDataError(file ? `file ${file}${column ? `, column '${column}'` : ''}: ${message}` : message, { file, column });
}

/**
 * Checks a loan book is usable and infers its schema. Refused (InvalidDataError naming the file and column): too few
 * rows, a missing target, a target with missing values or not exactly two classes, a column with every value
 * missing, a constant column, a column mixing numbers and text.
 */
export function inferLoanBookSchema(table: Table, opts: InferSchemaOptions): LoanBookSchema {
  const { file, target } = opts;
  const names = Object.keys(table);
  const n = rowCount(table);
  if (n < (opts.minRows ?? 20)) throw fail(file, `has ${n} data rows; a loan book needs at least ${opts.minRows ?? 20}`);
  if (!(target in table)) {
    throw new UsageError(`target column '${target}' is not in ${file ?? 'the table'} (columns: ${names.join(', ')})`, { option: 'target', column: target });
  }
  for (const k of Object.keys(opts.kinds ?? {})) {
    if (!(k in table)) throw new UsageError(`a kind is given for column '${k}', which is not in ${file ?? 'the table'}`, { column: k });
  }
  const inferred = kindsOf(table);
  const kinds: Record<string, ColumnKind> = { ...inferred, ...opts.kinds };
  for (const [name, b] of Object.entries(opts.bounds ?? {})) {
    if (!(name in table))
      throw new UsageError(`bounds are given for column '${name}', which is not in ${file ?? 'the table'}`, { option: 'bounds', column: name });
    if (!isNumericKind(kinds[name]))
      throw new UsageError(`bounds are given for column '${name}', which is ${kinds[name]}, not numeric`, { option: 'bounds', column: name });
    if (b.min !== undefined && b.max !== undefined && !(b.min < b.max)) {
      throw new UsageError(`column '${name}': the lower bound ${b.min} must be below the upper bound ${b.max}`, { option: 'bounds', column: name });
    }
  }

  const t = table[target];
  let missingTarget = 0;
  for (const v of t) if (v === null) missingTarget++;
  if (missingTarget > 0) throw fail(file, `the target has ${missingTarget} missing values; drop those rows or choose another target`, target);
  const counts = new Map<string, { v: Cell; n: number }>();
  for (const v of t) {
    const key = `${typeof v}:${String(v)}`;
    const e = counts.get(key);
    if (e) e.n++;
    else counts.set(key, { v, n: 1 });
  }
  if (counts.size !== 2) {
    const shown = [...counts.values()]
      .slice(0, 5)
      .map((e) => `'${String(e.v)}'`)
      .join(', ');
    throw fail(file, `the target needs exactly two classes (good/bad), found ${counts.size}: ${shown}${counts.size > 5 ? ', ...' : ''}`, target);
  }
  if (kinds[target] !== 'boolean') kinds[target] = 'categorical';
  const classes = [...counts.values()];
  let positive: Cell;
  if (opts.positive !== undefined && opts.positive !== null) {
    const hit = classes.find((c) => c.v === opts.positive || String(c.v) === String(opts.positive));
    if (!hit)
      throw new UsageError(`the target has no class '${String(opts.positive)}' (classes: ${classes.map((c) => String(c.v)).join(', ')})`, {
        option: 'positive',
        column: target,
      });
    positive = hit.v;
  } else
    positive = pickPositive(
      classes.map((c) => c.v),
      classes.map((c) => c.n),
    );
  for (const c of classes) {
    if (c.n < 2) throw fail(file, `the target class '${String(c.v)}' has only ${c.n} row; each class needs at least 2`, target);
  }

  const columns: LoanColumn[] = names.map((name) => {
    const col = table[name];
    let present = 0;
    let first: Cell = null;
    let constant = true;
    let strings = true;
    let numbers = true;
    let min = Infinity;
    let max = -Infinity;
    for (const v of col) {
      if (v === null) continue;
      if (present++ === 0) first = v;
      else if (constant && !(typeof v === typeof first && (v === first || String(v) === String(first)))) constant = false;
      if (typeof v !== 'string') strings = false;
      if (typeof v === 'number' && Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      } else numbers = false;
    }
    if (present === 0) throw fail(file, 'every value is missing; drop the column', name);
    if (present === n && constant) {
      throw fail(file, `every row has the same value (${String(first)}); a constant column carries nothing to learn, drop it`, name);
    }
    const kind = kinds[name];
    if (kind === 'categorical' && strings) {
      // Mostly numbers (half or more) with stray text, or numbers with 'NaN'/'Inf' cells: refused, never a category.
      const mixed = mixedTypes(col as (string | null)[], 0.5);
      if (mixed && mixed.nonFinite === mixed.nonNumeric) {
        throw fail(
          file,
          `holds non-finite numbers: ${mixed.nonFinite} of ${mixed.numeric + mixed.nonNumeric} values are NaN or infinite (first: '${mixed.first.value}' in data row ${mixed.first.row + 1}); leave missing values empty or drop those rows`,
          name,
        );
      }
      if (mixed) {
        throw fail(
          file,
          `mixes numbers and text: ${mixed.numeric} values are numbers but ${mixed.nonNumeric} are not (first: '${mixed.first.value}' in data row ${mixed.first.row + 1}); clean the column or declare it categorical`,
          name,
        );
      }
    }
    if (isNumericKind(kind)) {
      if (!numbers) throw fail(file, `is declared ${kind} but holds non-numbers`, name);
      const b = opts.bounds?.[name];
      if (opts.privateValues) return { name, kind, ...(b?.min !== undefined ? { min: b.min } : {}), ...(b?.max !== undefined ? { max: b.max } : {}) };
      const [lo, hi] = coarseBounds(min, max);
      return { name, kind, min: b?.min ?? lo, max: b?.max ?? hi };
    }
    return { name, kind };
  });
  const numeric = (c: string) => (kinds[c] === undefined ? undefined : isNumericKind(kinds[c]));
  const rules = opts.defaultRules === false || opts.privateValues ? [] : defaultRules(table, kinds);
  if (opts.rules) {
    checkRules(opts.rules, numeric);
    for (const r of opts.rules) if (!rules.some((d) => describeRule(d) === describeRule(r))) rules.push(r);
  }
  return loanBookSchema.parse({ target, positive, columns, rules });
}

const AMOUNT = /^(amount|loan_?amount|loan_?amnt|amnt|principal|credit_?amount)$/i;
const PRICE = /^(price|purchase_?price|property_?value|house_?price|goods_?price)$/i;
const AGE = /^(age|applicant_?age)$/i;

/**
 * Rules recognised from column names, kept only when every row of the data satisfies them (a rule the real book
 * breaks is not a rule of this book): a loan amount is positive, an applicant is 18 to 100 years old, and the
 * amount borrowed does not exceed the price of what it buys. Relations are not mined from the data: in a loan book
 * many pairs happen to be ordered (age <= amount) without that meaning anything.
 */
export function defaultRules(table: Table, kinds: Record<string, ColumnKind>): Rule[] {
  const numericCols = Object.keys(table).filter((c) => isNumericKind(kinds[c]));
  const find = (re: RegExp) => numericCols.find((c) => re.test(c));
  const candidates: Rule[] = [];
  const amount = find(AMOUNT);
  const price = find(PRICE);
  const age = find(AGE);
  if (amount) candidates.push({ column: amount, op: '>', value: 0 });
  if (price) candidates.push({ column: price, op: '>', value: 0 });
  if (age) candidates.push({ column: age, op: '>=', value: 18 }, { column: age, op: '<=', value: 100 });
  if (amount && price) candidates.push({ column: amount, op: '<=', other: price });
  const n = rowCount(table);
  return candidates.filter((r) => {
    for (let i = 0; i < n; i++) if (!ruleHolds(r, table, i)) return false;
    return true;
  });
}

/**
 * Make a table conform to the schema's bounds (numeric cells clipped into [min, max], integers rounded) and flag
 * the rows that break a rule. Bounds are enforced by clipping because the generator's tails overshoot a little and
 * clipping moves such values by a small amount; rules are enforced by the caller dropping flagged rows (rejection),
 * because no single-column fix repairs a relation between columns without distorting one of them.
 */
export function applyBounds(table: Table, schema: LoanBookSchema): Table {
  const out: Table = { ...table };
  for (const c of schema.columns) {
    if (!isNumericKind(c.kind)) continue;
    const lo = c.min ?? -Infinity;
    const hi = c.max ?? Infinity;
    out[c.name] = table[c.name].map((v) => {
      if (typeof v !== 'number') return v;
      const x = Math.min(hi, Math.max(lo, v));
      return c.kind === 'integer' ? Math.min(Math.floor(hi), Math.max(Math.ceil(lo), Math.round(x))) + 0 : x;
    });
  }
  return out;
}

/** Per row: does it satisfy every rule? */
export function ruleMask(table: Table, rules: Rule[]): Uint8Array {
  const n = rowCount(table);
  const ok = new Uint8Array(n).fill(1);
  for (const r of rules) for (let i = 0; i < n; i++) if (ok[i] && !ruleHolds(r, table, i)) ok[i] = 0;
  return ok;
}

/** Check that a table has the schema's columns (e.g. a test or synthetic file for evaluation). */
export function checkColumns(table: Table, schema: LoanBookSchema, file?: string): void {
  const have = new Set(Object.keys(table));
  const missing = schema.columns.filter((c) => !have.has(c.name)).map((c) => c.name);
  if (missing.length) throw fail(file, `lacks column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} of the loan book`, missing[0]);
  for (const c of schema.columns) {
    const bad = table[c.name].findIndex((v) => v !== null && (isNumericKind(c.kind) ? typeof v !== 'number' : false));
    if (bad >= 0) throw fail(file, `row ${bad + 1} holds '${String(table[c.name][bad])}' but the column is ${c.kind}`, c.name);
  }
}

/** Kinds by column name. */
export function schemaKinds(schema: LoanBookSchema): Record<string, ColumnKind> {
  return Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]));
}
