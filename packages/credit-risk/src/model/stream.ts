/**
 * Streaming and sharded sampling of loan books: rows come as chunks of at most BLOCK_ROWS (gan-core
 * synth/blocks.ts), made in this thread or by worker threads, and can be written chunk by chunk to .csv or .parquet
 * in bounded memory. Whatever the chunking, the number of workers or the sharding, a seed gives the same rows: the
 * rows of shard i of k are rows [floor(i*n/k), floor((i+1)*n/k)) of the unsharded output.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  BLOCK_ROWS,
  FinganError,
  ModelFormatError,
  TableStreamWriter,
  UsageError,
  blockParts,
  shardRange,
  tf,
  type BlockPart,
  type StreamColumn,
  type StreamColumnType,
  type Table,
} from '@fingan/gan-core';
import type { CreditSampleOptions, CreditSynthesizer, SampleReport } from './credit-synthesizer.js';
import { isNumericKind, type LoanBookSchema } from '../schema/schema.js';

export interface CreditStreamOptions extends CreditSampleOptions {
  /** Rows of the whole data set (all shards together). */
  rows: number;
  /** This shard (0-based) of `shards` (default: the only one). */
  shard?: number;
  shards?: number;
  /**
   * Worker threads making the blocks (default 0: this thread). They need `modelDir` (and `privacyGuardFile` when the
   * exact-copy guard is on), each loads the model, and the output does not depend on how many there are.
   */
  workers?: number;
  modelDir?: string;
  privacyGuardFile?: string;
}

export interface SampleChunk {
  table: Table;
  /** Index of the chunk's first row in the whole (unsharded) output. */
  firstRow: number;
  rows: number;
}

/** Worker threads worth starting for this many rows on this machine: all cores up to 2, none for a small sample. */
export function defaultSampleWorkers(rows: number): number {
  return rows >= 4 * BLOCK_ROWS ? Math.min(2, availableParallelism()) : 0;
}

/** Parquet/CSV column types of a loan book, from its schema (so every chunk and every shard has the same types). */
export function loanBookColumns(schema: LoanBookSchema, categories: Record<string, readonly unknown[]> = {}): StreamColumn[] {
  return schema.columns.map((c) => {
    let type: StreamColumnType = 'string';
    if (c.kind === 'integer') type = 'int';
    else if (isNumericKind(c.kind)) type = 'float';
    else if (c.kind === 'boolean') type = 'bool';
    else if (c.kind === 'categorical') {
      const cats = (categories[c.name] ?? []).filter((v) => v !== null);
      if (cats.length && cats.every((v) => typeof v === 'number')) type = cats.every((v) => Number.isSafeInteger(v)) ? 'int' : 'float';
    }
    return { name: c.name, type };
  });
}

function checkStreamOptions(o: CreditStreamOptions): { start: number; end: number } {
  if (!Number.isInteger(o.rows) || o.rows < 1) throw new UsageError(`the number of rows must be a positive integer, got ${o.rows}`, { option: 'rows' });
  return shardRange(o.rows, o.shard ?? 0, o.shards ?? 1);
}

/**
 * The rows of this shard, chunk by chunk, in order; returns the sampling report (rows, candidates generated and
 * dropped) when done.
 */
export async function* sampleStream(s: CreditSynthesizer, opts: CreditStreamOptions): AsyncGenerator<SampleChunk, SampleReport, undefined> {
  const { start, end } = checkStreamOptions(opts);
  const parts = blockParts(start, end);
  const workers = Math.min(opts.workers ?? 0, parts.length);
  if (workers < 1) {
    const sampler = s.blockSampler(opts);
    for (const p of parts) yield { table: sampler.part(p), firstRow: p.firstRow, rows: p.take };
    return sampler.report;
  }
  return yield* workerStream(s, opts, parts, workers);
}

interface WorkerReply {
  id: number;
  table?: Table;
  tally?: SampleReport;
  error?: { name: string; message: string; at: FinganError['at'] };
}

const WORKER = fileURLToPath(new URL('./sample-worker.js', import.meta.url));

