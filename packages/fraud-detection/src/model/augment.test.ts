import { describe, expect, test } from 'vitest';
import { InvalidDataError, UsageError, createRng, rowAt, type Cell, type Table } from '@fingan/gan-core';
import { augment, removeSynthetic, type GanSampler } from './augment.js';

/** 100 negatives then 10 positives: a money column, a count, a category, a label. */
function transactions(nNeg = 100, nPos = 10): Table {
  const rng = createRng(1);
  const n = nNeg + nPos;
  const t: Table = { amount: [], n_items: [], channel: [], label: [] };
  for (let i = 0; i < n; i++) {
    const pos = i >= nNeg;
    t.amount.push(Math.round(Math.exp(rng.normal(pos ? 6 : 4, 1)) * 100) / 100);
    t.n_items.push(rng.int(pos ? 9 : 4));
    t.channel.push(['web', 'pos', 'atm'][rng.int(3)]);
    t.label.push(pos ? 'pos' : 'neg');
  }
  return t;
}
const base = { label: 'label', positive: 'pos', seed: 5 } as const;
const count = (t: Table, v: Cell) => t.label.filter((x) => x === v).length;
const rowKey = (t: Table, i: number) => JSON.stringify(rowAt(t, i));

describe('augment: how many rows (imblearn float sampling_strategy)', () => {
  test.each(['smote', 'smotenc', 'random'] as const)('%s: 100 negatives, 10 positives, ratio 0.5 -> 40 added', async (method) => {
    const t = transactions();
    const r = await augment(t, { ...base, method, ratio: 0.5 });
    // 0.5 * 100 - 10 = 40 new positives, so 50 positives : 100 negatives afterwards.
    expect(r.added).toBe(40);
    expect(r.table.label).toHaveLength(150);
    expect(count(r.table, 'pos')).toBe(50);
    expect(count(r.table, 'neg')).toBe(100);
    expect(r.synthetic.label).toEqual(new Array(40).fill('pos'));
    // The input rows come first and unchanged.
    for (const c of Object.keys(t)) expect(r.table[c].slice(0, 110)).toEqual(t[c]);
  });

  test('default ratio 1 balances; count adds exactly; 0.29 is not cut to 28 by float noise', async () => {
    const t = transactions();
    expect((await augment(t, { ...base, method: 'random' })).added).toBe(90); // 1 * 100 - 10
    expect((await augment(t, { ...base, method: 'smote', count: 7 })).added).toBe(7);
    // 0.29 * 100 = 28.999999999999996 in floating point; the intended 29 - 10 = 19.
    expect((await augment(t, { ...base, method: 'smote', ratio: 0.29 })).added).toBe(19);
  });

  test('random oversampling copies positives exactly', async () => {
    const t = transactions();
    const r = await augment(t, { ...base, method: 'random', ratio: 0.3 });
    expect(r.added).toBe(20);
    const positives = new Set(Array.from({ length: 10 }, (_, i) => rowKey(t, 100 + i)));
    for (let i = 0; i < r.added; i++) expect(positives.has(rowKey(r.synthetic, i))).toBe(true);
  });

  test('seeded: same seed same rows, another seed other rows', async () => {
    const t = transactions();
    const a = await augment(t, { ...base, method: 'smotenc', ratio: 0.5 });
    const b = await augment(t, { ...base, method: 'smotenc', ratio: 0.5 });
    const c = await augment(t, { ...base, method: 'smotenc', ratio: 0.5, seed: 6 });
    expect(b.table).toEqual(a.table);
    expect(c.synthetic.amount).not.toEqual(a.synthetic.amount);
  });

  test('synthetic values keep the table types: integer counts, non-negative 2-decimal amounts, known categories', async () => {
    const t = transactions();
    const r = await augment(t, { ...base, method: 'smotenc', ratio: 1 });
    for (const v of r.synthetic.n_items) expect(Number.isInteger(v)).toBe(true);
    for (const v of r.synthetic.amount as number[]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(Math.round(v * 100) / 100).toBe(v);
    }
    for (const v of r.synthetic.channel) expect(['web', 'pos', 'atm']).toContain(v);
  });
});

