import type { MetricScore } from '../stats/metric.js';
import { htmlTable } from './html.js';

function bound(x: number): string {
  return x === Infinity ? '∞' : x === -Infinity ? '-∞' : String(x);
}

/** One row per metric score: its title, value, which way is better, its range and (optionally) its target. */
export function metricScoresTable(
  scores: readonly Pick<MetricScore<unknown>, 'name' | 'title' | 'goal' | 'range' | 'value'>[],
  opts: { caption?: string; targets?: Record<string, string> } = {},
): string {
  const rows = scores.map((s) => ({
    measure: s.title,
    value: s.value,
    better: s.goal === 'maximize' ? 'higher' : 'lower',
    range: `${bound(s.range[0])} to ${bound(s.range[1])}`,
    ...(opts.targets ? { target: opts.targets[s.name] ?? '' } : {}),
  }));
  return htmlTable(rows, { caption: opts.caption });
}
