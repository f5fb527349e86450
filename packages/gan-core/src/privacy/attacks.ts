/**
 * Privacy attacks on synthetic tables, run by the data owner before sharing: can an attacker who holds the synthetic
 * rows (or the model, which makes them) tell who was in the training data, or learn a hidden value of someone who was?
 * Every attack compares training rows (members) with real rows the model never saw (non-members), so chance is a
 * measured baseline, not an assumption. Distances are Gower distances (gower.ts).
 */
import { Rng } from '../random/rng.js';
import { rocAuc } from '../stats/classification-metrics.js';
import { rowCount, takeRows, type Cell, type Table } from '../data/table.js';
import type { ColumnKind } from '../encoders/types.js';
import { GowerSpace, isOrderedKind, cellNumber } from './gower.js';

export interface AttackResult {
  /** ROC-AUC of the attack's scores, members against non-members: 0.5 = chance, 1 = every member found. */
  auc: number;
  /** Best true-positive minus false-positive rate over thresholds: 0 = no advantage. */
  advantage: number;
  /** Rows attacked on each side. */
  rows: number;
}

/** AUC and best TPR - FPR of scores where higher means "member". */
export function attackResult(memberScores: ArrayLike<number>, nonMemberScores: ArrayLike<number>): AttackResult {
  const m = memberScores.length,
    n = nonMemberScores.length;
  if (m === 0 || n === 0) return { auc: 0.5, advantage: 0, rows: 0 };
  const y = [...Array<number>(m).fill(1), ...Array<number>(n).fill(0)];
  const s = [...Array.from(memberScores), ...Array.from(nonMemberScores)];
  const order = s.map((v, i) => [v, y[i]] as const).sort((a, b) => b[0] - a[0]);
  let tp = 0,
    fp = 0,
    advantage = 0;
  for (let i = 0; i < order.length; i++) {
    if (order[i][1] === 1) tp++;
    else fp++;
    if (i === order.length - 1 || order[i + 1][0] !== order[i][0]) advantage = Math.max(advantage, tp / m - fp / n);
  }
  return { auc: rocAuc(y, s), advantage, rows: Math.min(m, n) };
}

function rowsOf(t: Table, kinds: Record<string, ColumnKind>): number {
  const first = Object.keys(kinds)[0];
  return first === undefined ? 0 : t[first].length;
}

/** `k` row indexes of an n-row table, drawn without replacement (seeded), in ascending order. */
function pick(n: number, k: number, rng: Rng): number[] {
  return Array.from(rng.permutation(n).subarray(0, Math.min(n, k))).sort((a, b) => a - b);
}

/**
 * Distance to closest record: a real row's score is minus its distance to the nearest synthetic row. Members are
 * subsampled (seeded) to as many as there are non-members, so the AUC is balanced.
 */
export function dcrMembershipAttack(members: Table, nonMembers: Table, synthetic: Table, kinds: Record<string, ColumnKind>, seed = 0): AttackResult {
  const nm = rowsOf(members, kinds),
    nn = rowsOf(nonMembers, kinds);
  const k = Math.min(nm, nn);
  if (k === 0) return { auc: 0.5, advantage: 0, rows: 0 };
  const space = new GowerSpace(members, kinds);
  const syn = space.encode(synthetic);
  const dm = space.nearest(space.encode(takeRows(members, pick(nm, k, new Rng(seed)))), syn);
  const dn = space.nearest(space.encode(takeRows(nonMembers, pick(nn, k, new Rng(seed)))), syn);
  return attackResult(
    Array.from(dm, (d) => -d),
    Array.from(dn, (d) => -d),
  );
}

/**
 * A density-ratio attack (in the spirit of DOMIAS, van Breugel et al. 2023): a generator that memorises puts more
 * synthetic density on its training rows than the real population has there. Each row's score is
 * log d_k(row, reference) - log d_k(row, synthetic), with d_k the distance to the k-th nearest row (k = 1 by
 * default): high where the synthetic data is denser than real data from the same population. `reference` is real data
 * that is neither member nor attacked non-member (the attacker's own sample of the population). It sharpens the plain
 * DCR attack: a row that sits close to a synthetic row only because it is typical (close to many real rows too) is
 * discounted, while a row whose neighbourhood the synthetic data over-represents stands out.
 */
export function densityRatioAttack(
  members: Table,
  nonMembers: Table,
  reference: Table,
  synthetic: Table,
  kinds: Record<string, ColumnKind>,
  options: { k?: number; seed?: number } = {},
): AttackResult {
  const k = options.k ?? 1;
  const nm = rowsOf(members, kinds),
    nn = rowsOf(nonMembers, kinds);
  const rows = Math.min(nm, nn);
  if (rows === 0 || rowsOf(reference, kinds) < k || rowsOf(synthetic, kinds) < k) return { auc: 0.5, advantage: 0, rows: 0 };
  const space = new GowerSpace(reference, kinds);
  const syn = space.encode(synthetic);
  const ref = space.encode(reference);
  const rng = new Rng(options.seed ?? 0);
  const score = (t: Table) => {
    const x = space.encode(t);
    const ds = space.kNearest(x, syn, k);
    const dr = space.kNearest(x, ref, k);
    const eps = 1e-6;
    return Float64Array.from({ length: x.n }, (_, i) => Math.log(dr[i * k + k - 1] + eps) - Math.log(ds[i * k + k - 1] + eps));
  };
  return attackResult(score(takeRows(members, pick(nm, rows, rng))), score(takeRows(nonMembers, pick(nn, rows, rng))));
}

