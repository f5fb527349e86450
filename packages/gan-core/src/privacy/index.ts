// @fingan/gan-core/privacy: model-directory scans, DP-SGD, the RDP accountant and differentially private tabular fits.
export { scanModelDirectory, type ModelScanArgs, type ModelScanResult, type ColumnScan } from './model-scan.js';
export {
  rdpSampledGaussian,
  rdpGaussian,
  rdpToEpsilon,
  dpSgdEpsilon,
  noiseMultiplierFor,
  DEFAULT_RDP_ORDERS,
  type RdpConversion,
  type DpSgdAccountingArgs,
} from './rdp.js';
export { dpRecordSchema, type DpRecord } from './dp-record.js';
export { denseChainOf, clippedGradientSum, dpCriticStep, poissonSample, type DenseLink, type DpCriticStepArgs } from './dp-sgd.js';
export {
  DP_HISTOGRAM_BIN,
  checkDpArgs,
  defaultDelta,
  planTabularDp,
  dpRecordOf,
  tabularDpArgsSchema,
  type TabularDpArgs,
  type TabularDpPlan,
  type ReleasedColumn,
} from '../synth/tabular-dp.js';
export { GowerSpace, isOrderedKind, cellNumber, type GowerRows } from './gower.js';
export {
  attackResult,
  dcrMembershipAttack,
  densityRatioAttack,
  referenceSplit,
  attributeInference,
  attackVerdict,
  attributeVerdict,
  type AttackResult,
  type AttributeInference,
} from './attacks.js';
