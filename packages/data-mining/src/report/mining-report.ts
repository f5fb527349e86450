import { barChart, formatValue, histogramChart, htmlPage, htmlTable, paragraph, section, writeReport } from '@fingan/gan-core';
import { analyzeMining, type EvaluateMiningInput, type MiningMetrics } from '../metrics/mining-fidelity.js';
import type { AssociationRule } from '../mining/rules.js';
import type { SegmentFidelity } from '../segments/segments.js';
import { computeMetrics } from '@fingan/gan-core/stats';
import { metricScoresTable } from '@fingan/gan-core/report';
import { MINING_METRICS } from '../metrics/metric-objects.js';

/**
 * One self-contained HTML page comparing mining results on real and synthetic baskets: what an analyst would
 * see (items, sizes, itemsets, rules) side by side, then the privacy figures next to their baselines.
 */

export interface MiningReportOptions extends EvaluateMiningInput {
  title?: string;
  /** Item names by id (e.g. `encoder.items`); ids are shown otherwise. */
  itemNames?: readonly (string | number)[];
  /** Items in the frequency chart: the most frequent real items (default 30). */
  topItems?: number;
  /** Rules listed per side (default 20). */
  rulesShown?: number;
  /** Shown under the title as given (pass a fixed string for reproducible files). */
  generatedAt?: string;
  /** Segment fidelity (`segmentFidelity(...)`) to show; the section is left out without it. */
  segments?: SegmentFidelity;
}

export interface MiningReport {
  html: string;
  metrics: MiningMetrics;
}

