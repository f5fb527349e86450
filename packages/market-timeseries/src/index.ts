// @fingan/market-timeseries: multi-asset price-path simulation (recurrent WGAN-GP, GBM and GARCH baselines) and stylized-facts metrics.

// Data
export { pricesFromTable, timeAxisOf, timeGaps, type PriceSeries, type PriceTableOptions, type TimeAxis, type TimeGap, type TimeGaps } from './data/prices.js';
export { readPricesCsv, parsePriceCsv } from './data/prices-csv.js';

// Encoding
export { logReturns, type LogReturns } from './encoder/log-returns.js';
export { regimeFeatures, type RegimeFeatures, type RegimeOptions, type RegimeScaling } from './features/regime.js';

// Models
export type { PathModel, SimulateReturnsArgs, ReturnColumns } from './path-model.js';
export { fitGbm, GbmModel, type GbmParams } from './baselines/gbm.js';
export { fitGarch, GarchModel, type GarchModelParams, type GarchAssetParams, type GarchFitInfo } from './baselines/garch.js';
export { fitGarchT, garchTLogLik, garchFilter, simulateGarchT, type GarchTParams, type GarchTFit, type GarchFitOptions } from './baselines/garch-t.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './optim/nelder-mead.js';

// Recurrent GAN
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
} from './gan/recurrent-gan.js';
export { GeneratorStepper } from './gan/generator-stepper.js';
export { pathGenerator, windowCritic, type PathGeneratorArgs, type WindowCriticArgs } from './gan/networks.js';
export { realConditions, ConditionTracker, type ConditionConfig, type ConditionScaling, type RealConditions } from './gan/condition.js';

// Simulation
export { PATH_BLOCK, simulatePaths, streamPaths, writePathsCsv, type SimulatePathsOptions, type PricePaths, type PathChunk } from './simulate.js';
export { readPathsFile, writePathsFile, pathsToReturns, checkPathsFileName, type PathsData } from './io/paths-file.js';

// Metrics
export { panelFromColumns, simulatePanel, type ReturnPanel } from './metrics/return-panel.js';
export { valueAtRisk } from './metrics/var-es.js';
export { coverageTests, chiSquare1Sf, chiSquare2Sf, varBacktest, type CoverageTest, type VarBacktest, type VarBacktestOptions, type AssetBacktest } from './metrics/backtest.js';
export { startVariances, stationaryVarianceQuantile, START_STATE_QUANTILES, type StartState } from './scenario.js';
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
export { evaluateModels, type EvaluateModelsArgs, type EvaluationRow, type Evaluation } from './evaluate.js';
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
export { stylizedFactVerdicts, type FactVerdict, type VerdictOptions } from './metrics/verdicts.js';

// Report
export { marketReport, writeMarketReport, type MarketReportArgs, type Period } from './report/market-report.js';
export { MarketSynthesizer, marketSynthesizerClass, type MarketSampleOptions, type MarketSynthesizerOptions } from './gan/market-synthesizer.js';
