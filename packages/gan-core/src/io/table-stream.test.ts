import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { writeTable } from './table-io.js';
import { TableStreamWriter, type StreamColumn } from './table-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns: StreamColumn[] = [
  { name: 'id', type: 'int' },
  { name: 'amount', type: 'float' },
  { name: 'ok', type: 'bool' },
  { name: 'note, "quoted"', type: 'string' },
];
const table: Table = {
  id: [1, 2, 3, null, 5, 6, 7],
  amount: [1.5, 2, null, -0.25, 1e-7, 3, 4],
  ok: [true, false, null, true, true, false, true],
  'note, "quoted"': ['a', 'b,c', 'say "hi"', '', null, 'line\nbreak', 'z'],
};
const slice = (t: Table, a: number, b: number): Table => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.slice(a, b)]));

function writeInChunks(path: string, size: number): void {
  const w = TableStreamWriter.open(path, columns);
  for (let a = 0; a < 7; a += size) w.write(slice(table, a, a + size));
  w.close();
}

describe('TableStreamWriter', () => {
  it('writes the same CSV bytes as writeTable, in chunks of any size', () => {
    writeTable(join(dir, 'whole.csv'), table);
    for (const size of [1, 3, 7]) {
      writeInChunks(join(dir, `c${size}.csv`), size);
      expect(readFileSync(join(dir, `c${size}.csv`), 'utf8')).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
    }
  });

  it('writes one Parquet file with the declared types, rows in order', () => {
    writeInChunks(join(dir, 'c2.parquet'), 2);
    const df = pl.readParquet(join(dir, 'c2.parquet'));
    expect(df.height).toBe(7);
    expect(df.dtypes.map((d) => d.variant)).toEqual(['Int64', 'Float64', 'Bool', 'String']);
    expect(
      df
        .getColumn('id')
        .toArray()
        .map((v) => (v === null ? null : Number(v))),
    ).toEqual(table.id);
    expect(df.getColumn('amount').toArray()).toEqual(table.amount);
    expect(df.getColumn('ok').toArray()).toEqual(table.ok);
    expect(df.getColumn('note, "quoted"').toArray()).toEqual(table['note, "quoted"']);
    // No part files or temporary siblings are left behind.
    expect(readdirSync(dir).filter((f) => !/^(whole|c\d)\.(csv|parquet)$/.test(f))).toEqual([]);
  });

  it('writes an empty Parquet file with the types when no row came', () => {
    TableStreamWriter.open(join(dir, 'empty.parquet'), columns).close();
    const df = pl.readParquet(join(dir, 'empty.parquet'));
    expect(df.height).toBe(0);
    expect(df.columns).toEqual(columns.map((c) => c.name));
    rmSync(join(dir, 'empty.parquet'));
  });

  it('leaves nothing behind when aborted or given a bad chunk', () => {
    const w = TableStreamWriter.open(join(dir, 'bad.parquet'), columns);
    w.write(slice(table, 0, 2));
    expect(() => w.write({ ...slice(table, 2, 4), amount: [1, Number.NaN] })).toThrow(/column 'amount' row 4 is NaN/);
    w.abort();
    const c = TableStreamWriter.open(join(dir, 'bad.csv'), columns);
    c.write(slice(table, 0, 2));
    c.abort();
    expect(existsSync(join(dir, 'bad.parquet')) || existsSync(join(dir, 'bad.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('bad'))).toEqual([]);
  });
});
