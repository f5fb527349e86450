import { describe, expect, it } from 'vitest';
import { metricScoresTable } from '../report/metric-table.js';
import { computeMetrics, defineMetric, meetsTarget, normalizedScore, scoreValues } from './metric.js';

const meanOf = defineMetric<number[], { n: number }>({
  name: 'meanValue',
  title: 'Mean',
  description: 'The arithmetic mean.',
  goal: 'maximize',
  range: [0, 1],
  compute: (xs) => ({ value: xs.reduce((a, b) => a + b, 0) / xs.length, detail: { n: xs.length } }),
});
const spread = defineMetric<number[]>({
  name: 'spread',
  title: 'Max - min',
  description: 'Range of the values.',
  goal: 'minimize',
  range: [0, Infinity],
  compute: (xs) => ({ value: Math.max(...xs) - Math.min(...xs), detail: undefined }),
});

describe('metric objects', () => {
  it('compute in order with their descriptions and details', () => {
    const [m, s] = computeMetrics([meanOf, spread], [0.25, 0.75]);
    expect(m).toEqual({ name: 'meanValue', title: 'Mean', goal: 'maximize', range: [0, 1], value: 0.5, detail: { n: 2 } });
    expect(s.value).toBe(0.5);
    expect(scoreValues([m, s])).toEqual({ meanValue: 0.5, spread: 0.5 });
  });

  it('refuse a value outside the range, a bad name or an empty range', () => {
    expect(() => computeMetrics([meanOf], [2, 4])).toThrow(/meanValue.*computed 3, outside its range \[0, 1\]/);
    expect(() => defineMetric({ ...spread, name: 'Bad name' })).toThrow(/camelCase/);
    expect(() => defineMetric({ ...spread, range: [1, 1] })).toThrow(/lo < hi/);
  });

  it('normalise to 0 (worst) .. 1 (best) and check targets in the metric direction', () => {
    expect(normalizedScore(meanOf, 0.8)).toBeCloseTo(0.8, 12);
    expect(normalizedScore({ goal: 'minimize', range: [0, 1] }, 0.8)).toBeCloseTo(0.2, 12);
    expect(normalizedScore(spread, 0)).toBe(1);
    expect(normalizedScore(spread, 1)).toBeCloseTo(0.5, 12);
    expect(normalizedScore({ goal: 'maximize', range: [0, Infinity] }, 3)).toBeCloseTo(0.75, 12);
    expect(normalizedScore(meanOf, NaN)).toBeNaN();
    expect(meetsTarget(meanOf, 0.9, 0.9)).toBe(true);
    expect(meetsTarget(spread, 0.2, 0.1)).toBe(false);
  });

  it('list as a report table with direction, range and target', () => {
    const html = metricScoresTable(computeMetrics([meanOf, spread], [0.25, 0.75]), { targets: { meanValue: '>= 0.9' } });
    expect(html).toContain('<td>Mean</td>');
    expect(html).toContain('higher');
    expect(html).toContain('0 to ∞');
    expect(html).toContain('&gt;= 0.9');
  });
});
