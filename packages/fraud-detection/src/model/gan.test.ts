import { beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError, TabularSynthesizer, UsageError, createRng, initBackend, scanModelDirectory, type Table, type TrainerEvent } from '@fingan/gan-core';
import { augment } from './augment.js';
import {
  FraudGanSynthesizer,
  GAN_SAMPLER_DEFAULTS,
  createGanSampler,
  SNAP_MIN_COVERAGE,
  SNAP_MIN_ROWS,
  filterByDetector,
  fromSynthTable,
  ganSamplerOptions,
  nearest,
  planGanColumns,
} from './gan.js';

/**
 * 300 negatives and 60 positives. Positives spend more (log-amount around 7 vs 4, i.e. ~$1100 vs ~$55), mostly
 * online, and are flagged more often; a count, a 2-decimal rate, an ISO date.
 */
function transactions(seed = 11): Table {
  const rng = createRng(seed);
  const t: Table = { amount: [], n_items: [], rate: [], channel: [], flagged: [], day: [], label: [] };
  for (let i = 0; i < 360; i++) {
    const pos = i >= 300;
    t.amount.push(Math.round(Math.exp(rng.normal(pos ? 7 : 4, 0.5)) * 100) / 100);
    t.n_items.push(rng.int(pos ? 9 : 4));
    t.rate.push(Math.round(rng.uniform(5, 25) * 100) / 100);
    t.channel.push(pos ? (rng.next() < 0.9 ? 'web' : 'pos') : ['web', 'pos', 'atm'][rng.int(3)]);
    t.flagged.push(rng.next() < (pos ? 0.7 : 0.1));
    t.day.push(`2024-01-${String(1 + rng.int(28)).padStart(2, '0')}`);
    t.label.push(pos ? 'fraud' : 'ok');
  }
  return t;
}

/**
 * Small networks, a few epochs and a high learning rate: enough to learn the positives' 3-sd shift in log-amount
 * (seeds 1-5 gave synthetic log-amount means 6.6-7.6, web shares 0.7-0.93, flagged 0.84-0.91), fast for a unit test.
 * No fine-tuning on the positives (fineTuneSteps 0) unless a test is about it.
 */
