import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import type { Table } from '../data/table.js';
import { Rng } from '../random/rng.js';
import { parseCondition } from './conditions.js';
import { TableEncoder, fitSampleRows } from '../encoders/index.js';
import { ENCODER_FIT_ROWS, TabularSynthesizer } from './tabular.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-tab-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Group A: x ~ N(0, 1); group B (25%): x ~ N(4, 1); flag true only in B; 5% of x missing. */
function toyTable(n: number, seed: number): Table {
  const rng = new Rng(seed);
  const g: string[] = [],
    x: (number | null)[] = [],
    f: boolean[] = [],
    k: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = rng.next() < 0.25;
    g.push(b ? 'B' : 'A');
    x.push(rng.next() < 0.05 ? null : rng.normal(b ? 4 : 0, 1));
    f.push(b && rng.next() < 0.9);
    k.push(Math.round(rng.uniform(1, 10)));
  }
  return { group: g, x, flag: f, count: k };
}

const mean = (v: unknown[]) => {
  const nums = v.filter((t): t is number => typeof t === 'number');
  return nums.reduce((a, b) => a + b, 0) / nums.length;
};

let model: TabularSynthesizer;
const columns = [
  { name: 'group', kind: 'categorical' as const },
  { name: 'x', kind: 'continuous' as const },
  { name: 'flag', kind: 'boolean' as const },
  { name: 'count', kind: 'integer' as const },
];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // One critic step and 300 generator steps keep this file under 10 s; the defaults (three critic steps) are for real
  // tables. `group` is the anchor: part of every condition vector.
  model = new TabularSynthesizer({
    columns,
    generatorDims: [64, 64],
    criticDims: [64, 64],
    noiseDim: 16,
    batchSize: 100,
    pac: 5,
    nCritic: 1,
    sampleConditionColumn: 'group',
    seed: 3,
  });
  await model.fit(toyTable(1000, 1), { epochs: 30 });
});

