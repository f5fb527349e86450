import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import type { Table } from '../data/table.js';
import { UsageError } from '../errors.js';
import { dpSgdEpsilon, rdpGaussian } from '../privacy/rdp.js';
import { scanModelDirectory } from '../privacy/model-scan.js';
import { Rng } from '../random/rng.js';
import { checkDpArgs, normalTail, planTabularDp, releaseHistograms, surrogateTable } from './tabular-dp.js';
import { TabularSynthesizer } from './tabular.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-tabdp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function toy(n: number, seed: number): Table {
  const rng = new Rng(seed);
  const g: string[] = [],
    x: (number | null)[] = [],
    f: boolean[] = [],
    k: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = rng.next() < 0.3;
    g.push(b ? 'B' : 'A');
    x.push(rng.next() < 0.1 ? null : Math.round(rng.normal(b ? 4000 : 1500, 300) * 100) / 100);
    f.push(b && rng.next() < 0.9);
    k.push(Math.round(rng.uniform(1, 10)));
  }
  return { group: g, x, flag: f, count: k };
}
const columns = [
  { name: 'group', kind: 'categorical' as const },
  { name: 'x', kind: 'continuous' as const, method: 'quantile' as const },
  { name: 'flag', kind: 'boolean' as const },
  { name: 'count', kind: 'integer' as const },
];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('the DP budget plan', () => {
  it('composes DP-SGD with the statistics and stays within the requested epsilon', () => {
    const p = planTabularDp({ dp: { epsilon: 3 }, n: 3000, batchSize: 200, criticSteps: 1920, columns: 10, jointTables: 9, categoricalColumns: 4 });
    expect(p.delta).toBe(1e-5);
    expect(p.q).toBeCloseTo(200 / 3000, 12);
    expect(p.deltaThreshold).toBeCloseTo(2.5e-6, 12);
    const total = dpSgdEpsilon({ q: p.q, sigma: p.noiseMultiplier, steps: 1920, delta: p.deltaRdp, extraRdp: (a) => rdpGaussian(19, p.statsNoise, a) }).epsilon;
    expect(total).toBeLessThanOrEqual(3);
    expect(total).toBeGreaterThan(2.95); // the smallest noise that fits, not a wasteful one
    // The statistics alone would spend statsShare (25%) of epsilon.
    expect(dpSgdEpsilon({ q: 0, sigma: 1, steps: 0, delta: p.deltaRdp, extraRdp: (a) => rdpGaussian(19, p.statsNoise, a) }).epsilon).toBeCloseTo(0.75, 2);
    // A category held by one row is released with probability deltaThreshold / categorical columns.
    expect(normalTail((p.categoryThreshold! - 1) / p.statsNoise)).toBeCloseTo(2.5e-6 / 4, 8);
    expect(normalTail(1.959964)).toBeCloseTo(0.025, 6);
  });

  it('refuses bad epsilon and delta naming the flag', () => {
    expect(() => checkDpArgs({ epsilon: 0 }, 100)).toThrow(/^--epsilon must be a positive number, got 0$/);
    expect(() => checkDpArgs({ epsilon: Number.NaN }, 100)).toThrow(/--epsilon/);
    expect(() => checkDpArgs({ epsilon: 1, delta: 0.01 }, 100)).toThrow(
      /^--delta must be a positive number below 1\/rows = 0\.0100 \(the table has 100 rows\)/,
    );
    try {
      checkDpArgs({ epsilon: -1 }, 100);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).at.option).toBe('epsilon');
    }
  });
});

describe('released statistics', () => {
  it('histograms hide rare categories and give the encoder a surrogate table, never the real values', () => {
    const t = toy(600, 1);
    t.group[0] = 'rare-one';
    const released = releaseHistograms(t, columns, 2, 12, new Rng(1));
    expect(released[0].categories!.map((c) => c.value)).toEqual(['A', 'B']);
    expect(released[2].categories!.map((c) => c.value)).toEqual([false, true]);
    expect(released[1].missing).toBeGreaterThan(30);
    const s = surrogateTable(released, columns, 500);
    const realX = new Set(t.x.filter((v) => v !== null));
    expect(s.x.filter((v) => v !== null && realX.has(v)).length).toBe(0);
    expect(s.x.filter((v) => v === null).length).toBeGreaterThan(20);
    expect(s.count.every((v) => v === null || Number.isInteger(v))).toBe(true);
  });
});

describe('a DP fit', () => {
  const fit = async (seed: number) => {
    const m = new TabularSynthesizer({
      columns,
      generatorDims: [16],
      criticDims: [16],
      noiseDim: 8,
      batchSize: 50,
      nCritic: 1,
      sampleConditionColumn: 'group',
      seed,
      dp: { epsilon: 8 },
    });
    await m.fit(toy(500, 2), { steps: 3 });
    return m;
  };

  it('finishes, states its guarantee in the manifest, and gives the same bytes for the same seed', async () => {
    const a = await fit(4);
    const b = await fit(4);
    const da = join(tmp, 'a');
    const db = join(tmp, 'b');
    await a.save(da, { package: 't', packageVersion: '0' });
    await b.save(db, { package: 't', packageVersion: '0' });
    for (const f of ['manifest.json', 'state.json', 'weights.bin', 'model.json'])
      expect(readFileSync(join(da, f)).equals(readFileSync(join(db, f)))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(da, 'manifest.json'), 'utf8'));
    expect(manifest.privacy).toMatchObject({ epsilon: 8, delta: 1e-5, sampling: 'poisson', samplingRate: 0.1, criticSteps: 3, clipNorm: 1 });
    expect(manifest.privacy.epsilonSpent).toBeLessThanOrEqual(8);
    expect(manifest.privacy.noiseMultiplier).toBeGreaterThan(0);
    expect(manifest.trainingConfig.pac).toBe(1);
    expect(JSON.parse(readFileSync(join(da, 'state.json'), 'utf8')).calibration).not.toBeNull();
    const rows = a.sample(100, { seed: 1 });
    expect(rows.group.every((v) => v === 'A' || v === 'B')).toBe(true);
    const loaded = await TabularSynthesizer.load(da, { package: 't' });
    expect(loaded.model.dpRecord).toEqual(a.dpRecord);
    expect(loaded.model.sample(50, { seed: 2 })).toEqual(a.sample(50, { seed: 2 }));
    const scan = scanModelDirectory(da, { train: toy(500, 2), holdout: toy(500, 3) });
    expect(scan.trainOnlyFoundRate).toBe(0);
    [a, b, loaded.model].forEach((m) => m.dispose());
  });
});
