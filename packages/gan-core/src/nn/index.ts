export { mlp, type MlpArgs } from './mlp.js';
export { FastLayerNorm, fastLayerNorm, type FastLayerNormArgs } from './layer-norm.js';
export { residualMlp, type ResidualMlpArgs } from './residual.js';
export { sequenceGenerator, sequenceCritic, SequenceStepper, type SequenceGeneratorArgs, type SequenceCriticArgs, type CellType } from './recurrent.js';
export { applyNet, type Activation, type OutputActivation, type VectorNetArgs } from './common.js';
