import { z } from 'zod';
import type { Cell, Table } from '../data/table.js';
import { rowCount } from '../data/table.js';
import { InvalidDataError, ModelFormatError, UsageError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { BOOLEAN_CATEGORIES, BooleanEncoder } from './boolean.js';
import { CategoricalEncoder, categoryKey } from './categorical.js';
import { describeCell } from './cells.js';
import { ContinuousEncoder } from './continuous.js';
import { DatetimeEncoder } from './datetime.js';
import { IntegerEncoder } from './integer.js';
import { MissingEncoder, withMissing } from './missing.js';
import { encoderFromState, encoderStateSchema, stateKind, type EncoderState } from './state.js';
import { COLUMN_KINDS, type ColumnEncoder, type ColumnKind, type ContinuousMethod, type OutputSpan } from './types.js';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** For continuous, integer and datetime columns; default 'gmm'. */
  method?: ContinuousMethod;
  /** GMM mode cap; default 10. */
  maxModes?: number;
  /** 'gmm' / 'minmax': store the range widened to two significant digits, not the exact extremes (see ContinuousOptions). */
  coarseRange?: boolean;
}

export interface ColumnLayout {
  name: string;
  kind: ColumnKind;
  /** First column of this column's block in the encoded row. */
  offset: number;
  width: number;
  /** This column's spans with global offsets, in order. */
  spans: OutputSpan[];
  /** categorical and boolean: the value of each one-hot slot. */
  categories?: Cell[];
  /** The one-hot a conditional GAN can condition on (categorical and boolean columns only). */
  conditionSpan?: OutputSpan;
  /** The [present, missing] indicator span, when the column had missing values at fit (non-categorical columns). */
  missingSpan?: OutputSpan;
}

export interface TableEncoderOptions {
  /** Seeds each column's GMM fit (and the fit sample's rows); default 0. */
  seed?: number;
  /**
   * The fit sample (default: every row): a table of more rows fits its numeric, integer and datetime encoders on a
   * seeded uniform sample of this many rows (see fitSampleRows), so a large table costs the same to fit as one of
   * this size. Categorical and boolean columns always see every row (a category the sample missed would be unknown
   * at transform); a column with missing cells keeps its missing indicator even if the sample has none.
   */
  maxFitRows?: number;
}

/**
 * The rows a fit sample keeps: all of them when n <= max, else `max` row indices drawn uniformly without
 * replacement by a reservoir (Algorithm R) with `rng`, in ascending order. Same seed, same rows.
 */
export function fitSampleRows(n: number, max: number, rng: Rng): Int32Array | null {
  if (!(max >= 1) || n <= max) return null;
  const keep = new Int32Array(max);
  for (let i = 0; i < max; i++) keep[i] = i;
  for (let i = max; i < n; i++) {
    const j = rng.int(i + 1);
    if (j < max) keep[j] = i;
  }
  return keep.sort();
}

export const TABLE_ENCODER_FORMAT = 'fingan.table-encoder';
export const TABLE_ENCODER_VERSION = 1;

const tableEncoderStateSchema = z
  .object({
    format: z.literal(TABLE_ENCODER_FORMAT),
    version: z.literal(TABLE_ENCODER_VERSION),
    columns: z
      .array(
        z.object({
          name: z.string().min(1),
          kind: z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]]),
          encoder: encoderStateSchema,
        }),
      )
      .min(1),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.columns.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['columns', i, 'name'], message: `duplicate column '${c.name}'` });
      seen.add(c.name);
      if (stateKind(c.encoder) !== c.kind) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'encoder', 'type'],
          message: `column '${c.name}' is ${c.kind} but its encoder is ${stateKind(c.encoder)}`,
        });
      }
    });
  });

export type TableEncoderState = z.infer<typeof tableEncoderStateSchema>;

interface Column {
  name: string;
  kind: ColumnKind;
  encoder: ColumnEncoder;
}

