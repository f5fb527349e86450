import { bestF1, computeMetrics, prAuc, recallAtPrecision, rocAuc } from '@fingan/gan-core/stats';
import { FRAUD_METRICS } from './index.js';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { InvalidDataError, UsageError, createRng, rowAt, takeRows, type Table } from '@fingan/gan-core';
import type { GanSampler } from '../model/augment.js';
import { METRICS, evaluateAugmentation, recommend, type DetectorModel, type EvaluateOptions, type EvaluationResult } from './evaluate.js';

/**
 * The bundled rare-class set is LendingClub loan data (Q1 2016): `Class` is 'bad' for charged-off, defaulted or
 * 21-120 days late loans (517 of 9857, 5.2%). These are loan defaults, not fraud; no fraud-labelled data is bundled.
 * The file has no quoted commas (23 fields on every line), so splitting on ',' is exact.
 */
function readLendingClub(): Table {
  const text = readFileSync(new URL('../../../../data/lending_club_2016q1.csv', import.meta.url), 'utf8');
  const [head, ...lines] = text.trim().split('\n');
  const names = head.split(',').map((h) => h.slice(1, -1));
  const t: Table = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) {
    line.split(',').forEach((f, j) => t[names[j]].push(f === '' ? null : f.startsWith('"') ? f.slice(1, -1) : Number(f)));
  }
  return t;
}

const all = readLendingClub();
/** A seeded slice: 1500 training and 1000 test rows, disjoint. */
function slice(): { train: Table; test: Table } {
  const p = createRng(2016).permutation(all.Class.length);
  return { train: takeRows(all, p.subarray(0, 1500)), test: takeRows(all, p.subarray(1500, 2500)) };
}
const fast = { nEstimators: 30, maxDepth: 3 };

