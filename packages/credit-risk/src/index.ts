// @fingan/credit-risk: synthetic loan books with their fidelity, utility and privacy measured.
// Exports in the order every domain package uses: schema, encoder, model, metrics, report.

// Schema: the loan book's input contract, its rules and the reader
export {
  loanBookSchema,
  loanColumnSchema,
  inferLoanBookSchema,
  defaultRules,
  applyBounds,
  ruleMask,
  checkColumns,
  kindsOf,
  schemaKinds,
  isNumericKind,
} from './schema/schema.js';
export type { LoanBookSchema, LoanColumn, InferSchemaOptions } from './schema/schema.js';
export { parseRule, describeRule, ruleHolds, ruleSchema, type Rule, type RuleOp } from './schema/rules.js';
export { readLoanBook, type LoanBookFile } from './schema/read.js';

// Encoder: gan-core's column encoders configured from the schema
export { creditColumnSpecs } from './encoder.js';

// Model: the conditional tabular GAN behind the Synthesizer contract, streamed sampling, the private copy guard
export { CreditSynthesizer, DEFAULT_STEPS, MODEL_KIND, PACKAGE_NAME, PACKAGE_VERSION } from './model/credit-synthesizer.js';
export type {
  CreditSynthesizerOptions,
  CreditFitOptions,
  CreditSampleOptions,
  CreditLoadOptions,
  CreditModelArgs,
  SampleReport,
} from './model/credit-synthesizer.js';
export { sampleStream, writeSampleStream, loanBookColumns, defaultSampleWorkers, type CreditStreamOptions, type SampleChunk } from './model/stream.js';
export {
  PrivacyGuard,
  rareCategoryWarnings,
  MIN_CATEGORY_ROWS,
  privacyGuardSchema,
  PRIVACY_GUARD_FORMAT,
  PRIVACY_GUARD_VERSION,
  type PrivacyGuardState,
} from './model/privacy-guard.js';

// Metrics: one file per metric object (CREDIT_METRICS), the evaluation, the train/test split
export * from './metrics/index.js';
export { splitTrainTest } from './metrics/split.js';

// Report
export { creditReportHtml, writeCreditReport, checkTargets, TARGETS, type CreditReportInput, type TargetCheck } from './report/credit-report.js';
