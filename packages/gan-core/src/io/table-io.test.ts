import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { InvalidDataError, UsageError } from '../errors.js';
import { collectGarbage, inferColumnKind, mixedTypes, readTable, writeTable } from './table-io.js';

const CREDIT = fileURLToPath(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fingan-table-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
/** A fresh file in the test directory holding `content`. */
function file(content: string | Uint8Array, ext = '.csv'): string {
  const p = join(dir, `t${fileNo++}${ext}`);
  writeFileSync(p, content);
  return p;
}

/** The InvalidDataError message readTable throws for `path`. */
function readError(path: string, opts?: Parameters<typeof readTable>[1]): string {
  try {
    readTable(path, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidDataError);
    expect((e as InvalidDataError).at.file).toBe(path);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`expected readTable(${path}) to fail`);
}

describe('readTable on the bundled credit data', () => {
  const { table, kinds, warnings } = readTable(CREDIT);

  it('infers the column kinds', () => {
    // Per data/PROVENANCE.md: 5 categorical, 9 integer columns.
    expect(kinds).toEqual({
      Status: 'categorical',
      Seniority: 'integer',
      Home: 'categorical',
      Time: 'integer',
      Age: 'integer',
      Marital: 'categorical',
      Records: 'categorical',
      Job: 'categorical',
      Expenses: 'integer',
      Income: 'integer',
      Assets: 'integer',
      Debt: 'integer',
      Amount: 'integer',
      Price: 'integer',
    });
    expect(warnings).toEqual([]);
  });

  it('reads values with their JS types and empty fields as null', () => {
    expect(table.Status).toHaveLength(4454);
    // First data row of the file: "good",9,"rent",60,30,"married","no","freelance",73,129,0,0,800,846
    expect(Object.fromEntries(Object.keys(table).map((c) => [c, table[c][0]]))).toEqual({
      Status: 'good',
      Seniority: 9,
      Home: 'rent',
      Time: 60,
      Age: 30,
      Marital: 'married',
      Records: 'no',
      Job: 'freelance',
      Expenses: 73,
      Income: 129,
      Assets: 0,
      Debt: 0,
      Amount: 800,
      Price: 846,
    });
    // PROVENANCE.md: 455 empty cells; 381 of them in Income.
    const nulls = Object.values(table).reduce((s, col) => s + col.filter((v) => v === null).length, 0);
    expect(nulls).toBe(455);
    expect(table.Income.filter((v) => v === null)).toHaveLength(381);
    expect(table.Status.filter((v) => v === 'bad')).toHaveLength(1254);
  });
});

describe('inferColumnKind / mixedTypes', () => {
  it('classifies text columns', () => {
    expect(inferColumnKind(['1', '-2', null, '+3'])).toBe('integer');
    expect(inferColumnKind(['1', '2.5', '1e3'])).toBe('continuous');
    expect(inferColumnKind(['1.0', '2'])).toBe('integer');
    expect(inferColumnKind(['True', 'false', 'FALSE'])).toBe('boolean');
    expect(inferColumnKind(['2020-01-31', '2021-02-01T10:00:00Z'])).toBe('datetime');
    expect(inferColumnKind(['2020-01-31', '2021-02-30'])).toBe('categorical');
    expect(inferColumnKind(['1', 'NA'])).toBe('categorical');
    expect(inferColumnKind(['yes', 'no'])).toBe('categorical');
    expect(inferColumnKind(['12345678901234567890'])).toBe('continuous');
    expect(inferColumnKind([null, null])).toBe('categorical');
  });

  it('flags mostly-numeric columns', () => {
    const v = [...Array.from({ length: 18 }, (_, i) => String(i)), 'NA', '?'];
    expect(mixedTypes(v)).toEqual({ numeric: 18, nonNumeric: 2, nonFinite: 0, first: { value: 'NA', row: 18 } });
    // Cells spelling non-finite numbers make a numeric column mixed at any share; a lower share can be asked for.
    expect(mixedTypes(['1', 'NaN', '2', '-inf', 'Infinity'])).toEqual({ numeric: 2, nonNumeric: 3, nonFinite: 3, first: { value: 'NaN', row: 1 } });
    expect(mixedTypes(['1', '2', 'x'], 0.5)).toMatchObject({ numeric: 2, nonNumeric: 1, nonFinite: 0 });
    expect(mixedTypes(['NaN', 'inf'])).toBeNull(); // no numbers at all
    expect(mixedTypes(['1', '2', 'x'])).toBeNull(); // 67% numeric: just categorical
    expect(mixedTypes(['1', '2'])).toBeNull();
  });
});

describe('readTable CSV details', () => {
  it("keeps 'NA' as text and warns about the mostly-numeric column", () => {
    const rows = Array.from({ length: 19 }, (_, i) => `${i},x`);
    const p = file(`n,c\n${rows.join('\n')}\nNA,y\n`);
    const { table, kinds, warnings } = readTable(p);
    expect(kinds.n).toBe('categorical');
    expect(table.n[19]).toBe('NA');
    expect(table.n[0]).toBe('0');
    expect(warnings).toEqual([
      "column 'n': 19 of 20 non-empty values are numbers but 1 is not (first: 'NA' in data row 20); read as categorical. Clean the column or declare its kind.",
    ]);
  });

  it("refuses the mostly-numeric column under mixedNumbers: 'refuse', naming file, column and the first cell", () => {
    const rows = Array.from({ length: 19 }, (_, i) => `${i},x`);
    const p = file(`n,c\n${rows.join('\n')}\nNA,y\n`);
    expect(() => readTable(p, { mixedNumbers: 'refuse' })).toThrow(
      `file ${p}, column 'n': 19 of 20 non-empty values are numbers but 1 is not (first: 'NA' in data row 20); a numeric column must hold numbers or empty cells`,
    );
    const inf = file('n\n1\n2\nInf\n');
    expect(() => readTable(inf, { mixedNumbers: 'refuse' })).toThrow(
      /column 'n': 2 of 3 non-empty values are numbers but 1 is not \(first: 'Inf' in data row 3\)/,
    );
    // A declared kind settles it: the column is what the user says.
    expect(readTable(p, { mixedNumbers: 'refuse', kinds: { n: 'categorical' } }).kinds.n).toBe('categorical');
  });

  it('handles quotes, CRLF, a BOM, quoted empties and trailing blank lines', () => {
    const p = file('\uFEFFname,n,flag,when\r\n"a, ""b""",1,TRUE,2020-01-02\r\n"multi\nline",,false,\r\n"",2.5,true,2020-03-04\r\n\r\n\n');
    const { table, kinds } = readTable(p);
    expect(kinds).toEqual({ name: 'categorical', n: 'continuous', flag: 'boolean', when: 'datetime' });
    expect(table).toEqual({
      name: ['a, "b"', 'multi\nline', null],
      n: [1, null, 2.5],
      flag: [true, false, true],
      when: ['2020-01-02', null, '2020-03-04'],
    });
  });

  it('reads fields as polars did: quotes and carriage returns inside fields, UTF-8, blank lines of a one-column file', () => {
    // Each expectation is what the polars-based reader returned for the same bytes.
    const read = (text: string) => readTable(file(text)).table;
    expect(read('a,b\nab"c,1\n')).toEqual({ a: ['ab"c'], b: [1] });
    expect(read('a,b\nx\ry,1\n')).toEqual({ a: ['x\ry'], b: [1] });
    expect(read('a,b\nx,1\r')).toEqual({ a: ['x'], b: [1] });
    expect(read('a,b\n "q",1\n')).toEqual({ a: [' "q"'], b: [1] });
    expect(read('a,b\n"x\r\ny",1\r\n')).toEqual({ a: ['x\r\ny'], b: [1] });
    expect(read('a\n1\n\n2\n')).toEqual({ a: [1, null, 2] });
    expect(read('"a","b"\n1,2\n')).toEqual({ a: [1], b: [2] });
    expect(read('a,b\nçé,"ü""x"\n')).toEqual({ a: ['çé'], b: ['ü"x'] });
    expect(read('a,b\n1,\n2,\r\n')).toEqual({ a: [1, 2], b: [null, null] });
    const after = file('a,b\n1,2\n"abc"def,1\n');
    expect(readError(after)).toBe(`file ${after}: could not parse the CSV: text after the closing quote of a field on line 3; quote the whole field`);
  });

  it('applies declared kinds', () => {
    const p = file('zip,amount\n02134,10\n10001,20\n');
    const { table, kinds } = readTable(p, { kinds: { zip: 'categorical', amount: 'continuous' } });
    expect(kinds).toEqual({ zip: 'categorical', amount: 'continuous' });
    expect(table.zip).toEqual(['02134', '10001']);
    expect(table.amount).toEqual([10, 20]);
  });
});

describe('readTable errors', () => {
  it('file missing', () => {
    const p = join(dir, 'nope.csv');
    expect(readError(p)).toBe(`file ${p}: file not found`);
  });

  it('empty file', () => {
    const p = file('');
    expect(readError(p)).toBe(`file ${p}: file is empty`);
    const q = file('', '.parquet');
    expect(readError(q)).toBe(`file ${q}: file is empty`);
  });

  it('header only', () => {
    const p = file('a,b\n');
    expect(readError(p)).toBe(`file ${p}: has a header but no data rows`);
  });

  it('non-UTF-8 bytes, with the byte offset', () => {
    // 'a,b\n1,caf' + Latin-1 e-acute (0xE9) + '\n': the bad byte is at offset 4 + 5 = 9, on line 2.
    const p = file(Uint8Array.from([...Buffer.from('a,b\n1,caf'), 0xe9, 0x0a]));
    expect(readError(p)).toBe(`file ${p}: not valid UTF-8: byte 0xE9 at byte offset 9 (line 2); save the file as UTF-8`);
  });

  it('duplicate or empty column names', () => {
    const p = file('a,b,a\n1,2,3\n');
    expect(readError(p)).toBe(`file ${p}, column 'a': duplicate column name 'a' (header columns 1 and 3)`);
    const q = file('a,,c\n1,2,3\n');
    expect(readError(q)).toBe(`file ${q}: header column 2 of 3 has an empty name`);
  });

  it('a row with the wrong number of fields', () => {
    const short = file('a,b,c\n1,2,3\n4,5\n6,7,8\n');
    expect(readError(short)).toBe(`file ${short}: line 3 has 2 fields but the header has 3`);
    const long = file('a,b\n1,2\n3,4,5\n6,7,8,9\n');
    expect(readError(long)).toBe(`file ${long}: line 3 has 3 fields but the header has 2 (2 rows with the wrong number of fields in all)`);
    const blank = file('a,b\n1,2\n\n3,4\n');
    expect(readError(blank)).toBe(`file ${blank}: line 3 is empty but the header has 2`);
    // A quoted line break does not end the row, so line numbers count physical lines.
    const quoted = file('a,b\n"x\ny",2\n3\n');
    expect(readError(quoted)).toBe(`file ${quoted}: line 4 has 1 field but the header has 2`);
  });

  it('an unterminated quote', () => {
    const p = file('a,b\n1,"open\n2,3\n');
    expect(readError(p)).toBe(`file ${p}: unterminated quoted field starting on line 2`);
  });

  it('unknown extension', () => {
    const p = file('a\n1\n', '.xlsx');
    expect(readError(p)).toBe(`file ${p}: unknown file extension '.xlsx': expected .csv or .parquet`);
  });

  it('declared numeric columns whose cells do not parse', () => {
    const p = file('id,x\n1,3\n2,NA\n3,4\n4,?\n');
    expect(readError(p, { kinds: { x: 'integer' } })).toBe(
      `file ${p}, column 'x': declared integer but 2 of 4 values are not integers (first: 'NA' in data row 2)`,
    );
    const q = file('x\n1.5\n2\n');
    expect(readError(q, { kinds: { x: 'integer' } })).toContain("declared integer but 1 of 2 values are not integers (first: '1.5' in data row 1)");
  });

  it('a declared column that is not in the file', () => {
    const p = file('a\n1\n');
    expect(readError(p, { kinds: { b: 'integer' } })).toBe(`file ${p}, column 'b': column declared as integer is not in the file (columns: a)`);
  });

  it('a file that is not Parquet', () => {
    const p = file('a,b\n1,2\n', '.parquet');
    expect(readError(p)).toMatch(new RegExp(`^file ${p}: not a readable Parquet file: `));
  });
});

describe('writeTable', () => {
  const table: Table = {
    id: [1, 2, 3, 4],
    amount: [10.5, -0.001, null, 1e-7],
    name: ['plain', 'comma, here', 'quote "q"', 'line\nbreak'],
    ok: [true, false, null, true],
    day: ['2020-01-01', null, '2021-12-31', '1999-06-30'],
    note: [null, 'x', 'y', null],
  };
  const kinds = { id: 'integer', amount: 'continuous', name: 'categorical', ok: 'boolean', day: 'datetime', note: 'categorical' };

  it('round-trips through CSV', () => {
    const p = join(dir, 'out.csv');
    writeTable(p, table);
    expect(readFileSync(p, 'utf8').split('\n').slice(0, 3)).toEqual([
      'id,amount,name,ok,day,note',
      '1,10.5,plain,true,2020-01-01,',
      '2,-0.001,"comma, here",false,,x',
    ]);
    const back = readTable(p);
    expect(back.table).toEqual(table);
    expect(back.kinds).toEqual(kinds);
  });

  it('round-trips through Parquet', () => {
    const p = join(dir, 'out.parquet');
    writeTable(p, table);
    const back = readTable(p);
    expect(back.table).toEqual(table);
    expect(back.kinds).toEqual(kinds);
  });

  it('reads Parquet date and timestamp columns as ISO strings', () => {
    const df = pl
      .DataFrame({ n: [1.5, Number.NaN] })
      .withColumns(pl.lit(new Date('2020-05-06T00:00:00Z')).cast(pl.Date).alias('d'), pl.lit(new Date('2020-05-06T07:08:09.010Z')).alias('ts'));
    const p = file(df.writeParquet(), '.parquet');
    const { table, kinds } = readTable(p);
    expect(kinds).toEqual({ n: 'continuous', d: 'datetime', ts: 'datetime' });
    expect(table).toEqual({ n: [1.5, null], d: ['2020-05-06', '2020-05-06'], ts: ['2020-05-06T07:08:09.010Z', '2020-05-06T07:08:09.010Z'] });
  });

  it('replaces an existing file and leaves no temporary files', () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const p = join(sub, 'x.csv');
    writeTable(p, { a: [1] });
    writeTable(p, { a: [2, 3] });
    expect(readFileSync(p, 'utf8')).toBe('a\n2\n3\n');
    expect(readdirSync(sub)).toEqual(['x.csv']);
  });

  it('rejects an unknown extension with a UsageError naming the path', () => {
    const p = join(dir, 'out.json');
    expect(() => writeTable(p, { a: [1] })).toThrow(UsageError);
    expect(() => writeTable(p, { a: [1] })).toThrow(`cannot write ${p}: unknown file extension '.json' (use .csv or .parquet)`);
  });

  it('rejects ragged tables and non-finite numbers', () => {
    expect(() => writeTable(join(dir, 'r.csv'), { a: [1, 2], b: [1] })).toThrow("column 'b' has 1 rows, column 'a' has 2");
    expect(() => writeTable(join(dir, 'r.csv'), { a: [1, Number.NaN] })).toThrow("column 'a' row 2 is NaN");
  });
});

describe('collectGarbage', () => {
  it('collects without leaving a global gc in later contexts (unless node itself exposes one)', () => {
    const own = typeof (globalThis as { gc?: unknown }).gc === 'function';
    collectGarbage();
    collectGarbage();
    expect(runInNewContext('typeof gc')).toBe(own ? 'function' : 'undefined');
  });
});
