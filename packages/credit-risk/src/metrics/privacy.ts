import { Rng, median, quantile, rocAuc, takeRows, type Cell, type ColumnKind, type Table } from '@fingan/gan-core';
import { asNumber, isOrdered } from './columns.js';
import { defineMetric } from '@fingan/gan-core/stats';
import { schemaKinds } from '../schema/schema.js';
import type { CreditMetricInput } from './input.js';

/** Identity of a row for exact-copy checks: every cell with its JS type, in column order. */
export function rowKey(table: Table, columns: string[], i: number): string {
  let k = '';
  for (const c of columns) {
    const v: Cell = table[c][i];
    k += v === null ? '\u0001' : `${typeof v === 'number' ? 'n' : typeof v === 'boolean' ? 'b' : 's'}${String(v)}`;
    k += '\u0000';
  }
  return k;
}

/** Rows of `candidates` that equal some row of `reference` on every column. */
export function exactCopyMask(candidates: Table, reference: Table, columns: string[]): Uint8Array {
  const seen = new Set<string>();
  const nr = reference[columns[0]].length;
  for (let i = 0; i < nr; i++) seen.add(rowKey(reference, columns, i));
  const n = candidates[columns[0]].length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (seen.has(rowKey(candidates, columns, i))) out[i] = 1;
  return out;
}

interface Encoded {
  /** Numeric columns scaled by the reference range, NaN = missing. */
  num: Float64Array[];
  /** Categorical columns as codes, -1 = missing. */
  cat: Int32Array[];
  n: number;
}

/**
 * Gower distance between rows: the mean over columns of |x - y| / range for numeric columns (range of the training
 * data) and of 0/1 mismatch for categorical ones; a missing cell is 0 away from a missing cell and 1 away from a
 * present one. It puts every column on the same 0..1 footing, so one wide column (assets in the 100,000s) does
 * not decide the nearest neighbour alone.
 */
export class GowerSpace {
  private readonly numeric: { name: string; kind: ColumnKind; min: number; range: number }[] = [];
  private readonly categorical: { name: string; codes: Map<string, number> }[] = [];

  constructor(reference: Table, kinds: Record<string, ColumnKind>) {
    for (const [name, kind] of Object.entries(kinds)) {
      if (isOrdered(kind)) {
        let lo = Infinity, hi = -Infinity;
        for (const v of reference[name]) {
          const x = asNumber(v, kind);
          if (Number.isFinite(x)) {
            if (x < lo) lo = x;
            if (x > hi) hi = x;
          }
        }
        this.numeric.push({ name, kind, min: Number.isFinite(lo) ? lo : 0, range: hi > lo ? hi - lo : 1 });
      } else this.categorical.push({ name, codes: new Map() });
    }
  }

  encode(t: Table): Encoded {
    const n = t[Object.keys(t)[0]].length;
    const num = this.numeric.map((c) => Float64Array.from(t[c.name], (v) => (asNumber(v, c.kind) - c.min) / c.range));
    const cat = this.categorical.map((c) =>
      Int32Array.from(t[c.name], (v) => {
        if (v === null) return -1;
        const key = `${typeof v}:${String(v)}`;
        let k = c.codes.get(key);
        if (k === undefined) c.codes.set(key, (k = c.codes.size));
        return k;
      }),
    );
    return { num, cat, n };
  }

  /**
   * For each row of `from`, the nearest-neighbour distance ratio d1 / d2 to its two nearest rows in `to` (1 when d2 is
   * 0: two exact matches). Near 0: the row sits on one particular row of `to` rather than in a crowd.
   */
  nndr(from: Encoded, to: Encoded): Float64Array {
    const out = new Float64Array(from.n);
    const nn = from.num.length, nc = from.cat.length;
    for (let i = 0; i < from.n; i++) {
      let d1 = Infinity, d2 = Infinity;
      for (let j = 0; j < to.n; j++) {
        let d = 0;
        for (let c = 0; c < nc && d < d2; c++) if (from.cat[c][i] !== to.cat[c][j]) d += 1;
        for (let c = 0; c < nn && d < d2; c++) {
          const a = from.num[c][i], b = to.num[c][j];
          if (a !== a || b !== b) d += a !== a && b !== b ? 0 : 1;
          else d += Math.abs(a - b);
        }
        if (d < d1) [d1, d2] = [d, d1];
        else if (d < d2) d2 = d;
      }
      out[i] = d2 > 0 ? d1 / d2 : 1;
    }
    return out;
  }

  /** For each row of `from`, the distance to its nearest row in `to`. */
  nearest(from: Encoded, to: Encoded): Float64Array {
    const P = this.numeric.length + this.categorical.length;
    const out = new Float64Array(from.n);
    const nn = from.num.length, nc = from.cat.length;
    for (let i = 0; i < from.n; i++) {
      let best = Infinity;
      for (let j = 0; j < to.n; j++) {
        let d = 0;
        for (let c = 0; c < nc && d < best; c++) {
          const a = from.cat[c][i], b = to.cat[c][j];
          if (a !== b) d += 1;
        }
        for (let c = 0; c < nn && d < best; c++) {
          const a = from.num[c][i], b = to.num[c][j];
          if (a !== a || b !== b) d += a !== a && b !== b ? 0 : 1;
          else d += Math.abs(a - b);
        }
        if (d < best) best = d;
      }
      out[i] = best / P;
    }
    return out;
  }
}

