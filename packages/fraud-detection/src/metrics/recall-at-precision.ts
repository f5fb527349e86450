import { defineMetric, recallAtPrecision, type Metric } from '@fingan/gan-core/stats';
import type { DetectorScores } from './input.js';

function recallAt(precision: number, name: string): Metric<DetectorScores> {
  return defineMetric<DetectorScores>({
    name,
    title: `recall at precision ${precision}`,
    description: `The largest share of positives caught at a threshold whose precision is at least ${precision} (0 when none reaches it).`,
    goal: 'maximize',
    range: [0, 1],
    compute: ({ yTrue, scores }) => ({ value: recallAtPrecision(yTrue, scores, precision), detail: undefined }),
  });
}

/** Recall at precision 0.9: how many positives a team catches when nine alerts in ten must be right. */
export const RecallAtP90 = recallAt(0.9, 'recallAtP90');
/** Recall at precision 0.5: how many positives a team catches when half the alerts may be false. */
export const RecallAtP50 = recallAt(0.5, 'recallAtP50');
