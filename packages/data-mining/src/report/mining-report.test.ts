import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatValue } from '@fingan/gan-core';
import { computeMetrics } from '@fingan/gan-core/stats';
import { MINING_METRICS } from '../metrics/metric-objects.js';
import { segmentFidelity } from '../segments/segments.js';
import { miningReport, writeMiningReport } from './mining-report.js';

// Real: the textbook baskets (Tan, Steinbach & Kumar, Table 6.1); synthetic: the same with beer dropped from
// basket 3, so {milk, beer} and {milk, diaper, beer} (support 2/5 -> 1/5) and the rules on them are lost.
const NAMES = ['bread', 'milk', 'diaper', 'beer', 'eggs', 'coke'];
const REAL = [
  [0, 1],
  [0, 2, 3, 4],
  [1, 2, 3, 5],
  [0, 1, 2, 3],
  [0, 1, 2, 5],
];
const SYNTH = [
  [0, 1],
  [0, 2, 3, 4],
  [1, 2, 5],
  [0, 1, 2, 3],
  [0, 1, 2, 5],
];

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('miningReport', () => {
  const { html, metrics } = miningReport({
    real: REAL,
    synthetic: SYNTH,
    minSupport: 0.4,
    seed: 1,
    itemNames: NAMES,
    generatedAt: '2024-01-01',
  });

  it('is one HTML page with the item, size and itemset charts', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const title of ['Summary', 'Items', 'Frequent itemsets by length', 'Strongest association rules', 'Privacy']) {
      expect(html).toContain(`<h2>${title}</h2>`);
    }
    // Item bars, size histogram, precision/recall bars.
    expect(count(html, '<svg')).toBe(3);
    for (const n of NAMES) expect(html).toContain(n);
  });

  it('lists every metric object with its value, read from the metrics', () => {
    const scores = computeMetrics(MINING_METRICS, metrics);
    expect(scores.map((s) => s.name)).toEqual([
      'itemsetPrecision',
      'itemsetRecall',
      'supportMedianRelError',
      'ruleJaccardTop50',
      'basketSizeTV',
      'itemFrequencyTV',
      'exactBasketCopyRate',
      'nnJaccardSyntheticToTrain',
    ]);
    for (const s of scores) expect(s.value).toBe(metrics[s.name as keyof typeof metrics]);
    // Two of the real itemsets at support 0.4 are lost, none invented.
    expect(scores[0].value).toBe(1);
    expect(scores[1].value).toBeLessThan(1);
    expect(html).toContain('<td>Itemset recall</td>');
    expect(html).toContain('Scores (the metric objects, MINING_METRICS)');
  });

  it('lists the rules of both sides and marks those missing from the other side', () => {
    // 17 real itemsets at 2/5 (fp-growth.test.ts), of which the synthetic data loses the two with milk and beer.
    expect([metrics.nRealItemsets, metrics.nCommonItemsets]).toEqual([17, 15]);
    expect(html).toContain('milk, diaper \u2192 beer *');
    // Table rows: 7 header rows, the 8 metric objects' scores, 9 summary metrics, one per itemset length, one per rule rank (up to the longer
    // list, at most 20), 6 rule measures beside their real-halves reference, the checked real rules (at most 20),
    // 2 privacy measures.
    const ranks = Math.min(20, Math.max(metrics.nRealRules, metrics.nSyntheticRules));
    expect(ranks).toBe(20);
    const checked = Math.min(20, metrics.rules.rules.length);
    expect(checked).toBeGreaterThan(0);
    expect(count(html, '<tr>')).toBe(7 + 8 + 9 + metrics.byLength.length + ranks + 6 + checked + 2);
  });

  it('puts the real-halves reference beside every rule metric', () => {
    expect(html).toContain('<h2>Rules you can trust</h2>');
    expect(html).toContain('real half vs real half');
    expect(html).toContain(`<td class="num">${formatValue(metrics.ruleJaccardTop50Reference)}</td>`);
    expect(html).toContain(`<td class="num">${formatValue(metrics.rules.realHalves.recall)}</td>`);
  });

  it('shows segments and their real-halves reference when given', () => {
    const segments = segmentFidelity({ real: REAL, synthetic: SYNTH, seed: 1, k: 2 });
    const page = miningReport({ real: REAL, synthetic: SYNTH, minSupport: 0.4, seed: 1, itemNames: NAMES, generatedAt: 'x', segments }).html;
    expect(page).toContain('<h2>Segments</h2>');
    expect(page).toContain('k = 2, given');
    expect(page).toContain('assignment agreement');
    expect(count(page, '<svg')).toBe(4);
    expect(html).not.toContain('<h2>Segments</h2>');
  });

  it('writes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mining-report-'));
    try {
      const path = join(dir, 'sub', 'report.html');
      const m = writeMiningReport(path, { real: REAL, synthetic: SYNTH, minSupport: 0.4, seed: 1, itemNames: NAMES, generatedAt: 'x' });
      expect(m).toEqual(metrics);
      expect(readFileSync(path, 'utf8')).toContain('<h2>Privacy</h2>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
