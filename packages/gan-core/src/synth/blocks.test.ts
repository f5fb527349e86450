import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { BATCH_CANDIDATES, BLOCK_ROWS, batchSeed, blockParts, sampleBlock, shardRange, type BlockSource } from './blocks.js';

/** Candidates are (seed-dependent number, index in batch); odd numbers are rejected, so half the candidates pass. */
function source(): BlockSource & { calls: number } {
  const s = {
    calls: 0,
    columns: ['x', 'i'],
    candidates(n: number, rng: Rng): Table {
      s.calls++;
      return { x: Array.from({ length: n }, () => rng.uint32() % 1000), i: Array.from({ length: n }, (_, i) => i) };
    },
    accept: (t: Table, i: number) => (t.x[i] as number) % 2 === 0,
  };
  return s;
}

describe('deterministic blocks', () => {
  it('splits rows into contiguous shards and shards into block parts', () => {
    expect([0, 1, 2].map((i) => shardRange(10, i, 3))).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
    expect(shardRange(3, 0, 4)).toEqual({ start: 0, end: 0 });
    expect(blockParts(BLOCK_ROWS - 5, BLOCK_ROWS + 7)).toEqual([
      { block: 0, skip: BLOCK_ROWS - 5, take: 5, firstRow: BLOCK_ROWS - 5 },
      { block: 1, skip: 0, take: 7, firstRow: BLOCK_ROWS },
    ]);
    expect(blockParts(4, 4)).toEqual([]);
  });

  it('names the flag of a bad shard', () => {
    expect(() => shardRange(10, 3, 3)).toThrow(UsageError);
    expect(() => shardRange(10, 3, 3)).toThrow(/0 to 2/);
    expect(() => shardRange(10, -1, 3)).toThrow(expect.objectContaining({ at: { option: 'shard' } }));
    expect(() => shardRange(10, 0, 0)).toThrow(expect.objectContaining({ at: { option: 'shards' } }));
    expect(() => shardRange(10, 0.5, 2)).toThrow(expect.objectContaining({ at: { option: 'shard' } }));
  });

  it('gives every (seed, block, batch) its own seed', () => {
    const seeds = new Set<number>();
    for (const seed of [0, 1, -1, 2 ** 31]) for (let b = 0; b < 8; b++) for (let j = 0; j < 8; j++) seeds.add(batchSeed(seed, b, j));
    expect(seeds.size).toBe(4 * 64);
  });

  it('makes a block prefix that does not depend on how much of the block is made, or where it starts', () => {
    const whole = sampleBlock(source(), 7, { block: 3, skip: 0, take: 1500 }, 1e9);
    expect(whole.complete).toBe(true);
    expect(whole.table.x).toHaveLength(1500);
    expect(whole.table.x.every((v) => (v as number) % 2 === 0)).toBe(true);
    // 1500 accepted of about half the candidates: at least two batches were examined, and counted.
    expect(whole.generated).toBeGreaterThan(BATCH_CANDIDATES);
    const head = sampleBlock(source(), 7, { block: 3, skip: 0, take: 10 }, 1e9);
    expect(head.table.x).toEqual(whole.table.x.slice(0, 10));
    const src = source();
    const mid = sampleBlock(src, 7, { block: 3, skip: 1000, take: 300 }, 1e9);
    expect(mid.table).toEqual({ x: whole.table.x.slice(1000, 1300), i: whole.table.i.slice(1000, 1300) });
    expect(sampleBlock(source(), 8, { block: 3, skip: 0, take: 10 }, 1e9).table.x).not.toEqual(head.table.x);
    expect(sampleBlock(source(), 7, { block: 4, skip: 0, take: 10 }, 1e9).table.x).not.toEqual(head.table.x);
  });

  it('gives up after the candidate limit', () => {
    const never = { ...source(), accept: () => false };
    const r = sampleBlock(never, 0, { block: 0, skip: 0, take: 5 }, 2 * BATCH_CANDIDATES);
    expect(r).toMatchObject({ complete: false, accepted: 0, generated: 2 * BATCH_CANDIDATES });
  });
});