describe('evaluateAugmentation on a slice of the LendingClub loan-default data', () => {
  test('header and class balance are what the tests assume', () => {
    expect(Object.keys(all)).toHaveLength(23);
    expect(Object.keys(all).slice(0, 3)).toEqual(['funded_amnt', 'term', 'int_rate']);
    expect(all.Class.filter((v) => v === 'bad')).toHaveLength(517);
    expect(all.Class).toHaveLength(9857);
  });

  test('the metric names are the metric objects, each computing its gan-core statistic', () => {
    expect(FRAUD_METRICS.map((m) => m.name)).toEqual([...METRICS]);
    expect(FRAUD_METRICS.every((m) => m.goal === 'maximize')).toBe(true);
    const yTrue = [1, 0, 1, 0, 0, 1, 0, 0];
    const scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.6, 0.1, 0.4];
    const v = Object.fromEntries(computeMetrics(FRAUD_METRICS, { yTrue, scores }).map((m) => [m.name, m.value]));
    expect(v).toEqual({
      prAuc: prAuc(yTrue, scores),
      rocAuc: rocAuc(yTrue, scores),
      recallAtP90: recallAtPrecision(yTrue, scores, 0.9),
      recallAtP50: recallAtPrecision(yTrue, scores, 0.5),
      f1: bestF1(yTrue, scores).f1,
    });
    expect(v.rocAuc).toBeCloseTo(13 / 15, 12); // 13 of the 15 positive-negative pairs ranked right
  });

  test("'none' and 'smote' over 2 seeds give finite metrics with a spread", async () => {
    const { train, test: testSplit } = slice();
    const nPos = train.Class.filter((v) => v === 'bad').length;
    const nNeg = 1500 - nPos;
    const r = await evaluateAugmentation({
      train,
      test: testSplit,
      label: 'Class',
      positive: 'bad',
      methods: ['smote'],
      seeds: [1, 2],
      allowFewerSeeds: true,
      detector: fast,
    });
    expect(r.methods.map((m) => m.method)).toEqual(['none', 'smote']);
    expect(r.train).toEqual({ positives: nPos, negatives: nNeg, prevalence: nPos / 1500 });
    expect(r.test.rows).toBe(1000);
    for (const m of r.methods) {
      for (const k of METRICS) {
        const s = m.metrics[k];
        expect(s.values).toHaveLength(2);
        expect(Number.isFinite(s.mean) && Number.isFinite(s.sd)).toBe(true);
        expect(s.mean).toBeGreaterThanOrEqual(0);
        expect(s.mean).toBeLessThanOrEqual(1);
        // sd over two seeds = |a - b| / sqrt(2) (n - 1 in the denominator).
        expect(s.sd).toBeCloseTo(Math.abs(s.values[0] - s.values[1]) / Math.SQRT2, 12);
        expect(s.mean).toBeCloseTo((s.values[0] + s.values[1]) / 2, 12);
      }
      // Interest rate and grade predict default: well above chance, far from perfect.
      expect(m.metrics.rocAuc.mean).toBeGreaterThan(0.55);
      expect(m.metrics.rocAuc.mean).toBeLessThan(0.9);
    }
    // Ratio 1 (imblearn default): floor(1 * negatives - positives) added each seed.
    expect(r.methods[1].added).toEqual([nNeg - nPos, nNeg - nPos]);
    expect(r.methods[0].added).toEqual([0, 0]);
    expect(r.prCurves.map((c) => c.method)).toEqual(['none', 'smote']);
    expect(r.samples.real.Class).toHaveLength(nPos);
    expect(r.samples.synthetic.smote!.Class).toHaveLength(nNeg - nPos);
    // Membership attacks on the synthetic positives: for the methods that add rows only, first seed.
    expect(r.methods[0].privacy).toBeUndefined();
    const p = r.methods[1].privacy!;
    expect(p.dcr.rows).toBe(Math.min(nPos, r.test.positives));
    expect(p.density.rows).toBe(Math.min(nPos, r.test.positives - Math.floor(r.test.positives / 2)));
    for (const a of [p.dcr, p.density]) expect(a.auc >= 0 && a.auc <= 1).toBe(true);
    expect(p.verdict).toMatch(/attack on the synthetic positives: ROC-AUC/);
  });

  test('random oversampling copies training positives, and the membership attack says so', async () => {
    const { train, test: testSplit } = slice();
    const r = await evaluateAugmentation({
      train,
      test: testSplit,
      label: 'Class',
      positive: 'bad',
      methods: ['random'],
      seeds: [1, 2],
      allowFewerSeeds: true,
      detector: fast,
    });
    const p = r.methods[1].privacy!;
    // Every synthetic row is a training positive: members sit at distance 0, test positives do not.
    expect(p.dcr.auc).toBeGreaterThan(0.95);
    expect(p.verdict).toMatch(/reveals who was in the training data/);
  });

  test('prevalence thins the training positives, seeded', async () => {
    const { train, test: testSplit } = slice();
    const nNeg = train.Class.filter((v) => v !== 'bad').length;
    const opts: EvaluateOptions = {
      train,
      test: testSplit,
      label: 'Class',
      positive: 'bad',
      methods: ['random'],
      seeds: [3, 4],
      allowFewerSeeds: true,
      detector: fast,
      prevalence: 0.02,
      ratio: 0.5,
    };
    const r = await evaluateAugmentation(opts);
    // round(0.02 * negatives / 0.98) positives kept; ratio 0.5 adds floor(0.5 * negatives - kept).
    const kept = Math.round((0.02 * nNeg) / 0.98);
    expect(r.train.positives).toBe(kept);
    expect(r.samples.real.Class).toHaveLength(kept);
    expect(r.methods[1].added).toEqual([Math.floor(0.5 * nNeg - kept), Math.floor(0.5 * nNeg - kept)]);
    const again = await evaluateAugmentation(opts);
    expect(again.methods[1].metrics.prAuc.values).toEqual(r.methods[1].metrics.prAuc.values);
  });
});