export function miningReport(options: MiningReportOptions): MiningReport {
  const a = analyzeMining(options);
  const m = a.metrics;
  const name = (id: number) => String(options.itemNames?.[id] ?? id);
  const ruleText = (r: AssociationRule) => `${r.antecedent.map(name).join(', ')} \u2192 ${r.consequent.map(name).join(', ')}`;
  const rulesShown = options.rulesShown ?? 20;
  const topItems = options.topItems ?? 30;

  const summary = section(
    'Summary',
    paragraph(
      `Frequent itemsets at support ${formatValue(m.minSupport)} (up to ${options.maxLength ?? 4} items), mined separately on ${m.nReal} real and ${m.nSynthetic} synthetic baskets.`,
    ),
    metricScoresTable(computeMetrics(MINING_METRICS, m), { caption: 'Scores (the metric objects, MINING_METRICS)' }),
    htmlTable(
      [
        { metric: 'Itemset precision', value: m.itemsetPrecision, meaning: 'share of synthetic itemsets that are real (1 = none invented)' },
        { metric: 'Itemset recall', value: m.itemsetRecall, meaning: 'share of real itemsets found in the synthetic data (1 = none lost)' },
        { metric: 'Median relative support error', value: m.supportMedianRelError, meaning: 'of the real itemsets, counted in the synthetic data (0 = exact)' },
        {
          metric: `Rule overlap (top ${m.topRules} by lift, Jaccard)`,
          value: m.ruleJaccardTop50,
          'real half vs real half': m.ruleJaccardTop50Reference,
          meaning: '1 = the same strongest rules; compare with the real halves, not with 1',
        },
        {
          metric: `Rule overlap at support ${formatValue(m.rules.support)}, confidence ${formatValue(m.rules.confidence)} (Jaccard)`,
          value: m.rules.synthetic.jaccard,
          'real half vs real half': m.rules.realHalves.jaccard,
          meaning: 'where two real halves agree (see Rules you can trust)',
        },
        { metric: 'Basket size TV distance', value: m.basketSizeTV, meaning: '0 = same size distribution' },
        { metric: 'Basket size Wasserstein-1', value: m.basketSizeWasserstein, meaning: 'in items' },
        { metric: 'Item frequency TV distance', value: m.itemFrequencyTV, meaning: '0 = same item shares' },
        { metric: 'Item support mean absolute error', value: m.itemSupportMAE, meaning: '0 = same supports' },
      ],
      { columns: ['metric', 'value', 'real half vs real half', 'meaning'] },
    ),
  );

  const order = Array.from(a.realItemSupport.keys()).sort((x, y) => a.realItemSupport[y] - a.realItemSupport[x] || x - y);
  const shown = order.slice(0, topItems);
  const items = section(
    'Items',
    barChart({
      title: `Item support, the ${shown.length} most frequent real items`,
      categories: shown.map(name),
      series: [
        { name: 'real', values: shown.map((i) => a.realItemSupport[i]) },
        { name: 'synthetic', values: shown.map((i) => a.syntheticItemSupport[i]) },
      ],
      yLabel: 'share of baskets',
      width: 960,
    }),
    histogramChart({
      title: 'Basket size (distinct items)',
      series: [
        { name: 'real', values: a.realSizes },
        { name: 'synthetic', values: a.syntheticSizes },
      ],
      bins: Math.max(1, Math.min(50, Math.max(maxOf(a.realSizes), maxOf(a.syntheticSizes)) + 1)),
      xLabel: 'items in basket',
    }),
  );

  const lengths = m.byLength.map((l) => `${l.length} item${l.length > 1 ? 's' : ''}`);
  const itemsets = section(
    'Frequent itemsets by length',
    barChart({
      title: 'Itemset precision and recall by length',
      categories: lengths,
      series: [
        { name: 'precision', values: m.byLength.map((l) => l.precision) },
        { name: 'recall', values: m.byLength.map((l) => l.recall) },
      ],
      yLabel: 'share',
    }),
    htmlTable(m.byLength.map((l) => ({ length: l.length, real: l.real, synthetic: l.synthetic, common: l.common, precision: l.precision, recall: l.recall }))),
  );

  const realKeys = new Set(a.realRules.map(ruleText));
  const synthKeys = new Set(a.syntheticRules.map(ruleText));
  const rows = [];
  for (let i = 0; i < Math.min(rulesShown, Math.max(a.realRules.length, a.syntheticRules.length)); i++) {
    const r = a.realRules[i];
    const s = a.syntheticRules[i];
    rows.push({
      rank: i + 1,
      'real rule': r ? ruleText(r) + (synthKeys.has(ruleText(r)) ? '' : ' *') : null,
      'real lift': r?.lift ?? null,
      'real conf.': r?.confidence ?? null,
      'synthetic rule': s ? ruleText(s) + (realKeys.has(ruleText(s)) ? '' : ' *') : null,
      'synthetic lift': s?.lift ?? null,
      'synthetic conf.': s?.confidence ?? null,
    });
  }
  const rules = section(
    'Strongest association rules',
    paragraph(
      `Rules with confidence at least ${formatValue(options.minConfidence ?? 0.5)}, strongest lift first. * marks a rule missing from the other side's top ${m.topRules}.`,
    ),
    htmlTable(rows, { columns: ['rank', 'real rule', 'real lift', 'real conf.', 'synthetic rule', 'synthetic lift', 'synthetic conf.'] }),
  );

  const ra = m.rules;
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const trusted = section(
    'Rules you can trust',
    paragraph(
      ra.agreed
        ? `Rules are compared at support ${formatValue(ra.support)} and confidence ${formatValue(ra.confidence)}: of the pairs tried, the one with the most rules where two random halves of the real data share at least ${formatValue(ra.target)} of their rules (Jaccard) with at least ${ra.minRules} rules each. The real-halves column is what sampling noise alone gives: synthetic figures near it mean the synthetic rules can be trusted as far as real rules can.`
        : `No support and confidence tried gives two random halves of the real data a rule overlap of ${formatValue(ra.target)} (with at least ${ra.minRules} rules each); shown is the best pair, support ${formatValue(ra.support)} and confidence ${formatValue(ra.confidence)}. Rules on this data are unstable even between real halves: trust none of them, real or synthetic, without checking.`,
    ),
    htmlTable(
      [
        { measure: 'rules', synthetic: ra.synthetic.nCompared, 'real halves': ra.realHalves.nCompared, meaning: 'synthetic rules / rules in the second half' },
        {
          measure: 'rule precision',
          synthetic: ra.synthetic.precision,
          'real halves': ra.realHalves.precision,
          meaning: 'share of the rules that are real (first-half) rules',
        },
        { measure: 'rule recall', synthetic: ra.synthetic.recall, 'real halves': ra.realHalves.recall, meaning: 'share of the real (first-half) rules found' },
        { measure: 'rule Jaccard', synthetic: ra.synthetic.jaccard, 'real halves': ra.realHalves.jaccard, meaning: '1 = the same rules' },
        {
          measure: 'confidence mean abs. error',
          synthetic: ra.synthetic.confidenceMAE,
          'real halves': ra.realHalves.confidenceMAE,
          meaning: 'of the real rules, counted in the other data',
        },
        {
          measure: 'rules stable in both real halves',
          synthetic: ra.syntheticRulesStableShare,
          'real halves': ra.realRulesStableShare,
          meaning: 'share of synthetic / of real rules that hold in both halves',
        },
      ],
      { columns: ['measure', 'synthetic', 'real halves', 'meaning'] },
    ),
    htmlTable(
      ra.rules.slice(0, rulesShown).map((r) => ({
        rule: `${r.antecedent.map(name).join(', ')} \u2192 ${r.consequent.map(name).join(', ')}`,
        support: r.support,
        confidence: r.confidence,
        lift: r.lift,
        'stable in real halves': yes(r.stableInRealHalves),
        'synthetic conf.': r.syntheticConfidence,
        'in synthetic': yes(r.inSynthetic),
      })),
      { columns: ['rule', 'support', 'confidence', 'lift', 'stable in real halves', 'synthetic conf.', 'in synthetic'] },
    ),
  );

  const sections = [summary, items, itemsets, rules, trusted];
  if (options.segments) sections.push(segmentSection(options.segments, name));

  const reference = m.privacyReference === 'holdout' ? 'holdout baskets' : 'one random half of the real baskets, against the other half';
  const privacy = section(
    'Privacy',
    paragraph(
      `A synthetic basket should be no more often a copy of a training basket, and no closer to one, than ${reference}. Copies of common small baskets happen by chance: compare with the baseline, not with 0.`,
    ),
    htmlTable(
      [
        { measure: 'Exact copies of a training basket', synthetic: m.exactBasketCopyRate, baseline: m.exactBasketCopyRateBaseline },
        { measure: 'Median Jaccard distance to the nearest training basket', synthetic: m.nnJaccardSyntheticToTrain, baseline: m.nnJaccardHoldoutToTrain },
      ],
      { columns: ['measure', 'synthetic', 'baseline'] },
    ),
  );

  const html = htmlPage({
    title: options.title ?? 'Transaction mining: real vs synthetic baskets',
    subtitle: `${m.nReal} real, ${m.nSynthetic} synthetic baskets; minimum support ${formatValue(m.minSupport)}`,
    sections: [...sections, privacy],
    generatedAt: options.generatedAt,
  });
  return { html, metrics: m };
}

