/**
 * Differential privacy for TabularSynthesizer outside the critic: the budget plan, and the statistics the model takes
 * from the data besides the critic's gradients, released with Gaussian noise.
 *
 * What is released, and how (neighbouring tables differ by adding or removing one row; the row count n is treated as
 * public, as DP-SGD's sampling rate q = batch / n does everywhere):
 * - per column, one noisy histogram: numeric columns over a fixed grid of 0.25-wide bins of asinh(x) from -30 to 30
 *   (data-independent: every bin gets noise), with a bin for missing values; boolean columns over {false, true,
 *   missing}; categorical columns over the categories present, each released only when its noisy count exceeds a
 *   threshold tau (the domain is data-dependent: a category held by one row is released with probability at most
 *   Phi((1 - tau) / sigma), which is added to delta);
 * - per condition column (other than the anchor), its joint counts with the anchor (e.g. the default flag), over the
 *   released categories.
 *   One row adds 1 to one cell of every column's histogram and of every joint table, so the whole release is one
 *   Gaussian mechanism of L2 sensitivity sqrt(columns + joint tables), of RDP alpha * S / (2 sigma_s^2).
 * Everything else is post-processing: the encoder is fitted on a surrogate table drawn from the released
 * histograms (never on the real rows), the condition frequencies come from the released counts, and real cells the
 * encoder cannot represent (a category that was not released, a missing value in a column whose released missing
 * count was negligible) are replaced row by row with a released value before the real rows are encoded for DP-SGD.
 *
 * Budget split: the statistics get the noise sigma_s that on its own would spend `statsShare` (default 25%) of epsilon;
 * then DP-SGD's noise multiplier is the smallest whose steps, composed in RDP with the statistics, stay within
 * epsilon at delta minus the thresholding's share (a quarter of delta when there is a categorical column). One
 * conversion from RDP to (epsilon, delta), at the end.
 */
import { z } from 'zod';
import type { Cell, Table } from '../data/table.js';
import { rowCount } from '../data/table.js';
import { UsageError } from '../errors.js';
import type { ColumnSpec } from '../encoders/index.js';
import type { Rng } from '../random/rng.js';
import type { DpRecord } from '../privacy/dp-record.js';
import { DEFAULT_RDP_ORDERS, noiseMultiplierFor, rdpGaussian, rdpToEpsilon, dpSgdEpsilon } from '../privacy/rdp.js';
import { normalCdf } from '../math/normal.js';

/** What a user asks for. */
export interface TabularDpArgs {
  epsilon: number;
  /** Default: min(1e-5, 1 / (10 n)). Must be below 1 / n. */
  delta?: number;
  /** L2 bound on one row's critic gradient (default 1). */
  clipNorm?: number;
  /** Share of epsilon the released statistics would spend on their own (default 0.25). */
  statsShare?: number;
  /**
   * Categories declared public, by column (e.g. the target's two classes): their counts are released with noise over
   * the declared list, with no threshold (and no delta spent on it); cells outside the list count as its first entry.
   */
  publicCategories?: Record<string, (string | number | boolean | null)[]>;
}

export const tabularDpArgsSchema = z
  .object({
    epsilon: z.number().positive(),
    delta: z.number().positive().lt(1).optional(),
    clipNorm: z.number().positive().optional(),
    statsShare: z.number().gt(0).lt(1).optional(),
    publicCategories: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1)).optional(),
  })
  .strict();

export function defaultDelta(n: number): number {
  return Math.min(1e-5, 1 / (10 * n));
}

/** Validate what a user asked for against the table's size; errors name the option (epsilon, delta). */
export function checkDpArgs(dp: TabularDpArgs, n: number): Required<Omit<TabularDpArgs, 'publicCategories'>> {
  if (typeof dp.epsilon !== 'number' || !(dp.epsilon > 0) || !Number.isFinite(dp.epsilon)) {
    throw new UsageError(`--epsilon must be a positive number, got ${String(dp.epsilon)}`, { option: 'epsilon' });
  }
  const delta = dp.delta ?? defaultDelta(n);
  if (typeof delta !== 'number' || !(delta > 0) || !(delta < 1 / n)) {
    throw new UsageError(`--delta must be a positive number below 1/rows = ${(1 / n).toPrecision(3)} (the table has ${n} rows), got ${String(dp.delta)}`, {
      option: 'delta',
    });
  }
  const clipNorm = dp.clipNorm ?? 1;
  const statsShare = dp.statsShare ?? 0.25;
  if (!(clipNorm > 0)) throw new UsageError(`the clipping norm must be positive, got ${clipNorm}`);
  if (!(statsShare > 0 && statsShare < 1)) throw new UsageError(`the statistics' share of epsilon must be in (0, 1), got ${statsShare}`);
  return { epsilon: dp.epsilon, delta, clipNorm, statsShare };
}