describe('augment: _synthetic marking', () => {
  test('marks input rows false and added rows true; removeSynthetic gives the input back', async () => {
    const t = transactions();
    const r = await augment(t, { ...base, method: 'smote', ratio: 0.5, markSynthetic: true });
    expect(r.table._synthetic).toEqual([...new Array(110).fill(false), ...new Array(40).fill(true)]);
    expect(Object.keys(r.table)).toEqual(['amount', 'n_items', 'channel', 'label', '_synthetic']);
    expect(removeSynthetic(r.table)).toEqual(t);
    // Augmenting an augmented table extends the marks and never models the marks themselves.
    const again = await augment(r.table, { ...base, method: 'random', ratio: 0.6 });
    expect(again.added).toBe(10);
    expect(again.table._synthetic.filter((v) => v === true)).toHaveLength(50);
    expect(removeSynthetic(again.table)).toEqual(t);
  });

  test('removeSynthetic on an unmarked table names the column', () => {
    expect(() => removeSynthetic(transactions())).toThrow(/no '_synthetic' column/);
  });
});

describe('augment: method gan through an injected sampler', () => {
  test('the sampler gets the table, label, positive, count, seed and options; its rows are appended', async () => {
    const t = transactions();
    const calls: unknown[][] = [];
    const sampler: GanSampler = async (table, label, positive, n, seed, options) => {
      calls.push([table, label, positive, n, seed, options]);
      return { label: new Array(n).fill(positive), channel: new Array(n).fill('web'), amount: new Array(n).fill(1), n_items: new Array(n).fill(2) };
    };
    const r = await augment(t, { ...base, method: 'gan', ratio: 0.2, ganSampler: sampler, gan: { epochs: 3 } });
    expect(calls).toEqual([[t, 'label', 'pos', 10, 5, { epochs: 3 }]]);
    expect(r.added).toBe(10);
    // Columns come back in the table's order whatever order the sampler used.
    expect(Object.keys(r.synthetic)).toEqual(['amount', 'n_items', 'channel', 'label']);
  });

  test("gan+smote: the sampler's first ceil(n/2) rows, then SMOTE's rows from the same seed", async () => {
    const t = transactions();
    const asked: number[] = [];
    const sampler: GanSampler = async (_t, _l, p, n) => {
      asked.push(n);
      return {
        label: new Array(n).fill(p),
        channel: new Array(n).fill('gan'),
        amount: Array.from({ length: n }, (_, i) => 100 + i),
        n_items: new Array(n).fill(0),
      };
    };
    const r = await augment(t, { ...base, method: 'gan+smote', count: 7, ganSampler: sampler });
    expect(asked).toEqual([7]);
    expect(r.added).toBe(7);
    expect(r.synthetic.amount.slice(0, 4)).toEqual([100, 101, 102, 103]);
    const smoteRows = (await augment(t, { ...base, method: 'smote', count: 3 })).synthetic;
    expect(r.synthetic.amount.slice(4)).toEqual(smoteRows.amount);
    expect(r.synthetic.channel.slice(4)).toEqual(smoteRows.channel);
    expect(r.synthetic.label.every((v) => v === 'pos')).toBe(true);
  });

  test('a sampler returning the wrong rows is rejected', async () => {
    const t = transactions();
    const short: GanSampler = async (_t, _l, p, n) => ({
      amount: new Array(n - 1).fill(1),
      n_items: new Array(n - 1).fill(1),
      channel: new Array(n - 1).fill('web'),
      label: new Array(n - 1).fill(p),
    });
    await expect(augment(t, { ...base, method: 'gan', ratio: 0.2, ganSampler: short })).rejects.toThrow('GAN sampler returned 9 rows, 10 were asked for');
    const noCol: GanSampler = async (_t, _l, p, n) => ({ amount: new Array(n).fill(1), label: new Array(n).fill(p) });
    await expect(augment(t, { ...base, method: 'gan', ratio: 0.2, ganSampler: noCol })).rejects.toThrow('GAN sampler output lacks columns: n_items, channel');
    const neg: GanSampler = async (table, l, _p, n) => ({
      ...Object.fromEntries(Object.keys(table).map((c) => [c, new Array(n).fill(1)])),
      [l]: new Array(n).fill('neg'),
    });
    await expect(augment(t, { ...base, method: 'gan', ratio: 0.2, ganSampler: neg })).rejects.toThrow("rows whose 'label' is not 'pos'");
  });
});