/**
 * The whole table <-> one float matrix (n x width, row-major): each column's encoder block side by side, in spec
 * order. Missing values: numeric, datetime and boolean columns are wrapped in withMissing (an indicator span is added
 * only if the fitted column had nulls); categorical columns keep null as a category of their own.
 */
export class TableEncoder {
  readonly width: number;
  readonly spans: OutputSpan[];
  readonly layout: ColumnLayout[];
  private readonly byName: Map<string, number>;

  private constructor(private readonly columns: Column[]) {
    let offset = 0;
    this.layout = columns.map((c) => {
      const spans = c.encoder.spans.map((s) => {
        const g = { ...s, offset };
        offset += s.width;
        return g;
      });
      const l: ColumnLayout = { name: c.name, kind: c.kind, offset: spans[0].offset, width: c.encoder.width, spans };
      if (c.kind === 'categorical' || c.kind === 'boolean') {
        l.categories = c.kind === 'boolean' ? [...BOOLEAN_CATEGORIES] : (c.encoder as CategoricalEncoder).categories;
        l.conditionSpan = spans[0];
      }
      if (c.encoder instanceof MissingEncoder && c.encoder.indicator) l.missingSpan = spans[spans.length - 1];
      return l;
    });
    this.width = offset;
    this.spans = this.layout.flatMap((l) => l.spans);
    this.byName = new Map(columns.map((c, i) => [c.name, i]));
  }