/** Upper tail of the standard normal, P(Z > z) (gan-core's normalCdf, accurate far into the tail). */
export function normalTail(z: number): number {
  return normalCdf(-z);
}

export interface TabularDpPlan {
  epsilon: number;
  delta: number;
  deltaRdp: number;
  deltaThreshold: number;
  clipNorm: number;
  statsShare: number;
  q: number;
  expectedBatch: number;
  criticSteps: number;
  noiseMultiplier: number;
  statsNoise: number;
  statsSensitivitySq: number;
  /** Noisy-count threshold for releasing a category (null without categorical columns). */
  categoryThreshold: number | null;
}

/**
 * The budget plan of a DP fit: fixed before training from the table's size and the options (never the clock).
 * `columns`: columns with a histogram; `jointTables`: condition columns released jointly with the anchor;
 * `categoricalColumns`: columns whose domain comes from the data.
 */
export function planTabularDp(args: {
  dp: TabularDpArgs;
  n: number;
  batchSize: number;
  criticSteps: number;
  columns: number;
  jointTables: number;
  categoricalColumns: number;
}): TabularDpPlan {
  const dp = checkDpArgs(args.dp, args.n);
  const q = Math.min(1, args.batchSize / args.n);
  const k = args.categoricalColumns;
  const deltaThreshold = k > 0 ? dp.delta / 4 : 0;
  const deltaRdp = dp.delta - deltaThreshold;
  const S = args.columns + args.jointTables;
  const orders = DEFAULT_RDP_ORDERS;
  const statsEps = (sigma: number) =>
    rdpToEpsilon(
      orders.map((a) => rdpGaussian(S, sigma, a)),
      orders,
      deltaRdp,
    ).epsilon;
  const target = dp.statsShare * dp.epsilon;
  let lo = 1e-3;
  let hi = 1;
  while (statsEps(hi) > target) hi *= 2;
  while (hi / lo > 1.0001) {
    const mid = Math.sqrt(lo * hi);
    if (statsEps(mid) > target) lo = mid;
    else hi = mid;
  }
  const statsNoise = hi;
  const extraRdp = (a: number) => rdpGaussian(S, statsNoise, a);
  const noiseMultiplier = noiseMultiplierFor({ q, steps: args.criticSteps, epsilon: dp.epsilon, delta: deltaRdp, extraRdp });
  let categoryThreshold: number | null = null;
  if (k > 0) {
    // P(1 + N(0, sigma_s^2) > tau) <= deltaThreshold / k for each of the k columns a row's categories are in.
    let zLo = 0;
    let zHi = 40;
    for (let i = 0; i < 100; i++) {
      const mid = (zLo + zHi) / 2;
      if (normalTail(mid) > deltaThreshold / k) zLo = mid;
      else zHi = mid;
    }
    categoryThreshold = 1 + statsNoise * zHi;
  }
  return {
    epsilon: dp.epsilon,
    delta: dp.delta,
    deltaRdp,
    deltaThreshold,
    clipNorm: dp.clipNorm,
    statsShare: dp.statsShare,
    q,
    expectedBatch: q * args.n,
    criticSteps: args.criticSteps,
    noiseMultiplier,
    statsNoise,
    statsSensitivitySq: S,
    categoryThreshold,
  };
}

/** The accountant's (epsilon, delta) for a plan: DP-SGD's steps and the statistics composed in RDP. */
export function dpRecordOf(p: TabularDpPlan): DpRecord {
  const spent = dpSgdEpsilon({
    q: p.q,
    sigma: p.noiseMultiplier,
    steps: p.criticSteps,
    delta: p.deltaRdp,
    extraRdp: (a) => rdpGaussian(p.statsSensitivitySq, p.statsNoise, a),
  });
  return {
    mechanism: 'dp-sgd critic + gaussian statistics',
    epsilon: p.epsilon,
    delta: p.delta,
    epsilonSpent: spent.epsilon,
    rdpOrder: spent.order,
    noiseMultiplier: p.noiseMultiplier,
    clipNorm: p.clipNorm,
    samplingRate: p.q,
    sampling: 'poisson',
    criticSteps: p.criticSteps,
    statistics: { noiseStd: p.statsNoise, sensitivitySq: p.statsSensitivitySq, categoryThreshold: p.categoryThreshold, share: p.statsShare },
    deltaSplit: { rdp: p.deltaRdp, categoryThreshold: p.deltaThreshold },
  };
}

