import { z } from 'zod';

/** The plan and the guarantee of a DP fit, as written in the model's manifest. */
export const dpRecordSchema = z.object({
  mechanism: z.literal('dp-sgd critic + gaussian statistics'),
  epsilon: z.number(),
  delta: z.number(),
  /** The accountant's epsilon for this run (<= epsilon). */
  epsilonSpent: z.number(),
  rdpOrder: z.number(),
  noiseMultiplier: z.number(),
  clipNorm: z.number(),
  samplingRate: z.number(),
  sampling: z.literal('poisson'),
  criticSteps: z.number().int(),
  statistics: z.object({ noiseStd: z.number(), sensitivitySq: z.number(), categoryThreshold: z.number().nullable(), share: z.number() }),
  deltaSplit: z.object({ rdp: z.number(), categoryThreshold: z.number() }),
});
export type DpRecord = z.infer<typeof dpRecordSchema>;
