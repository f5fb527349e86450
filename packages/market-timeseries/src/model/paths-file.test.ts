import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidDataError, UsageError } from '@fingan/gan-core';
import { afterAll, describe, expect, it } from 'vitest';
import { GbmModel } from '../baselines/gbm.js';
import { streamPaths } from './simulate.js';
import { pathsToReturns, readPathsFile, writePathsFile } from './paths-file.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = new GbmModel({
  assets: ['X', 'Y,Z'],
  meanLogReturn: [0, 0.001],
  drift: [0, 0],
  vol: [0.01, 0.02],
  corr: [
    [1, 0],
    [0, 1],
  ],
});

describe('paths files', () => {
  for (const ext of ['csv', 'parquet']) {
    it(`round-trip long-format ${ext} (path, step, asset, price), quoted asset names included`, async () => {
      const file = join(dir, `p.${ext}`);
      const { rows } = await writePathsFile(file, streamPaths({ model, startPrices: [100, 20], horizon: 5, paths: 3, seed: 1, chunkSize: 2 }), model.assets);
      expect(rows).toBe(3 * 5 * 2);
      const back = await readPathsFile(file);
      expect(back).toMatchObject({ assets: ['X', 'Y,Z'], paths: 3, steps: 5 });
      const ret = pathsToReturns(back);
      expect(ret.steps).toBe(4);
      // log(p[t+1] / p[t]) of path 2, asset Y,Z, step 1 -> 2, from the stored prices.
      const i = (2 * 5 + 1) * 2 + 1;
      expect(ret.data[(2 * 4 + 0) * 2 + 1]).toBeCloseTo(Math.log(back.prices[i] / back.prices[i - 2]), 12);
    });
  }

  it('reads a hand-written CSV in any column order and reorders assets on request', async () => {
    const file = join(dir, 'hand.csv');
    writeFileSync(file, 'asset,price,step,path\nB,10,1,0\nA,1,1,0\nB,20,2,0\nA,2,2,0\n');
    const d = await readPathsFile(file);
    expect(d.assets).toEqual(['B', 'A']);
    const r = pathsToReturns(d, ['A', 'B']);
    expect(Array.from(r.data)).toEqual([Math.log(2), Math.log(2)]);
  });

  it.each([
    ['path,step,asset\n0,1,A\n', /no 'price' column/],
    ['path,step,asset,price\n0,1,A,-3\n', /row 1: price must be a positive number, got '-3'/],
    ['path,step,asset,price\n0,0,A,3\n', /step must be an integer >= 1/],
    ['path,step,asset,price\n0,1,A,3\n0,1,A,4\n', /has 2 rows, expected 1 paths x 1 steps x 1 assets/],
    ['path,step,asset,price\n0,1,A,3\n0,2,A,4\n1,1,A,5\n', /expected 2 paths x 2 steps x 1 assets = 4/],
    ['path,step,asset,price\n', /no data rows/],
  ])('refuses a malformed file (%#)', async (text, message) => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, text);
    await expect(readPathsFile(file)).rejects.toThrow(InvalidDataError);
    await expect(readPathsFile(file)).rejects.toThrow(message);
  });

  it('refuses unknown extensions before writing anything', async () => {
    const file = join(dir, 'p.txt');
    await expect(writePathsFile(file, streamPaths({ model, startPrices: [1, 1], horizon: 2, paths: 1, seed: 1 }), model.assets)).rejects.toThrow(UsageError);
    expect(existsSync(file)).toBe(false);
    await expect(readPathsFile(join(dir, 'missing.csv'))).rejects.toThrow(/: file not found$/);
    expect(readFileSync(join(dir, 'p.csv'), 'utf8').split('\n')[0]).toBe('path,step,asset,price');
  });
});
