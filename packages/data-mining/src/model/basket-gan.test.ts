import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, tf, type Table } from '@fingan/gan-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasketEncoder } from '../encoder/basket-encoder.js';
import { BasketGan, coOccurrenceMoments, MAX_SHARPNESS_GROUPS, MINING_DEFAULT_STEPS, sizeGroupEnds } from './basket-gan.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-basketgan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * 600 baskets over 8 items: 'bread' and 'butter' always together (in 60% of baskets), 'beer' only in 'high'-band
 * baskets, others independent with probability 0.3; at least one item each.
 */
function transactions(): Table {
  const rng = new Rng(4);
  const tid: number[] = [],
    item: string[] = [],
    band: string[] = [];
  for (let t = 1; t <= 600; t++) {
    const high = rng.next() < 0.5;
    const items = new Set<string>();
    if (rng.next() < 0.6) items.add('bread').add('butter');
    if (high && rng.next() < 0.8) items.add('beer');
    for (const x of ['milk', 'eggs', 'tea', 'jam', 'rice']) if (rng.next() < 0.3) items.add(x);
    if (!items.size) items.add('milk');
    for (const x of items) {
      tid.push(t);
      item.push(x);
      band.push(high ? 'high' : 'low');
    }
  }
  return { tid, item, band };
}

let gan: BasketGan;
let enc: BasketEncoder;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const table = transactions();
  enc = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item', attributeColumns: ['band'] });
  gan = new BasketGan(enc, { seed: 2, steps: 600, generatorDims: [64], criticDims: [64, 64], batchSize: 64, noiseDim: 16 });
  await gan.fit(enc.encode(table));
});

const names = (b: Int32Array) => new Set(Array.from(b, (i) => String(enc.items[i])));

