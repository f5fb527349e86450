import { defineMetric, rocAuc } from '@fingan/gan-core/stats';
import type { DetectorScores } from './input.js';

/** ROC-AUC: the chance that a random positive scores above a random negative. */
export const RocAuc = defineMetric<DetectorScores>({
  name: 'rocAuc',
  title: 'ROC-AUC',
  description: 'Area under the ROC curve of the detector on the untouched test rows: 0.5 = chance.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ yTrue, scores }) => ({ value: rocAuc(yTrue, scores), detail: undefined }),
});