describe('evaluateAugmentation never lets augmentation see test rows', () => {
  test('a sampler spy sees only training rows, and no test sentinel reaches any synthetic row', async () => {
    const { train, test: clean } = slice();
    // Poison every test row with values that occur nowhere in train.
    const testSplit: Table = { ...clean, addr_state: clean.addr_state.map(() => 'ZZ_TEST_ONLY'), funded_amnt: clean.funded_amnt.map(() => 987654) };
    const trainRows = new Set(Array.from({ length: 1500 }, (_, i) => JSON.stringify(rowAt(train, i))));
    const seen: Table[] = [];
    const spy: GanSampler = async (table, label, positive, n, seed) => {
      seen.push(table);
      const pos = table[label].flatMap((v, i) => (v === positive ? [i] : []));
      const rng = createRng(seed);
      return takeRows(
        table,
        Array.from({ length: n }, () => pos[rng.int(pos.length)]),
      );
    };
    const r = await evaluateAugmentation({
      train,
      test: testSplit,
      label: 'Class',
      positive: 'bad',
      methods: ['gan', 'smotenc', 'random', 'gan+smote'],
      seeds: [1, 2],
      allowFewerSeeds: true,
      detector: { nEstimators: 5 },
      ganSampler: spy,
      prevalence: 0.03,
    });
    expect(seen).toHaveLength(2); // once per seed: 'gan+smote' reuses the rows drawn for 'gan'
    const [gan, mix] = [r.samples.synthetic.gan!, r.samples.synthetic['gan+smote']!];
    const half = Math.ceil(gan.Class.length / 2);
    expect(mix.funded_amnt.slice(0, half)).toEqual(gan.funded_amnt.slice(0, half));
    expect(mix.funded_amnt.slice(half)).not.toEqual(gan.funded_amnt.slice(half));
    for (const t of seen) {
      const n = t.Class.length;
      expect(n).toBeLessThan(1500); // thinned positives
      for (let i = 0; i < n; i++) expect(trainRows.has(JSON.stringify(rowAt(t, i)))).toBe(true);
    }
    for (const method of ['gan', 'smotenc', 'random'] as const) {
      const syn = r.samples.synthetic[method]!;
      expect(syn.addr_state).not.toContain('ZZ_TEST_ONLY');
      expect(Math.max(...(syn.funded_amnt as number[]))).toBeLessThanOrEqual(40000);
    }
  });
});

