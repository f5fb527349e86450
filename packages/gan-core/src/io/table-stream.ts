/**
 * Writing a table chunk by chunk, in bounded memory, to .csv or .parquet (by extension), atomically: nothing appears
 * at the path until `close()`, and `abort()` (or an error, or a signal under cleanupOnSignals) leaves nothing.
 *
 * CSV is the same text `writeTable` writes (header, `\n` line ends, RFC 4180 quoting, null as an empty field, the
 * empty string as `""`), appended chunk by chunk to a temporary sibling. Parquet: each chunk goes to a temporary
 * Arrow IPC part, and `close()` streams the parts, in order, into one zstd Parquet file (polars' streaming sink, so
 * the whole table is never in memory). Column types are declared up front, not guessed from a chunk's values, so every
 * chunk (and every shard written by another process) has the same Parquet schema.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import pl from 'nodejs-polars';
import type { Cell, Table } from '../data/table.js';
import { InvalidDataError, UsageError } from '../errors.js';
import { makeDirs, tempSibling, trackTemp } from './atomic.js';

export type StreamColumnType = 'int' | 'float' | 'bool' | 'string';

export interface StreamColumn {
  name: string;
  type: StreamColumnType;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const DTYPE = { int: pl.Int64, float: pl.Float64, bool: pl.Bool, string: pl.Utf8 } as const;

export class TableStreamWriter {
  private readonly tmp: string;
  private readonly untrack: () => void;
  private readonly parquet: boolean;
  private fd: number | null = null;
  private parts = 0;
  private closed = false;
  /** Rows written so far. */
  rows = 0;

  private constructor(
    readonly path: string,
    readonly columns: readonly StreamColumn[],
  ) {
    const ext = extname(path).toLowerCase();
    if (ext !== '.csv' && ext !== '.parquet')
      throw new UsageError(`cannot write ${path}: unknown file extension '${ext || '(none)'}' (use .csv or .parquet)`, { file: path });
    if (columns.length === 0) throw new UsageError(`cannot write ${path}: the table has no columns`, { file: path });
    this.parquet = ext === '.parquet';
    makeDirs(dirname(path));
    this.tmp = tempSibling(path);
    this.untrack = trackTemp(this.tmp);
    try {
      if (this.parquet) mkdirSync(this.tmp);
      else {
        this.fd = openSync(this.tmp, 'w');
        writeSync(this.fd, `${columns.map((c) => csvField(c.name)).join(',')}\n`);
      }
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Open `path` (.csv or .parquet) for writing rows with these columns. */
  static open(path: string, columns: readonly StreamColumn[]): TableStreamWriter {
    return new TableStreamWriter(path, columns);
  }

  /** Append a chunk (every declared column, same length). */
  write(table: Table): void {
    if (this.closed) throw new Error('TableStreamWriter: write after close');
    const cols = this.columns.map((c) => {
      const v = table[c.name];
      if (!v) throw new InvalidDataError(`cannot write ${this.path}: the chunk lacks column '${c.name}'`, { file: this.path, column: c.name });
      return v;
    });
    const n = cols[0].length;
    cols.forEach((v, k) => {
      if (v.length !== n)
        throw new InvalidDataError(
          `cannot write ${this.path}: column '${this.columns[k].name}' has ${v.length} rows, column '${this.columns[0].name}' has ${n}`,
          { file: this.path },
        );
      const bad = v.findIndex((x) => typeof x === 'number' && !Number.isFinite(x));
      if (bad >= 0)
        throw new InvalidDataError(`cannot write ${this.path}: column '${this.columns[k].name}' row ${this.rows + bad + 1} is ${v[bad]}`, {
          file: this.path,
          column: this.columns[k].name,
        });
    });
    if (n === 0) return;
    if (this.parquet) this.writePart(cols, n);
    else this.writeCsv(cols, n);
    this.rows += n;
  }

  private writeCsv(cols: Cell[][], n: number): void {
    const k = cols.length;
    let text = '';
    const lines: string[] = [];
    const cells = new Array<string>(k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const v = cols[c][i];
        cells[c] = v === null ? '' : v === '' ? '""' : typeof v === 'number' ? String(v) : csvField(String(v));
      }
      lines.push(cells.join(','));
      if (lines.length === 4096) {
        text += `${lines.join('\n')}\n`;
        lines.length = 0;
      }
    }
    if (lines.length) text += `${lines.join('\n')}\n`;
    writeSync(this.fd!, text);
  }

  private frame(cols: Cell[][]): pl.DataFrame {
    return pl.DataFrame(
      this.columns.map((c, k) => {
        const v = cols[k];
        if (c.type === 'string')
          return pl.Series(
            c.name,
            v.map((x) => (x === null ? null : String(x))),
            pl.Utf8,
          );
        if (c.type === 'bool')
          return pl.Series(
            c.name,
            v.map((x) => (x === null ? null : x === true || x === 'true')),
            pl.Bool,
          );
        const bad = v.findIndex((x) => x !== null && typeof x !== 'number');
        if (bad >= 0)
          throw new InvalidDataError(`cannot write ${this.path}: column '${c.name}' row ${this.rows + bad + 1} is '${String(v[bad])}', not a number`, {
            file: this.path,
            column: c.name,
          });
        return pl.Series(c.name, v, DTYPE[c.type]);
      }),
    );
  }

  private writePart(cols: Cell[][], n: number): void {
    void n;
    this.frame(cols).writeIPC(join(this.tmp, `part-${String(this.parts++).padStart(8, '0')}.arrow`));
  }

  /** Finish the file and move it into place. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.parquet) {
        if (this.parts === 0)
          this.writePart(
            this.columns.map(() => []),
            0,
          );
        const file = `${this.tmp}.parquet`;
        const untrackFile = trackTemp(file);
        pl.scanIPC(join(this.tmp, '*.arrow'))
          .sinkParquet(file, { sinkOptions: { syncOnClose: 'all', maintainOrder: true, mkdir: false } } as Parameters<pl.LazyDataFrame['sinkParquet']>[1])
          // The sink returns polars' own lazy frame: running it writes the file.
          .collectSync('streaming' as never);
        rmSync(this.tmp, { recursive: true, force: true });
        renameSync(file, this.tmp);
        untrackFile();
      } else {
        fsyncSync(this.fd!);
        closeSync(this.fd!);
        this.fd = null;
      }
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw e;
    } finally {
      this.untrack();
    }
  }

  /** Drop what was written: nothing is left at the path or its temporary sibling. */
  abort(): void {
    this.closed = true;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    rmSync(this.tmp, { recursive: true, force: true });
    rmSync(`${this.tmp}.parquet`, { force: true });
    this.untrack();
  }
}