describe('TabularSynthesizer', () => {
  it('learns the relation between a category and a number, and conditions on it', () => {
    const a = model.sample(400, { seed: 1, conditions: [parseCondition('group=A')] });
    const b = model.sample(400, { seed: 1, conditions: [parseCondition('group=B')] });
    expect(a.group.every((v) => v === 'A')).toBe(true);
    expect(b.group.every((v) => v === 'B')).toBe(true);
    expect(mean(b.x) - mean(a.x)).toBeGreaterThan(2);
    // flag is true in 90% of B rows and never in A rows.
    expect(b.flag.filter((v) => v === true).length).toBeGreaterThan(300);
    expect(a.flag.filter((v) => v === true).length).toBeLessThan(40);
  });

  it('keeps types and models missing values', () => {
    // The missing indicator of x is a span of its own (and a condition column, learned like a rare category).
    const x = model.tableEncoder.layout.find((l) => l.name === 'x')!;
    expect(x.missingSpan).toEqual({ kind: 'discrete', width: 2, offset: x.offset + x.width - 2 });
    expect(model.tableEncoder.layout.find((l) => l.name === 'count')!.missingSpan).toBeUndefined();
    const s = model.sample(1000, { seed: 2 });
    expect(s.count.every((v) => Number.isInteger(v))).toBe(true);
    expect(s.flag.every((v) => typeof v === 'boolean')).toBe(true);
    const missing = s.x.filter((v) => v === null).length / 1000;
    // 5% of x is missing and 25% of rows are B (the anchor is drawn from its real frequencies: 0.25 +- 3 sd).
    expect(missing).toBeGreaterThan(0.02);
    expect(missing).toBeLessThan(0.1);
    const shareB = s.group.filter((v) => v === 'B').length / 1000;
    expect(shareB).toBeGreaterThan(0.25 - 3 * Math.sqrt((0.25 * 0.75) / 1000) - 0.02);
    expect(shareB).toBeLessThan(0.25 + 3 * Math.sqrt((0.25 * 0.75) / 1000) + 0.02);
  });

  it('meets range conditions by rejection, and refuses impossible ones clearly', () => {
    const s = model.sample(50, { seed: 3, conditions: [parseCondition('x>=3')] });
    expect(s.x.every((v) => typeof v === 'number' && v >= 3)).toBe(true);
    expect(() => model.sample(5, { seed: 3, conditions: [parseCondition('x>=1000')], maxTriesPerRow: 2 })).toThrow(
      /x>=1000 matched only 0 of \d+ generated rows/,
    );
  });

  it('names unknown columns and categories', () => {
    expect(() => model.sample(5, { conditions: [parseCondition('nope=1')] })).toThrow(/unknown column 'nope'/);
    expect(() => model.sample(5, { conditions: [parseCondition('group=C')] })).toThrow(/column 'group' has no category 'C' \(known: A, B\)/);
    expect(() => model.sample(5, { conditions: [parseCondition('x>=abc')] })).toThrow(/'abc' is not a number/);
    expect(() => model.sample(0)).toThrow(/positive integer/);
    expect(() => parseCondition('garbage')).toThrow(/not a condition/);
  });

  it('is seeded: the same seed gives the same rows', () => {
    expect(model.sample(100, { seed: 9 })).toEqual(model.sample(100, { seed: 9 }));
    expect(model.sample(100, { seed: 9 })).not.toEqual(model.sample(100, { seed: 10 }));
  });

  it('saves and loads to identical samples; refuses another package and damaged directories', async () => {
    const dir = join(tmp, 'm1');
    await model.save(dir, { package: '@fingan/test', packageVersion: '0.0.1' });
    const { model: back, manifest } = await TabularSynthesizer.load(dir, { package: '@fingan/test' });
    expect(manifest.kind).toBe('tabular-synthesizer');
    expect(manifest.lossHistory.length).toBeGreaterThan(0);
    expect(back.sample(200, { seed: 4, conditions: [parseCondition('group=B')] })).toEqual(
      model.sample(200, { seed: 4, conditions: [parseCondition('group=B')] }),
    );
    await expect(TabularSynthesizer.load(dir, { package: '@fingan/other' })).rejects.toThrow(
      /holds a tabular-synthesizer model from @fingan\/test, not a tabular-synthesizer from @fingan\/other/,
    );
    const w = join(dir, 'weights.bin');
    writeFileSync(w, readFileSync(w).subarray(0, 100));
    await expect(TabularSynthesizer.load(dir, { package: '@fingan/test' })).rejects.toThrow(
      /weights.bin has 100 bytes, the manifest says \d+ \(truncated or edited\)/,
    );
    await expect(TabularSynthesizer.load(join(tmp, 'nothing'), { package: '@fingan/test' })).rejects.toThrow(/does not exist/);
  });
});

