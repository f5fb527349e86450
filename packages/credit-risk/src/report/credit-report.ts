import {
  barChart,
  frequencies,
  heatmap,
  histogramChart,
  htmlPage,
  htmlTable,
  lineChart,
  metricScoresTable,
  paragraph,
  quantile,
  section,
  writeReport,
  type LossRecord,
  type Table,
} from '@fingan/gan-core';
import { isOrdered, presentNumbers } from '../metrics/columns.js';
import type { CreditEvaluation } from '../metrics/evaluate.js';
import { pairCorrelation } from '../metrics/pair-trends.js';
import { schemaKinds, type LoanBookSchema } from '../schema/schema.js';
import { attackVerdict, attributeVerdict } from '@fingan/gan-core/privacy';

/** The quality targets, checked in the report's summary (and by the benchmark). */
export const TARGETS = {
  columnShapes: 0.9,
  pairTrends: 0.85,
  utilityRatio: 0.9,
  exactCopies: 0,
} as const;

/** The targets beside each metric object's score (by metric name). */
const SCORE_TARGETS: Record<string, string> = {
  columnShapes: `>= ${TARGETS.columnShapes}`,
  pairTrends: `>= ${TARGETS.pairTrends}`,
  utilityRatio: `>= ${TARGETS.utilityRatio}`,
};

export interface TargetCheck {
  measure: string;
  value: number;
  target: string;
  met: boolean;
}

/** Each quality target of a credit evaluation, met or not. */
export function checkTargets(ev: CreditEvaluation): TargetCheck[] {
  const m = ev.metrics;
  return [
    { measure: 'column shapes', value: m.columnShapes, target: `>= ${TARGETS.columnShapes}`, met: m.columnShapes >= TARGETS.columnShapes },
    { measure: 'column-pair trends', value: m.pairTrends, target: `>= ${TARGETS.pairTrends}`, met: m.pairTrends >= TARGETS.pairTrends },
    { measure: 'TSTR / TRTR ROC-AUC (GBT)', value: m.utilityRatio, target: `>= ${TARGETS.utilityRatio}`, met: m.utilityRatio >= TARGETS.utilityRatio },
    { measure: 'exact copies of training rows', value: m.exactCopies, target: '0', met: m.exactCopies === TARGETS.exactCopies },
    {
      measure: 'synthetic DCR median / holdout DCR median',
      value: m.dcrHoldoutMedian > 0 ? m.dcrSyntheticMedian / m.dcrHoldoutMedian : Infinity,
      target: '>= 1',
      met: m.dcrSyntheticMedian >= m.dcrHoldoutMedian,
    },
  ];
}

function columnChart(name: string, real: Table, synthetic: Table, kind: LoanBookSchema['columns'][number]['kind']): string {
  if (isOrdered(kind)) {
    const r = presentNumbers(real[name], kind);
    const s = presentNumbers(synthetic[name], kind);
    // Heavy tails (assets in the 100,000s) would squeeze everything into one bar: draw up to the real 99th percentile.
    const cap = r.length ? quantile(r, 0.99) : Infinity;
    const clip = (v: Float64Array) => v.filter((x) => x <= cap);
    const capped = r.some((x) => x > cap) || s.some((x) => x > cap);
    return histogramChart({
      title: `${name}${capped ? ' (up to the real 99th percentile)' : ''}`,
      series: [
        { name: 'real', values: clip(r) },
        { name: 'synthetic', values: clip(s) },
      ],
      bins: 30,
    });
  }
  const fr = frequencies(real[name]);
  const fs = frequencies(synthetic[name]);
  const cats = [...new Set([...fr.keys(), ...fs.keys()])];
  cats.sort((a, b) => (fr.get(b) ?? 0) - (fr.get(a) ?? 0));
  return barChart({
    title: name,
    categories: cats.map((c) => (c === null ? '(missing)' : String(c))),
    series: [
      { name: 'real', values: cats.map((c) => fr.get(c) ?? 0) },
      { name: 'synthetic', values: cats.map((c) => fs.get(c) ?? 0) },
    ],
    yLabel: 'share',
  });
}

/** Thin a loss history to at most `max` points per curve, for a readable chart. */
function thin(history: readonly LossRecord[], max = 400): LossRecord[] {
  if (history.length <= max) return [...history];
  const step = history.length / max;
  return Array.from({ length: max }, (_, i) => history[Math.floor(i * step)]);
}

