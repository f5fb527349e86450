import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TabularSynthesizer, initBackend, rowCount, takeRows, type Table } from '@fingan/gan-core';
import { CreditSynthesizer, DEFAULT_STEPS, type CreditModelArgs } from './credit-synthesizer.js';
import { evaluateSynthetic } from '../metrics/evaluate.js';
import { exactCopyMask } from '../metrics/privacy.js';
import { readLoanBook } from '../schema/read.js';
import { ruleMask } from '../schema/schema.js';
import { splitTrainTest } from '../metrics/split.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-credit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = (f: string) => fileURLToPath(new URL(`../../../../data/${f}`, import.meta.url));

/** Small networks and a few epochs: these tests check behaviour, not quality (that is the benchmark's job). */
const SMALL: CreditModelArgs = { generatorDims: [64, 64], criticDims: [64, 64], noiseDim: 32, batchSize: 100, pac: 5, nCritic: 1 };

let train: Table;
let test: Table;
let model: CreditSynthesizer;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const book = readLoanBook(data('credit_scoring_modeldata.csv'), { target: 'Status' });
  const split = splitTrainTest(book.table, { seed: 0, stratify: 'Status' });
  train = takeRows(
    split.train,
    Array.from({ length: 800 }, (_, i) => i),
  );
  test = takeRows(
    split.test,
    Array.from({ length: 400 }, (_, i) => i),
  );
  model = new CreditSynthesizer({ target: 'Status', seed: 1, epochs: 4, model: SMALL });
  await model.fit(train);
});

describe('CreditSynthesizer on 800 rows of the credit book', () => {
  it('samples rows that meet every bound and rule, with integer columns integral', () => {
    const { table, report } = model.sampleWithReport(400, { seed: 2 });
    expect(rowCount(table)).toBe(400);
    expect(report.rows).toBe(400);
    expect(report.generated).toBeGreaterThanOrEqual(400);
    expect(report.generated - report.rows).toBeGreaterThanOrEqual(report.ruleViolationsDropped + report.exactCopiesDropped);
    expect(Array.from(ruleMask(table, model.schema.rules)).every((v) => v === 1)).toBe(true);
    for (const c of model.schema.columns) {
      if (c.min === undefined) continue;
      expect(table[c.name].every((v) => v === null || (Number.isInteger(v) && (v as number) >= c.min! && (v as number) <= c.max!))).toBe(true);
    }
    expect(Object.keys(table)).toEqual(Object.keys(train));
  });

  it('meets categorical and range conditions, and is seeded', () => {
    const bad = model.sample(100, { seed: 3, conditions: ['Status=bad', 'Income>=100'] });
    expect(bad.Status.every((v) => v === 'bad')).toBe(true);
    expect(bad.Income.every((v) => typeof v === 'number' && v >= 100)).toBe(true);
    expect(model.sample(50, { seed: 4 })).toEqual(model.sample(50, { seed: 4 }));
    expect(model.sample(50, { seed: 4 })).not.toEqual(model.sample(50, { seed: 5 }));
    expect(() => model.sample(5, { conditions: ['Status=ugly'] })).toThrow(/column 'Status' has no category 'ugly' \(known: good, bad\)/);
    expect(() => model.sample(5, { conditions: ['Colour=red'] })).toThrow(/unknown column 'Colour'/);
    expect(() => model.sample(0)).toThrow(/positive integer, got 0/);
  });

  it('is evaluated end to end (every metric a number in range)', () => {
    const ev = evaluateSynthetic({ train, test, synthetic: model.sample(800, { seed: 6 }), schema: model.schema });
    const m = ev.metrics;
    for (const k of ['columnShapes', 'pairTrends', 'tstrAuc', 'trtrAuc', 'tstrAucLr', 'trtrAucLr', 'dcrSyntheticMedian', 'dcrHoldoutMedian'] as const) {
      expect(m[k]).toBeGreaterThanOrEqual(0);
      expect(m[k]).toBeLessThanOrEqual(1);
    }
    // The calibrated marginals hold even after 32 steps; the privacy guard leaves no copies.
    expect(m.columnShapes).toBeGreaterThan(0.85);
    expect(m.exactCopies).toBe(0);
    expect(m.ruleAdherence).toBe(1);
  });

  it('saves and loads to the same samples; refuses another package and damaged directories', async () => {
    const dir = join(tmp, 'credit-model');
    await model.save(dir);
    const back = await CreditSynthesizer.load(dir);
    expect(back.schema).toEqual(model.schema);
    expect(back.sample(100, { seed: 7, conditions: ['Status=bad'] })).toEqual(model.sample(100, { seed: 7, conditions: ['Status=bad'] }));
    const other = new TabularSynthesizer({
      columns: [{ name: 'a', kind: 'continuous' }],
      batchSize: 10,
      pac: 1,
      nCritic: 1,
      generatorDims: [8],
      criticDims: [8],
      calibrate: false,
    });
    await other.fit({ a: Array.from({ length: 20 }, (_, i) => i) }, { epochs: 1 });
    await other.save(join(tmp, 'fraud-model'), { package: '@fingan/fraud-detection', packageVersion: '0.1.0' });
    await expect(CreditSynthesizer.load(join(tmp, 'fraud-model'))).rejects.toThrow(
      /holds a tabular-synthesizer model from @fingan\/fraud-detection, not a credit-synthesizer from @fingan\/credit-risk/,
    );
    const state = join(dir, 'state.json');
    writeFileSync(state, readFileSync(state, 'utf8').replace('"Status"', '"Statu5"'));
    await expect(CreditSynthesizer.load(dir)).rejects.toThrow(/state.json does not match its checksum in the manifest/);
  });
});

