import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidDataError, ModelFormatError, readTable, UsageError, type Table } from '@fingan/gan-core';
import { BasketEncoder } from './basket-encoder.js';

const SUPERMARKET = fileURLToPath(new URL('../../../../data/supermarket_baskets_long.csv', import.meta.url));
const OPTS = { transactionColumn: 'tid', itemColumn: 'item' };

// Four transactions; 'milk' is in 3 baskets, 'bread' in 2 (t1 lists it twice), 'eggs' and 'jam' in 1.
const SMALL: Table = {
  tid: ['t1', 't1', 't1', 't2', 't2', 't3', 't4', 't4'],
  item: ['bread', 'milk', 'bread', 'milk', 'eggs', 'milk', 'bread', 'jam'],
  band: ['high', 'high', 'high', 'low', 'low', 'low', 'high', 'high'],
};

describe('BasketEncoder', () => {
  it('groups rows into de-duplicated baskets with a vocabulary sorted by basket frequency', () => {
    const enc = BasketEncoder.fit(SMALL, OPTS);
    // milk 3 baskets, bread 2, then eggs/jam (1 each) alphabetically.
    expect(enc.items).toEqual(['milk', 'bread', 'eggs', 'jam']);
    expect(enc.itemSupport).toEqual([0.75, 0.5, 0.25, 0.25]);
    expect(enc.maxSize).toBe(2);
    const data = enc.toBaskets(SMALL);
    expect(data.ids).toEqual(['t1', 't2', 't3', 't4']);
    expect(data.baskets.map((b) => Array.from(b))).toEqual([[0, 1], [0, 2], [0], [1, 3]]);
  });

  it('encodes multi-hot rows, the size feature and one-hot attribute conditions', () => {
    const enc = BasketEncoder.fit(SMALL, { ...OPTS, attributeColumns: ['band'] });
    expect(enc.conditionNames).toEqual(['band=high', 'band=low']);
    const e = enc.encode(SMALL);
    expect(e.n).toBe(4);
    expect(Array.from(e.items)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1]);
    expect(Array.from(e.sizes)).toEqual([2, 2, 1, 2]);
    expect(Array.from(e.sizeFeature)).toEqual([1, 1, 0.5, 1]);
    expect(Array.from(e.conditions)).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
    expect(enc.decodeConditions(e.conditions)).toEqual({ band: ['high', 'low', 'low', 'high'] });
  });

  it('decodes scores by top-size items when sizes are given, else by the 0.5 threshold', () => {
    const enc = BasketEncoder.fit(SMALL, OPTS);
    const scores = Float32Array.from([0.9, 0.2, 0.6, 0.1, /* row 2 */ 0.3, 0.3, 0.1, 0.8]);
    expect(enc.decode(scores).map((b) => Array.from(b))).toEqual([[0, 2], [3]]);
    // Row 2, size 2: jam (0.8), then the tie 0.3/0.3 goes to the more frequent item, milk (index 0).
    expect(enc.decode(scores, { sizes: [1, 2] }).map((b) => Array.from(b))).toEqual([[0], [0, 3]]);
    expect(Array.from(enc.sizesFromFeature([0.5, 1, 0.2]))).toEqual([1, 2, 0]);
    expect(() => enc.decode(scores, { sizes: [1] })).toThrow(/sizes has 1 entries for 2 rows/);
    expect(() => enc.decode(new Float32Array(5))).toThrow(/not a whole number of rows of 4 items/);
  });

  it('round-trips the supermarket data: long form -> baskets -> multi-hot -> baskets -> long form', () => {
    const { table } = readTable(SUPERMARKET);
    expect(Object.keys(table)).toEqual(['tid', 'item']);
    const enc = BasketEncoder.fit(table, OPTS);
    // Counted independently (Python csv + sets): 4627 baskets, 122 departments, 85,762 rows without repeats,
    // 'bread and cake' in 3330 baskets, the largest basket 48 items.
    expect(enc.nItems).toBe(122);
    expect(enc.items[0]).toBe('bread and cake');
    expect(enc.itemSupport[0]).toBeCloseTo(3330 / 4627, 12);
    expect(enc.maxSize).toBe(48);
    const data = enc.toBaskets(table);
    expect(data.baskets.length).toBe(4627);
    const e = enc.encode(data);
    expect(e.sizes.reduce((s, v) => s + v, 0)).toBe(85762);
    const viaThreshold = enc.decode(e.items);
    const viaSizes = enc.decode(e.items, { sizes: e.sizes });
    expect(viaThreshold).toEqual(data.baskets);
    expect(viaSizes).toEqual(data.baskets);
    const back = enc.toLongForm(viaSizes, { ids: data.ids });
    expect(back.tid.length).toBe(85762);
    // Same set of (tid, item) pairs as the file.
    const key = (t: Table) => t.tid.map((id, i) => `${id}\u0000${t.item[i]}`).sort();
    expect(key(back)).toEqual(key(table));
    // And the encoder survives JSON.
    const again = BasketEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(again.items).toEqual(enc.items);
    expect(again.toBaskets(table).baskets).toEqual(data.baskets);
  });

  it('writes attributes back to long form', () => {
    const enc = BasketEncoder.fit(SMALL, { ...OPTS, attributeColumns: ['band'] });
    const t = enc.toLongForm([Int32Array.of(0, 3), Int32Array.of()], { attributes: { band: ['low', 'high'] } });
    expect(t).toEqual({ tid: [1, 1], item: ['milk', 'jam'], band: ['low', 'low'] });
  });

  describe('errors', () => {
    it('names missing columns', () => {
      expect(() => BasketEncoder.fit({ tid: [1, 2] }, OPTS)).toThrow("missing column 'item' (the table has: tid)");
      expect(() => BasketEncoder.fit({ x: [1] }, { ...OPTS, attributeColumns: ['band'] })).toThrow("missing columns 'tid', 'item', 'band' (the table has: x)");
      try {
        BasketEncoder.fit({ tid: [1, 2] }, OPTS);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidDataError);
        expect((e as InvalidDataError).at.column).toBe('item');
      }
    });

    it('rejects an empty table and a single transaction', () => {
      expect(() => BasketEncoder.fit({ tid: [], item: [] }, OPTS)).toThrow('the transactions table is empty (no rows)');
      expect(() => BasketEncoder.fit({ tid: [7, 7], item: ['a', 'b'] }, OPTS)).toThrow("only one transaction (7) in column 'tid': mining needs at least 2");
    });

    it('names the column and row of a cell that is not a string or a number', () => {
      const bad = (cell: unknown) => ({ tid: [1, 2, 2], item: ['a', 'b', cell] }) as Table;
      expect(() => BasketEncoder.fit(bad(null), OPTS)).toThrow("column 'item' row 2: expected a non-empty string or a finite number, got an empty cell");
      expect(() => BasketEncoder.fit(bad(true), OPTS)).toThrow("column 'item' row 2: expected a non-empty string or a finite number, got true (boolean)");
      expect(() => BasketEncoder.fit(bad(Number.NaN), OPTS)).toThrow("column 'item' row 2: expected a non-empty string or a finite number, got NaN");
      expect(() => BasketEncoder.fit(bad({}), OPTS)).toThrow(/column 'item' row 2: .*\[object Object\] \(object\)/);
      expect(() => BasketEncoder.fit({ tid: [1, null], item: ['a', 'b'] }, OPTS)).toThrow(
        "column 'tid' row 1: expected a non-empty string or a finite number, got an empty cell",
      );
      try {
        BasketEncoder.fit(bad(null), OPTS);
      } catch (e) {
        expect((e as InvalidDataError).at.column).toBe('item');
      }
    });

    it('rejects an attribute that changes within a transaction, and unknown items and levels', () => {
      const t = { tid: [1, 1, 2], item: ['a', 'b', 'a'], band: ['x', 'y', 'x'] };
      expect(() => BasketEncoder.fit(t, { ...OPTS, attributeColumns: ['band'] })).toThrow(
        "column 'band' row 1: transaction 1 has 'x' on an earlier row but 'y' here",
      );
      const enc = BasketEncoder.fit(SMALL, { ...OPTS, attributeColumns: ['band'] });
      expect(() => enc.toBaskets({ tid: [1, 2], item: ['milk', 'caviar'], band: ['low', 'low'] })).toThrow(
        "column 'item' row 1: item 'caviar' is not in the encoder's vocabulary",
      );
      expect(() => enc.toBaskets({ tid: [1, 2], item: ['milk', 'jam'], band: ['low', 'mid'] })).toThrow(
        "column 'band': transaction 2 has level 'mid', unknown to the encoder (levels: high, low)",
      );
    });

    it('validates JSON with zod and reports the field at fault', () => {
      const json = BasketEncoder.fit(SMALL, OPTS).toJSON();
      expect(() => BasketEncoder.fromJSON({ ...json, items: 'milk' })).toThrow(ModelFormatError);
      expect(() => BasketEncoder.fromJSON({ ...json, items: 'milk' })).toThrow(/basket encoder JSON is invalid at items:/);
      expect(() => BasketEncoder.fromJSON({ ...json, format: 'other' })).toThrow(/invalid at format/);
      expect(() => BasketEncoder.fromJSON({ ...json, itemCounts: [1] })).toThrow('4 items but 1 itemCounts');
      expect(() => BasketEncoder.fromJSON({ ...json, items: ['a', 'a', 'b', 'c'] })).toThrow('repeated items');
      expect(() => BasketEncoder.fromJSON(null)).toThrow(/invalid at \(root\)/);
    });

    it('rejects options naming a column twice', () => {
      expect(() => BasketEncoder.fit(SMALL, { transactionColumn: 'tid', itemColumn: 'tid' })).toThrow(UsageError);
    });
  });
});
