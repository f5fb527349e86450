import type { StartState } from './scenario.js';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { batchSeed, tempSibling, trackTemp, UsageError } from '@fingan/gan-core';
import type { PathModel } from './path-model.js';

export interface SimulatePathsOptions {
  model: PathModel;
  /** Price of each asset at step 0 (model.assets order). */
  startPrices: ArrayLike<number>;
  horizon: number;
  paths: number;
  seed: number;
  /**
   * Paths per yielded chunk (default 1000). The paths do not depend on it: they are simulated in blocks of
   * PATH_BLOCK paths, block b from its own seed (gan-core batchSeed(seed, b, 0)), so any chunk size, simulatePaths
   * and streamPaths give the same paths for a seed.
   */
  chunkSize?: number;
  /** Recent log returns per asset to condition on (passed to the model). */
  history?: Float64Array[];
  /** A stress scenario to start from (calm, normal, stressed or a volatility; see scenario.ts). */
  start?: StartState;
}

/** Prices [paths, horizon, nAssets] (asset fastest) at steps 1..horizon; step 0 is the start price. */
export interface PricePaths {
  data: Float32Array;
  shape: [number, number, number];
  assets: string[];
}

/** One chunk of a stream: paths firstPath .. firstPath + paths - 1. */
export interface PathChunk {
  firstPath: number;
  paths: number;
  horizon: number;
  /** Prices [paths, horizon, nAssets]. */
  prices: Float32Array;
  /** The model's log returns behind them, same shape. */
  returns: Float32Array;
}

const DEFAULT_CHUNK = 1000;

/** Paths per model call, each block with its own seed: part of what a seed's output is (changing it changes it). */
export const PATH_BLOCK = 5000;

function checkOptions(o: SimulatePathsOptions): number {
  const k = o.model.assets.length;
  if (!Number.isInteger(o.horizon) || o.horizon <= 0) throw new UsageError(`horizon must be a positive integer, got ${o.horizon}`, { option: 'horizon' });
  if (!Number.isInteger(o.paths) || o.paths <= 0) throw new UsageError(`paths must be a positive integer, got ${o.paths}`, { option: 'paths' });
  const chunk = o.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunk) || chunk <= 0) throw new UsageError(`chunk size must be a positive integer, got ${chunk}`, { option: 'chunkSize' });
  if (!Number.isFinite(o.seed)) throw new UsageError(`seed must be a number, got ${o.seed}`, { option: 'seed' });
  if (o.startPrices.length !== k) {
    throw new UsageError(`expected ${k} start prices (one per asset: ${o.model.assets.join(', ')}), got ${o.startPrices.length}`, { option: 'startPrices' });
  }
  for (let a = 0; a < k; a++) {
    const p = o.startPrices[a];
    if (!(Number.isFinite(p) && p > 0))
      throw new UsageError(`start price of ${o.model.assets[a]} must be a positive number, got ${p}`, { option: 'startPrices' });
  }
  return chunk;
}

function* chunks(o: SimulatePathsOptions): Generator<PathChunk> {
  const chunk = checkOptions(o);
  const k = o.model.assets.length;
  const logStart = Float64Array.from({ length: k }, (_, a) => Math.log(o.startPrices[a]));
  const per = o.horizon * k;
  let cached: { block: number; returns: Float32Array } | null = null;
  const block = (b: number): Float32Array => {
    if (cached?.block !== b) {
      const n = Math.min(PATH_BLOCK, o.paths - b * PATH_BLOCK);
      const returns = o.model.simulateReturns({ horizon: o.horizon, paths: n, seed: batchSeed(o.seed, b, 0), history: o.history, start: o.start });
      if (returns.length !== n * per) throw new RangeError(`model ${o.model.name} returned ${returns.length} values, expected ${n} x ${o.horizon} x ${k}`);
      cached = { block: b, returns };
    }
    return cached.returns;
  };
  for (let first = 0; first < o.paths; first += chunk) {
    const n = Math.min(chunk, o.paths - first);
    const returns = new Float32Array(n * per);
    for (let p = first; p < first + n; ) {
      const b = Math.floor(p / PATH_BLOCK);
      const upto = Math.min(first + n, (b + 1) * PATH_BLOCK);
      returns.set(block(b).subarray((p - b * PATH_BLOCK) * per, (upto - b * PATH_BLOCK) * per), (p - first) * per);
      p = upto;
    }
    yield { firstPath: first, paths: n, horizon: o.horizon, prices: compound(returns, logStart, n, o.horizon, k), returns };
  }
}

