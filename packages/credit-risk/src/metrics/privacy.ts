import { median, quantile, type Cell, type ColumnKind, type Table } from '@fingan/gan-core';
import { GowerSpace, attributeInference, dcrMembershipAttack, densityRatioAttack, referenceSplit, type AttributeInference } from '@fingan/gan-core/privacy';
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
  /**
   * The density-ratio membership attack (gan-core's `densityRatioAttack`): half the holdout is the attacker's
   * reference sample of the population, the other half the non-members, against as many training rows.
   */
  densityAttackAuc: number;
  densityAttackAdvantage: number;
  /** Rows attacked on each side by the membership attacks. */
  attackRows: { dcr: number; density: number };
  /** Attribute inference of each sensitive column (the target in `evaluateSynthetic`) from the nearest synthetic row. */
  attributes: AttributeInference[];
}

/**
 * Privacy against the training book: exact copies, and distance to closest record (DCR) of synthetic rows compared
 * with real holdout rows that the model never saw. If synthetic rows sit closer to training rows than new real
 * applicants do, the generator is reproducing individuals rather than the population.
 */
export function privacy(train: Table, holdout: Table, synthetic: Table, kinds: Record<string, ColumnKind>, seed = 0, sensitive: string[] = []): PrivacyScore {
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
  // The density attack needs the attacker's own sample of the population: half the holdout (seeded), the rest attacked.
  const { reference, nonMembers } = referenceSplit(holdout, seed + 1);
  const density = densityRatioAttack(train, nonMembers, reference, synthetic, kinds, { seed });
  const attributes = sensitive.map((c) => attributeInference(train, holdout, synthetic, kinds, c, seed));
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
    densityAttackAuc: density.auc,
    densityAttackAdvantage: density.advantage,
    attackRows: { dcr: attack.rows, density: density.rows },
    attributes,
  };
}

/** Privacy as a metric object: the advantage of the distance-to-closest-record membership attack (every privacy figure in the detail). */
export const MembershipRisk = defineMetric<CreditMetricInput, PrivacyScore>({
  name: 'membershipAdvantage',
  title: 'Membership attack advantage',
  description:
    'Best true-positive minus false-positive rate of telling training rows from holdout rows by their distance to the synthetic book: 0 = no better than guessing.',
  goal: 'minimize',
  range: [0, 1],
  compute: ({ train, test, synthetic, schema, seed }) => {
    const p = privacy(train, test, synthetic, schemaKinds(schema), seed, [schema.target]);
    return { value: p.membershipAdvantage, detail: p };
  },
});
