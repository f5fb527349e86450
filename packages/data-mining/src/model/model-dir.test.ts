import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, type Table } from '@fingan/gan-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasketEncoder } from '../baskets/encoder.js';
import { BasketGan } from './basket-gan.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-basket-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 300 baskets with distinctive transaction ids and a per-basket 'store' attribute. */
function transactions(): Table {
  const rng = new Rng(8);
  const tid: string[] = [], item: string[] = [], store: string[] = [];
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
    expect(Object.keys(state).sort()).toEqual(['args', 'conditionCounts', 'encoder', 'sizeCounts', 'trainedSteps']);
    expect(Object.keys(state.encoder).sort()).toEqual(
      ['attributeColumns', 'attributeLevels', 'format', 'itemColumn', 'itemCounts', 'items', 'maxSize', 'nTransactions', 'transactionColumn', 'version'].sort(),
    );
    // Aggregates: one count per item, per attribute level and per basket size; nothing per basket.
    expect(state.encoder.itemCounts).toHaveLength(state.encoder.items.length);
    expect(state.conditionCounts).toHaveLength(2);
    expect(state.sizeCounts.length).toBeLessThanOrEqual(state.encoder.maxSize + 1);
    expect(state.encoder.nTransactions).toBe(300);
  });
});
