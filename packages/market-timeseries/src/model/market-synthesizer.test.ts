import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PriceSeries } from '../schema/prices.js';
import { MarketSynthesizer } from './market-synthesizer.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-market-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 300 days of two assets: a deterministic random walk with a seeded LCG (no model needed to make the data). */
function prices(n = 300): PriceSeries {
  let s = 12345;
  const u = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const p = [new Float64Array(n), new Float64Array(n)];
  p[0][0] = 100;
  p[1][0] = 40;
  for (let t = 1; t < n; t++) for (let a = 0; a < 2; a++) p[a][t] = p[a][t - 1] * Math.exp(0.02 * u());
  const day = Date.UTC(2010, 0, 1);
  return { dates: Array.from({ length: n }, (_, t) => new Date(day + t * 86_400_000).toISOString().slice(0, 10)), assets: ['A', 'B'], prices: p };
}

const TINY = { window: 16, units: 8, hidden: 8, criticFilters: 8, batchSize: 16, calibrationPaths: 16, seed: 4 };

describe('MarketSynthesizer (the Synthesizer contract over the recurrent GAN)', () => {
  // That the same seed writes the same model files byte for byte is tested through `fingan market fit`
  // (apps/cli/src/commands/market-fit.test.ts), which runs the same fit.
  it('fits for the given epochs, samples seeded paths, saves and loads to the same paths', async () => {
    const data = prices();
    const a = new MarketSynthesizer(TINY);
    expect(a.trainingRecord).toBeNull();
    const res = await a.fit(data, { epochs: 1 });
    // 299 returns, 280 with features (20 earlier returns needed), 280 - 16 + 1 = 265 windows of 16; 17 steps a pass.
    expect(res).toMatchObject({ steps: 17, plannedSteps: 17, stoppedBy: 'completed', reproducible: true });
    expect(a.trainingRecord).toEqual({ steps: 17, plannedSteps: 17, stoppedBy: 'completed', reproducible: true });
    const panel = a.sample(5, { horizon: 30, seed: 1 });
    expect(panel).toMatchObject({ paths: 5, steps: 30, assets: ['A', 'B'] });
    expect(panel.data).toHaveLength(5 * 30 * 2);
    expect(Array.from(a.sample(5, { horizon: 30, seed: 1 }).data)).toEqual(Array.from(panel.data));
    expect(Array.from(a.sample(5, { horizon: 30, seed: 2 }).data)).not.toEqual(Array.from(panel.data));
    expect(() => a.sample(5, { horizon: 0 })).toThrow(/needs a horizon/);
    await a.save(join(dir, 'a'));
    const back = await MarketSynthesizer.load(join(dir, 'a'));
    expect(Array.from(back.sample(5, { horizon: 30, seed: 1 }).data)).toEqual(Array.from(panel.data));
    expect(back.trainingRecord).toEqual(a.trainingRecord);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'manifest.json'), 'utf8')).training).toEqual(a.trainingRecord);
    for (const m of [a, back]) m.dispose();
    expect(() => a.sample(1, { horizon: 5 })).toThrow(/not fitted/);
  });
});
