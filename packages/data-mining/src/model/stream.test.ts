import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, batchSeed, writeTable, type Table } from '@fingan/gan-core';
import { BasketEncoder } from '../encoder/basket-encoder.js';
import type { BasketGan } from './basket-gan.js';
import { BASKET_BLOCK, streamTransactions, writeTransactions } from './stream.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-mining-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cols = { transactionColumn: 'tid', itemColumn: 'item' };
const encoder = BasketEncoder.fit({ tid: [1, 1, 2, 3, 3, 3], item: ['milk', 'bread', 'milk', 'eggs', 'bread', 'milk'] }, cols);
/** A stand-in generator: each basket is 1-3 items drawn from the seed it is given (the real one is tested elsewhere). */
const seeds: number[] = [];
const gan = {
  encoder,
  sample: (n: number, opts: { seed?: number }) => {
    seeds.push(opts.seed ?? 0);
    const rng = new Rng(opts.seed ?? 0);
    return {
      baskets: Array.from({ length: n }, () => Int32Array.from(new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.int(3)))).sort()),
      conditions: new Float32Array(0),
    };
  },
} as unknown as BasketGan;

describe('streamed synthetic transactions', () => {
  it('come in blocks, each from its own seed, with transaction ids running on', () => {
    seeds.length = 0;
    const chunks = [...streamTransactions(gan, BASKET_BLOCK + 3, 9)];
    expect(seeds).toEqual([batchSeed(9, 0, 0), batchSeed(9, 1, 0)]);
    expect(chunks).toHaveLength(2);
    expect(new Set(chunks[0].tid).size).toBe(BASKET_BLOCK);
    expect([...new Set(chunks[1].tid)]).toEqual([BASKET_BLOCK + 1, BASKET_BLOCK + 2, BASKET_BLOCK + 3]);
    expect(chunks[1].item.every((v) => ['milk', 'bread', 'eggs'].includes(v as string))).toBe(true);
  });

  it('are written to CSV as writeTable writes them, and to Parquet with fixed types', () => {
    const n = BASKET_BLOCK + 10;
    const parts = [...streamTransactions(gan, n, 3)];
    const whole: Table = { tid: parts.flatMap((p) => p.tid), item: parts.flatMap((p) => p.item) };
    writeTable(join(dir, 'whole.csv'), whole);
    expect(writeTransactions(gan, join(dir, 'streamed.csv'), n, 3)).toEqual({ rows: whole.tid.length });
    expect(readFileSync(join(dir, 'streamed.csv'), 'utf8')).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
    writeTransactions(gan, join(dir, 'streamed.parquet'), n, 3);
    const df = pl.readParquet(join(dir, 'streamed.parquet'));
    expect(df.dtypes.map((d) => d.variant)).toEqual(['Int64', 'String']);
    expect(df.getColumn('item').toArray()).toEqual(whole.item);
  });
});
