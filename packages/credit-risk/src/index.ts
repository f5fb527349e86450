// @fingan/credit-risk: synthetic loan books with their fidelity, utility and privacy measured.
export { CreditSynthesizer, DEFAULT_STEPS, MODEL_KIND, PACKAGE_NAME, PACKAGE_VERSION } from './credit-synthesizer.js';
export type { CreditSynthesizerOptions, CreditFitOptions, CreditSampleOptions, CreditLoadOptions, CreditModelArgs, SampleReport } from './credit-synthesizer.js';
export { PrivacyGuard, rareCategoryWarnings, MIN_CATEGORY_ROWS, privacyGuardSchema, PRIVACY_GUARD_FORMAT, PRIVACY_GUARD_VERSION, type PrivacyGuardState } from './privacy-guard.js';
export { loanBookSchema, loanColumnSchema, inferLoanBookSchema, defaultRules, applyBounds, ruleMask, checkColumns, kindsOf, schemaKinds, isNumericKind } from './schema.js';
export type { LoanBookSchema, LoanColumn, InferSchemaOptions } from './schema.js';
export { parseRule, describeRule, ruleHolds, ruleSchema, type Rule, type RuleOp } from './rules.js';
export { splitTrainTest } from './split.js';
export * from './metrics/index.js';
export { creditReportHtml, writeCreditReport, checkTargets, TARGETS, type CreditReportInput, type TargetCheck } from './report.js';
export { readLoanBook, type LoanBookFile } from './read.js';
export { sampleStream, writeSampleStream, loanBookColumns, defaultSampleWorkers, type CreditStreamOptions, type SampleChunk } from './stream.js';