/** Width of a numeric histogram bin, in asinh(value). */
export const DP_HISTOGRAM_BIN = 0.25;
const BIN = DP_HISTOGRAM_BIN;
const GRID = 120; // bins from -30 to 30 in asinh space

/** One column's released histogram (noisy counts, clipped at 0; bins/categories below the noise level dropped). */
export interface ReleasedColumn {
  name: string;
  kind: ColumnSpec['kind'];
  missing: number;
  /** Categorical/boolean: released categories and their noisy counts. */
  categories?: { value: Cell; count: number }[];
  /** Numeric: released bins of asinh(value) ([lo, lo + DP_HISTOGRAM_BIN)) and their noisy counts. */
  bins?: { lo: number; count: number }[];
}

function key(v: Cell): string {
  return `${typeof v}:${String(v)}`;
}

/** Release every column's histogram with Gaussian noise sigma (see the header); `threshold` gates categories. */
export function releaseHistograms(
  table: Table,
  specs: ColumnSpec[],
  sigma: number,
  threshold: number | null,
  rng: Rng,
  publicCategories: TabularDpArgs['publicCategories'] = {},
): ReleasedColumn[] {
  const n = rowCount(table);
  const noise = () => rng.normal(0, sigma);
  // Post-processing floor for the missing counts: drop those within 3 sigma of zero.
  const floor = 3 * sigma;
  return specs.map((s) => {
    const col = table[s.name];
    let missing = 0;
    for (const v of col) if (v === null) missing++;
    if (s.kind === 'datetime')
      throw new UsageError(`column '${s.name}' is a date: differential privacy does not support date columns yet; drop it or turn it into a number`, {
        option: 'epsilon',
        column: s.name,
      });
    const noisyMissing = missing + noise();
    const out: ReleasedColumn = { name: s.name, kind: s.kind, missing: s.kind === 'categorical' ? 0 : noisyMissing > floor ? noisyMissing : 0 };
    const declared = publicCategories[s.name];
    if (s.kind === 'categorical' && declared) {
      const at = new Map(declared.map((v, i) => [key(v), i]));
      const counts = new Array<number>(declared.length).fill(0);
      for (const v of col) counts[at.get(key(v)) ?? 0]++;
      // Declared categories stay, however small their noisy count (a tiny weight keeps them in the surrogate).
      out.categories = declared.map((value, i) => ({ value, count: Math.max(1e-6, counts[i] + noise()) }));
    } else if (s.kind === 'categorical') {
      const counts = new Map<string, { value: Cell; n: number }>();
      for (const v of col) {
        const e = counts.get(key(v));
        if (e) e.n++;
        else counts.set(key(v), { value: v, n: 1 });
      }
      const cats = [...counts.values()]
        .sort((a, b) => (key(a.value) < key(b.value) ? -1 : key(a.value) > key(b.value) ? 1 : 0))
        .map((e) => ({ value: e.value, count: e.n + noise() }))
        .filter((e) => e.count > threshold!);
      if (cats.length === 0) {
        throw new UsageError(
          `column '${s.name}': no category has enough rows to be released at this epsilon (about ${Math.ceil(threshold!)} rows each); raise --epsilon or drop the column`,
          { option: 'epsilon', column: s.name },
        );
      }
      out.categories = cats;
    } else if (s.kind === 'boolean') {
      let t = 0;
      for (const v of col) if (v === true) t++;
      const f = n - missing - t;
      out.categories = [
        { value: false, count: Math.max(0, f + noise()) },
        { value: true, count: Math.max(0, t + noise()) },
      ];
      if (out.categories.every((c) => c.count === 0)) out.categories[0].count = 1;
    } else {
      const counts = new Float64Array(2 * GRID);
      for (const v of col) {
        if (v === null) continue;
        const b = Math.min(2 * GRID - 1, Math.max(0, Math.floor(Math.asinh(v as number) / BIN) + GRID));
        counts[b]++;
      }
      const noisy = Array.from(counts, (c) => c + noise());
      // Post-processing against spurious bins far from the data (240 noised bins per column): keep a bin above
      // 4 sigma only when another such bin lies within 3 bins, or above 8 sigma.
      const above = noisy.map((c) => c > 4 * sigma);
      const bins: { lo: number; count: number }[] = [];
      let best = 0;
      for (let b = 0; b < 2 * GRID; b++) {
        if (noisy[b] > noisy[best]) best = b;
        if (!above[b]) continue;
        let neighbour = false;
        for (let d = -3; d <= 3 && !neighbour; d++) if (d !== 0 && above[b + d]) neighbour = true;
        if (neighbour || noisy[b] > 8 * sigma) bins.push({ lo: (b - GRID) * BIN, count: noisy[b] });
      }
      out.bins = bins.length ? bins : [{ lo: (best - GRID) * BIN, count: 1 }];
    }
    return out;
  });
}