describe('BasketGan', () => {
  it('learns co-occurrence and attribute-dependent items, with the training size distribution', () => {
    const { baskets } = gan.sample(2000, { seed: 1 });
    const withBread = baskets.filter((b) => names(b).has('bread'));
    const both = withBread.filter((b) => names(b).has('butter'));
    expect(withBread.length / baskets.length).toBeGreaterThan(0.4);
    // Always together in the real data; independent items would give 0.6 (the share of baskets with butter).
    expect(both.length / withBread.length).toBeGreaterThan(0.75);
    const high = gan.sample(1000, { seed: 2, conditions: { band: 'high' } }).baskets.filter((b) => names(b).has('beer')).length;
    const low = gan.sample(1000, { seed: 2, conditions: { band: 'low' } }).baskets.filter((b) => names(b).has('beer')).length;
    expect(high).toBeGreaterThan(3 * Math.max(low, 10));
    // Sizes are quantile-mapped onto the training sizes: the means agree closely.
    const realSizes = enc.encode(transactions()).sizes;
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
    expect(Math.abs(mean(baskets.map((b) => b.length)) - mean(realSizes))).toBeLessThan(0.1);
    expect(baskets.every((b) => b.length >= 1 && new Set(b).size === b.length)).toBe(true);
  });

  it('calibrates sampling so that items go together as strongly as in the training baskets', () => {
    // Two baskets sharing 4 items: C(4,2), C(4,3), C(4,4) whichever pair is drawn.
    expect(coOccurrenceMoments([Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2, 3, 5)], 6, 1, 100)).toEqual([6, 4, 1]);
    expect(coOccurrenceMoments([Int32Array.of(0), Int32Array.of(1)], 2, 1, 100)).toEqual([0, 0, 0]);
    expect(gan.sharpness).toBeGreaterThan(0.25);
    expect(gan.sharpness).toBeLessThan(4);
    const train = enc.toBaskets(transactions()).baskets.map((b) => Int32Array.from(b));
    const want = coOccurrenceMoments(train, enc.nItems, 5);
    const got = coOccurrenceMoments(gan.sample(2000, { seed: 3 }).baskets, enc.nItems, 5);
    // Their mean log ratio is what the calibration sets to 0 (on other draws of baskets and pairs).
    const logRatios = [0, 1, 2].map((k) => Math.log(got[k] / want[k]));
    expect(Math.abs(logRatios.reduce((a, b) => a + b) / 3)).toBeLessThan(0.08);
    for (const r of logRatios) expect(Math.abs(r)).toBeLessThan(0.25);
  });

  it('cuts sizes into groups of about equal counts', () => {
    // 10 baskets each of sizes 1..4.
    expect(sizeGroupEnds([0, 10, 10, 10, 10], 1)).toEqual([]);
    expect(sizeGroupEnds([0, 10, 10, 10, 10], 2)).toEqual([2]);
    expect(sizeGroupEnds([0, 10, 10, 10, 10], 4)).toEqual([1, 2, 3]);
    // One size holding most baskets makes fewer groups; never a group past the largest size.
    expect(sizeGroupEnds([0, 2, 30, 2], 3)).toEqual([2]);
    expect(sizeGroupEnds([0, 0, 40], 3)).toEqual([]);
  });

  it('fits the sharpness per size group, saves it and refuses a bad group count', async () => {
    for (const bad of [0, 1.5, MAX_SHARPNESS_GROUPS + 1])
      expect(() => new BasketGan(enc, { sharpnessGroups: bad })).toThrow(new RegExp(`sharpnessGroups must be an integer from 1 to 16, got ${bad}`));
    const table = transactions();
    const m = new BasketGan(enc, { seed: 2, steps: 300, generatorDims: [64], criticDims: [64, 64], batchSize: 64, noiseDim: 16, sharpnessGroups: 2 });
    await m.fit(enc.encode(table));
    const groups = m.sharpnessBySize;
    expect(groups).toHaveLength(2);
    expect(groups[1].maxSize).toBe(Infinity);
    for (const g of groups) {
      expect(g.scale).toBeGreaterThan(0.25);
      expect(g.scale).toBeLessThan(4);
    }
    // Within each group, the moments match the training baskets' of that group on other draws.
    const train = enc.toBaskets(table).baskets.map((b) => Int32Array.from(b));
    const synth = m.sample(4000, { seed: 3 }).baskets;
    for (const [g, { maxSize }] of groups.entries()) {
      const inGroup = (b: Int32Array) => b.length <= maxSize && (g === 0 || b.length > groups[g - 1].maxSize);
      const want = coOccurrenceMoments(train.filter(inGroup), enc.nItems, 5);
      const got = coOccurrenceMoments(synth.filter(inGroup), enc.nItems, 5);
      const ks = [0, 1, 2].filter((k) => want[k] > 0);
      const mean = ks.reduce((a, k) => a + Math.log(got[k] / want[k]), 0) / ks.length;
      expect(Math.abs(mean), `group ${g}`).toBeLessThan(0.1);
    }
    const dir = join(tmp, 'grouped');
    await m.save(dir);
    const back = await BasketGan.load(dir);
    expect(back.sharpnessBySize).toEqual(groups);
    expect(back.sample(50, { seed: 4 }).baskets).toEqual(m.sample(50, { seed: 4 }).baskets);
  });

  it('averages the generator weights over the second half with weightAverage, and names bad values', async () => {
    for (const bad of [1, -0.1, Number.NaN])
      expect(() => new BasketGan(enc, { weightAverage: bad })).toThrow(new RegExp(`weightAverage must be a number in \\[0, 1\\) \\(0: off\\), got ${bad}`));
    const table = transactions();
    const small = { seed: 5, steps: 10, generatorDims: [16], criticDims: [16], batchSize: 32, noiseDim: 4 };
    const m = new BasketGan(enc, { ...small, weightAverage: 0.5 });
    const generatorOf = (g: BasketGan) => (g as unknown as { generator: tf.LayersModel }).generator;
    // The same average, kept by hand from the weights after each step of the second half (the user's handler runs).
    let want: Float32Array[] | null = null;
    let steps = 0;
    await m.fit(enc.encode(table), {
      onEvent: (e) => {
        if (e.type !== 'step') return;
        steps++;
        if (e.step <= 5) return;
        const w = generatorOf(m)
          .getWeights()
          .map((t) => t.dataSync() as Float32Array);
        want = want ? want.map((x, i) => x.map((v, j) => 0.5 * v + 0.5 * w[i][j])) : w.map((x) => Float32Array.from(x));
      },
    });
    expect(steps).toBe(10);
    const got = generatorOf(m)
      .getWeights()
      .map((t) => t.dataSync() as Float32Array);
    for (const [i, x] of got.entries()) for (const [j, v] of x.entries()) expect(Math.abs(v - want![i][j])).toBeLessThan(1e-5);
    // Off by default: the last weights, which differ from the average.
    const plain = new BasketGan(enc, small);
    await plain.fit(enc.encode(table));
    expect(plain.args.weightAverage).toBe(0);
    const last = generatorOf(plain).getWeights()[0].dataSync();
    expect(Array.from(last)).not.toEqual(Array.from(got[0]));
  });

  it('is seeded, and save/load gives the same baskets', async () => {
    const a = gan.sample(100, { seed: 7 }).baskets.map((b) => Array.from(b));
    expect(gan.sample(100, { seed: 7 }).baskets.map((b) => Array.from(b))).toEqual(a);
    expect(gan.sample(100, { seed: 8 }).baskets.map((b) => Array.from(b))).not.toEqual(a);
    const dir = join(tmp, 'm');
    await gan.save(dir);
    const back = await BasketGan.load(dir);
    expect(back.sample(100, { seed: 7 }).baskets.map((b) => Array.from(b))).toEqual(a);
  });

  it('treats options given as undefined as defaults', () => {
    expect(new BasketGan(enc, { steps: undefined, seed: 3 }).args).toMatchObject({ seed: 3, batchSize: 256 });
    expect(new BasketGan(enc, { steps: undefined, seed: 3 }).args.steps).toBeUndefined();
  });

  it('trains MINING_DEFAULT_STEPS steps by default, epochs as full passes, and records the run', async () => {
    const data = enc.encode(transactions());
    const planned = async (m: BasketGan, opts: { epochs?: number; steps?: number } = {}) => {
      let total = -1;
      const stop = new Error('planned');
      await expect(
        m.fit(data, {
          ...opts,
          onEvent: (e) => {
            if (e.type === 'start') {
              total = e.totalSteps;
              throw stop;
            }
          },
        }),
      ).rejects.toBe(stop);
      return total;
    };
    const small = { seed: 3, generatorDims: [8], criticDims: [8], batchSize: 64, noiseDim: 4 };
    expect(MINING_DEFAULT_STEPS).toBe(1200);
    expect(await planned(new BasketGan(enc, small))).toBe(1200);
    expect(await planned(new BasketGan(enc, { ...small, epochs: 2 }))).toBe(2 * Math.ceil(data.n / 64));
    expect(await planned(new BasketGan(enc, small), { steps: 5 })).toBe(5);
    expect(gan.trainingRecord).toEqual({ steps: 600, plannedSteps: 600, stoppedBy: 'completed', reproducible: true });
  });

  it('names unknown attributes and levels', () => {
    expect(() => gan.sample(5, { conditions: { band: 'medium' } })).toThrow(/attribute 'band' has no level 'medium' \(known: high, low\)|known: low, high/);
    expect(() => gan.sample(5, { conditions: { colour: 'red' } })).toThrow(/unknown attribute 'colour' \(known: band\)/);
    expect(() => gan.sample(0)).toThrow(/positive integer/);
  });
});
