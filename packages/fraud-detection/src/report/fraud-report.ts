import {
  barChart,
  errorBarChart,
  histogramChart,
  htmlPage,
  htmlTable,
  lineChart,
  paragraph,
  section,
  writeReport,
  type Cell,
  type Table,
} from '@fingan/gan-core';
import { withDefaults } from '../defaults.js';
import { METRICS, METRIC_LABELS, recommend, type EvaluationMethod, type EvaluationResult } from '../metrics/evaluate.js';

/**
 * One self-contained HTML page for an augmentation comparison: the metrics with their spread over seeds (per
 * method and training prevalence), the precision-recall curves behind them, and whether the synthetic positives
 * look like the real ones column by column. The spread is the point: a method whose error bar overlaps 'none' has
 * not been shown to help.
 */

export interface FraudReportOptions {
  title?: string;
  subtitle?: string;
  /** What the data is, in plain words (e.g. "LendingClub Q1 2016 loans; positive = default"). */
  dataNote?: string;
  /** Fixed timestamp text for reproducible files; omitted when undefined. */
  generatedAt?: string;
  /** At most this many columns get a real-vs-synthetic chart. */
  maxColumns?: number;
  /** Categories shown per categorical column (the most frequent among the real positives). */
  maxCategories?: number;
}

const DEFAULTS = {
  title: 'Rare-class augmentation: does it help the detector?',
  maxColumns: 24,
  maxCategories: 12,
};
/** Points kept per PR curve: enough for the shape, small enough for a mailable file. */
const MAX_CURVE_POINTS = 400;

export function fraudReportHtml(results: EvaluationResult | EvaluationResult[], options: FraudReportOptions = {}): string {
  const opts = withDefaults(DEFAULTS, options);
  const list = Array.isArray(results) ? results : [results];
  if (list.length === 0) throw new RangeError('fraudReportHtml needs at least one evaluation result');
  const groups = list.map(prevalenceLabel);
  const methods = [...new Set(list.flatMap((r) => r.methods.map((m) => m.method)))];

  const first = list[0];
  const setup = paragraph(
    [
      opts.dataNote ?? '',
      `Label '${first.label}', positive '${String(first.positive)}'.`,
      `Test split: ${first.test.rows} rows, ${first.test.positives} positives (${pct(first.test.prevalence)}), never seen by augmentation or training.`,
      `Each setting ran over ${first.seeds.length} seeds (${first.seeds.join(', ')}); bars and cells show mean ± sd over seeds.`,
      first.seeds.length < 5 ? 'Fewer than 5 seeds: treat the spread as indicative only.' : '',
    ]
      .filter(Boolean)
      .join(' '),
  );

  const table = htmlTable(
    list.flatMap((r, g) =>
      r.methods.map((m) => {
        const row: Record<string, unknown> = {
          'train prevalence': groups[g],
          'train positives': r.train.positives,
          method: m.method,
          'added (mean)': Math.round(m.added.reduce((a, b) => a + b, 0) / m.added.length),
          'copies of real rows': m.copies.reduce((a, b) => a + b, 0),
        };
        for (const k of METRICS) row[METRIC_LABELS[k]] = `${m.metrics[k].mean.toFixed(3)} ± ${m.metrics[k].sd.toFixed(3)}`;
        return row;
      }),
    ),
    { caption: 'Test-split metrics, mean ± sd over seeds' },
  );

  const charts = METRICS.map((k) =>
    errorBarChart({
      title: `${METRIC_LABELS[k]} by training prevalence`,
      groups,
      series: methods.map((method) => {
        const found = list.map((r) => r.methods.find((m) => m.method === method)?.metrics[k]);
        return { name: method, mean: found.map((s) => s?.mean ?? NaN), sd: found.map((s) => s?.sd ?? NaN) };
      }),
      yLabel: k,
    }),
  );

  const curves = list.map((r, g) =>
    lineChart({
      title: `Precision-recall, train prevalence ${groups[g]} (seed ${r.seeds[0]})`,
      series: r.prCurves.map((c) => {
        const keep = thin(c.recall.length, MAX_CURVE_POINTS);
        return { name: c.method, x: keep.map((i) => c.recall[i]), y: keep.map((i) => c.precision[i]) };
      }),
      xLabel: 'recall',
      yLabel: 'precision',
    }),
  );

  const columnSections = list.map((r, g) =>
    section(
      `Real vs synthetic positives per column, train prevalence ${groups[g]} (seed ${r.seeds[0]})`,
      paragraph(
        'Shares within each sample, so samples of different sizes compare. Random oversampling copies real rows, so it matches the real positives by construction; the question is whether the synthetic methods do.',
      ),
      ...columnCharts(r, opts.maxColumns, opts.maxCategories),
    ),
  );

  const advice = list.map((r, g) => {
    const rec = recommend(r);
    return section(
      `Recommendation, train prevalence ${groups[g]}`,
      paragraph(`Use ${rec.method}: ${rec.reason}.`),
      ...rec.warnings.map((w) => paragraph(`Warning: ${w}.`)),
      htmlTable(
        rec.evidence.map((e) => ({
          method: e.method,
          'PR-AUC': `${e.prAuc.toFixed(3)} ± ${e.prAucSd.toFixed(3)}`,
          'recall at precision 0.5': e.recallAtP50.toFixed(3),
          'within one SE of the best': e.tiesWithBest ? 'yes' : 'no',
          'copies of real rows': e.copies,
        })),
        { caption: 'The evidence: mean ± sd over seeds; among methods within one standard error of the best, the simplest without copies is recommended' },
      ),
    );
  });

  const privacyRows = list.flatMap((r, g) =>
    r.methods
      .filter((m) => m.privacy)
      .map((m) => ({
        'train prevalence': groups[g],
        method: m.method,
        'DCR attack ROC-AUC': m.privacy!.dcr.auc,
        'density-ratio attack ROC-AUC': m.privacy!.density.auc,
        verdict: m.privacy!.verdict,
      })),
  );
  const privacySection = privacyRows.length
    ? [
        section(
          'Privacy of the synthetic positives',
          paragraph(
            "Can someone holding a method's synthetic positives tell which real positives were in the training data? Training positives (members) against the test positives (never seen), first seed; 0.5 is chance. Oversamplers that copy or interpolate real rows are expected to leak.",
          ),
          htmlTable(privacyRows, { caption: 'Membership attacks on the synthetic positives (gan-core privacy attacks, Gower distance)' }),
        ),
      ]
    : [];

  return htmlPage({
    title: opts.title,
    subtitle: opts.subtitle,
    generatedAt: opts.generatedAt,
    sections: [
      section('Setup', setup),
      ...advice,
      section('Detector metrics by method and training prevalence', table, ...charts),
      section('Precision-recall curves on the test split', ...curves),
      ...privacySection,
      ...columnSections,
    ],
  });
}