/** Build the report and write it atomically; returns the metrics. */
export function writeMiningReport(path: string, options: MiningReportOptions): MiningMetrics {
  const { html, metrics } = miningReport(options);
  writeReport(path, html);
  return metrics;
}

function segmentSection(f: SegmentFidelity, name: (id: number) => string) {
  const top = (p: Float64Array) =>
    Array.from(p.keys())
      .sort((x, y) => p[y] - p[x] || x - y)
      .slice(0, 5)
      .map((i) => `${name(i)} ${Math.round(p[i] * 100)}%`)
      .join(', ');
  const criterion =
    f.criterion === 'silhouette'
      ? `k = ${f.k}, chosen on the real baskets by the largest mean silhouette over k = ${f.silhouetteByK.map((s) => s.k).join(', ')}`
      : `k = ${f.k}, given`;
  const s = f.synthetic;
  const h = f.realHalves;
  return section(
    'Segments',
    paragraph(
      `Baskets clustered by k-means on their items (${criterion}), separately on the ${f.nReal} real and ${f.nSynthetic} synthetic baskets; segments matched one to one by profile. The real-halves column does the same with two random halves of the real baskets.`,
    ),
    htmlTable(
      [
        {
          measure: 'mean profile distance',
          synthetic: s.meanProfileDistance,
          'real halves': h.meanProfileDistance,
          meaning: 'Euclidean, between matched item-share profiles (0 = same)',
        },
        { measure: 'largest profile distance', synthetic: s.maxProfileDistance, 'real halves': h.maxProfileDistance, meaning: '' },
        { measure: 'segment size TV', synthetic: s.sizeTV, 'real halves': h.sizeTV, meaning: '0 = matched segments of the same sizes' },
        {
          measure: 'assignment agreement',
          synthetic: s.assignmentAgreement,
          'real halves': h.assignmentAgreement,
          meaning: 'share of real baskets put in matched segments by both (1 = same split)',
        },
      ],
      { columns: ['measure', 'synthetic', 'real halves', 'meaning'] },
    ),
    barChart({
      title: 'Segment shares, real and matched synthetic',
      categories: s.matched.map((x) => `segment ${x.a + 1}`),
      series: [
        { name: 'real', values: s.matched.map((x) => x.shareA) },
        { name: 'synthetic', values: s.matched.map((x) => x.shareB) },
      ],
      yLabel: 'share of baskets',
    }),
    htmlTable(
      s.matched.map((x) => ({
        segment: x.a + 1,
        'real profile (share of baskets holding the item)': top(f.realSegments.profiles[x.a]),
        'synthetic profile': top(f.syntheticSegments.profiles[x.b]),
        'real share': x.shareA,
        'synthetic share': x.shareB,
        'profile distance': x.profileDistance,
      })),
    ),
  );
}

function maxOf(x: Int32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}