  static fit(table: Table, specs: ColumnSpec[], opts: TableEncoderOptions = {}): TableEncoder {
    if (specs.length === 0) throw new UsageError('TableEncoder.fit needs at least one column spec');
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.name)) throw new UsageError(`column '${s.name}' appears twice in the column specs`, { column: s.name });
      seen.add(s.name);
      if (!COLUMN_KINDS.includes(s.kind)) {
        throw new UsageError(`column '${s.name}': unknown kind '${String(s.kind)}' (expected ${COLUMN_KINDS.join(', ')})`, {
          column: s.name,
        });
      }
    }
    const n = TableEncoder.checkTable(
      table,
      specs.map((s) => s.name),
    );
    if (n === 0) throw new InvalidDataError('cannot fit an encoder on a table with no rows');
    const seeds = new Rng(opts.seed ?? 0);
    const sample = opts.maxFitRows === undefined ? null : fitSampleRows(n, opts.maxFitRows, new Rng((opts.seed ?? 0) + 0x5a3e));
    const fitValues = (s: ColumnSpec): Cell[] => {
      const all = table[s.name];
      if (!sample || s.kind === 'categorical' || s.kind === 'boolean') return all;
      const values: Cell[] = Array.from(sample, (r) => all[r]);
      if (!values.includes(null) && all.includes(null)) values.push(null);
      return values;
    };
    const columns = specs.map((s) => {
      const encoder = makeEncoder(s, seeds.uint32());
      encoder.fit(fitValues(s));
      return { name: s.name, kind: s.kind, encoder };
    });
    return new TableEncoder(columns);
  }

  /** Rebuild from toJSON() output (or its JSON text); anything malformed is a ModelFormatError naming the field. */
  static fromJSON(state: unknown): TableEncoder {
    let raw = state;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch (e) {
        throw new ModelFormatError(`table encoder state is not valid JSON: ${(e as Error).message}`);
      }
    }
    const parsed = tableEncoderStateSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`);
      const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
      throw new ModelFormatError(`invalid table encoder state at ${issues.join('; ')}${more}`);
    }
    return new TableEncoder(parsed.data.columns.map((c) => ({ name: c.name, kind: c.kind, encoder: encoderFromState(c.encoder as EncoderState, c.name) })));
  }

  /** Encode every spec'd column of `table` (other columns are ignored). `rng` drives GMM mode sampling. */
  transform(table: Table, rng?: Rng): Float32Array {
    const n = TableEncoder.checkTable(
      table,
      this.columns.map((c) => c.name),
    );
    const out = new Float32Array(n * this.width);
    const W = this.width;
    this.columns.forEach((c, j) => {
      const { offset, width } = this.layout[j];
      const block = c.encoder.transform(table[c.name], rng);
      for (let i = 0; i < n; i++) out.set(block.subarray(i * width, (i + 1) * width), i * W + offset);
    });
    return out;
  }

  /** Decode an n x width matrix (e.g. generator output) into a table with the columns in spec order. */
  inverse(matrix: Float32Array, n: number): Table {
    const W = this.width;
    if (!Number.isInteger(n) || n < 0 || matrix.length !== n * W) {
      throw new UsageError(`inverse: matrix has ${matrix.length} values, expected n x width = ${n} x ${W} = ${n * W}`);
    }
    const out: Table = {};
    this.columns.forEach((c, j) => {
      const { offset, width } = this.layout[j];
      const block = new Float32Array(n * width);
      for (let i = 0; i < n; i++) block.set(matrix.subarray(i * W + offset, i * W + offset + width), i * width);
      out[c.name] = c.encoder.inverse(block, n);
    });
    return out;
  }

  /** Layouts of the columns a conditional GAN can condition on (categorical and boolean). */
  discreteColumns(): ColumnLayout[] {
    return this.layout.filter((l) => l.conditionSpan !== undefined);
  }

  /** Slot of `value` in the condition one-hot of `column`. */
  categoryIndex(column: string, value: Cell): number {
    const j = this.byName.get(column);
    if (j === undefined) throw new UsageError(`unknown column '${column}'`, { column });
    const cats = this.layout[j].categories;
    if (!cats) throw new UsageError(`column '${column}' is ${this.layout[j].kind}, not categorical or boolean`, { column });
    const k = cats.findIndex((c) => categoryKey(c) === categoryKey(value));
    if (k < 0) {
      const shown = cats.slice(0, 10).map(describeCell).join(', ') + (cats.length > 10 ? ', ...' : '');
      throw new InvalidDataError(`unknown category ${describeCell(value)} for column '${column}' (categories: ${shown})`, { column });
    }
    return k;
  }

  toJSON(): TableEncoderState {
    return {
      format: TABLE_ENCODER_FORMAT,
      version: TABLE_ENCODER_VERSION,
      columns: this.columns.map((c) => ({ name: c.name, kind: c.kind, encoder: c.encoder.toJSON() as EncoderState })),
    };
  }

  /** Row count, after checking the named columns exist and have equal lengths. */
  private static checkTable(table: Table, names: string[]): number {
    let n = -1;
    for (const name of names) {
      const col = table[name];
      if (!Array.isArray(col)) {
        const have = Object.keys(table);
        throw new InvalidDataError(
          `column '${name}' is missing from the table (it has ${have.length} columns${have.length ? `: ${have.slice(0, 12).join(', ')}${have.length > 12 ? ', ...' : ''}` : ''})`,
          { column: name },
        );
      }
      if (n >= 0 && col.length !== n) {
        throw new InvalidDataError(`column '${name}' has ${col.length} rows, other columns have ${n}`, { column: name });
      }
      n = col.length;
    }
    return n < 0 ? rowCount(table) : n;
  }
}

/** Specs for every column of readTable's `kinds`, with one method for all numeric columns. */
export function specsFromKinds(kinds: Record<string, ColumnKind>, defaults: Omit<ColumnSpec, 'name' | 'kind'> = {}): ColumnSpec[] {
  return Object.entries(kinds).map(([name, kind]) => ({ name, kind, ...defaults }));
}

function makeEncoder(s: ColumnSpec, seed: number): ColumnEncoder {
  const num = { method: s.method, maxModes: s.maxModes, coarseRange: s.coarseRange, seed, name: s.name };
  switch (s.kind) {
    case 'continuous':
      return withMissing(new ContinuousEncoder(num), { name: s.name });
    case 'integer':
      return withMissing(new IntegerEncoder(num), { name: s.name });
    case 'datetime':
      return withMissing(new DatetimeEncoder(num), { name: s.name });
    case 'boolean':
      return withMissing(new BooleanEncoder({ name: s.name }), { name: s.name });
    case 'categorical':
      return new CategoricalEncoder({ name: s.name });
  }
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}
