import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Cell, Table } from '../data/table.js';
import { createRng, type Rng } from '../random/rng.js';
import { rocAuc } from './classification-metrics.js';
import { FeatureEncoder, labelVector } from './featurize.js';
import { GradientBoostedTrees } from './gradient-boosting.js';
import { LogisticRegression } from './logistic-regression.js';

/** Minimal CSV reader for the test only: header row, double-quoted strings, empty field = missing, numbers otherwise. */
function readCsv(text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const parse = (line: string): { v: string; quoted: boolean }[] => {
    const out: { v: string; quoted: boolean }[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') {
            v += '"';
            i += 2;
          } else if (line[i] === '"') break;
          else v += line[i++];
        }
        out.push({ v, quoted: true });
        i += 2; // closing quote and comma
      } else {
        const j = line.indexOf(',', i);
        const end = j < 0 ? line.length : j;
        out.push({ v: line.slice(i, end), quoted: false });
        i = end + 1;
      }
    }
    return out;
  };
  const header = parse(lines[0]).map((f) => f.v);
  const table: Table = Object.fromEntries(header.map((h) => [h, [] as Cell[]]));
  for (const line of lines.slice(1)) {
    const fields = parse(line);
    header.forEach((h, j) => {
      const f = fields[j];
      table[h].push(f === undefined || f.v === '' ? null : f.quoted ? f.v : Number(f.v));
    });
  }
  return table;
}

function split<T>(rows: T[], y: ArrayLike<number>, trainShare: number, rng: Rng) {
  const perm = rng.permutation(rows.length);
  const cut = Math.round(rows.length * trainShare);
  const pick = (idx: Int32Array) => ({ X: Array.from(idx, (i) => rows[i]), y: Float64Array.from(idx, (i) => y[i]) });
  return { train: pick(perm.subarray(0, cut)), test: pick(perm.subarray(cut)) };
}