const small = { epochs: 40, generatorDims: [64, 64], criticDims: [64, 64], noiseDim: 16, batchSize: 60, pac: 5, learningRate: 1e-3, fineTuneSteps: 0 };
const logMean = (v: unknown[]) => {
  const x = v.filter((a): a is number => typeof a === 'number').map(Math.log1p);
  return x.reduce((a, b) => a + b, 0) / x.length;
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('planGanColumns: FraudEncoder kinds -> synthesizer kinds', () => {
  /** 20 rows: a zero-inflated amount, a small count, a wide count, a rate, a flag, a date, the label. */
  const t: Table = {
    refund_amount: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12.5, 80, 7.99, 1500, 2300, 45, 19.9, 3100],
    n_items: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3],
    n_logins: Array.from({ length: 20 }, (_, i) => (i * 7) % 25),
    rate: Array.from({ length: 20 }, (_, i) => 5 + i * 0.25),
    flagged: Array.from({ length: 20 }, (_, i) => i % 3 === 0),
    day: Array.from({ length: 20 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`),
    label: Array.from({ length: 20 }, (_, i) => (i < 15 ? 'ok' : 'fraud')),
  };

  test('kinds, zero spikes, categories for small counts; no snapping grid in 20 rows of distinct values', () => {
    const plans = planGanColumns(t, 'label');
    const brief = plans.map((p) => [p.name, p.synth.kind, p.zeroAsMissing ? 'zeros' : '', p.log ? 'log' : '', p.support?.length ?? 0]);
    expect(brief).toEqual([
      // 12 of 20 zeros (>= 10%): zeros become the missing indicator. Its 8 other values are held by one row each:
      // no snapping grid (SNAP_MIN_ROWS rows per value), so values are rounded to the column's 2 decimals.
      ['refund_amount', 'continuous', 'zeros', '', 0],
      // 4 distinct integers (<= 20): a category.
      ['n_items', 'categorical', '', '', 0],
      // (7i mod 25) for i < 20 hits 20 distinct values: still a category at the default discreteMax 20.
      ['n_logins', 'categorical', '', '', 0],
      ['rate', 'continuous', '', '', 0],
      ['flagged', 'boolean', '', '', 0],
      ['day', 'datetime', '', '', 0],
      ['label', 'categorical', '', '', 0],
    ]);
    // The range a plan clamps to is the observed one widened to two significant digits, not the extreme rows' values.
    expect(plans[0].spec).toEqual({ min: 0, max: 3100, integer: false, decimals: 2 });
    expect(plans[3].spec).toEqual({ min: 5, max: 9.8, integer: false, decimals: 2 });
    const strict = planGanColumns(t, 'label', { discreteMax: 19, logAmounts: true, snapToObserved: false, zeroSpikeShare: 0.7 });
    expect(strict.map((p) => [p.name, p.synth.kind, p.zeroAsMissing ? 'zeros' : '', p.log ? 'log' : '', p.support?.length ?? 0]).slice(0, 3)).toEqual([
      ['refund_amount', 'continuous', '', 'log', 0],
      ['n_items', 'categorical', '', '', 0],
      ['n_logins', 'integer', '', '', 0],
    ]);
  });

  test(`snaps to a grid only of values held by at least ${SNAP_MIN_ROWS} rows, when they cover half the column`, () => {
    // A rate grid of 5 values x 12 rows plus 10 one-off rates; an amount column of distinct values; a zero-spiked
    // column whose other values are on a grid (the zeros come back by themselves and are not part of it).
    const n = 70;
    const grid = [11.99, 13.49, 15.31, 17.27, 19.03];
    const g: Table = {
      rate: Array.from({ length: n }, (_, i) => (i < 60 ? grid[i % 5] : 20 + i / 100)),
      amount: Array.from({ length: n }, (_, i) => 1000 + i * 13.25),
      fee: Array.from({ length: n }, (_, i) => (i < 30 ? 0 : [5.5, 10.25][i % 2])),
      label: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 'bad' : 'good')),
    };
    const plans = planGanColumns(g, 'label');
    expect(Array.from(plans[0].support!)).toEqual(grid);
    expect(plans[1].support).toBeUndefined();
    expect(plans[2].zeroAsMissing).toBe(true);
    expect(Array.from(plans[2].support!)).toEqual([5.5, 10.25]);
    // A grid covering under half the column is no grid: 5 values x 12 rows among 130 one-off values.
    const sparse = { ...g, rate: Array.from({ length: 190 }, (_, i) => (i < 60 ? grid[i % 5] : 20 + i / 100)) };
    for (const c of ['amount', 'fee', 'label']) sparse[c] = Array.from({ length: 190 }, (_, i) => g[c][i % n]);
    expect(planGanColumns(sparse, 'label')[0].support).toBeUndefined();
    expect(SNAP_MIN_COVERAGE).toBe(0.5);
    // Generated values come back on the grid, or rounded to the column's decimals, inside the widened range.
    const back = fromSynthTable({ rate: [13, 30, 5], amount: [1234.5678, 99999, 1], fee: [null, 8.5, 4], label: ['bad', 'bad', 'bad'] }, plans);
    expect(back).toEqual({ rate: [13.49, 19.03, 11.99], amount: [1234.57, 2000, 1000], fee: [0, 10.25, 5.5], label: ['bad', 'bad', 'bad'] });
  });

  test('_synthetic from an earlier augmentation is not modelled; a declared kind wins over detection', () => {
    const marked = { ...t, _synthetic: new Array(20).fill(false) };
    expect(planGanColumns(marked, 'label').map((p) => p.name)).not.toContain('_synthetic');
    expect(planGanColumns(t, 'label', { kinds: { n_items: 'numeric' }, discreteMax: 0 })[1].synth.kind).toBe('integer');
  });

  test('nearest: the closest observed value, ties to the smaller', () => {
    const support = Float64Array.from([0, 1.5, 3]);
    expect([-5, 0.7, 0.75, 2.3, 2.25, 10].map((x) => nearest(support, x))).toEqual([0, 0, 0, 3, 1.5, 3]);
  });
});

describe('ganSamplerOptions', () => {
  test('fills defaults and keeps given values', () => {
    expect(ganSamplerOptions({ epochs: 5 })).toEqual({ ...GAN_SAMPLER_DEFAULTS, epochs: 5 });
    expect(ganSamplerOptions()).toEqual(GAN_SAMPLER_DEFAULTS);
  });

  test('names the option at fault', () => {
    expect(() => ganSamplerOptions({ generatorDims: [] })).toThrow(/^gan option 'generatorDims' Too small/);
    expect(() => ganSamplerOptions({ logAmounts: 'yes' })).toThrow("gan option 'logAmounts' Invalid input: expected boolean, received string");
    expect(() => ganSamplerOptions({ filter: 'critic' })).toThrow(/^gan option 'filter' Invalid option: expected one of "none"\|"detector"/);
    expect(() => ganSamplerOptions({ candidates: 0 })).toThrow(/^gan option 'candidates' Too small/);
    expect(() => ganSamplerOptions({ calibrate: 1 })).toThrow(/^gan option 'calibrate' Invalid input: expected boolean/);
  });
});

describe('filterByDetector', () => {
  test("keeps the candidates a detector fitted on the real rows scores most positive, in the candidates' order", () => {
    const t = transactions();
    // 40 candidates: even ones look like positives (large amounts, web, flagged), odd ones like negatives.
    const c: Table = Object.fromEntries(Object.keys(t).map((k) => [k, [] as unknown[]])) as Table;
    for (let i = 0; i < 40; i++) {
      const src = i % 2 === 0 ? 300 + i : i;
      for (const k of Object.keys(t)) c[k].push(t[k][src]);
      c.label[i] = 'fraud';
    }
    const kept = filterByDetector(t, 'label', 'fraud', c, 20, 1);
    expect(kept.label).toHaveLength(20);
    expect(kept.amount).toEqual(c.amount.filter((_, i) => i % 2 === 0));
    expect(filterByDetector(t, 'label', 'fraud', c, 20, 1)).toEqual(kept);
    expect(filterByDetector(t, 'label', 'fraud', c, 5, 1).amount).toHaveLength(5);
  });
});

describe('augment with the default GAN sampler (conditional synthesizer trained on all rows)', () => {
  let first: Awaited<ReturnType<typeof augment>>;
  beforeAll(async () => {
    first = await augment(transactions(), { label: 'label', positive: 'fraud', method: 'gan', ratio: 0.5, seed: 3, gan: small });
  });

  test('adds floor(0.5 * 300 - 60) = 90 positives, marked synthetic, in the table types and ranges', () => {
    const t = transactions();
    expect(first.added).toBe(90);
    expect(first.table._synthetic.filter((v) => v === true)).toHaveLength(90);
    expect(Object.keys(first.synthetic)).toEqual(Object.keys(t));
    const s = first.synthetic;
    expect(s.label.every((v) => v === 'fraud')).toBe(true);
    // Amounts (every one distinct: no grid to snap to) come back rounded to the data's 2 decimals, inside the observed
    // range widened to two significant digits.
    const amountMax = Math.max(...(t.amount as number[]));
    for (const v of s.amount as number[]) {
      expect(Math.round(v * 100) / 100).toBe(v);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(Math.ceil(amountMax / 10 ** (Math.floor(Math.log10(amountMax)) - 1)) * 10 ** (Math.floor(Math.log10(amountMax)) - 1));
    }
    for (const v of s.n_items) expect(Number.isInteger(v)).toBe(true);
    for (const v of s.channel) expect(['web', 'pos', 'atm']).toContain(v);
    for (const v of s.flagged) expect(typeof v).toBe('boolean');
    for (const v of s.day) expect(v).toMatch(/^2024-01-\d\d/);
  });

  test('the condition works: synthetic positives look like positives, not like the majority', () => {
    // Real log1p(amount) means are about 7 (positives) and 4 (negatives); a generator ignoring the condition would
    // give about 4.5 (the 5:1 mixture). Web: 90% of positives, 33% of negatives; flagged: 70% vs 10%.
    const s = first.synthetic;
    const share = (col: unknown[], v: unknown) => col.filter((x) => x === v).length / col.length;
    expect(logMean(s.amount)).toBeGreaterThan(5.5);
    expect(logMean(s.amount)).toBeLessThan(8.5);
    expect(share(s.channel, 'web')).toBeGreaterThan(0.6);
    expect(share(s.flagged, true)).toBeGreaterThan(0.4);
  });

  test('a GAN fit killed after a checkpoint and resumed gives the rows of an uninterrupted fit', async () => {
    const ckDir = mkdtempSync(join(tmpdir(), 'fingan-fraud-ck-'));
    try {
      const opts = (gan: Record<string, unknown>) => ({
        label: 'label',
        positive: 'fraud',
        method: 'gan' as const,
        count: 20,
        seed: 4,
        gan: { ...small, steps: 6, ...gan },
      });
      const whole = await augment(transactions(), opts({}));
      const crash = new Error('killed');
      const checkpoint = { dir: ckDir, every: 2 };
      // The "kill": training stops at step 5, after the checkpoint at step 4.
      const killed = augment(
        transactions(),
        opts({
          checkpoint,
          onEvent: (e: TrainerEvent) => {
            if (e.type === 'step' && e.step === 5) throw crash;
          },
        }),
      );
      await expect(killed).rejects.toBe(crash);
      let resumedAt = -1;
      const resumed = await augment(
        transactions(),
        opts({
          checkpoint,
          resume: true,
          onEvent: (e: TrainerEvent) => {
            if (e.type === 'start') resumedAt = e.step;
          },
        }),
      );
      expect(resumedAt).toBe(4);
      expect(resumed.synthetic).toEqual(whole.synthetic);
    } finally {
      rmSync(ckDir, { recursive: true, force: true });
    }
  });

  test("filter 'detector' keeps the candidates that look positive; 'none' keeps every sampled row", async () => {
    // 3 epochs: the generator has hardly learnt the condition, so unfiltered rows are mostly majority-like.
    const run = (filter: string) =>
      augment(transactions(), { label: 'label', positive: 'fraud', method: 'gan', count: 40, seed: 5, gan: { ...small, epochs: 3, filter } });
    const [raw, kept] = [await run('none'), await run('detector')];
    expect(kept.synthetic.label).toHaveLength(40);
    expect(logMean(kept.synthetic.amount)).toBeGreaterThan(logMean(raw.synthetic.amount) + 0.5);
  });

  test('fine-tuning on the positives (fineTuneSteps) moves the unfiltered rows to the positives, and resumes after a kill', async () => {
    // 3 epochs on every row (18 steps): the generator has hardly learnt anything (log-amount about 2.6; the majority's
    // is 4, the positives' 7); 150 steps on the 60 positives alone bring it near the positives' (6.5 measured).
    const run = (fineTuneSteps: number, gan: Record<string, unknown> = {}) =>
      augment(transactions(), {
        label: 'label',
        positive: 'fraud',
        method: 'gan',
        count: 60,
        seed: 5,
        gan: { ...small, epochs: 3, filter: 'none', fineTuneSteps, ...gan },
      });
    const [base, tuned] = [await run(0), await run(150)];
    expect(logMean(tuned.synthetic.amount)).toBeGreaterThan(logMean(base.synthetic.amount) + 2);
    expect(logMean(tuned.synthetic.amount)).toBeGreaterThan(5.8);
    expect(logMean(tuned.synthetic.amount)).toBeLessThan(7.8);
    // Killed in the fine-tuning part, after its checkpoint at step 4: the resumed run gives the uninterrupted rows.
    const ckDir = mkdtempSync(join(tmpdir(), 'fingan-fraud-ft-'));
    try {
      const checkpoint = { dir: ckDir, every: 2 };
      const whole = await run(6, { epochs: undefined, steps: 4 });
      const crash = new Error('killed');
      let starts = 0;
      const killed = run(6, {
        epochs: undefined,
        steps: 4,
        checkpoint,
        onEvent: (e: TrainerEvent) => {
          if (e.type === 'start') starts++;
          if (starts === 2 && e.type === 'step' && e.step === 5) throw crash;
        },
      });
      await expect(killed).rejects.toBe(crash);
      const startedAt: number[] = [];
      const resumed = await run(6, {
        epochs: undefined,
        steps: 4,
        checkpoint,
        resume: true,
        onEvent: (e: TrainerEvent) => e.type === 'start' && startedAt.push(e.step),
      });
      expect(startedAt).toEqual([4, 4]);
      expect(resumed.synthetic).toEqual(whole.synthetic);
    } finally {
      rmSync(ckDir, { recursive: true, force: true });
    }
  });

  test('same seed, same rows; another seed, other rows (2 epochs: determinism does not need a good model)', async () => {
    const run = (seed: number) => augment(transactions(), { label: 'label', positive: 'fraud', method: 'gan', count: 30, seed, gan: { ...small, epochs: 2 } });
    const [a, b, c] = [await run(8), await run(8), await run(9)];
    expect(b.synthetic).toEqual(a.synthetic);
    expect(c.synthetic).not.toEqual(a.synthetic);
  });
});

describe('FraudGanSynthesizer: the Synthesizer contract (fit, sample, save, load, dispose)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fingan-fraud-gan-'));
  const train = transactions();
  let gan: FraudGanSynthesizer;
  beforeAll(async () => {
    // 8 epochs: what is tested here is the contract, not what the model learnt.
    const { epochs: _e, ...settings } = small;
    gan = new FraudGanSynthesizer({ label: 'label', positive: 'fraud', seed: 3, ...settings });
    const res = await gan.fit(train, { epochs: 8 });
    expect(res.stoppedBy).toBe('completed');
    await gan.save(dir);
  });

  test('is what augment uses: the same fit and draw give the rows augment adds', async () => {
    const viaAugment = await augment(train, { label: 'label', positive: 'fraud', method: 'gan', count: 25, seed: 3, gan: { ...small, epochs: 8 } });
    expect(gan.sample(25, { seed: 4, filterWith: train })).toEqual(viaAugment.synthetic);
  });

  test('a loaded model samples the same rows for the same seed, filtered or not, and keeps its training record', async () => {
    const loaded = await FraudGanSynthesizer.load(dir);
    try {
      expect(loaded.sample(40, { seed: 9 })).toEqual(gan.sample(40, { seed: 9 }));
      expect(loaded.sample(10, { seed: 2, filterWith: train, candidates: 4 })).toEqual(gan.sample(10, { seed: 2, filterWith: train, candidates: 4 }));
      expect(loaded.sample(40, { seed: 10 })).not.toEqual(gan.sample(40, { seed: 9 }));
      expect(loaded.trainingRecord).toEqual(gan.trainingRecord);
      expect(loaded.columnPlans).toEqual(gan.columnPlans);
      expect([loaded.label, loaded.positive, loaded.seed]).toEqual(['label', 'fraud', 3]);
    } finally {
      loaded.dispose();
    }
  });

  test('the model directory holds no training row and no value only training rows have (beyond chance)', () => {
    const holdout = transactions(12);
    const scan = scanModelDirectory(dir, { train, holdout, columns: ['amount', 'rate'] });
    const found = scan.columns.reduce((a, c) => a + c.trainOnlyFound, 0);
    const trainOnly = scan.columns.reduce((a, c) => a + c.trainOnly, 0);
    // About 345 amounts only the training rows have: a plan that snapped to every observed value would hold them all.
    // What is found is chance (the holdout's own values are found about as often) plus GMM's two exact extremes per
    // column (gan-core README, "What encoder states hold").
    expect(trainOnly).toBeGreaterThan(600);
    expect(found).toBeLessThan(0.03 * trainOnly);
    expect(scan.trainOnlyFoundRate - scan.holdoutOnlyFoundRate).toBeLessThan(0.02);
    expect(Math.abs(scan.membershipAuc - 0.5)).toBeLessThan(0.05);
  });

  test('bad construction, use before fit, a bad candidates count and a damaged directory are named errors', async () => {
    expect(() => new FraudGanSynthesizer({ label: '', positive: 'fraud' })).toThrow(expect.objectContaining({ at: { option: 'label' } }));
    expect(() => new FraudGanSynthesizer({ label: 'label', positive: 'fraud', epochs: 3 } as never)).toThrow(/'epochs' is a fit option/);
    expect(() => new FraudGanSynthesizer({ label: 'label', positive: 'fraud', noiseDim: 0 })).toThrow(/gan option 'noiseDim'/);
    const fresh = new FraudGanSynthesizer({ label: 'label', positive: 'fraud' });
    expect(() => fresh.sample(3)).toThrow(UsageError);
    await expect(fresh.save(join(dir, 'never'))).rejects.toThrow(/not fitted yet/);
    await expect(fresh.fit({ amount: [1, 2] })).rejects.toThrow(/label column 'label' is not in the data \(columns: amount\)/);
    await expect(fresh.fit({ amount: [1, 2], label: ['ok', 'ok'] })).rejects.toThrow(/positive value 'fraud' does not occur in label column 'label'/);
    expect(() => gan.sample(5, { filterWith: train, candidates: 0 })).toThrow(/candidates must be an integer from 1 to 100, got 0/);
    // A directory of this package's kind whose state lacks the column plans.
    const broken = mkdtempSync(join(tmpdir(), 'fingan-fraud-gan-broken-'));
    const other = new TabularSynthesizer({ columns: [{ name: 'amount', kind: 'continuous' }], seed: 0, batchSize: 10, pac: 1 });
    try {
      await other.fit({ amount: Array.from({ length: 20 }, (_, i) => i) }, { steps: 1 });
      await other.save(broken, { package: '@fingan/fraud-detection', packageVersion: '0.1.0', kind: 'fraud-gan', extra: { label: 'label', plans: 'none' } });
      await expect(FraudGanSynthesizer.load(broken)).rejects.toThrow(ModelFormatError);
      await expect(FraudGanSynthesizer.load(broken)).rejects.toThrow(/is not a fraud GAN state \(/);
      await expect(FraudGanSynthesizer.load(join(dir, 'nope'))).rejects.toThrow(/nope/);
    } finally {
      other.dispose();
      rmSync(broken, { recursive: true, force: true });
    }
  });

  test('under DP, rows are never chosen by a detector fitted on the training rows', async () => {
    const { day: _day, ...noDates } = train; // dates are not supported under DP yet
    const sampler = createGanSampler({ ...small, epochs: 1, epsilon: 5 });
    await expect(sampler(noDates, 'label', 'fraud', 5, 1, { filter: 'detector' })).rejects.toThrow(/outside the DP guarantee/);
    expect(() => new FraudGanSynthesizer({ label: 'label', positive: 'fraud', epsilon: 5, fineTuneSteps: 10 })).toThrow(
      /gan option 'fineTuneSteps' trains on the positive rows outside the DP guarantee/,
    );
    expect(new FraudGanSynthesizer({ label: 'label', positive: 'fraud', epsilon: 5 }).settings.fineTuneSteps).toBe(0);
    const dp = new FraudGanSynthesizer({
      label: 'label',
      positive: 'fraud',
      seed: 1,
      ...small,
      fineTuneSteps: undefined,
      epochs: undefined,
      epsilon: 5,
    } as never);
    await dp.fit(noDates, { steps: 2 });
    try {
      expect(dp.dpRecord?.epsilon).toBeCloseTo(5, 5);
      expect(() => dp.sample(5, { filterWith: train })).toThrow(/differentially private model cannot filter/);
      const rows = await sampler(noDates, 'label', 'fraud', 5, 1);
      expect(rows.label).toEqual(new Array(5).fill('fraud'));
    } finally {
      dp.dispose();
    }
  });
});
