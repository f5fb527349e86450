// @fingan/market-timeseries: multi-asset price-path simulation (recurrent WGAN-GP, GBM and GARCH baselines) and stylized-facts metrics.
// Exports in the order every domain package uses: schema, encoder, model, metrics, report, then this domain's extras.

// Schema: the input contract (prices on a time axis) and its readers
export {
  pricesFromTable,
  timeAxisOf,
  timeGaps,
  type PriceSeries,
  type PriceTableOptions,
  type TimeAxis,
  type TimeGap,
  type TimeGaps,
} from './schema/prices.js';
export { readPricesCsv, parsePriceCsv } from './schema/prices-csv.js';

// Encoder: prices to log returns, regime features
export { logReturns, type LogReturns } from './encoder/log-returns.js';
export { regimeFeatures, type RegimeFeatures, type RegimeOptions, type RegimeScaling } from './encoder/regime.js';

// Model: the recurrent GAN behind the Synthesizer contract, path simulation and scenarios
export { MarketSynthesizer, marketSynthesizerClass, type MarketSampleOptions, type MarketSynthesizerOptions } from './model/market-synthesizer.js';
export {
  fitRecurrentGan,
  loadRecurrentGan,
  checkSameAssets,
  lastCompleteRow,
  RecurrentGanModel,
  MARKET_PACKAGE,
  MARKET_DEFAULT_STEPS,
  RECURRENT_GAN_KIND,
  type RecurrentGanOptions,
  type RecurrentGanState,
} from './model/recurrent-gan.js';
export type { PathModel, SimulateReturnsArgs, ReturnColumns } from './model/path-model.js';
export { GeneratorStepper } from './model/generator-stepper.js';
export { pathGenerator, windowCritic, type PathGeneratorArgs, type WindowCriticArgs } from './model/networks.js';
export { realConditions, ConditionTracker, type ConditionConfig, type ConditionScaling, type RealConditions } from './model/condition.js';
export { PATH_BLOCK, simulatePaths, streamPaths, writePathsCsv, type SimulatePathsOptions, type PricePaths, type PathChunk } from './model/simulate.js';
export { readPathsFile, writePathsFile, pathsToReturns, checkPathsFileName, type PathsData } from './model/paths-file.js';
export { startVariances, stationaryVarianceQuantile, START_STATE_QUANTILES, type StartState } from './model/scenario.js';

// Metrics: metric objects, stylized facts, TimeGAN scores, VaR backtests, verdicts
export {
  MARKET_METRICS,
  FACT_METRICS,
  Wasserstein1,
  KsDistance,
  AcfError,
  AcfAbsError,
  AcfSqError,
  LeverageError,
  CorrelationError,
  TailQuantileError,
  VarError,
  EsError,
  Discriminative,
  Predictive,
  type MarketMetricInput,
} from './metrics/metric-objects.js';
export { evaluateModels, type EvaluateModelsArgs, type EvaluationRow, type Evaluation } from './metrics/evaluate.js';
export { panelFromColumns, simulatePanel, type ReturnPanel } from './metrics/return-panel.js';
export {
  stylizedFacts,
  compareStylizedFacts,
  type StylizedFacts,
  type StylizedFactsOptions,
  type AssetFacts,
  type FactComparison,
} from './metrics/stylized-facts.js';
export {
  discriminativeScore,
  predictiveScore,
  windowFeatures,
  type DiscriminativeOptions,
  type DiscriminativeResult,
  type PredictiveOptions,
  type PredictiveResult,
} from './metrics/timegan-scores.js';
export { valueAtRisk } from './metrics/var-es.js';
export {
  coverageTests,
  chiSquare1Sf,
  chiSquare2Sf,
  varBacktest,
  type CoverageTest,
  type VarBacktest,
  type VarBacktestOptions,
  type AssetBacktest,
} from './metrics/backtest.js';
export {
  stylizedFactVerdicts,
  DEFAULT_VERDICT_REFERENCE,
  DEFAULT_STRONGER_REFERENCE,
  type FactVerdict,
  type ModelVerdict,
  type VerdictOptions,
} from './metrics/verdicts.js';

// Report
export { marketReport, writeMarketReport, type MarketReportArgs, type Period } from './report/market-report.js';

// Baselines: GBM, GARCH(1,1), GARCH-t and their optimiser
export { fitGbm, GbmModel, type GbmParams } from './baselines/gbm.js';
export { fitGarch, GarchModel, GARCH_MODEL_NAMES, type GarchModelParams, type GarchAssetParams, type GarchFitInfo } from './baselines/garch.js';
export {
  fitGarchT,
  fitGarchNormal,
  garchTLogLik,
  garchNormalLogLik,
  garchLogLik,
  garchFilter,
  simulateGarchT,
  GARCH_INNOVATIONS,
  type GarchInnovation,
  type Garch11Params,
  type Garch11Fit,
  type GarchTParams,
  type GarchTFit,
  type GarchFitOptions,
} from './baselines/garch-t.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './baselines/nelder-mead.js';
