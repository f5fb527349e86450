import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, type Table } from '@fingan/gan-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasketEncoder } from '../encoder/basket-encoder.js';
import { BasketGan, MIN_LEVEL_BASKETS } from './basket-gan.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-basket-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 300 baskets with distinctive transaction ids and a per-basket 'store' attribute. */
function transactions(): Table {
  const rng = new Rng(8);
  const tid: string[] = [],
    item: string[] = [],
    store: string[] = [];
  for (let t = 0; t < 300; t++) {
    const items = ['milk', 'eggs', 'tea', 'jam', 'rice', 'bread'].filter(() => rng.next() < 0.35);
    if (!items.length) items.push('milk');
    for (const x of items) {
      tid.push(`TX-${(t * 7919 + 104729).toString(36)}`);
      item.push(x);
      store.push(t % 3 ? 'north' : 'south');
    }
  }
  return { tid, item, store };
}

describe('a basket model directory', () => {
  const dir = join(tmp, 'model');
  const table = transactions();
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    const enc = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item', attributeColumns: ['store'] });
    const gan = new BasketGan(enc, { seed: 1, steps: 2, generatorDims: [16], criticDims: [16], batchSize: 32, noiseDim: 8 });
    await gan.fit(enc.encode(table));
    await gan.save(dir);
    gan.dispose();
  });

  it('holds no basket and no transaction id: item and level vocabularies and counts only', () => {
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const ids = [...new Set(table.tid as string[])];
    expect(ids.filter((id) => text.includes(id))).toEqual([]);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(Object.keys(state).sort()).toEqual([
      'args',
      'conditionCounts',
      'encoder',
      'logitScale',
      'seedWeights',
      'seedWeightsByLevel',
      'sizeCounts',
      'trainedSteps',
    ]);
    expect(Object.keys(state.encoder).sort()).toEqual(
      ['attributeColumns', 'attributeLevels', 'format', 'itemColumn', 'itemCounts', 'items', 'maxSize', 'nTransactions', 'transactionColumn', 'version'].sort(),
    );
    // Aggregates: one count per item, per attribute level and per basket size; nothing per basket.
    expect(state.encoder.itemCounts).toHaveLength(state.encoder.items.length);
    expect(state.conditionCounts).toHaveLength(2);
    expect(state.sizeCounts.length).toBeLessThanOrEqual(state.encoder.maxSize + 1);
    expect(state.encoder.nTransactions).toBe(300);
    // Seed-item weights: one per item (each basket adds 1 in all), per item and attribute level; nothing per basket.
    expect(state.seedWeights).toHaveLength(state.encoder.items.length);
    expect(state.seedWeights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(300, 6);
    expect(state.seedWeightsByLevel.map((w: number[] | null) => w?.length)).toEqual([6, 6]);
  });
});

describe('seed-item weights and older model directories', () => {
  it('keeps no weights of their own for attribute levels of fewer than MIN_LEVEL_BASKETS baskets', async () => {
    const table = transactions();
    // The first 15 baskets (ids in order of appearance) get a level of their own.
    const firstIds = [...new Set(table.tid as string[])].slice(0, MIN_LEVEL_BASKETS - 5);
    const store = (table.tid as string[]).map((id, i) => (firstIds.includes(id) ? 'tiny' : (table.store as string[])[i]));
    const t2 = { ...table, store };
    const enc = BasketEncoder.fit(t2, { transactionColumn: 'tid', itemColumn: 'item', attributeColumns: ['store'] });
    const gan = new BasketGan(enc, { seed: 1, steps: 2, generatorDims: [16], criticDims: [16], batchSize: 32, noiseDim: 8 });
    await gan.fit(enc.encode(t2));
    const dir = join(tmp, 'tiny');
    await gan.save(dir);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    const tiny = enc.attributeLevels.store.indexOf('tiny');
    expect(state.conditionCounts[tiny]).toBe(MIN_LEVEL_BASKETS - 5);
    expect(state.seedWeightsByLevel[tiny]).toBeNull();
    expect(state.seedWeightsByLevel.filter((w: unknown) => w !== null)).toHaveLength(2);
    // Sampling the small level still works (its seed items come from the overall weights).
    expect(gan.sample(20, { seed: 3, conditions: { store: 'tiny' } }).baskets).toHaveLength(20);
    gan.dispose();
  });

  it('loads a directory written before seed items existed as a model without them, sampling the same baskets', async () => {
    const table = transactions();
    const enc = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item' });
    const gan = new BasketGan(enc, { seed: 1, steps: 2, generatorDims: [16], criticDims: [16], batchSize: 32, noiseDim: 8, seedItem: false });
    await gan.fit(enc.encode(table));
    const dir = join(tmp, 'old');
    await gan.save(dir);
    const want = gan.sample(50, { seed: 4 }).baskets.map((b) => Array.from(b));
    // Rewrite state.json as an older version wrote it: no seedItem argument, no seed weights.
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.seedWeights).toBeUndefined();
    delete state.args.seedItem;
    const text = JSON.stringify(state);
    writeFileSync(join(dir, 'state.json'), text);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.files['state.json'] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const back = await BasketGan.load(dir);
    expect(back.args.seedItem).toBe(false);
    expect(back.sample(50, { seed: 4 }).baskets.map((b) => Array.from(b))).toEqual(want);
    gan.dispose();
    back.dispose();
  });

  it('holds the sharpness per size group as size cut points and scales, and refuses a count that does not match', async () => {
    const table = transactions();
    const enc = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item' });
    const gan = new BasketGan(enc, { seed: 1, steps: 2, generatorDims: [16], criticDims: [16], batchSize: 32, noiseDim: 8, sharpnessGroups: 3 });
    await gan.fit(enc.encode(table));
    const dir = join(tmp, 'groups');
    await gan.save(dir);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.args.sharpnessGroups).toBe(3);
    expect(state.logitScales).toHaveLength(state.sizeGroupEnds.length + 1);
    expect(state.sizeGroupEnds.length).toBeGreaterThanOrEqual(1);
    // Cut points are sizes, ascending: aggregates of the size histogram, nothing per basket.
    expect([...state.sizeGroupEnds].sort((a: number, b: number) => a - b)).toEqual(state.sizeGroupEnds);
    state.logitScales.push(1);
    const text = JSON.stringify(state);
    writeFileSync(join(dir, 'state.json'), text);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.files['state.json'] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(BasketGan.load(dir)).rejects.toThrow(/state.json has \d+ sharpness scales for \d+ size groups/);
    gan.dispose();
  });
});
