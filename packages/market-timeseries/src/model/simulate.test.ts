import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@fingan/gan-core';
import { afterAll, describe, expect, it } from 'vitest';
import { GbmModel } from '../baselines/gbm.js';
import type { PathModel } from './path-model.js';
import { PATH_BLOCK, simulatePaths, streamPaths, writePathsCsv, type PathChunk } from './simulate.js';

const model = new GbmModel({
  assets: ['A', 'B'],
  meanLogReturn: [0.0002, 0],
  drift: [0, 0],
  vol: [0.01, 0.02],
  corr: [
    [1, 0.3],
    [0.3, 1],
  ],
});
const dir = mkdtempSync(join(tmpdir(), 'fingan-market-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('simulatePaths', () => {
  it('compounds the model returns from the start prices, shape [paths, horizon, nAssets]', async () => {
    const out = simulatePaths({ model, startPrices: [100, 50], horizon: 4, paths: 3, seed: 1, chunkSize: 2 });
    expect(out.shape).toEqual([3, 4, 2]);
    expect(out.data.length).toBe(24);
    // Recompute path 2 (second chunk) by hand from the same chunk seed sequence.
    const chunks: PathChunk[] = [];
    {
      for await (const c of streamPaths({ model, startPrices: [100, 50], horizon: 4, paths: 3, seed: 1, chunkSize: 2 })) chunks.push(c);
      expect(chunks.map((c) => [c.firstPath, c.paths])).toEqual([
        [0, 2],
        [2, 1],
      ]);
      const r = chunks[1].returns;
      let p = 50;
      for (let t = 0; t < 4; t++) {
        p *= Math.exp(r[t * 2 + 1]);
        expect(out.data[(2 * 4 + t) * 2 + 1]).toBeCloseTo(p, 3);
      }
      const streamed = new Float32Array(24);
      for (const c of chunks) streamed.set(c.prices, c.firstPath * 8);
      expect(streamed).toEqual(out.data);
    }
  });

  it('gives the same paths for a seed whatever the chunk size (blocks of PATH_BLOCK paths, each from its own seed)', async () => {
    const base = { model, startPrices: [100, 50], horizon: 3, paths: PATH_BLOCK + 5, seed: 4 };
    const whole = simulatePaths(base);
    for (const chunkSize of [7, PATH_BLOCK + 5]) expect(simulatePaths({ ...base, chunkSize }).data).toEqual(whole.data);
    const streamed = new Float32Array(whole.data.length);
    for await (const c of streamPaths({ ...base, chunkSize: 333 })) streamed.set(c.prices, c.firstPath * 6);
    expect(streamed).toEqual(whole.data);
    expect(simulatePaths({ ...base, seed: 5 }).data).not.toEqual(whole.data);
  });

  it('rejects bad options naming the option at fault', () => {
    const base = { model, startPrices: [100, 50], horizon: 4, paths: 3, seed: 1 };
    expect(usageError(() => simulatePaths({ ...base, horizon: 0 })).oneLine()).toBe("option 'horizon': horizon must be a positive integer, got 0");
    expect(usageError(() => simulatePaths({ ...base, horizon: 2.5 })).at.option).toBe('horizon');
    expect(usageError(() => simulatePaths({ ...base, paths: 0 })).oneLine()).toBe("option 'paths': paths must be a positive integer, got 0");
    expect(usageError(() => simulatePaths({ ...base, startPrices: [100] })).oneLine()).toBe(
      "option 'startPrices': expected 2 start prices (one per asset: A, B), got 1",
    );
    expect(usageError(() => simulatePaths({ ...base, startPrices: [100, -1] })).oneLine()).toBe(
      "option 'startPrices': start price of B must be a positive number, got -1",
    );
    expect(usageError(() => simulatePaths({ ...base, chunkSize: 0 })).at.option).toBe('chunkSize');
    // streamPaths checks eagerly, before the first chunk is requested.
    expect(usageError(() => streamPaths({ ...base, paths: -2 })).at.option).toBe('paths');
  });
});

describe('writePathsCsv', () => {
  it('writes paths x horizon x assets rows in long format and leaves no temporary file', async () => {
    const file = join(dir, 'paths.csv');
    const { rows } = await writePathsCsv(file, streamPaths({ model, startPrices: [100, 50], horizon: 5, paths: 7, seed: 2, chunkSize: 3 }), model.assets);
    expect(rows).toBe(7 * 5 * 2);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('path,step,asset,price');
    expect(lines.length).toBe(1 + 70);
    expect(lines[1]).toMatch(/^0,1,A,\d+(\.\d+)?$/);
    expect(lines[2]).toMatch(/^0,1,B,/);
    expect(lines[70]).toMatch(/^6,5,B,/);
    const full = simulatePaths({ model, startPrices: [100, 50], horizon: 5, paths: 7, seed: 2, chunkSize: 3 });
    expect(Number(lines[70].split(',')[3])).toBeCloseTo(full.data[69], 3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the previous file and removes the temporary one when the stream fails midway', async () => {
    const file = join(dir, 'kept.csv');
    writeFileSync(file, 'old content\n');
    const failing: PathModel = {
      name: 'failing',
      assets: ['A'],
      simulateReturns: ({ seed, paths, horizon }) => {
        if (seed !== first) throw new Error('model broke');
        return new Float32Array(paths * horizon);
      },
      toJSON: () => ({}),
    };
    let first = -1;
    const simulateReturns: typeof failing.simulateReturns = (a) => {
      if (first < 0) first = a.seed;
      return failing.simulateReturns(a);
    };
    // The first block of paths is written in chunks, then the model fails on the second block.
    const s = streamPaths({ model: { ...failing, simulateReturns }, startPrices: [1], horizon: 2, paths: PATH_BLOCK + 6, seed: 3, chunkSize: 3 });
    await expect(writePathsCsv(file, s, ['A'])).rejects.toThrow('model broke');
    expect(readFileSync(file, 'utf8')).toBe('old content\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
