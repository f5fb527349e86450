/**
 * Issue 12, "never lose a user's data", through the CLI: every case is refused before any work with exit 2 and one
 * line naming the flag (or file and column), the user's files stay byte-identical, and nothing partial is left.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli as run } from './test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function place(): string {
  const d = join(dir, `case${n++}`);
  mkdirSync(d);
  return d;
}

function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

const BASKETS = 'tid,item\n1,milk\n1,bread\n2,milk\n2,eggs\n3,milk\n3,bread\n4,bread\n4,eggs\n';
const FRAUD = `x,y,label\n${Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 13},${i % 8 === 0 ? 'bad' : 'good'}`).join('\n')}\n`;
const rulesArgs = (data: string, out: string) => [
  'mining',
  'rules',
  '--data',
  data,
  '--transaction-column',
  'tid',
  '--item-column',
  'item',
  '--min-support',
  '0.3',
  '--min-confidence',
  '0.5',
  '--out',
  out,
];

/** One line on stderr, exit 2. */
function refused(r: { code: number; err: string }, line: string | RegExp) {
  expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  if (typeof line === 'string') expect(r.err).toBe(`fingan: error: ${line}\n`);
  else expect(r.err).toMatch(line);
  expect(r.code).toBe(2);
}

describe('outputs never clobber', () => {
  test('credit sample refuses to replace an existing file (the training CSV) unless --force; the file is byte-identical', async () => {
    const d = place();
    const train = write(join(d, 'train.csv'), 'Status,Income\ngood,1\n');
    const r = await run(['credit', 'sample', '--model', join(d, 'model'), '--rows', '10', '--out', train]);
    refused(r, `flag --out: '${train}' already exists; pass --force to replace it`);
    expect(readFileSync(train, 'utf8')).toBe('Status,Income\ngood,1\n');
    expect(readdirSync(d)).toEqual(['train.csv']); // no lock, no temp
    // With --force the check passes and the command goes on (here to the missing model).
    const f = await run(['credit', 'sample', '--model', join(d, 'model'), '--rows', '10', '--out', train, '--force']);
    refused(f, /model directory .*model does not exist/);
    expect(readFileSync(train, 'utf8')).toBe('Status,Income\ngood,1\n');
  });

  test('fraud augment refuses to write its own input, even with --force', async () => {
    const d = place();
    const data = write(join(d, 'f.csv'), FRAUD);
    for (const force of [[], ['--force']]) {
      const r = await run([
        'fraud',
        'augment',
        '--data',
        data,
        '--label',
        'label',
        '--positive',
        'bad',
        '--method',
        'random',
        '--ratio',
        '0.5',
        '--out',
        data,
        ...force,
      ]);
      refused(r, `flag --out: '${data}' is the same file as --data ${data}; write the output somewhere else`);
    }
    expect(readFileSync(data, 'utf8')).toBe(FRAUD);
    expect(readdirSync(d)).toEqual(['f.csv']);
  });

  test('fraud augment writes a new file, then refuses to replace it without --force, and replaces it with --force', async () => {
    const d = place();
    const data = write(join(d, 'f.csv'), FRAUD);
    const out = join(d, 'aug.csv');
    const args = ['fraud', 'augment', '--data', data, '--label', 'label', '--positive', 'bad', '--method', 'random', '--ratio', '0.5', '--out', out];
    expect((await run(args)).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    refused(await run(args), `flag --out: '${out}' already exists; pass --force to replace it`);
    expect((await run([...args, '--force', '--seed', '9'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe(first);
    expect(readdirSync(d).sort()).toEqual(['aug.csv', 'f.csv']);
  });

  test.each([
    [
      'a path under an existing file',
      (d: string) => join(write(join(d, 'existing-file.csv'), 'x\n'), 'x.csv'),
      /^fingan: error: flag --out: cannot write '.*existing-file\.csv\/x\.csv': '.*existing-file\.csv' is a file, not a directory\n$/,
    ],
    ['/proc', () => '/proc/x.csv', /^fingan: error: flag --out: cannot write '\/proc\/x\.csv': .*\n$/],
    ['a directory under /proc', () => '/proc/fingan/x.csv', /^fingan: error: flag --out: cannot write '\/proc\/fingan\/x\.csv': .*\n$/],
    ['a directory', (d: string) => (mkdirSync(join(d, 'dir.csv')), join(d, 'dir.csv')), /^fingan: error: flag --out: '.*' is a directory; give a file name\n$/],
  ])('--out at %s is exit 2 naming --out', async (what, out, msg) => {
    if (what.includes('/proc') && !existsSync('/proc/self')) return; // no /proc on this system
    const d = place();
    const data = write(join(d, 'b.csv'), BASKETS);
    refused(await run(rulesArgs(data, out(d))), msg);
  });

  test('a fit into an existing model directory is refused without --force; a directory that is not a model never is replaced', async () => {
    const d = place();
    const model = join(d, 'model');
    mkdirSync(model);
    write(join(model, 'manifest.json'), '{"kept":true}');
    const data = write(join(d, 'b.csv'), BASKETS);
    const fit = (out: string, ...more: string[]) =>
      run(['mining', 'fit', '--data', data, '--transaction-column', 'tid', '--item-column', 'item', '--out', out, '--epochs', '1', ...more]);
    refused(await fit(model), `flag --out: model directory '${model}' already exists; pass --force to replace it`);
    expect(readFileSync(join(model, 'manifest.json'), 'utf8')).toBe('{"kept":true}');
    refused(await fit(d, '--force'), `flag --out: '${d}' contains --data ${data}; write the output to a directory of its own`);
    const notes = join(d, 'notes');
    mkdirSync(notes);
    write(join(notes, 'todo.txt'), 'keep me');
    refused(
      await fit(notes, '--force'),
      `flag --out: '${notes}' is a directory that is not a fingan model; it is never replaced, even with --force (choose a new directory)`,
    );
    expect(readFileSync(join(notes, 'todo.txt'), 'utf8')).toBe('keep me');
    expect(readFileSync(data, 'utf8')).toBe(BASKETS);
  });

  test('evaluate refuses to replace metrics.json/report.html without --force', async () => {
    const d = place();
    const data = write(join(d, 'b.csv'), BASKETS);
    const out = join(d, 'eval');
    mkdirSync(out);
    write(join(out, 'report.html'), 'old report');
    const r = await run([
      'mining',
      'evaluate',
      '--real',
      data,
      '--synthetic',
      data,
      '--transaction-column',
      'tid',
      '--item-column',
      'item',
      '--min-support',
      '0.3',
      '--out',
      out,
    ]);
    refused(r, `flag --out: '${out}' already holds report.html; pass --force to replace them`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('old report');
  });
});

describe('locks', () => {
  test('a second writer is refused naming the lock; the lock is gone after the run', async () => {
    const d = place();
    const data = write(join(d, 'b.csv'), BASKETS);
    const out = join(d, 'rules.csv');
    // A live writer: this process (a lock file as claimOutput writes it).
    write(`${out}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    refused(
      await run(rulesArgs(data, out)),
      `flag --out: '${out}' is being written by process ${process.pid} (lock file ${out}.lock); wait for it to finish, or delete the lock if that process is gone`,
    );
    expect(existsSync(out)).toBe(false);
    rmSync(`${out}.lock`);
    expect((await run(rulesArgs(data, out))).code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['b.csv', 'rules.csv']);
  });

  test('a stale lock and temporary files of a killed run are cleaned up', async () => {
    const d = place();
    const data = write(join(d, 'b.csv'), BASKETS);
    const out = join(d, 'rules.csv');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    write(`${out}.lock`, JSON.stringify({ pid: dead, host: hostname(), started: 'then' }));
    write(join(d, `.rules.csv.${dead}.1700000000000.tmp`), 'half a file from a killed run');
    expect((await run(rulesArgs(data, out))).code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['b.csv', 'rules.csv']);
  });
});

describe('sizes are checked before any work', () => {
  test.each([
    // Sampling streams in bounded memory: what a huge --rows would exhaust is the disk.
    [
      ['credit', 'sample', '--model', 'no-model', '--rows', '1e12'],
      /^fingan: error: flag --rows: 1000000000000 rows would write about [\d.]+ [TP]B; .* has [\d.]+ [KMGT]?B free; lower --rows or write to --out on a larger disk\n$/,
    ],
    [
      ['market', 'simulate', '--model', 'no-model', '--paths', '1e12', '--horizon', '252'],
      /^fingan: error: flag --paths: 1000000000000 paths x 252 steps x 1 asset would write about [\d.]+ [TP]B; .* has [\d.]+ [KMGT]?B free; lower --paths or write to --out on a larger disk\n$/,
    ],
    [
      ['market', 'simulate', '--model', 'no-model', '--paths', '10', '--horizon', '1e12'],
      /^fingan: error: flag --horizon: one chunk of 10 paths x 1000000000000 steps x 1 asset needs about [\d.]+ [TP]B of memory; .*lower --horizon\n$/,
    ],
    [
      ['mining', 'sample', '--model', 'no-model', '--transactions', '1e12'],
      /^fingan: error: flag --transactions: 1000000000000 transactions would write about [\d.]+ [TP]B; .* has [\d.]+ [KMGT]?B free; lower --transactions or write to --out on a larger disk\n$/,
    ],
  ])('%j is refused at once', async (argv, msg) => {
    const d = place();
    const ext = argv[0] === 'market' ? 'csv' : 'csv';
    refused(await run([...argv, '--out', join(d, `out.${ext}`)]), msg);
    expect(readdirSync(d)).toEqual([]);
  });

  test('credit fit refuses an input too large to fit in memory before reading it (limit from FINGAN_MEMORY_LIMIT_MB)', async () => {
    const d = place();
    const data = write(join(d, 'big.csv'), `Status,Income\n${'good,1\n'.repeat(20_000)}`); // 140 KB
    const before = process.env.FINGAN_MEMORY_LIMIT_MB;
    process.env.FINGAN_MEMORY_LIMIT_MB = '1';
    try {
      const r = await run(['credit', 'fit', '--data', data, '--target', 'Status', '--out', join(d, 'model')]);
      refused(
        r,
        `flag --data: fitting ${data} (137 KB; about 20 times that in memory) needs about 2.67 MB of memory; the limit is 1 MB (FINGAN_MEMORY_LIMIT_MB); fit on a sample of the rows given as --data`,
      );
    } finally {
      if (before === undefined) delete process.env.FINGAN_MEMORY_LIMIT_MB;
      else process.env.FINGAN_MEMORY_LIMIT_MB = before;
    }
    expect(readdirSync(d)).toEqual(['big.csv']);
  });

  test('mining fit refuses more distinct items than --max-items', async () => {
    const d = place();
    const data = write(join(d, 'b.csv'), BASKETS);
    const out = join(d, 'model');
    const r = await run(['mining', 'fit', '--data', data, '--transaction-column', 'tid', '--item-column', 'item', '--out', out, '--max-items', '2']);
    refused(r, `flag --max-items: file ${data}, column 'item': distinct items: 3 is above the limit of 2; raise --max-items if this machine can take it`);
    expect(readdirSync(d)).toEqual(['b.csv']);
  });
});

describe('one input policy', () => {
  const CREDIT = readFileSync(new URL('../../../data/credit_scoring_modeldata.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 61);
  function credit(d: string, cell: string, row = 7): string {
    const lines = [...CREDIT];
    const f = lines[row].split(',');
    f[9] = cell; // Income
    lines[row] = f.join(',');
    return write(join(d, `credit-${cell.replace(/\W/g, '_')}.csv`), lines.join('\n') + '\n');
  }

  test.each([
    ['NaN', /holds non-finite numbers: 1 of \d+ values are NaN or infinite \(first: 'NaN' in data row 7\)/],
    ['Inf', /holds non-finite numbers: 1 of \d+ values are NaN or infinite \(first: 'Inf' in data row 7\)/],
    ['-inf', /holds non-finite numbers: 1 of \d+ values are NaN or infinite \(first: '-inf' in data row 7\)/],
    ['abc', /mixes numbers and text: \d+ values are numbers but 1 are not \(first: 'abc' in data row 7\)/],
  ])('credit fit refuses a numeric column with a %s cell, naming file and column', async (cell, msg) => {
    const d = place();
    const data = credit(d, cell);
    const out = join(d, 'model');
    const r = await run(['credit', 'fit', '--data', data, '--target', 'Status', '--out', out]);
    expect(r.err).toMatch(new RegExp(`^fingan: error: file ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, column 'Income': ${msg.source}`));
    expect(r.code).toBe(2);
    expect(readdirSync(d)).toEqual([data.split('/').pop()]);
  });

  const SP = readFileSync(new URL('../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  function prices(d: string, name: string, edit: (rows: string[][]) => string[][]): string {
    const rows = SP.slice(1, 121).map((l) => l.split(',').slice(0, 5));
    return write(join(d, name), ['date,open,high,low,close', ...edit(rows).map((r) => r.join(','))].join('\n') + '\n');
  }
  const fit = (data: string, out: string, ...more: string[]) =>
    run(['market', 'fit', '--data', data, '--date-column', 'date', '--columns', 'open,close', '--out', out, ...more]);

  test('market fit refuses an empty price cell, naming file, column, row and date', async () => {
    const d = place();
    const data = prices(d, 'empty.csv', (r) => ((r[40][4] = ''), r));
    refused(
      await fit(data, join(d, 'model')),
      `file ${data}, column 'close': row 41 (${SP[41].split(',')[0]}) has no price; fill or drop those rows, or pass --allow-missing to drop the returns that touch them`,
    );
    expect(readdirSync(d)).toEqual(['empty.csv']);
  });

  test('market fit refuses a calendar gap of years, naming the dates', async () => {
    const d = place();
    // Rows 1-60 of 2000, then rows of 2005 onwards: a five-year hole between two consecutive rows.
    const later = SP.slice(1300, 1360).map((l) => l.split(',').slice(0, 5));
    const data = prices(d, 'gap.csv', (r) => [...r.slice(0, 60), ...later]);
    const from = SP[60].split(',')[0];
    const to = SP[1300].split(',')[0];
    refused(
      await fit(data, join(d, 'model')),
      new RegExp(
        `^fingan: error: file .*gap\\.csv, column 'date': a gap of \\d+ days between ${from} \\(row 60\\) and ${to} \\(row 61\\), the typical spacing is 1 day; it would be modelled as one step\\. Split the file at the gap, or pass --max-gap \\d+ to accept it\\n$`,
      ),
    );
    expect(readdirSync(d)).toEqual(['gap.csv']);
  });

  test('market fit reads fractional years and day indices as time, and names a gap in their own unit', async () => {
    const d = place();
    // The same prices on a fractional-year axis (1/252 apart), with a hole of 40 typical spacings after row 60.
    const years = prices(d, 'years.csv', (r) => r.slice(0, 120).map((row, i) => [(1991 + (i + (i >= 60 ? 40 : 0)) / 252).toFixed(6), ...row.slice(1, 5)]));
    refused(
      await fit(years, join(d, 'model')),
      new RegExp(
        `^fingan: error: file .*years\\.csv, column 'date': a gap of 0\\.16\\d+ between 1991\\.23\\d+ \\(row 60\\) and 1991\\.39\\d+ \\(row 61\\), the typical spacing is 0\\.0039\\d+; it would be modelled as one step\\. Split the file at the gap, or pass --max-gap 0\\.16\\d+ to accept it\\n$`,
      ),
    );
    const index = prices(d, 'index.csv', (r) => r.slice(0, 120).map((row, i) => [String(i + (i >= 60 ? 99 : 0)), ...row.slice(1, 5)]));
    refused(
      await fit(index, join(d, 'model')),
      /a gap of 100 between 59 \(row 60\) and 159 \(row 61\), the typical spacing is 1; .* pass --max-gap 100 to accept it\n$/,
    );
    expect(readdirSync(d).sort()).toEqual(['index.csv', 'years.csv']);
  });

  test.each([
    ['credit fit', (f: string, o: string) => ['credit', 'fit', '--data', f, '--target', 'Status', '--out', o]],
    [
      'fraud augment',
      (f: string, o: string) => ['fraud', 'augment', '--data', f, '--label', 'l', '--positive', 'p', '--method', 'smote', '--ratio', '1', '--out', `${o}.csv`],
    ],
    ['market fit', (f: string, o: string) => ['market', 'fit', '--data', f, '--date-column', 'date', '--columns', 'close', '--out', o]],
    ['mining fit', (f: string, o: string) => ['mining', 'fit', '--data', f, '--transaction-column', 'tid', '--item-column', 'item', '--out', o]],
    ['mining rules', (f: string, o: string) => [...rulesArgs(f, `${o}.csv`)]],
  ])('%s words a missing input file the same way', async (_cmd, argv) => {
    const d = place();
    const missing = join(d, 'nope.csv');
    refused(await run(argv(missing, join(d, 'out'))), `file ${missing}: file not found`);
    expect(readdirSync(d)).toEqual([]);
  });
});
