import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_ROWS, UsageError, initBackend, takeRows, writeTable, type Table } from '@fingan/gan-core';
import { CreditSynthesizer, type CreditModelArgs } from './credit-synthesizer.js';
import { readLoanBook } from '../schema/read.js';
import { sampleStream, writeSampleStream, type CreditStreamOptions } from './stream.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-credit-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = fileURLToPath(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url));

/** Small networks, few steps: these tests check which rows come out, not their quality. */
const SMALL: CreditModelArgs = { generatorDims: [32, 32], criticDims: [32, 32], noiseDim: 16, batchSize: 100, pac: 5, nCritic: 1, calibrate: false };
let model: CreditSynthesizer;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const book = readLoanBook(data, { target: 'Status' });
  model = new CreditSynthesizer({ target: 'Status', seed: 3, steps: 20, model: SMALL });
  await model.fit(
    takeRows(
      book.table,
      Array.from({ length: 600 }, (_, i) => i),
    ),
  );
});

async function collect(opts: CreditStreamOptions): Promise<{ table: Table; rows: number[] }> {
  const parts: Table[] = [];
  const rows: number[] = [];
  const it = sampleStream(model, opts);
  for (let r = await it.next(); !r.done; r = await it.next()) {
    parts.push(r.value.table);
    rows.push(r.value.firstRow);
  }
  const names = model.schema.columns.map((c) => c.name);
  return { table: Object.fromEntries(names.map((c) => [c, parts.flatMap((p) => p[c])])), rows };
}

describe('streaming and sharded sampling', () => {
  // Two blocks: the second shard starts inside the first block and runs into the second.
  const n = BLOCK_ROWS + 150;

  it("gives sample()'s rows as shards that concatenate to them, block by block", async () => {
    const whole = model.sampleWithReport(n, { seed: 11, privacyGuard: false });
    const shards = [];
    for (let i = 0; i < 2; i++) shards.push(await collect({ rows: n, seed: 11, privacyGuard: false, shard: i, shards: 2 }));
    expect(shards.map((s) => s.rows)).toEqual([[0], [n >> 1, BLOCK_ROWS]]);
    for (const c of Object.keys(whole.table)) expect(shards.flatMap((s) => s.table[c])).toEqual(whole.table[c]);
    // The first rows of a seed are the same whatever the number of rows asked for.
    const few = model.sample(25, { seed: 11, privacyGuard: false });
    for (const c of Object.keys(few)) expect(few[c]).toEqual(whole.table[c].slice(0, 25));
    expect(model.sample(25, { seed: 12, privacyGuard: false })).not.toEqual(few);
  });

  it("writes CSV identical to writeTable of the same rows, and Parquet with the schema's types", async () => {
    const rows = 300;
    const table = model.sample(rows, { seed: 5 });
    writeTable(join(tmp, 'whole.csv'), table);
    const report = await writeSampleStream(model, join(tmp, 'streamed.csv'), { rows, seed: 5 });
    expect(report).toMatchObject({ rows, exactCopyGuard: 'on' });
    expect(report.generated).toBeGreaterThanOrEqual(rows + report.ruleViolationsDropped + report.exactCopiesDropped);
    expect(readFileSync(join(tmp, 'streamed.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'whole.csv'), 'utf8'));
    await writeSampleStream(model, join(tmp, 'streamed.parquet'), { rows, seed: 5 });
    const df = pl.readParquet(join(tmp, 'streamed.parquet'));
    expect(df.height).toBe(rows);
    const kinds = Object.fromEntries(model.schema.columns.map((c) => [c.name, c.kind]));
    df.dtypes.forEach((d, k) => {
      const kind = kinds[df.columns[k]];
      expect([df.columns[k], d.variant]).toEqual([df.columns[k], kind === 'integer' ? 'Int64' : kind === 'continuous' ? 'Float64' : 'String']);
    });
    expect(df.getColumn('Status').toArray()).toEqual(table.Status);
  });

  it('refuses a bad shard or row count, naming the flag', async () => {
    await expect(collect({ rows: 10, shard: 2, shards: 2 })).rejects.toThrow(expect.objectContaining({ at: { option: 'shard' } }));
    await expect(collect({ rows: 10, shard: 0, shards: 0 })).rejects.toThrow(expect.objectContaining({ at: { option: 'shards' } }));
    await expect(collect({ rows: 0 })).rejects.toThrow(UsageError);
  });
});