async function* workerStream(
  s: CreditSynthesizer,
  opts: CreditStreamOptions,
  parts: BlockPart[],
  count: number,
): AsyncGenerator<SampleChunk, SampleReport, undefined> {
  if (!opts.modelDir) throw new UsageError('sampling with worker threads needs the model directory (modelDir)');
  if (!existsSync(WORKER)) throw new UsageError(`sampling with worker threads needs the built package (${WORKER} is missing: run npm run build)`);
  const guardOn = opts.privacyGuard !== false && s.hasPrivacyGuard;
  if (guardOn && !opts.privacyGuardFile) throw new UsageError('sampling with worker threads and the exact-copy guard needs the guard file (privacyGuardFile)');
  const options: CreditSampleOptions = { conditions: opts.conditions, seed: opts.seed, privacyGuard: opts.privacyGuard, maxTriesPerRow: opts.maxTriesPerRow };
  const workerData = { modelDir: opts.modelDir, privacyGuard: guardOn ? opts.privacyGuardFile : undefined, backend: tf.getBackend(), options };
  const pool = Array.from({ length: count }, () => new Worker(WORKER, { workerData }));
  const report: SampleReport = { rows: 0, generated: 0, ruleViolationsDropped: 0, exactCopiesDropped: 0, exactCopyGuard: guardOn ? 'on' : 'off' };
  const waiting = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }>();
  const failed: unknown[] = [];
  for (const w of pool) {
    w.on('message', (r: WorkerReply) => {
      const h = waiting.get(r.id);
      waiting.delete(r.id);
      h?.resolve(r);
    });
    w.on('error', (e) => {
      failed.push(e);
      for (const h of waiting.values()) h.reject(e);
      waiting.clear();
    });
  }
  // Up to two parts in flight per worker, given out round-robin; results are taken in order.
  const inFlight: Promise<WorkerReply>[] = [];
  let next = 0;
  const send = () => {
    const id = next++;
    const p = parts[id];
    inFlight.push(
      new Promise<WorkerReply>((resolve, reject) => {
        if (failed.length) return reject(failed[0]);
        waiting.set(id, { resolve, reject });
        pool[id % count].postMessage({ id, block: p.block, skip: p.skip, take: p.take });
      }),
    );
  };
  try {
    while (next < parts.length && next < 2 * count) send();
    for (let i = 0; i < parts.length; i++) {
      const r = await inFlight.shift()!;
      if (next < parts.length) send();
      if (r.error) {
        const Ctor = r.error.name === 'ModelFormatError' ? ModelFormatError : r.error.name === 'UsageError' ? UsageError : null;
        throw Ctor ? new Ctor(r.error.message, r.error.at) : new Error(r.error.message);
      }
      const t = r.tally!;
      report.rows += t.rows;
      report.generated += t.generated;
      report.ruleViolationsDropped += t.ruleViolationsDropped;
      report.exactCopiesDropped += t.exactCopiesDropped;
      yield { table: r.table!, firstRow: parts[i].firstRow, rows: parts[i].take };
    }
    return report;
  } finally {
    inFlight.forEach((p) => p.catch(() => undefined));
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/**
 * Sample this shard's rows to `path` (.csv or .parquet) chunk by chunk, atomically (nothing at `path` unless the
 * whole shard was written). `onChunk` sees the rows written so far.
 */
export async function writeSampleStream(
  s: CreditSynthesizer,
  path: string,
  opts: CreditStreamOptions & { onChunk?: (rowsWritten: number) => void },
): Promise<SampleReport> {
  checkStreamOptions(opts);
  const writer = TableStreamWriter.open(path, loanBookColumns(s.schema, s.categories()));
  try {
    const it = sampleStream(s, opts);
    for (;;) {
      const r = await it.next();
      if (r.done) {
        writer.close();
        return r.value;
      }
      writer.write(r.value.table);
      opts.onChunk?.(writer.rows);
    }
  } catch (e) {
    writer.abort();
    throw e;
  }
}