/**
 * A surrogate table of `rows` rows drawn deterministically from the released histograms (each column on its own, at
 * evenly spaced quantiles): what the encoder is fitted on in DP mode.
 */
export function surrogateTable(released: ReleasedColumn[], specs: ColumnSpec[], rows: number): Table {
  const out: Table = {};
  released.forEach((r, ci) => {
    const spec = specs[ci];
    const present = r.categories ? r.categories.reduce((s, c) => s + c.count, 0) : r.bins!.reduce((s, b) => s + b.count, 0);
    const pMissing = r.missing / (r.missing + present);
    const nMissing = r.missing > 0 ? Math.max(1, Math.round(rows * pMissing)) : 0;
    const m = rows - nMissing;
    const cells: Cell[] = [];
    if (r.categories) {
      // Largest-remainder quotas, at least one row per released category.
      const cats = r.categories.filter((c) => c.count > 0);
      const quota = cats.map((c) => Math.max(1, Math.floor((m * c.count) / present)));
      cats.forEach((c, i) => {
        for (let k = 0; k < quota[i]; k++) cells.push(c.value);
      });
    } else {
      const bins = r.bins!;
      let acc = 0;
      let b = 0;
      for (let i = 0; i < m; i++) {
        const target = ((i + 0.5) / m) * present;
        while (b < bins.length - 1 && acc + bins[b].count < target) acc += bins[b++].count;
        const frac = Math.min(1, Math.max(0, (target - acc) / bins[b].count));
        let v = Math.sinh(bins[b].lo + frac * BIN);
        if (spec.kind === 'integer') v = Math.round(v);
        cells.push(v);
      }
    }
    for (let k = 0; k < nMissing; k++) cells.push(null);
    out[r.name] = cells;
  });
  const len = Math.min(...Object.values(out).map((c) => c.length));
  for (const k of Object.keys(out)) out[k] = out[k].slice(0, len);
  return out;
}

/**
 * The real table with every cell the DP encoder cannot represent replaced (row by row, from released values only):
 * an unreleased category -> the most frequent released one; a missing cell of a column whose encoder has no missing
 * indicator -> the released median (numbers) or most frequent category.
 */
export function conformTable(table: Table, released: ReleasedColumn[], hasMissingIndicator: (column: string) => boolean): Table {
  const out: Table = {};
  for (const r of released) {
    const col = table[r.name];
    if (r.categories) {
      const known = new Set(r.categories.map((c) => key(c.value)));
      const top = r.categories.reduce((a, b) => (b.count > a.count ? b : a)).value;
      const keepNull = r.kind !== 'categorical' && hasMissingIndicator(r.name);
      out[r.name] = col.map((v) => (v === null && keepNull ? null : known.has(key(v)) ? v : top));
    } else {
      const bins = r.bins!;
      const total = bins.reduce((s, b) => s + b.count, 0);
      let acc = 0;
      let median = Math.sinh(bins[0].lo);
      for (const b of bins) {
        if (acc + b.count >= total / 2) {
          median = Math.sinh(b.lo + BIN * Math.min(1, (total / 2 - acc) / b.count));
          break;
        }
        acc += b.count;
      }
      if (r.kind === 'integer') median = Math.round(median);
      const keepNull = hasMissingIndicator(r.name);
      out[r.name] = col.map((v) => (v === null && !keepNull ? median : v));
    }
  }
  return out;
}

/** Noisy joint counts [k][a] of a column's categories with the anchor's (clipped at 0). */
export function releaseJointCounts(codes: Int32Array, width: number, anchorCodes: Int32Array, anchorWidth: number, sigma: number, rng: Rng): number[][] {
  const counts = Array.from({ length: width }, () => new Array<number>(anchorWidth).fill(0));
  for (let r = 0; r < codes.length; r++) counts[codes[r]][anchorCodes[r]]++;
  return counts.map((row) => row.map((c) => Math.max(0, c + rng.normal(0, sigma))));
}
