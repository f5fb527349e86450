import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { takeRows } from '@fingan/gan-core';
import { CREDIT_METRICS, evaluateSynthetic } from '../metrics/evaluate.js';
import { readLoanBook } from '../schema/read.js';
import { checkTargets, creditReportHtml } from './credit-report.js';
import { splitTrainTest } from '../metrics/split.js';

it('one page with the targets, 14 column charts, two heatmaps, the tables and the loss curves', () => {
  const { table, schema } = readLoanBook(fileURLToPath(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url)), { target: 'Status' });
  const { train, test } = splitTrainTest(table, { seed: 0, stratify: 'Status' });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
  // Real rows standing in for synthetic ones: half of them are copies of training rows.
  const synthetic = takeRows(table, rows(600));
  const evaluation = evaluateSynthetic({ train: takeRows(train, rows(1000)), test: takeRows(test, rows(500)), synthetic, schema });
  const targets = checkTargets(evaluation);
  expect(targets.map((t) => t.measure)).toEqual([
    'column shapes',
    'column-pair trends',
    'TSTR / TRTR ROC-AUC (GBT)',
    'exact copies of training rows',
    'synthetic DCR median / holdout DCR median',
  ]);
  expect(targets[3].met).toBe(false);
  // The metric objects, each computed once, in order, carry the same values as metrics.json's numbers.
  const m = evaluation.metrics;
  expect(evaluation.scores.map((s) => [s.name, s.goal, s.value])).toEqual([
    ['columnShapes', 'maximize', m.columnShapes],
    ['pairTrends', 'maximize', m.pairTrends],
    ['utilityRatio', 'maximize', m.utilityRatio],
    ['membershipAdvantage', 'minimize', m.membershipAdvantage],
    ['ruleAdherence', 'maximize', m.ruleAdherence],
  ]);
  expect(CREDIT_METRICS.map((x) => x.name)).toEqual(evaluation.scores.map((s) => s.name));
  expect(m.membershipAdvantage).toBeGreaterThan(0.1); // half the 'synthetic' rows are training rows
  const lossHistory = rows(50).map((i) => ({ step: i + 1, critic: -1 / (i + 1), generator: 0.5, penalty: 0.1 }));
  const html = creditReportHtml({ evaluation, train: takeRows(train, rows(1000)), synthetic, schema, lossHistory, generatedAt: 'test' });
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  for (const title of [
    'Summary',
    'Column shapes',
    'Column-pair trends',
    'Utility: train on synthetic, test on real',
    'Privacy',
    'Business rules and bounds',
    'Training',
  ]) {
    expect(html).toContain(`<h2>${title}`);
  }
  // 14 columns + correlation difference + pair-trend scores + DCR histogram + 2 loss charts.
  expect(html.match(/<svg/g)).toHaveLength(19);
  expect(html).toContain('Correlation difference (synthetic - real)');
  expect(html).toContain('Assets (up to the real 99th percentile)');
  expect(html).toContain('Amount&lt;=Price');
  expect(html).toContain('<caption>Scores</caption>');
  expect(html).toContain('<td>Membership attack advantage</td>');
  expect(creditReportHtml({ evaluation, train, synthetic, schema }).match(/<svg/g)).toHaveLength(17);
});