/**
 * Real rows the model never saw, split for the density-ratio attack: the first half of a seeded permutation is the
 * attacker's reference sample of the population, the rest are the non-members attacked (each half in row order).
 */
export function referenceSplit(rows: Table, seed: number): { reference: Table; nonMembers: Table } {
  const perm = Array.from(new Rng(seed).permutation(rowCount(rows)));
  const half = Math.floor(perm.length / 2);
  const sorted = (idx: number[]) => idx.sort((a, b) => a - b);
  return { reference: takeRows(rows, sorted(perm.slice(0, half))), nonMembers: takeRows(rows, sorted(perm.slice(half))) };
}

export interface AttributeInference {
  column: string;
  /** Share of members whose hidden value the attacker gets right (numbers: within 5% of the column's range). */
  memberAccuracy: number;
  /** The same for non-members: what the synthetic data teaches about anyone from the population. */
  nonMemberAccuracy: number;
  /** memberAccuracy - nonMemberAccuracy: what it reveals about training rows beyond that (0 = nothing). */
  risk: number;
  rows: number;
}

/**
 * Attribute inference: an attacker knows every column of a person's row but `column` and looks up the nearest
 * synthetic row on the known columns; its `column` is the guess. Run on members and on non-members: the difference
 * in accuracy is the risk specific to having been in the training data (what the synthetic data teaches about the
 * population at large, which a useful synthetic table must, is the non-member accuracy).
 */
export function attributeInference(
  members: Table,
  nonMembers: Table,
  synthetic: Table,
  kinds: Record<string, ColumnKind>,
  column: string,
  seed = 0,
): AttributeInference {
  const known = Object.fromEntries(Object.entries(kinds).filter(([c]) => c !== column));
  const kind = kinds[column];
  const nm = rowsOf(members, kinds),
    nn = rowsOf(nonMembers, kinds);
  const rows = Math.min(nm, nn);
  if (rows === 0 || Object.keys(known).length === 0) return { column, memberAccuracy: NaN, nonMemberAccuracy: NaN, risk: 0, rows: 0 };
  const space = new GowerSpace(members, known);
  const syn = space.encode(synthetic);
  const target = synthetic[column];
  let lo = Infinity,
    hi = -Infinity;
  if (isOrderedKind(kind)) {
    for (const v of members[column]) {
      const x = cellNumber(v, kind);
      if (Number.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  const tolerance = hi > lo ? 0.05 * (hi - lo) : 0;
  const right = (truth: Cell, guess: Cell): boolean => {
    if (truth === null || guess === null) return truth === guess;
    if (!isOrderedKind(kind)) return `${typeof truth}:${String(truth)}` === `${typeof guess}:${String(guess)}`;
    return Math.abs(cellNumber(truth, kind) - cellNumber(guess, kind)) <= tolerance;
  };
  const rng = new Rng(seed);
  const accuracy = (t: Table, n: number) => {
    const sub = takeRows(t, pick(n, rows, rng));
    const x = space.encode(sub);
    // The guess is the nearest synthetic row's value (the first one found at the smallest distance).
    const nearest = space.kNearestRows(x, syn, 1).rows;
    let hits = 0;
    for (let i = 0; i < x.n; i++) if (right(sub[column][i], target[nearest[i]])) hits++;
    return hits / Math.max(1, x.n);
  };
  const memberAccuracy = accuracy(members, nm);
  const nonMemberAccuracy = accuracy(nonMembers, nn);
  return { column, memberAccuracy, nonMemberAccuracy, risk: memberAccuracy - nonMemberAccuracy, rows };
}

/**
 * Plain words for an attack's AUC. With r rows a side the AUC's standard error under chance is about
 * sqrt((2r + 1) / (12 r^2)); within two of them the attack is indistinguishable from guessing.
 */
export function attackVerdict(name: string, result: AttackResult): string {
  const se = result.rows > 0 ? Math.sqrt((2 * result.rows + 1) / (12 * result.rows * result.rows)) : 0.5;
  const a = result.auc.toFixed(3);
  if (result.auc < 0.5 + 2 * se)
    return `${name}: ROC-AUC ${a}, within two standard errors of chance (${(0.5 + 2 * se).toFixed(3)}): no measurable membership signal.`;
  if (result.auc < 0.6) return `${name}: ROC-AUC ${a}: a weak membership signal; do not share the synthetic data where membership itself is sensitive.`;
  return `${name}: ROC-AUC ${a}: the synthetic data reveals who was in the training data; do not share it.`;
}

/** Plain words for attribute inference: the risk beyond what the synthetic data teaches about anyone. */
export function attributeVerdict(a: AttributeInference): string {
  const se = a.rows > 0 ? Math.sqrt(0.5 / a.rows) : 1; // sd of a difference of two accuracies, at worst
  const r = (100 * a.risk).toFixed(1);
  if (a.risk < 2 * se) {
    return `Guessing '${a.column}' from the nearest synthetic row: right for ${(100 * a.memberAccuracy).toFixed(1)}% of training rows and ${(100 * a.nonMemberAccuracy).toFixed(1)}% of new ones (difference ${r} points, within noise): no risk specific to the training rows.`;
  }
  return `Guessing '${a.column}' from the nearest synthetic row is right ${r} points more often for training rows than for new ones: the synthetic data reveals hidden values of training rows.`;
}
