import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, initBackend } from '@fingan/gan-core';
import { describe, expect, it } from 'vitest';
import { runMiningDemo } from './index.js';

describe('mining demo (quick, with fewer steps and a 10% minimum support)', () => {
  it('writes the split, a model, synthetic baskets, metrics and a report; metrics.json holds nothing from the clock', async () => {
    await initBackend({ backend: 'wasm' });
    const out = mkdtempSync(join(tmpdir(), 'fingan-mining-demo-'));
    const res = await runMiningDemo({ out, quick: true, seed: 0, log: createLogger({ quiet: true }), overrides: { steps: 20, minSupport: 0.1 } });
    for (const f of ['train.csv', 'holdout.csv', 'synthetic.csv', 'model/manifest.json', 'metrics.json', 'report.html'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // The reference row (real train vs real holdout) is the same for every run with seed 0.
    expect(m.realTrainVsHoldout.itemsetPrecision).toBeGreaterThan(0.85);
    expect(m.realTrainVsHoldout.itemsetRecall).toBeGreaterThan(0.8);
    expect(m.steps).toBe(20);
    // Segments: k chosen over 2..8, the real-halves reference beside the synthetic comparison.
    expect(m.segments.silhouetteByK.map((x: { k: number }) => x.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(m.segments.k).toBeGreaterThanOrEqual(2);
    expect(m.segments.realHalves.assignmentAgreement).toBeGreaterThan(0.5);
    expect(m.segments.synthetic.matched).toHaveLength(m.segments.k);
    // Rules: compared where two real halves agree, the reference beside them.
    expect(m.synthetic.rules.realHalves.jaccard).toBe(m.realTrainVsHoldout.rules.realHalves.jaccard);
    expect(typeof m.synthetic.ruleJaccardTop50Reference).toBe('number');
    expect(JSON.stringify(m)).not.toMatch(/[Ss]econds|elapsed/);
    for (const k of ['itemsetPrecision', 'itemsetRecall', 'supportMedianRelError', 'ruleJaccardTop50', 'exactBasketCopyRate']) {
      expect(Number.isFinite(res.summary[k])).toBe(true);
    }
    expect(readFileSync(join(out, 'synthetic.csv'), 'utf8').split('\n')[0]).toBe('tid,item');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<svg/);
    rmSync(out, { recursive: true, force: true });
  });
});