describe('augment: bad input, one line naming the column or option', () => {
  async function fails(t: Table, opts: Partial<Parameters<typeof augment>[1]>) {
    try {
      await augment(t, { ...base, method: 'smote', ...opts } as Parameters<typeof augment>[1]);
    } catch (e) {
      return e as InvalidDataError | UsageError;
    }
    throw new Error('expected augment to fail');
  }

  test('label column missing', async () => {
    const e = await fails(transactions(), { label: 'Class' });
    expect(e).toBeInstanceOf(InvalidDataError);
    expect(e.message).toBe("label column 'Class' is not in the data (columns: amount, n_items, channel, label)");
    expect(e.at.column).toBe('Class');
  });

  test('positive value absent', async () => {
    const e = await fails(transactions(), { positive: 'fraud' });
    expect(e).toBeInstanceOf(InvalidDataError);
    expect(e.message).toBe("positive value 'fraud' does not occur in label column 'label' (values seen: neg, pos)");
    expect(e.at).toEqual({ column: 'label', option: 'positive' });
  });

  test('no negatives', async () => {
    const t = transactions(0, 10);
    const e = await fails(t, {});
    expect(e).toBeInstanceOf(InvalidDataError);
    expect(e.message).toMatch(/label column 'label' has no negative rows/);
  });

  test('fewer than 2 positives says how many SMOTE needs', async () => {
    const e = await fails(transactions(100, 1), {});
    expect(e).toBeInstanceOf(InvalidDataError);
    expect(e.message).toBe(
      "label column 'label' has only 1 positive row ('pos'); SMOTE needs k+1 positives for k neighbours, so at least 2 (k=1) and 6 for the default k=5",
    );
  });

  test('fewer than k+1 positives for SMOTE names k', async () => {
    const e = await fails(transactions(100, 4), { k: 5, method: 'smotenc' });
    expect(e.message).toBe("SMOTE with k=5 neighbours needs k+1 = 6 positives, but label column 'label' has 4; lower k to at most 3");
    expect(e.at.option).toBe('k');
    // Random oversampling has no neighbours and works with the same data.
    expect((await augment(transactions(100, 4), { ...base, method: 'random', ratio: 0.1 })).added).toBe(6);
  });

  test('ratio at or below the current ratio, or above 1', async () => {
    const t = transactions();
    const low = await fails(t, { ratio: 0.1 });
    expect(low).toBeInstanceOf(UsageError);
    expect(low.message).toBe('ratio 0.1 is not above the current positives/negatives ratio 0.1000 (10/100); oversampling can only add positives');
    expect(low.at.option).toBe('ratio');
    const high = await fails(t, { ratio: 1.5 });
    expect(high.message).toMatch(/^ratio 1.5 is above 1/);
    expect(high.at.option).toBe('ratio');
    expect((await fails(t, { ratio: 0.5, count: 3 })).message).toBe('give either ratio or count, not both');
    expect((await fails(t, { count: 0 })).at.option).toBe('count');
  });

  test('non-numeric data in a column declared numeric', async () => {
    const t = transactions();
    t.amount[3] = 'n/a';
    const e = await fails(t, { kinds: { amount: 'amount' } });
    expect(e).toBeInstanceOf(InvalidDataError);
    expect(e.message).toBe('column \'amount\' is declared amount (numeric) but row 4 holds "n/a"');
    expect(e.at.column).toBe('amount');
  });

  test('unknown method; bad options for the default GAN sampler are refused before any training', async () => {
    expect((await fails(transactions(), { method: 'tomek' as never })).at.option).toBe('method');
    const e = await fails(transactions(), { method: 'gan', gan: { epochs: 0 } });
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("gan option 'epochs' Too small: expected number to be >0");
    expect(e.at.option).toBe('gan.epochs');
    const typo = await fails(transactions(), { method: 'gan', gan: { epoch: 3 } });
    expect(typo.message).toMatch(/^gan option 'epoch' is not a GAN option \(known: epochs, steps, timeBudgetSeconds, /);
  });
});
