import { defineMetric, prAuc } from '@fingan/gan-core/stats';
import type { DetectorScores } from './input.js';

/** Average precision: the area under the precision-recall curve, the headline figure for a rare class. */
export const PrAuc = defineMetric<DetectorScores>({
  name: 'prAuc',
  title: 'PR-AUC (average precision)',
  description: 'Area under the precision-recall curve of the detector on the untouched test rows; a detector that ranks at random scores the prevalence.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ yTrue, scores }) => ({ value: prAuc(yTrue, scores), detail: undefined }),
});