/** Prices from log returns: p_t = p_0 exp(r_1 + ... + r_t), accumulated in double precision. */
function compound(returns: Float32Array, logStart: Float64Array, paths: number, horizon: number, k: number): Float32Array {
  const out = new Float32Array(returns.length);
  for (let p = 0; p < paths; p++) {
    for (let a = 0; a < k; a++) {
      let lp = logStart[a];
      for (let t = 0; t < horizon; t++) {
        const i = (p * horizon + t) * k + a;
        lp += returns[i];
        out[i] = Math.exp(lp);
      }
    }
  }
  return out;
}

/** Simulate all paths in memory. */
export function simulatePaths(options: SimulatePathsOptions): PricePaths {
  checkOptions(options);
  const k = options.model.assets.length;
  const data = new Float32Array(options.paths * options.horizon * k);
  for (const c of chunks(options)) data.set(c.prices, c.firstPath * options.horizon * k);
  return { data, shape: [options.paths, options.horizon, k], assets: [...options.model.assets] };
}

/**
 * Simulate chunk by chunk, yielding to the event loop between chunks, so millions of paths can be written
 * out without holding them all in memory. Argument errors are thrown at the call, before any chunk.
 */
export function streamPaths(options: SimulatePathsOptions): AsyncGenerator<PathChunk> {
  checkOptions(options);
  const it = chunks(options);
  return (async function* () {
    for (const c of it) {
      yield c;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
}

/**
 * Write a stream of chunks as long-format CSV `path,step,asset,price` (path from 0, step 1..horizon) to a
 * temporary sibling, then rename it over `path`: a reader never sees a half-written file, and on any error
 * the temporary file is removed. Returns the number of data rows.
 */
export async function writePathsCsv(path: string, stream: AsyncIterable<PathChunk> | Iterable<PathChunk>, assets: string[]): Promise<{ rows: number }> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = tempSibling(path);
  const untrack = trackTemp(tmp); // removed on SIGINT/SIGTERM too
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const write = async (s: string) => {
    if (!out.write(s)) await Promise.race([new Promise<void>((resolve) => out.once('drain', resolve)), failed]);
  };
  const quoted = assets.map((a) => (/[",\n\r]/.test(a) ? `"${a.replace(/"/g, '""')}"` : a));
  let rows = 0;
  try {
    await write('path,step,asset,price\n');
    for await (const c of stream) {
      const k = assets.length;
      if (c.prices.length !== c.paths * c.horizon * k) throw new RangeError(`chunk at path ${c.firstPath} does not have ${k} assets`);
      const lines: string[] = [];
      for (let p = 0; p < c.paths; p++) {
        const pathIndex = c.firstPath + p;
        for (let t = 0; t < c.horizon; t++) {
          const base = (p * c.horizon + t) * k;
          for (let a = 0; a < k; a++) lines.push(`${pathIndex},${t + 1},${quoted[a]},${formatPrice(c.prices[base + a])}\n`);
        }
        if (lines.length >= 8192) {
          rows += lines.length;
          await write(lines.join(''));
          lines.length = 0;
        }
      }
      rows += lines.length;
      if (lines.length) await write(lines.join(''));
    }
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    renameSync(tmp, path);
    return { rows };
  } catch (e) {
    if (!out.closed) await new Promise<void>((resolve) => out.destroy().once('close', () => resolve()));
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    untrack();
  }
}

/** Float32 prices carry about 7 significant digits; printing more would only show float noise. */
function formatPrice(v: number): string {
  return String(Number(v.toPrecision(7)));
}
