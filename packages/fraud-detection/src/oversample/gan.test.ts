import { beforeAll, describe, expect, test } from 'vitest';
import { createRng, initBackend, type Table } from '@fingan/gan-core';
import { augment } from '../augment.js';
import { GAN_SAMPLER_DEFAULTS, ganSamplerOptions, planGanColumns } from './gan.js';

/**
 * 300 negatives and 60 positives. Positives spend more (log-amount around 7 vs 4, i.e. ~$1100 vs ~$55), mostly
 * online, and are flagged more often; a count, a 2-decimal rate, an ISO date.
 */
function transactions(): Table {
  const rng = createRng(11);
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
 */
const small = { epochs: 40, generatorDims: [64, 64], criticDims: [64, 64], noiseDim: 16, batchSize: 60, pac: 5, learningRate: 1e-3 };
const logMean = (v: unknown[]) => {
  const x = v.filter((a): a is number => typeof a === 'number').map(Math.log1p);
  return x.reduce((a, b) => a + b, 0) / x.length;
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('planGanColumns: FraudEncoder kinds -> synthesizer kinds', () => {
  test('amounts are log-scaled continuous, counts integer, the label and categories categorical, flags boolean, ISO dates datetime', () => {
    const plans = planGanColumns(transactions(), 'label', { logAmounts: true });
    expect(plans.map((p) => [p.name, p.synth.kind, p.amount ? 'log' : ''])).toEqual([
      ['amount', 'continuous', 'log'],
      ['n_items', 'integer', ''],
      ['rate', 'continuous', ''],
      ['channel', 'categorical', ''],
      ['flagged', 'boolean', ''],
      ['day', 'datetime', ''],
      ['label', 'categorical', ''],
    ]);
    expect(plans[2].decimals).toBe(2);
    // Without log scaling an amount with cents is a plain continuous column kept to 2 decimals.
    const plain = planGanColumns(transactions(), 'label', { logAmounts: false });
    expect(plain[0]).toEqual({ name: 'amount', synth: { name: 'amount', kind: 'continuous' }, decimals: 2 });
    // A declared kind wins over detection.
    const declared = planGanColumns(transactions(), 'label', { logAmounts: true, kinds: { rate: 'amount' } });
    expect(declared[2].amount?.name).toBe('rate');
  });

  test('_synthetic from an earlier augmentation is not modelled', () => {
    const t = { ...transactions(), _synthetic: new Array(360).fill(false) };
    expect(planGanColumns(t, 'label', { logAmounts: true }).map((p) => p.name)).not.toContain('_synthetic');
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
  });
});

describe('augment with the default GAN sampler (conditional synthesizer trained on all rows)', () => {
  let first: Awaited<ReturnType<typeof augment>>;
  beforeAll(async () => {
    first = await augment(transactions(), { label: 'label', positive: 'fraud', method: 'gan', ratio: 0.5, seed: 3, gan: small });
  }, 60_000);

  test('adds floor(0.5 * 300 - 60) = 90 positives, marked synthetic, in the table types and ranges', () => {
    const t = transactions();
    expect(first.added).toBe(90);
    expect(first.table._synthetic.filter((v) => v === true)).toHaveLength(90);
    expect(Object.keys(first.synthetic)).toEqual(Object.keys(t));
    const s = first.synthetic;
    expect(s.label.every((v) => v === 'fraud')).toBe(true);
    const amounts = t.amount as number[];
    for (const v of s.amount as number[]) {
      expect(v).toBeGreaterThanOrEqual(Math.min(...amounts));
      expect(v).toBeLessThanOrEqual(Math.max(...amounts));
      expect(Math.round(v * 100)).toBeCloseTo(v * 100, 6);
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

  test('same seed, same rows', async () => {
    const again = await augment(transactions(), { label: 'label', positive: 'fraud', method: 'gan', ratio: 0.5, seed: 3, gan: small });
    expect(again.synthetic).toEqual(first.synthetic);
  }, 60_000);
});