describe('evaluateAugmentation: bad input', () => {
  const { train, test: testSplit } = slice();
  const base: EvaluateOptions = { train, test: testSplit, label: 'Class', positive: 'bad', methods: ['smote'], seeds: [1, 2, 3, 4, 5] };

  test('fewer than 5 seeds', async () => {
    await expect(evaluateAugmentation({ ...base, seeds: [1, 2] })).rejects.toMatchObject({
      constructor: UsageError,
      message: 'give at least 5 seeds (got 2): a mean and sd over seeds is the result, one run is noise',
      at: { option: 'seeds' },
    });
  });

  test('test columns differ from train', async () => {
    const { addr_state: _gone, ...less } = testSplit;
    await expect(evaluateAugmentation({ ...base, test: { ...less, extra: less.Class } })).rejects.toMatchObject({
      constructor: InvalidDataError,
      message: 'test columns differ from train (missing from test: addr_state; extra in test: extra)',
      at: { column: 'addr_state' },
    });
  });

  test('unknown method, bad GAN options, prevalence above the data', async () => {
    await expect(evaluateAugmentation({ ...base, methods: ['tomek'] })).rejects.toThrow(
      "method 'tomek' is not one of none, class-weights, smote, smotenc, adasyn, borderline, random, gan",
    );
    // The default GAN sampler's options are checked before the first seed runs.
    await expect(evaluateAugmentation({ ...base, methods: ['gan'], gan: { epochs: 2.5 } })).rejects.toMatchObject({
      message: "gan option 'epochs' Invalid input: expected int, received number",
      at: { option: 'gan.epochs' },
    });
    await expect(evaluateAugmentation({ ...base, prevalence: 0.2 })).rejects.toThrow(/^prevalence must be in \(0, 0\.0/);
  });

  test('a test split with one class', async () => {
    const onlyGood = takeRows(
      testSplit,
      testSplit.Class.flatMap((v, i) => (v === 'good' ? [i] : [])),
    );
    await expect(evaluateAugmentation({ ...base, test: onlyGood })).rejects.toThrow(
      /^test split needs both classes in 'Class' to score a detector \(it has 0 positives of \d+ rows\)$/,
    );
  });
});

describe('the baselines a fraud team compares with, a pluggable detector, and a recommendation', () => {
  test('class weights, ADASYN, Borderline-SMOTE and random oversampling run beside none; random copies real rows, counted', async () => {
    const { train, test: testSplit } = slice();
    const r = await evaluateAugmentation({
      train,
      test: testSplit,
      label: 'Class',
      positive: 'bad',
      methods: ['class-weights', 'adasyn', 'borderline', 'random'],
      seeds: [1, 2],
      allowFewerSeeds: true,
      detector: fast,
    });
    expect(r.methods.map((m) => m.method)).toEqual(['none', 'class-weights', 'adasyn', 'borderline', 'random']);
    const by = Object.fromEntries(r.methods.map((m) => [m.method, m]));
    // Class weights add no rows but change the detector; the oversamplers balance the classes.
    expect(by['class-weights'].added).toEqual([0, 0]);
    expect(by['class-weights'].metrics.prAuc.values).not.toEqual(by.none.metrics.prAuc.values);
    expect(by.adasyn.added[0]).toBe(r.train.negatives - r.train.positives);
    // Random oversampling only copies real rows; interpolating methods (continuous features) almost never do.
    expect(by.random.copies).toEqual(by.random.added);
    expect(by.adasyn.copies[0]).toBeLessThan(by.adasyn.added[0] * 0.05);
    const rec = recommend(r);
    expect(rec.evidence.map((e) => e.method)).toEqual(['none', 'class-weights', 'adasyn', 'borderline', 'random']);
    expect(rec.warnings.some((w) => w.startsWith('random produced'))).toBe(true);
    expect(rec.method).not.toBe('random');
  });

  test('logistic regression and a user scoring function as the detector', async () => {
    const { train, test: testSplit } = slice();
    const seen: number[] = [];
    const mean: DetectorModel = {
      name: 'first feature',
      fitPredict: ({ xTrain, xTest }) => {
        seen.push(xTrain.length);
        return xTest.map((x) => x[0]);
      },
    };
    const base = { train, test: testSplit, label: 'Class', positive: 'bad', methods: ['random'], seeds: [1, 2], allowFewerSeeds: true } as const;
    const custom = await evaluateAugmentation({ ...base, methods: ['random'], detectorModel: mean });
    // The scoring function sees the augmented training rows for 'random' (balanced) and the real ones for 'none'.
    expect(seen).toEqual([1500, 1500 + custom.methods[1].added[0], 1500, 1500 + custom.methods[1].added[1]]);
    // A score that ignores the training data gives the same PR-AUC whatever the method.
    expect(custom.methods[0].metrics.prAuc.values).toEqual(custom.methods[1].metrics.prAuc.values);
    const logistic = await evaluateAugmentation({ ...base, methods: ['random'], detectorModel: 'logistic' });
    expect(logistic.methods[0].metrics.rocAuc.mean).toBeGreaterThan(0.6);
    await expect(evaluateAugmentation({ ...base, methods: ['random'], detectorModel: {} as DetectorModel })).rejects.toThrow(/detectorModel must be/);
  });

  test('recommend: the simplest method within one standard error of the best, copies flagged', () => {
    const result = (rows: [string, number[], number][]) =>
      ({
        seeds: [1, 2, 3, 4, 5],
        methods: rows.map(([method, values, copies]) => {
          const m = values.reduce((a, b) => a + b, 0) / values.length;
          const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
          const stat = { mean: m, sd, values };
          return { method, added: [0], copies: [copies], metrics: { prAuc: stat, rocAuc: stat, recallAtP90: stat, recallAtP50: stat, f1: stat } };
        }),
      }) as unknown as EvaluationResult;
    // smote is best by 0.004, well inside one standard error (sd 0.02 / sqrt 5 = 0.009): class weights win, simpler.
    const tie = recommend(
      result([
        ['none', [0.1, 0.1, 0.1, 0.1, 0.1], 0],
        ['class-weights', [0.12, 0.14, 0.1, 0.12, 0.12], 0],
        ['smote', [0.13, 0.15, 0.1, 0.12, 0.12], 0],
      ]),
    );
    expect(tie).toMatchObject({ method: 'class-weights', best: 'smote' });
    expect(tie.reason).toMatch(/within one standard error of the best, smote/);
    // A clear winner is recommended; copies are warned about.
    const clear = recommend(
      result([
        ['none', [0.1, 0.1, 0.1, 0.1, 0.1], 0],
        ['random', [0.2, 0.21, 0.19, 0.2, 0.2], 40],
      ]),
    );
    expect(clear.method).toBe('random');
    expect(clear.warnings).toEqual([
      'random produced 40 synthetic rows identical to real training rows (over 5 seeds): they add no new information and disclose those rows',
    ]);
  });
});
