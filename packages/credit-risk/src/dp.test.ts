import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, initBackend, scanModelDirectory, takeRows, type Table } from '@fingan/gan-core';
import { CreditSynthesizer, type CreditModelArgs } from './model/credit-synthesizer.js';
import { readLoanBook } from './schema/read.js';
import { splitTrainTest } from './metrics/split.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-credit-dp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = (f: string) => fileURLToPath(new URL(`../../../data/${f}`, import.meta.url));
const SMALL: CreditModelArgs = { generatorDims: [32], criticDims: [32], noiseDim: 16, batchSize: 100, nCritic: 1 };

let train: Table;
let holdout: Table;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const book = readLoanBook(data('credit_scoring_modeldata.csv'), { target: 'Status' });
  const split = splitTrainTest(book.table, { seed: 0, stratify: 'Status' });
  train = takeRows(
    split.train,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  holdout = split.test;
});

describe('a differentially private credit fit (--epsilon)', () => {
  it('states its guarantee, takes bounds and rules from nothing but noisy counts, and gives the same bytes for a seed', async () => {
    const fit = async () => {
      const s = new CreditSynthesizer({ target: 'Status', seed: 2, steps: 3, model: SMALL, epsilon: 3 });
      await s.fit(train);
      return s;
    };
    const a = await fit();
    const b = await fit();
    const [da, db] = [join(tmp, 'a'), join(tmp, 'b')];
    await a.save(da);
    await b.save(db);
    for (const f of ['manifest.json', 'state.json', 'weights.bin', 'model.json'])
      expect(readFileSync(join(da, f)).equals(readFileSync(join(db, f)))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(da, 'manifest.json'), 'utf8'));
    expect(manifest.privacy).toMatchObject({ epsilon: 3, delta: 1e-5, samplingRate: 0.1, criticSteps: 3, clipNorm: 1, sampling: 'poisson' });
    expect(manifest.privacy.epsilonSpent).toBeLessThanOrEqual(3);
    expect(manifest.privacy.statistics.share).toBe(0.25);
    expect(a.dpRecord).toEqual(manifest.privacy);
    // No name-recognised rules (keeping one reads every row); bounds come from released histogram bins.
    expect(a.schema.rules).toEqual([]);
    expect(a.schema.positive).toBe('bad');
    const income = a.schema.columns.find((c) => c.name === 'Income')!;
    expect(income.min).toBeLessThan(income.max!);
    // No exact-copy guard under DP: it would read the training rows at sample time.
    expect(a.hasPrivacyGuard).toBe(false);
    expect(() => a.writePrivacyGuard(join(tmp, 'guard'))).toThrow(/differentially private model has no exact-copy guard/);
    const { table, report } = a.sampleWithReport(200, { seed: 1 });
    expect(report.exactCopyGuard).toBe('off');
    expect(table.Status.every((v) => v === 'good' || v === 'bad')).toBe(true);
    const scan = scanModelDirectory(da, { train, holdout });
    expect(scan.fingerprintsFound).toBe(0);
    expect(Math.abs(scan.membershipAuc - 0.5)).toBeLessThan(0.05);
    const loaded = await CreditSynthesizer.load(da);
    expect(loaded.dpRecord).toEqual(a.dpRecord);
    [a, b, loaded].forEach((s) => s.dispose());
  });

  it('refuses a bad epsilon or delta naming the option', async () => {
    expect(() => new CreditSynthesizer({ target: 'Status', epsilon: 0 })).toThrow(/epsilon must be a positive number, got 0/);
    expect(() => new CreditSynthesizer({ target: 'Status', epsilon: Number.NaN })).toThrow(UsageError);
    expect(() => new CreditSynthesizer({ target: 'Status', delta: 1e-6 })).toThrow(/delta is given without epsilon/);
    const s = new CreditSynthesizer({ target: 'Status', epsilon: 1, delta: 0.01, steps: 1, model: SMALL });
    await expect(s.fit(train)).rejects.toThrow(/--delta must be a positive number below 1\/rows = 0\.00100 \(the table has 1000 rows\), got 0\.01/);
  });
});
