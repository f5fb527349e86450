/**
 * Deterministic block sampling: what a seed's output is, defined so that any way of cutting the work (chunks of any
 * size, any number of worker threads, independent shards on other machines) gives the same rows in the same order.
 *
 * The output for a seed is a sequence of blocks of BLOCK_ROWS accepted rows each. Block b is made from candidate
 * batches j = 0, 1, 2, ... of BATCH_CANDIDATES rows, batch j drawn from its own Rng(batchSeed(seed, b, j)); the
 * block's rows are the first BLOCK_ROWS candidates that the caller accepts (rules, conditions, privacy guard), in
 * order. So block b depends only on the model, the seed and b; and the first m rows of a block are the same whether
 * or not the rest of it is made (a shard that starts inside a block makes only that block's prefix it needs and
 * drops it; a sample of 10 rows makes one batch). Row r of the output is row r mod BLOCK_ROWS of block
 * floor(r / BLOCK_ROWS); a shard is a range of rows (shardRange), so the shards of a seed, concatenated in order,
 * are exactly the unsharded output for that seed.
 *
 * Changing either constant changes every seed's output: they are part of the sampling's definition.
 */
import type { Cell, Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import { Rng } from '../random/rng.js';

/** Accepted rows per block. */
export const BLOCK_ROWS = 16384;
/** Candidate rows per generator call (each with its own Rng). */
export const BATCH_CANDIDATES = 1024;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of candidate batch `batch` of block `block` for the user's seed (a 32-bit mix of the three). */
export function batchSeed(seed: number, block: number, batch: number): number {
  let h = fmix32((Math.floor(seed) ^ 0x3c6ef372) >>> 0);
  h = fmix32((h ^ Math.imul(block + 1, 0x9e3779b1)) >>> 0);
  h = fmix32((h ^ Math.imul(batch + 1, 0x85ebca77)) >>> 0);
  return h;
}

/** The rows [start, end) of shard `shard` (0-based) of `shards` over `rows` rows: contiguous, in order, sizes differing by at most one. */
export function shardRange(rows: number, shard: number, shards: number): { start: number; end: number } {
  if (!Number.isInteger(shards) || shards < 1) throw new UsageError(`the number of shards must be an integer >= 1, got ${shards}`, { option: 'shards' });
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards)
    throw new UsageError(`the shard must be an integer from 0 to ${shards - 1}, got ${shard}`, { option: 'shard' });
  return { start: Math.floor((shard * rows) / shards), end: Math.floor(((shard + 1) * rows) / shards) };
}

/** One block's part of a row range: make the block's first `skip + take` rows, keep the last `take`. */
export interface BlockPart {
  block: number;
  skip: number;
  take: number;
  /** Index of the part's first row in the whole output. */
  firstRow: number;
}

/** The blocks that rows [start, end) come from, in order. */
export function blockParts(start: number, end: number): BlockPart[] {
  const parts: BlockPart[] = [];
  for (let b = Math.floor(start / BLOCK_ROWS); start < end && b * BLOCK_ROWS < end; b++) {
    const from = Math.max(start, b * BLOCK_ROWS);
    const to = Math.min(end, (b + 1) * BLOCK_ROWS);
    parts.push({ block: b, skip: from - b * BLOCK_ROWS, take: to - from, firstRow: from });
  }
  return parts;
}

export interface BlockSource {
  /** Column names of the rows, in output order. */
  columns: readonly string[];
  /** n candidate rows drawn from rng alone. */
  candidates(n: number, rng: Rng): Table;
  /** Is candidate i of this batch kept? Called in order, only until the block is full (so counts are exact). */
  accept(batch: Table, i: number): boolean;
}

export interface BlockResult {
  table: Table;
  /** Candidates examined. */
  generated: number;
}

/**
 * Rows `skip .. skip + take` of block `block` for `seed`. Gives up (returns fewer rows) after `maxCandidates`
 * candidates; the caller says why.
 */
export function sampleBlock(
  source: BlockSource,
  seed: number,
  part: Pick<BlockPart, 'block' | 'skip' | 'take'>,
  maxCandidates: number,
): BlockResult & { accepted: number; complete: boolean } {
  const need = part.skip + part.take;
  const out: Cell[][] = source.columns.map(() => []);
  let got = 0;
  let generated = 0;
  for (let j = 0; got < need && generated < maxCandidates; j++) {
    const batch = source.candidates(BATCH_CANDIDATES, new Rng(batchSeed(seed, part.block, j)));
    const cols = source.columns.map((c) => batch[c]);
    for (let i = 0; i < BATCH_CANDIDATES && got < need; i++) {
      generated++;
      if (!source.accept(batch, i)) continue;
      if (got >= part.skip) for (let k = 0; k < cols.length; k++) out[k].push(cols[k][i]);
      got++;
    }
  }
  const table: Table = Object.fromEntries(source.columns.map((c, k) => [c, out[k]]));
  return { table, generated, accepted: got, complete: got >= need };
}
