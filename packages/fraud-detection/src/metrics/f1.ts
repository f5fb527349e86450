import { bestF1, defineMetric } from '@fingan/gan-core/stats';
import type { DetectorScores } from './input.js';

/** F1 at the threshold that maximises it on the test rows (an optimistic single-threshold view). */
export const BestF1 = defineMetric<DetectorScores>({
  name: 'f1',
  title: 'F1 at best threshold',
  description: 'Harmonic mean of precision and recall at the threshold that maximises it on the test rows.',
  goal: 'maximize',
  range: [0, 1],
  compute: ({ yTrue, scores }) => ({ value: bestF1(yTrue, scores).f1, detail: undefined }),
});
