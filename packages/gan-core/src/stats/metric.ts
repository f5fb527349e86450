/**
 * Quality measures as uniform objects: a name (the key in metrics.json), a title (for people), which way is better,
 * the range of values, and one `compute`. Every domain package describes its metrics this way, so reports and
 * benches list them by iterating, and a user reads any of them the same way (the habit of SDMetrics' metric classes).
 */
import { UsageError } from '../errors.js';

export type MetricGoal = 'maximize' | 'minimize';

/** What `compute` returns: the headline value and whatever breakdown a report draws (per column, per pair, ...). */
export interface MetricResult<Detail = undefined> {
  value: number;
  detail: Detail;
}

export interface Metric<Input, Detail = undefined> {
  /** Identifier, the key under which the value is written (camelCase). */
  readonly name: string;
  /** Short human title. */
  readonly title: string;
  /** One sentence on what the value means. */
  readonly description: string;
  readonly goal: MetricGoal;
  /** Smallest and largest value; an open end is -Infinity or Infinity. */
  readonly range: readonly [number, number];
  compute(input: Input): MetricResult<Detail>;
}

/** A metric's value with its description, as reports and metrics.json list it. */
export interface MetricScore<Detail = undefined> {
  name: string;
  title: string;
  goal: MetricGoal;
  range: readonly [number, number];
  value: number;
  detail: Detail;
}

const NAME = /^[a-z][A-Za-z0-9]*$/;

/** Check and freeze a metric definition (a bad name or range is a programming error, raised at import). */
export function defineMetric<Input, Detail = undefined>(metric: Metric<Input, Detail>): Metric<Input, Detail> {
  if (!NAME.test(metric.name)) throw new UsageError(`metric name '${metric.name}' must be camelCase letters and digits`, { option: 'name' });
  const [lo, hi] = metric.range;
  if (!(lo < hi)) throw new UsageError(`metric '${metric.name}': range [${lo}, ${hi}] must have lo < hi`, { option: 'range' });
  if (metric.goal !== 'maximize' && metric.goal !== 'minimize')
    throw new UsageError(`metric '${metric.name}': goal must be maximize or minimize`, { option: 'goal' });
  return Object.freeze({ ...metric });
}

type DetailOf<M> = M extends Metric<never, infer D> ? D : never;

/** Compute each metric on the same input, in order; values outside a metric's range are an error (a bug in it). */
export function computeMetrics<Input, const M extends readonly Metric<Input, unknown>[]>(
  metrics: M,
  input: Input,
): { [K in keyof M]: MetricScore<DetailOf<M[K]>> } {
  return metrics.map((m) => {
    const { value, detail } = m.compute(input);
    const [lo, hi] = m.range;
    if (!(value >= lo && value <= hi) && !Number.isNaN(value)) throw new RangeError(`metric '${m.name}' computed ${value}, outside its range [${lo}, ${hi}]`);
    return { name: m.name, title: m.title, goal: m.goal, range: m.range, value, detail };
  }) as { [K in keyof M]: MetricScore<DetailOf<M[K]>> };
}

/**
 * The value on a common 0 (worst) .. 1 (best) scale: linear over a finite range; over [lo, Infinity) for a minimised
 * metric 1 / (1 + (value - lo)), and the mirror images for the other open ends. NaN stays NaN.
 */
export function normalizedScore(metric: Pick<Metric<unknown>, 'goal' | 'range'>, value: number): number {
  if (Number.isNaN(value)) return NaN;
  const [lo, hi] = metric.range;
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const up = Number.isFinite(lo) && Number.isFinite(hi) ? (value - lo) / (hi - lo) : Number.isFinite(lo) ? 1 - 1 / (1 + (value - lo)) : 1 / (1 + (hi - value));
  return clamp(metric.goal === 'maximize' ? up : 1 - up);
}

/** Whether `value` meets `target` in the metric's direction (>= for maximize, <= for minimize). */
export function meetsTarget(metric: Pick<Metric<unknown>, 'goal'>, value: number, target: number): boolean {
  return metric.goal === 'maximize' ? value >= target : value <= target;
}

/** The plain JSON of scores (name -> value), in order, for metrics.json and bench lines. */
export function scoreValues(scores: readonly Pick<MetricScore<unknown>, 'name' | 'value'>[]): Record<string, number> {
  return Object.fromEntries(scores.map((s) => [s.name, s.value]));
}
