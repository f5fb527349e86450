export {
  TabularSynthesizer,
  TABULAR_DEFAULT_STEPS,
  ENCODER_FIT_ROWS,
  type TabularSynthesizerArgs,
  type TabularFitOptions,
  type TabularSampleOptions,
} from './tabular.js';
export { parseCondition, describeCondition, matches as conditionMatches, type Condition, type ConditionOp } from './conditions.js';
export type { FitOptions, SampleOptions, Synthesizer, SynthesizerClass } from './contract.js';
export * from './blocks.js';