describe('training length', () => {
  it('counts epochs as full passes over the book and records a completed, reproducible run', () => {
    // 800 rows in batches of 100: 8 steps a pass, 4 passes.
    expect(model.trainingRecord).toEqual({ steps: 32, plannedSteps: 32, stoppedBy: 'completed', reproducible: true });
    expect(model.lossHistory).toHaveLength(32);
  });

  /** The steps a fit plans, read from its start event (the fit is then abandoned). */
  async function plannedSteps(m: CreditSynthesizer, opts: { epochs?: number; steps?: number } = {}): Promise<number> {
    let total = -1;
    const stop = new Error('planned');
    await expect(
      m.fit(
        takeRows(
          train,
          Array.from({ length: 250 }, (_, i) => i),
        ),
        {
          ...opts,
          onEvent: (e) => {
            if (e.type === 'start') {
              total = e.totalSteps;
              throw stop;
            }
          },
        },
      ),
    ).rejects.toBe(stop);
    return total;
  }

  it('trains DEFAULT_STEPS generator steps by default, whatever the size of the book, and no clock stops it', async () => {
    const m = new CreditSynthesizer({ target: 'Status', seed: 1, model: SMALL });
    expect(DEFAULT_STEPS).toBe(400);
    expect(await plannedSteps(m)).toBe(400);
    // 250 rows in batches of 100: 3 steps a pass.
    expect(await plannedSteps(m, { epochs: 5 })).toBe(15);
    expect(await plannedSteps(m, { steps: 7 })).toBe(7);
    expect(await plannedSteps(new CreditSynthesizer({ target: 'Status', seed: 1, model: SMALL, epochs: 2 }))).toBe(6);
    await expect(m.fit(train, { epochs: 1, steps: 2 })).rejects.toThrow(/give epochs or steps, not both/);
    await expect(m.fit(train, { epochs: 1.5 })).rejects.toThrow(/epochs must be a positive integer \(full passes over the data\), got 1.5/);
  });

  it('records that a fit under an opt-in time limit is not reproducible', async () => {
    const m = new CreditSynthesizer({ target: 'Status', seed: 1, model: SMALL, steps: 2, timeBudgetSeconds: 600 });
    const res = await m.fit(
      takeRows(
        train,
        Array.from({ length: 100 }, (_, i) => i),
      ),
    );
    expect(res).toMatchObject({ steps: 2, stoppedBy: 'completed', reproducible: false });
    await m.save(join(tmp, 'limited'));
    expect(JSON.parse(readFileSync(join(tmp, 'limited', 'manifest.json'), 'utf8')).training).toEqual({
      steps: 2,
      plannedSteps: 2,
      stoppedBy: 'completed',
      reproducible: false,
    });
    m.dispose();
  });

  it('gives byte-identical model files and samples for the same seed (also with the table emptied at start), different ones for another', async () => {
    const rows = takeRows(
      train,
      Array.from({ length: 200 }, (_, i) => i),
    );
    const fitSave = async (seed: number, name: string, emptyAtStart = false) => {
      const m = new CreditSynthesizer({ target: 'Status', seed, model: SMALL, steps: 6 });
      // The rows are read before training starts (the CLI empties a large book then): the same model either way.
      const book: Table = emptyAtStart ? { ...rows } : rows;
      await m.fit(book, { onEvent: (e) => void (emptyAtStart && e.type === 'start' && Object.keys(book).forEach((k) => (book[k] = []))) });
      if (emptyAtStart) expect(rowCount(book)).toBe(0);
      await m.save(join(tmp, name));
      // The exact-copy guard hashed every row before training (its key is random, so only the count compares).
      m.writePrivacyGuard(join(tmp, `${name}.guard.json`));
      const distinct = new Set(
        rows.Status.map((_, i) =>
          Object.keys(rows)
            .map((k) => String(rows[k][i]))
            .join('|'),
        ),
      ).size;
      expect((JSON.parse(readFileSync(join(tmp, `${name}.guard.json`), 'utf8')) as { rows: string[] }).rows).toHaveLength(distinct);
      const sample = m.sample(60, { seed: 9 });
      m.dispose();
      return sample;
    };
    const a = await fitSave(3, 'same-a');
    const b = await fitSave(3, 'same-b');
    const c = await fitSave(4, 'other');
    const emptied = await fitSave(3, 'same-emptied', true);
    for (const f of ['manifest.json', 'model.json', 'weights.bin', 'state.json']) {
      expect(readFileSync(join(tmp, 'same-b', f)).equals(readFileSync(join(tmp, 'same-a', f))), f).toBe(true);
      expect(readFileSync(join(tmp, 'same-emptied', f)).equals(readFileSync(join(tmp, 'same-a', f))), f).toBe(true);
    }
    expect(emptied).toEqual(a);
    expect(readFileSync(join(tmp, 'other', 'weights.bin')).equals(readFileSync(join(tmp, 'same-a', 'weights.bin')))).toBe(false);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('the privacy guard', () => {
  it('drops synthetic rows that copy a training row', async () => {
    // Three yes/no columns and the target: only 16 distinct rows exist, and training holds the 8 with a = b.
    const n = 160;
    const t: Table = { y: [], a: [], b: [], c: [] };
    for (let i = 0; i < n; i++) {
      t.y.push(i % 4 === 0 ? 'bad' : 'good');
      t.a.push(i % 2 ? 'yes' : 'no');
      t.b.push(i % 2 ? 'yes' : 'no');
      t.c.push(i % 3 ? 'yes' : 'no');
    }
    const s = new CreditSynthesizer({ target: 'y', seed: 1, epochs: 2, model: { ...SMALL, calibrate: false } });
    await s.fit(t);
    const { table, report } = s.sampleWithReport(40, { seed: 1, maxTriesPerRow: 500 });
    expect(report.exactCopiesDropped).toBeGreaterThan(0);
    expect(Array.from(exactCopyMask(table, t, ['y', 'a', 'b', 'c'])).every((v) => v === 0)).toBe(true);
    const unguarded = s.sample(40, { seed: 1, privacyGuard: false });
    expect(Array.from(exactCopyMask(unguarded, t, ['y', 'a', 'b', 'c'])).some((v) => v === 1)).toBe(true);
  });
});