export interface CreditReportInput {
  evaluation: CreditEvaluation;
  train: Table;
  synthetic: Table;
  schema: LoanBookSchema;
  lossHistory?: readonly LossRecord[];
  /** e.g. the data file and the command that produced the report. */
  subtitle?: string;
  generatedAt?: string;
}

/**
 * The evaluation as one self-contained HTML page: targets, per-column real-vs-synthetic charts, the difference of
 * the correlation matrices and the pair-trend scores, utility and privacy tables, rule adherence and loss curves.
 */
export function creditReportHtml(input: CreditReportInput): string {
  const { evaluation: ev, train, synthetic, schema } = input;
  const m = ev.metrics;
  const kinds = schemaKinds(schema);
  const names = schema.columns.map((c) => c.name);
  const sections: string[] = [];

  sections.push(
    section(
      'Summary',
      paragraph(
        `Real training rows: ${m.rows.train}; real holdout rows: ${m.rows.test}; synthetic rows: ${m.rows.synthetic}. ` +
          `Target column '${schema.target}', bad = '${String(schema.positive)}'.`,
      ),
      metricScoresTable(ev.scores, { caption: 'Scores', targets: SCORE_TARGETS }),
      htmlTable(
        checkTargets(ev).map((t) => ({ measure: t.measure, value: t.value, target: t.target, met: t.met ? 'yes' : 'NO' })),
        { caption: 'Quality targets' },
      ),
    ),
  );

  sections.push(
    section(
      'Column shapes (real training rows vs synthetic)',
      paragraph('KS complement (numeric) or total-variation complement (categorical, missing counted as a category): 1 = identical marginals.'),
      htmlTable(ev.shapes.map((s) => ({ column: s.column, kind: s.kind, metric: s.metric, score: s.score }))),
      ...names.map((c) => columnChart(c, train, synthetic, kinds[c])),
    ),
  );

  const numeric = names.filter((c) => isOrdered(kinds[c]));
  const pairScore = new Map(ev.pairs.map((p) => [`${p.a}|${p.b}`, p.score]));
  const scoreMatrix = names.map((a) => names.map((b) => (a === b ? 1 : (pairScore.get(`${a}|${b}`) ?? pairScore.get(`${b}|${a}`) ?? NaN))));
  const blocks = [
    paragraph(
      'Correlation similarity for numeric pairs, contingency similarity (numeric columns cut at real deciles) otherwise; the difference map shows synthetic minus real Pearson correlation.',
    ),
  ];
  if (numeric.length >= 2) {
    const diff = numeric.map((a) =>
      numeric.map((b) => (a === b ? 0 : pairCorrelation(synthetic, a, b, kinds[a], kinds[b]) - pairCorrelation(train, a, b, kinds[a], kinds[b]))),
    );
    blocks.push(
      heatmap({ title: 'Correlation difference (synthetic - real)', matrix: diff, rowLabels: numeric, colLabels: numeric, diverging: true, min: -1, max: 1 }),
    );
  }
  blocks.push(heatmap({ title: 'Column-pair trend score', matrix: scoreMatrix, rowLabels: names, colLabels: names, min: 0, max: 1 }));
  const worst = [...ev.pairs].sort((a, b) => a.score - b.score).slice(0, 10);
  blocks.push(
    htmlTable(
      worst.map((p) => ({ pair: `${p.a} / ${p.b}`, metric: p.metric, score: p.score, real: p.real ?? null, synthetic: p.synthetic ?? null })),
      { caption: 'The 10 weakest pairs' },
    ),
  );
  sections.push(section('Column-pair trends', ...blocks));

  sections.push(
    section(
      'Utility: train on synthetic, test on real',
      paragraph(
        `ROC-AUC on the real holdout of a default model (bad = '${String(schema.positive)}') trained on the real training rows (TRTR) or on the synthetic rows (TSTR).`,
      ),
      htmlTable(
        ev.utility.map((u) => ({
          model: u.model === 'gbt' ? 'gradient-boosted trees' : 'logistic regression',
          TRTR: u.trtr,
          TSTR: u.tstr,
          'TSTR / TRTR': u.tstr / u.trtr,
        })),
      ),
    ),
  );

  const p = ev.privacy;
  const dcrCap = Math.max(quantile(p.dcrSynthetic, 0.99), quantile(p.dcrHoldout, 0.99));
  sections.push(
    section(
      'Privacy',
      paragraph(
        'Distance to the closest training row (Gower distance: numeric columns scaled by the training range, categorical mismatch = 1, averaged over columns), for synthetic rows and for real holdout rows the model never saw. Synthetic rows should not sit closer to training rows than new real applicants do.',
      ),
      htmlTable([
        { measure: 'exact copies of training rows', synthetic: p.exactCopies, holdout: null },
        { measure: 'share of exact copies', synthetic: p.exactCopyShare, holdout: null },
        { measure: 'DCR median', synthetic: p.dcrSyntheticMedian, holdout: p.dcrHoldoutMedian },
        { measure: 'DCR 5th percentile', synthetic: p.dcrSyntheticP05, holdout: p.dcrHoldoutP05 },
        { measure: 'nearest-neighbour distance ratio, median', synthetic: p.nndrSyntheticMedian, holdout: p.nndrHoldoutMedian },
        { measure: 'membership attack ROC-AUC (0.5 = chance)', synthetic: p.membershipAuc, holdout: null },
        { measure: 'membership attack advantage (best TPR - FPR)', synthetic: p.membershipAdvantage, holdout: null },
        { measure: 'density-ratio membership attack ROC-AUC (0.5 = chance)', synthetic: p.densityAttackAuc, holdout: null },
        ...p.attributes.flatMap((a) => [
          { measure: `'${a.column}' guessed from the nearest synthetic row: training rows`, synthetic: a.memberAccuracy, holdout: null },
          { measure: `'${a.column}' guessed from the nearest synthetic row: holdout rows`, synthetic: a.nonMemberAccuracy, holdout: null },
        ]),
      ]),
      paragraph(membershipVerdict(p.membershipAuc)),
      paragraph(
        attackVerdict('Density-ratio attack (synthetic density against a real reference sample, k = 5)', {
          auc: p.densityAttackAuc,
          advantage: p.densityAttackAdvantage,
          rows: p.attackRows.density,
        }),
      ),
      ...p.attributes.map((a) => paragraph(attributeVerdict(a))),
      histogramChart({
        title: 'Distance to closest training row',
        series: [
          { name: 'real holdout', values: p.dcrHoldout.filter((x) => x <= dcrCap) },
          { name: 'synthetic', values: p.dcrSynthetic.filter((x) => x <= dcrCap) },
        ],
        bins: 40,
        xLabel: 'Gower distance',
      }),
    ),
  );

  sections.push(
    section(
      'Business rules and bounds',
      paragraph(`Share of synthetic rows meeting each rule (a rule with a missing cell holds). All together: ${(ev.rules.share * 100).toFixed(2)}%.`),
      htmlTable(ev.rules.rules.map((r) => ({ rule: r.rule, share: r.share }))),
    ),
  );

  if (input.lossHistory && input.lossHistory.length > 0) {
    const h = thin(input.lossHistory);
    sections.push(
      section(
        'Training',
        lineChart({
          title: 'Losses',
          series: [
            { name: 'critic (Wasserstein + penalty)', x: h.map((r) => r.step), y: h.map((r) => r.critic) },
            { name: 'generator', x: h.map((r) => r.step), y: h.map((r) => r.generator) },
          ],
          xLabel: 'generator step',
        }),
        lineChart({
          title: 'Gradient penalty',
          series: [{ name: 'penalty', x: h.map((r) => r.step), y: h.map((r) => r.penalty ?? NaN) }],
          xLabel: 'generator step',
        }),
      ),
    );
  }
  return htmlPage({ title: 'Synthetic loan book: fidelity, utility and privacy', subtitle: input.subtitle, sections, generatedAt: input.generatedAt });
}

/** Write the report atomically. */
export function writeCreditReport(path: string, input: CreditReportInput): void {
  writeReport(path, creditReportHtml(input));
}

/**
 * Plain words for the distance-to-closest-record membership attack (training rows against as many holdout rows,
 * scored by the distance to the nearest synthetic row). With about a thousand rows a side the AUC's standard error
 * is about 0.013, so below 0.53 is indistinguishable from guessing.
 */
export function membershipVerdict(auc: number): string {
  const a = auc.toFixed(3);
  if (auc < 0.53)
    return `Membership attack: ROC-AUC ${a}. An attacker who holds a real applicant's row and the synthetic book cannot tell whether that applicant was in the training data better than by guessing.`;
  if (auc < 0.6)
    return `Membership attack: ROC-AUC ${a}. The synthetic rows sit slightly closer to training applicants than to new ones: a weak signal of membership; do not publish the synthetic book where membership itself is sensitive.`;
  return `Membership attack: ROC-AUC ${a}. The synthetic rows reveal which applicants were in the training data; do not share them.`;
}