describe('GradientBoostedTrees', () => {
  it('fits one stump to the hand-computed Newton leaf values', () => {
    // base score logit(1/2) = 0, so g = p - y = (.5, .5, -.5, -.5) and h = .25 each. The best cut is between 2 and 3
    // (threshold 2.5); leaves -G/(H + l2) = -1/(0.5 + 0) = -2 and +2, i.e. probabilities sigmoid(-+2).
    const m = new GradientBoostedTrees({
      nEstimators: 1,
      learningRate: 1,
      maxDepth: 1,
      minSamplesLeaf: 1,
      subsample: 1,
      l2: 0,
    }).fit([[1], [2], [3], [4]], [0, 0, 1, 1]);
    const p = m.predictProba([[1], [2.4], [2.6], [9]]);
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    expect(Array.from(p).map((v) => +v.toFixed(12))).toEqual([s(-2), s(-2), s(2), s(2)].map((v) => +v.toFixed(12)));
    // no NaN seen in training: a NaN follows the larger child; with a 2/2 tie that is the left one
    expect(m.predictProba([[NaN]])[0]).toBeCloseTo(s(-2), 12);
    // with l2 = 1 the leaves shrink to -+1/(0.5 + 1) = -+2/3
    const m1 = new GradientBoostedTrees({
      nEstimators: 1,
      learningRate: 1,
      maxDepth: 1,
      minSamplesLeaf: 1,
      subsample: 1,
      l2: 1,
    }).fit([[1], [2], [3], [4]], [0, 0, 1, 1]);
    expect(m1.predictProba([[4]])[0]).toBeCloseTo(s(2 / 3), 12);
    expect(Array.from(m1.featureImportances())).toEqual([1]);
  });

  it('learns an XOR interaction that logistic regression cannot', () => {
    const rng = createRng(3);
    const rows: Float64Array[] = [],
      y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const r = Float64Array.from({ length: 6 }, () => rng.uniform(-1, 1));
      rows.push(r);
      y.push(r[0] * r[1] > 0 ? 1 : 0);
    }
    const { train, test } = split(rows, y, 0.7, rng);
    const gbt = new GradientBoostedTrees({ seed: 1 }).fit(train.X, train.y);
    const aucGbt = rocAuc(test.y, gbt.predictProba(test.X));
    const aucLr = rocAuc(test.y, new LogisticRegression().fit(train.X, train.y).predictProba(test.X));
    expect(aucGbt).toBeGreaterThan(0.95);
    expect(aucLr).toBeLessThan(0.6);
    const imp = gbt.featureImportances();
    expect(imp[0] + imp[1]).toBeGreaterThan(0.8);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('routes missing values natively when missingness is the signal', () => {
    // Feature 0 is NaN for 80% of positives and 10% of negatives, otherwise pure noise like feature 1.
    // Best possible AUC of the two-level score: .8 * .9 + (.8 * .1 + .2 * .9) / 2 = 0.85.
    const rng = createRng(4);
    const rows: Float64Array[] = [],
      y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const label = rng.next() < 0.4 ? 1 : 0;
      const missing = rng.next() < (label ? 0.8 : 0.1);
      rows.push(Float64Array.from([missing ? NaN : rng.normal(), rng.normal()]));
      y.push(label);
    }
    const { train, test } = split(rows, y, 0.7, rng);
    const m = new GradientBoostedTrees({ nEstimators: 50 }).fit(train.X, train.y);
    expect(rocAuc(test.y, m.predictProba(test.X))).toBeGreaterThan(0.8);
    const [pNaN, pValue] = m.predictProba([Float64Array.from([NaN, 0]), Float64Array.from([0, 0])]);
    // P(y=1 | NaN) = .4*.8 / (.4*.8 + .6*.1) = 0.842; P(y=1 | value) = .4*.2 / (.4*.2 + .6*.9) = 0.129
    expect(pNaN).toBeGreaterThan(0.7);
    expect(pValue).toBeLessThan(0.25);
  });

  it('is deterministic for a seed and varies with it', () => {
    const rng = createRng(9);
    const X = Array.from({ length: 600 }, () => Float64Array.from({ length: 5 }, () => rng.normal()));
    const y = X.map((r) => (r[0] + r[1] * r[2] + rng.normal() > 0 ? 1 : 0));
    const opts = { nEstimators: 30, subsample: 0.7, colsampleByTree: 0.6 };
    const a = new GradientBoostedTrees({ ...opts, seed: 5 }).fit(X, y).predictProba(X);
    const b = new GradientBoostedTrees({ ...opts, seed: 5 }).fit(X, y).predictProba(X);
    const c = new GradientBoostedTrees({ ...opts, seed: 6 }).fit(X, y).predictProba(X);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('fits 7000 x 30 with the default 200 trees of depth 3 and learns an interaction (its speed is in npm run bench)', () => {
    const rng = createRng(1);
    const X = Array.from({ length: 7000 }, () => Float64Array.from({ length: 30 }, () => rng.normal()));
    const y = X.map((r) => (r[0] * r[1] + 0.5 * r[2] + 0.5 * rng.normal() > 0 ? 1 : 0));
    const m = new GradientBoostedTrees().fit(X, y);
    expect(rocAuc(y, m.predictProba(X))).toBeGreaterThan(0.9);
  });

  it('ranks held-out credit applicants sensibly (credit_scoring_modeldata.csv, Status bad)', () => {
    const url = new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url);
    const table = readCsv(readFileSync(url, 'utf8'));
    expect(table.Status.length).toBe(4454); // data/PROVENANCE.md: 4454 rows, 1254 bad
    const y = labelVector(table.Status, 'bad');
    expect(y.reduce((a, b) => a + b, 0)).toBe(1254);
    const enc = FeatureEncoder.fit(table, { mode: 'ordinal', exclude: ['Status'] });
    const { train, test } = split(enc.transform(table), y, 0.7, createRng(42));
    const m = new GradientBoostedTrees({ seed: 0 }).fit(train.X, train.y);
    const auc = rocAuc(test.y, m.predictProba(test.X));
    // Published GBM/random-forest results on this data are around 0.82-0.85 AUC.
    expect(auc).toBeGreaterThan(0.78);
    expect(auc).toBeLessThan(0.95);
  });

  it('rejects bad options and inputs', () => {
    expect(() => new GradientBoostedTrees({ maxBins: 300 })).toThrow('maxBins must be an integer in [2, 255]');
    expect(() => new GradientBoostedTrees({ subsample: 0 })).toThrow('subsample');
    expect(() => new GradientBoostedTrees().fit([[1], [2]], [1, 1])).toThrow('both classes');
    expect(() => new GradientBoostedTrees().predictProba([[1]])).toThrow('not fitted');
  });
});

describe('sample weights', () => {
  // Few distinct values, so duplicating rows leaves the bin edges as they are.
  const X = [[1], [2], [3], [4], [5], [1], [2], [3]];
  const y = [0, 0, 1, 1, 1, 0, 1, 0];
  const opts = { nEstimators: 5, maxDepth: 2, minSamplesLeaf: 1, subsample: 1 };
  const probe = [[1], [2], [3], [4], [5]];
  it('a weight of 2 is a duplicated row; weights of 1 are the unweighted fit, bit for bit', () => {
    const w = [1, 1, 1, 1, 1, 1, 2, 1];
    const weighted = new GradientBoostedTrees(opts).fit(X, y, w).predictProba(probe);
    const duplicated = new GradientBoostedTrees(opts).fit([...X, [2]], [...y, 1]).predictProba(probe);
    for (let i = 0; i < probe.length; i++) expect(weighted[i]).toBeCloseTo(duplicated[i], 12);
    expect(Array.from(new GradientBoostedTrees(opts).fit(X, y, new Array(8).fill(1)).predictProba(probe))).toEqual(
      Array.from(new GradientBoostedTrees(opts).fit(X, y).predictProba(probe)),
    );
    expect(() => new GradientBoostedTrees(opts).fit(X, y, [1, 1])).toThrow(/sampleWeight has 2 values for 8 rows/);
    expect(() => new GradientBoostedTrees(opts).fit(X, y, [1, 1, 1, 1, 1, 1, -1, 1])).toThrow(/sampleWeight\[6\] must be/);
  });
  it('logistic regression: a weight of 2 is a duplicated row', () => {
    const w = [1, 1, 1, 1, 1, 1, 2, 1];
    const a = new LogisticRegression().fit(X, y, w);
    const b = new LogisticRegression().fit([...X, [2]], [...y, 1]);
    expect(a.intercept).toBeCloseTo(b.intercept, 8);
    expect(a.coefficients[0]).toBeCloseTo(b.coefficients[0], 8);
  });
});