export interface PrivacyScore {
  /** Synthetic rows equal to a training row on every column. */
  exactCopies: number;
  exactCopyShare: number;
  /** Median Gower distance from a synthetic row to its closest training row. */
  dcrSyntheticMedian: number;
  /** The same for real holdout rows: how close a genuinely new applicant is to the training book. */
  dcrHoldoutMedian: number;
  /** 5th percentiles: the closest synthetic rows against the closest new real ones. */
  dcrSyntheticP05: number;
  dcrHoldoutP05: number;
  /** Per synthetic row (for the report's histogram). */
  dcrSynthetic: Float64Array;
  dcrHoldout: Float64Array;
  /**
   * Membership inference from the synthetic rows (distance to closest record): an attacker scores a real row by how
   * close the nearest synthetic row is; training rows (members) against as many holdout rows (non-members). ROC-AUC
   * 0.5 is chance, 1 is every member found.
   */
  membershipAuc: number;
  /** The attack's best TPR - FPR over thresholds (0 = no advantage). */
  membershipAdvantage: number;
  /** Median nearest-neighbour distance ratio (d1 / d2 to training rows) of synthetic rows and of holdout rows. */
  nndrSyntheticMedian: number;
  nndrHoldoutMedian: number;
}

/**
 * The distance-to-closest-record membership attack on synthetic data: members are `members` rows (training), non-
 * members `nonMembers` rows (holdout, never seen); each row's score is minus its Gower distance to the nearest
 * synthetic row. Members are subsampled (seeded) to as many as there are non-members, so the AUC is balanced.
 */
export function dcrMembershipAttack(
  members: Table,
  nonMembers: Table,
  synthetic: Table,
  kinds: Record<string, ColumnKind>,
  seed = 0,
): { auc: number; advantage: number } {
  const nm = members[Object.keys(kinds)[0]].length;
  const nn = nonMembers[Object.keys(kinds)[0]].length;
  const k = Math.min(nm, nn);
  if (k === 0) return { auc: 0.5, advantage: 0 };
  const pick = (n: number) => Array.from(new Rng(seed).permutation(n).subarray(0, k)).sort((a, b) => a - b);
  const space = new GowerSpace(members, kinds);
  const syn = space.encode(synthetic);
  const dm = space.nearest(space.encode(takeRows(members, pick(nm))), syn);
  const dn = space.nearest(space.encode(takeRows(nonMembers, pick(nn))), syn);
  const y = [...Array(k).fill(1), ...Array(k).fill(0)] as number[];
  const scores = [...Array.from(dm, (d) => -d), ...Array.from(dn, (d) => -d)];
  // Best TPR - FPR: sweep thresholds over the sorted distances.
  const all = [...Array.from(dm, (d) => [d, 1] as const), ...Array.from(dn, (d) => [d, 0] as const)].sort((a, b) => a[0] - b[0]);
  let tp = 0, fp = 0, advantage = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i][1] === 1) tp++;
    else fp++;
    if (i === all.length - 1 || all[i + 1][0] !== all[i][0]) advantage = Math.max(advantage, tp / k - fp / k);
  }
  return { auc: rocAuc(y, scores), advantage };
}

/**
 * Privacy against the training book: exact copies, and distance to closest record (DCR) of synthetic rows compared
 * with real holdout rows that the model never saw. If synthetic rows sit closer to training rows than new real
 * applicants do, the generator is reproducing individuals rather than the population.
 */
export function privacy(train: Table, holdout: Table, synthetic: Table, kinds: Record<string, ColumnKind>, seed = 0): PrivacyScore {
  const columns = Object.keys(kinds);
  const copies = exactCopyMask(synthetic, train, columns);
  const exactCopies = copies.reduce((s, v) => s + v, 0);
  const space = new GowerSpace(train, kinds);
  const tr = space.encode(train);
  const dcrSynthetic = space.nearest(space.encode(synthetic), tr);
  const dcrHoldout = space.nearest(space.encode(holdout), tr);
  const attack = dcrMembershipAttack(train, holdout, synthetic, kinds, seed);
  const nndrSynthetic = space.nndr(space.encode(synthetic), tr);
  const nndrHoldout = space.nndr(space.encode(holdout), tr);
  return {
    exactCopies,
    exactCopyShare: exactCopies / Math.max(1, copies.length),
    dcrSyntheticMedian: median(dcrSynthetic),
    dcrHoldoutMedian: median(dcrHoldout),
    dcrSyntheticP05: quantile(dcrSynthetic, 0.05),
    dcrHoldoutP05: quantile(dcrHoldout, 0.05),
    dcrSynthetic,
    dcrHoldout,
    membershipAuc: attack.auc,
    membershipAdvantage: attack.advantage,
    nndrSyntheticMedian: median(nndrSynthetic),
    nndrHoldoutMedian: median(nndrHoldout),
  };
}

/** Privacy as a metric object: the advantage of the distance-to-closest-record membership attack (every privacy figure in the detail). */
export const MembershipRisk = defineMetric<CreditMetricInput, PrivacyScore>({
  name: 'membershipAdvantage',
  title: 'Membership attack advantage',
  description: 'Best true-positive minus false-positive rate of telling training rows from holdout rows by their distance to the synthetic book: 0 = no better than guessing.',
  goal: 'minimize',
  range: [0, 1],
  compute: ({ train, test, synthetic, schema, seed }) => {
    const p = privacy(train, test, synthetic, schemaKinds(schema), seed);
    return { value: p.membershipAdvantage, detail: p };
  },
});