export function writeFraudReport(path: string, results: EvaluationResult | EvaluationResult[], options: FraudReportOptions = {}): void {
  writeReport(path, fraudReportHtml(results, options));
}

function columnCharts(r: EvaluationResult, maxColumns: number, maxCategories: number): string[] {
  const real = r.samples.real;
  const synthetic = Object.entries(r.samples.synthetic) as [EvaluationMethod, Table][];
  const columns = Object.keys(real)
    .filter((c) => c !== r.label)
    .slice(0, maxColumns);
  return columns.map((c) => {
    const samples: { name: string; col: Cell[] }[] = [
      { name: 'real positives', col: real[c] },
      ...synthetic.map(([method, t]) => ({ name: method, col: t[c] ?? [] })),
    ];
    const numeric = real[c].every((v) => v === null || typeof v === 'number');
    if (numeric) {
      return histogramChart({
        title: c,
        series: samples.map((s) => ({ name: s.name, values: s.col.filter((v): v is number => typeof v === 'number') })),
        xLabel: c,
      });
    }
    const categories = topCategories(real[c], maxCategories);
    return barChart({
      title: c,
      categories,
      series: samples.map((s) => ({ name: s.name, values: categories.map((k) => share(s.col, k)) })),
      yLabel: 'share',
    });
  });
}

function topCategories(col: Cell[], max: number): string[] {
  const counts = new Map<string, number>();
  for (const v of col) if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([k]) => k);
}

function share(col: Cell[], category: string): number {
  if (col.length === 0) return 0;
  let n = 0;
  for (const v of col) if (v !== null && String(v) === category) n++;
  return n / col.length;
}

/** Evenly spaced indices, first and last included. */
function thin(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

function prevalenceLabel(r: EvaluationResult): string {
  return r.targetPrevalence === null ? `${pct(r.train.prevalence)} (as given)` : pct(r.targetPrevalence);
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
