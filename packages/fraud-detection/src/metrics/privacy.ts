/**
 * Privacy of a method's synthetic positives: can an attacker holding them tell which real positives were in the
 * training data? The members are the training positives the method was given, the non-members the test positives (never
 * seen by any method); half of the latter serve as the attacker's reference sample for the density-ratio attack.
 * Oversamplers that interpolate between real rows (SMOTE and its kin) or copy them (random oversampling) are expected
 * to leak; the measure says how much, next to the GAN's.
 */
import { type ColumnKind, type Table } from '@fingan/gan-core';
import { attackVerdict, dcrMembershipAttack, densityRatioAttack, referenceSplit, type AttackResult } from '@fingan/gan-core/privacy';

export interface PositivesPrivacy {
  /** Distance-to-closest-record membership attack: ROC-AUC, best TPR - FPR, rows a side. */
  dcr: AttackResult;
  /** Density-ratio membership attack against half the test positives as the attacker's reference. */
  density: AttackResult;
  /** Plain words for the stronger of the two. */
  verdict: string;
}

/** Kinds for the Gower distance: a column whose present cells are all numbers is continuous, any other categorical. */
export function distanceKinds(table: Table, columns: string[]): Record<string, ColumnKind> {
  return Object.fromEntries(
    columns.map(
      (c) => [c, table[c].every((v) => v === null || typeof v === 'number') && table[c].some((v) => v !== null) ? 'continuous' : 'categorical'] as const,
    ),
  );
}

export function positivesPrivacy(args: { trainPositives: Table; testPositives: Table; synthetic: Table; columns: string[]; seed: number }): PositivesPrivacy {
  const kinds = distanceKinds(args.trainPositives, args.columns);
  const dcr = dcrMembershipAttack(args.trainPositives, args.testPositives, args.synthetic, kinds, args.seed);
  const { reference, nonMembers } = referenceSplit(args.testPositives, args.seed);
  const density = densityRatioAttack(args.trainPositives, nonMembers, reference, args.synthetic, kinds, { seed: args.seed });
  const stronger =
    density.auc > dcr.auc
      ? { name: 'Density-ratio membership attack on the synthetic positives', r: density }
      : { name: 'Distance-to-closest-record attack on the synthetic positives', r: dcr };
  return { dcr, density, verdict: attackVerdict(stronger.name, stronger.r) };
}
