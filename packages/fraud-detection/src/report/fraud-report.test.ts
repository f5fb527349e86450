import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { METRICS, type EvaluationResult, type MetricName, type MetricSummary } from '../metrics/evaluate.js';
import { fraudReportHtml, writeFraudReport } from './fraud-report.js';
import { metricsJson } from './metrics-json.js';

function metrics(m: number, sd: number): Record<MetricName, MetricSummary> {
  return Object.fromEntries(METRICS.map((k) => [k, { mean: m, sd, values: [m - sd, m + sd] }])) as Record<MetricName, MetricSummary>;
}

/** A hand-made result: two methods, two seeds, a numeric and a categorical column. */
function result(targetPrevalence: number | null): EvaluationResult {
  return {
    label: 'y',
    positive: 'bad',
    seeds: [1, 2],
    targetPrevalence,
    train: { positives: 3, negatives: 97, prevalence: 0.03 },
    test: { rows: 50, positives: 5, prevalence: 0.1 },
    methods: [
      { method: 'none', metrics: metrics(0.25, 0.05), added: [0, 0], copies: [0, 0] },
      { method: 'smote', metrics: metrics(0.5, 0.1), added: [94, 94], copies: [0, 1] },
    ],
    prCurves: [
      { method: 'none', precision: [1, 0.5, 0.1], recall: [0.2, 0.6, 1] },
      { method: 'smote', precision: [1, 0.4, 0.1], recall: [0.2, 0.8, 1] },
    ],
    samples: {
      real: { amount: [10, 20, 30], channel: ['web', 'web', 'atm'], y: ['bad', 'bad', 'bad'] },
      synthetic: { smote: { amount: [15, 25], channel: ['atm', 'atm'], y: ['bad', 'bad'] } },
    },
  };
}

describe('fraudReportHtml', () => {
  const html = fraudReportHtml([result(null), result(0.01)], { dataNote: 'Toy loans; positive = default.' });

  test('metric table with mean ± sd per method and prevalence', () => {
    expect(html).toContain('<td>0.500 ± 0.100</td>');
    expect(html).toContain('<td>0.250 ± 0.050</td>');
    expect(html).toContain('<td>3% (as given)</td>');
    expect(html).toContain('<td>1%</td>');
    // 2 prevalences x 2 methods = 4 body rows.
    const metricTable = html.slice(html.indexOf('Test-split metrics, mean ± sd over seeds'));
    expect(metricTable.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(4);
  });

  test('a privacy section only when a method carries membership attacks', () => {
    expect(html).not.toContain('Privacy of the synthetic positives');
    const r = result(null);
    const attack = { auc: 0.97, advantage: 0.9, rows: 3 };
    r.methods[1] = { ...r.methods[1], privacy: { dcr: attack, density: { ...attack, auc: 0.6 }, verdict: 'Distance-to-closest-record attack: leaks' } };
    const withPrivacy = fraudReportHtml([r], {});
    expect(withPrivacy).toContain('<h2>Privacy of the synthetic positives</h2>');
    expect(withPrivacy).toContain('<td>Distance-to-closest-record attack: leaks</td>');
    expect(metricsJson(r).methods.smote!.privacy).toEqual({ dcrAttackAuc: 0.97, densityAttackAuc: 0.6, verdict: 'Distance-to-closest-record attack: leaks' });
    expect(metricsJson(r).methods.none!.privacy).toBeUndefined();
  });

  test('a recommendation per prevalence, with its evidence and a warning about copies of real rows', () => {
    expect(html).toContain('<h2>Recommendation, train prevalence 3% (as given)</h2>');
    // smote 0.5 ± 0.1 against none 0.25 ± 0.05 over 2 seeds: one SE of smote is 0.071, so smote wins clearly.
    expect(html).toContain('Use smote: smote has the highest mean PR-AUC, 0.500 (sd 0.100 over 2 seeds).');
    expect(html).toContain('Warning: smote produced 1 synthetic row identical to real training rows (over 2 seeds)');
  });

  test('error bars per method and prevalence, PR curves, real vs synthetic per column', () => {
    // 5 metric charts + 2 PR charts + 2 columns x 2 results.
    expect(html.match(/<svg/g)).toHaveLength(5 + 2 + 4);
    expect(html).toContain('smote / 1%: 0.5 ± 0.1');
    expect(html).toContain('none / 3% (as given): 0.25 ± 0.05');
    // Category shares: real positives are web 2/3, atm 1/3; SMOTE's two rows are both atm.
    expect(html).toContain('real positives / web: 0.6667');
    expect(html).toContain('smote / atm: 1');
    expect(html).toContain('smote / web: 0');
  });

  test('setup text carries the data note and warns about few seeds', () => {
    expect(html).toContain('Toy loans; positive = default.');
    expect(html).toContain('Test split: 50 rows, 5 positives (10%)');
    expect(html).toContain('Fewer than 5 seeds');
  });

  test('writeFraudReport writes the same page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fraud-report-'));
    try {
      const path = join(dir, 'sub', 'report.html');
      writeFraudReport(path, result(0.01), { generatedAt: 'fixed' });
      expect(readFileSync(path, 'utf8')).toBe(fraudReportHtml(result(0.01), { generatedAt: 'fixed' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
