export type { ColumnEncoder, ColumnKind, ContinuousMethod, LocalSpan, OutputSpan, SpanKind } from './types.js';
export { COLUMN_KINDS } from './types.js';
export { ContinuousEncoder, type ContinuousOptions, type ContinuousState } from './continuous.js';
export { IntegerEncoder, type IntegerState } from './integer.js';
export { CategoricalEncoder, type CategoricalOptions, type CategoricalState } from './categorical.js';
export { BooleanEncoder, BOOLEAN_CATEGORIES, type BooleanState } from './boolean.js';
export { DatetimeEncoder, parseIsoDateTime, type DatetimeState, type ParsedDateTime } from './datetime.js';
export { MissingEncoder, withMissing, type MissingState } from './missing.js';
export { fitGmm1d, type Gmm1d, type GmmFitOptions } from './gmm.js';
export type { EncoderState } from './state.js';
export {
  TableEncoder,
  fitSampleRows,
  specsFromKinds,
  type ColumnLayout,
  type ColumnSpec,
  type TableEncoderOptions,
  type TableEncoderState,
} from './table-encoder.js';
