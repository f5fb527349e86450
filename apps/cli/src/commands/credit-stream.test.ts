// `fingan credit sample` streams, shards and fans out: the same seed gives the same bytes with any number of worker
// threads; K shards written as Parquet parts of one folder are read by DuckDB as one table, and their rows in part
// order are the unsharded output's; bad shard flags are exit 2 naming the flag.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '@fingan/gan-core';
import { CreditSynthesizer, readLoanBook } from '@fingan/credit-risk';
import { runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-credit-stream-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LINES = readFileSync(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const train = join(dir, 'train.csv');
writeFileSync(train, LINES.slice(0, 301).join('\n') + '\n');
const model = join(dir, 'model');
const bin = fileURLToPath(new URL('../../bin/fingan.js', import.meta.url));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // Tiny networks and two steps (through the API: the CLI has no flags for network sizes): the rows, not their quality.
  const s = new CreditSynthesizer({
    target: 'Status',
    seed: 4,
    steps: 2,
    model: { generatorDims: [16, 16], criticDims: [16, 16], noiseDim: 8, calibrate: false },
  });
  await s.fit(readLoanBook(train, { target: 'Status' }).table);
  await s.save(model);
  s.dispose();
});

describe('fingan credit sample: streams and shards', () => {
  test('4 shards are one table to DuckDB, and concatenated they are the unsharded output', async () => {
    const rows = 1001;
    const whole = join(dir, 'whole.parquet');
    expect((await run(['credit', 'sample', '--model', model, '--rows', String(rows), '--seed', '9', '--out', whole])).code).toBe(0);
    const set = join(dir, 'dataset');
    for (let i = 0; i < 4; i++) {
      // Both spellings: --shard I --shards K and --shard I/K.
      const shard = i % 2 ? ['--shard', `${i}/4`] : ['--shard', String(i), '--shards', '4'];
      const r = await run(['credit', 'sample', '--model', model, '--rows', String(rows), '--seed', '9', ...shard, '--out', set]);
      expect(r.code, r.err).toBe(0);
    }
    expect(readdirSync(set).sort()).toEqual([0, 1, 2, 3].map((i) => `part-0000${i}-of-00004.parquet`));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const count = await c.runAndReadAll(`select count(*)::INTEGER as n from read_parquet('${set}/*.parquet')`);
    expect(count.getRowObjects()).toEqual([{ n: rows }]);
    const per = await c.runAndReadAll(
      `select filename[-28:] as f, count(*)::INTEGER as n from read_parquet('${set}/*.parquet', filename = true) group by all order by f`,
    );
    expect(per.getRowObjects().map((r) => r.n)).toEqual([250, 250, 250, 251]);
    const types = await c.runAndReadAll(`select column_name, column_type from (describe select * from read_parquet('${set}/*.parquet'))`);
    const got = Object.fromEntries(types.getRowObjects().map((r) => [r.column_name, r.column_type]));
    expect(got).toMatchObject({ Status: 'VARCHAR', Home: 'VARCHAR', Seniority: 'BIGINT', Age: 'BIGINT', Income: 'BIGINT' });
    expect(Object.keys(got)).toHaveLength(LINES[0].split(',').length);
    // The parts in file order hold exactly the rows of the unsharded file, in order.
    const same = await c.runAndReadAll(
      `with a as (select row_number() over () as r, * from read_parquet('${set}/*.parquet', filename = false)), ` +
        `b as (select row_number() over () as r, * from read_parquet('${whole}')) ` +
        `select count(*)::INTEGER as n from (select * from a except select * from b)`,
    );
    expect(same.getRowObjects()).toEqual([{ n: 0 }]);
    c.closeSync();
  });

  test('the same seed gives the same bytes with 0 or 2 worker threads (two blocks of rows)', async () => {
    const rows = 16384 + 100;
    const args = (w: number) => [
      'credit',
      'sample',
      '--model',
      model,
      '--rows',
      String(rows),
      '--seed',
      '2',
      '--workers',
      String(w),
      '--out',
      join(dir, `w${w}.csv`),
    ];
    expect((await run(args(0))).code).toBe(0);
    // Worker threads run from the built package: through the bin.
    const r = spawnSync(process.execPath, [bin, ...args(2), '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows, workers: 2 });
    const [a, b] = [0, 2].map((w) => readFileSync(join(dir, `w${w}.csv`), 'utf8'));
    expect(a.split('\n')).toHaveLength(rows + 2);
    expect(b === a).toBe(true);
  });

  test.each([
    [['--shard', '4', '--shards', '4'], /flag --shard: is out of range: shards are numbered 0 to 3, got 4/],
    [['--shard', '4/4'], /flag --shard: is out of range/],
    [['--shard', '0', '--shards', '0'], /flag --shards: must be a positive integer \(got '0'\)/],
    [['--shard', '0/0'], /flag --shards: must be at least 1, got 0/],
    [['--shard', '1.5', '--shards', '4'], /flag --shard: expects a shard index I \(an integer >= 0\) or I\/K, got '1\.5'/],
    [['--shard', '-1', '--shards', '4'], /flag --shard: expects a shard index/],
    [['--shards', '4'], /flag --shard: says how many shards there are; give --shard I too/],
    [['--shard', '1'], /flag --shards: give the number of shards/],
    [['--shards', 'x', '--shard', '1'], /flag --shards: expects a number, got 'x'/],
    [['--workers', '-1'], /flag --workers: must be an integer >= 0/],
  ])('%j is exit 2 naming the flag, nothing written', async (flags, msg) => {
    const out = join(dir, 'bad');
    const r = await run(['credit', 'sample', '--model', model, '--rows', '10', '--out', out, ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test('a shard refuses to replace its part unless --force', async () => {
    const set = join(dir, 'again');
    const args = ['credit', 'sample', '--model', model, '--rows', '20', '--shard', '0/2', '--out', set];
    expect((await run(args)).code).toBe(0);
    const before = readFileSync(join(set, 'part-00000-of-00002.parquet'));
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/part-00000-of-00002\.parquet/);
    expect(readFileSync(join(set, 'part-00000-of-00002.parquet')).equals(before)).toBe(true);
    expect((await run([...args, '--force'])).code).toBe(0);
  });
});
