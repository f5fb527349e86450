import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { scanModelDirectory } from './model-scan.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rng = new Rng(1);
const rows = (n: number, tag: string) => ({
  income: Array.from({ length: n }, () => Math.round(rng.normal(3000, 800) * 100) / 100),
  city: Array.from({ length: n }, (_, i) => `city-${tag}${rng.int(10_000)}-${i}`),
});
const train = rows(300, 't');
const holdout = rows(300, 'h');

describe('scanModelDirectory', () => {
  it('finds a directory that keeps the training values (a sorted copy of a column, the rows as text)', () => {
    const dir = join(tmp, 'leaky');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ quantiles: [...train.income].sort((a, b) => a - b) }));
    writeFileSync(
      join(dir, 'sub', 'notes.txt'),
      train.city
        .slice(0, 150)
        .map((c) => `"${c}"`)
        .join('\n'),
    );
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(new Float32Array([0.5, -1.25, 3]).buffer));
    const fp = (t: Record<string, unknown[]>, i: number) => `fp-${String(t.city[i])}`;
    writeFileSync(join(dir, 'hashes.json'), JSON.stringify([fp(train, 0), fp(train, 1)]));
    const s = scanModelDirectory(dir, { train, holdout, fingerprint: fp });
    expect(s.files).toEqual(['hashes.json', 'state.json', 'sub/notes.txt', 'weights.bin']);
    const income = s.columns.find((c) => c.column === 'income')!;
    expect(income.trainOnlyFound).toBe(income.trainOnly);
    expect(income.holdoutOnlyFound).toBe(0);
    expect(s.columns.find((c) => c.column === 'city')).toMatchObject({ trainOnly: 300, trainOnlyFound: 150, holdoutOnlyFound: 0 });
    expect(s.trainOnlyFoundRate).toBeGreaterThan(0.7);
    expect(s.holdoutOnlyFoundRate).toBe(0);
    expect(s.fingerprintsFound).toBe(2);
    expect(s.membershipAuc).toBeGreaterThan(0.95);
  });

  it('passes a directory of aggregates only', () => {
    const dir = join(tmp, 'clean');
    mkdirSync(dir);
    const mean = train.income.reduce((a, b) => a + b, 0) / 300;
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ mean, sd: 800.5, cities: 300 }));
    const s = scanModelDirectory(dir, { train, holdout });
    expect(s.trainOnlyFoundRate).toBe(0);
    expect(s.membershipAuc).toBe(0.5);
  });

  it('names a directory it cannot read', () => {
    expect(() => scanModelDirectory(join(tmp, 'nope'), { train, holdout })).toThrow(/cannot read model directory .*nope/);
  });
});