describe('fineTune and scoredCandidates', () => {
  it('fine-tunes the fitted networks on a subset: its frequencies, its values, the steps added; deterministic', async () => {
    const dir = join(tmp, 'base');
    await model.save(dir, { package: '@fingan/test', packageVersion: '0.0.1' });
    // The subset: group B rows with x above 4.5 (mean about 5.1, where the base model's B rows average about 4).
    const t = toyTable(1000, 1);
    const keep = t.group.map((g, i) => g === 'B' && typeof t.x[i] === 'number' && (t.x[i] as number) > 4.5);
    const sub: Table = Object.fromEntries(Object.entries(t).map(([c, v]) => [c, v.filter((_, i) => keep[i])]));
    const tune = async () => {
      const { model: m } = await TabularSynthesizer.load(dir, { package: '@fingan/test' });
      const res = await m.fineTune(sub, { steps: 120, learningRate: 5e-4 });
      return { m, res };
    };
    const { m, res } = await tune();
    const base = model.trainingRecord!.steps;
    expect(res.steps).toBe(120);
    expect(m.trainingRecord).toEqual({ steps: base + 120, plannedSteps: base + 120, stoppedBy: 'completed', reproducible: true });
    expect(m.lossHistory.length).toBe(base + 120);
    expect(m.lossHistory.map((h) => h.step)).toEqual(Array.from({ length: base + 120 }, (_, i) => i + 1));
    // Unconditioned rows now follow the subset's frequencies (all B); B rows moved towards the subset's x.
    const free = m.sample(400, { seed: 5 });
    expect(free.group.filter((g) => g === 'B').length).toBe(400);
    const before = mean(model.sample(400, { seed: 5, conditions: [parseCondition('group=B')] }).x);
    expect(mean(free.x)).toBeGreaterThan(before + 1);
    // Same saved model, same rows, same options: the same weights.
    const again = await tune();
    expect(again.m.weightsDigest()).toBe(m.weightsDigest());
    expect(again.m.weightsDigest()).not.toBe(model.weightsDigest());
    again.m.dispose();
    m.dispose();
    await expect(m.fineTune(sub, { steps: 10 })).rejects.toThrow(/not fitted yet/);
    const fresh = (await TabularSynthesizer.load(dir, { package: '@fingan/test' })).model;
    await expect(fresh.fineTune(sub)).rejects.toThrow(/fineTune needs `steps` or `epochs`/);
    await expect(fresh.fineTune(sub, { steps: 5, learningRate: -1 })).rejects.toThrow(/learningRate must be a positive number, got -1/);
    fresh.dispose();
  });

  it('scores candidates with the critic: the rows of candidates() from the same stream, one finite score each', () => {
    const conds = [parseCondition('group=B')];
    const { rows, scores } = model.scoredCandidates(300, new Rng(9), conds);
    expect(rows).toEqual(model.candidates(300, new Rng(9), conds));
    expect(scores.length).toBe(300);
    expect(scores.every((v) => Number.isFinite(v))).toBe(true);
    expect(new Set(scores).size).toBeGreaterThan(250);
    expect(model.scoredCandidates(300, new Rng(9), conds).scores).toEqual(scores);
  });
});

describe("a table larger than the encoders' fit sample (encoderFitRows, default ENCODER_FIT_ROWS)", () => {
  it('fits the numeric encoders on a seeded reservoir of rows, deterministically; smaller tables use every row', async () => {
    expect(ENCODER_FIT_ROWS).toBe(100_000);
    const rows = fitSampleRows(400, 120, new Rng(1))!;
    expect(rows.length).toBe(120);
    expect(rows.every((r, i) => r >= 0 && r < 400 && (i === 0 || r > rows[i - 1]))).toBe(true);
    expect(fitSampleRows(400, 120, new Rng(1))).toEqual(rows);
    expect(fitSampleRows(400, 120, new Rng(2))).not.toEqual(rows);
    expect(fitSampleRows(120, 120, new Rng(1))).toBeNull();

    const table = toyTable(400, 5);
    const fit = async (encoderFitRows?: number) => {
      const m = new TabularSynthesizer({ columns, seed: 3, steps: 2, batchSize: 50, calibrate: false, encoderFitRows });
      await m.fit(table);
      const out = { encoder: JSON.stringify(m.tableEncoder.toJSON()), weights: m.weightsDigest() };
      m.dispose();
      return out;
    };
    const sampled = await fit(120);
    expect(await fit(120)).toEqual(sampled);
    // A fit sample as large as the table is the table: the same model as without one.
    expect(await fit(400)).toEqual(await fit());
    expect(sampled.encoder).not.toBe((await fit()).encoder);

    // A column whose only missing cell is outside the sample keeps its missing indicator; categories see every row.
    const x = table.x.map((v, i) => (i === 399 ? null : (v ?? 0)));
    const g = table.group.map((v, i) => (i === 399 ? 'C' : v));
    const enc = TableEncoder.fit({ ...table, x, group: g }, columns, { seed: 0, maxFitRows: 10 });
    expect(enc.layout.find((l) => l.name === 'x')!.missingSpan).toBeDefined();
    expect(enc.layout.find((l) => l.name === 'group')!.categories).toContain('C');
    expect(enc.transform({ ...table, x, group: g }).length).toBe(400 * enc.width);
  });
});
