import { readFileSync } from 'node:fs';
import {
  AdversarialTrainer,
  applyNet,
  ensureBackend,
  InvalidDataError,
  loadModelDir,
  ModelFormatError,
  Rng,
  saveModelDir,
  tf,
  UsageError,
  type CellType,
  type LossRecord,
  type StopReason,
  type RunControls,
  type TrainerEvent,
  type TrainingRecord,
  resolveSteps,
} from '@fingan/gan-core';
import { z } from 'zod';
import { fitGarch } from '../baselines/garch.js';
import { checkSimulateArgs } from '../baselines/check.js';
import { startVariances } from './scenario.js';
import type { PriceSeries } from '../schema/prices.js';
import { logReturns, type LogReturns } from '../encoder/log-returns.js';
import type { PathModel, SimulateReturnsArgs } from './path-model.js';
import { ConditionTracker, FEATURES_PER_ASSET, realConditions, type ConditionConfig } from './condition.js';
import { GeneratorStepper } from './generator-stepper.js';
import { fillNoise } from './noise.js';
import { pathGenerator, windowCritic } from './networks.js';

export const MARKET_PACKAGE = '@fingan/market-timeseries';
export const RECURRENT_GAN_KIND = 'recurrent-gan';
const PACKAGE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Options of `fitRecurrentGan`; every default is written once, in DEFAULTS below.
 *
 * The model: r_t = mu + sigma_t z_t per asset. sigma_t follows a GARCH(1,1) recursion fitted by maximum
 * likelihood and driven by the model's own returns (the latent volatility); a recurrent generator (GRU or LSTM
 * with a skip-connected head, fed multivariate Student-t noise) draws the standardized innovations z_t of all
 * assets jointly, and is trained with WGAN-GP against windows of the real standardized residuals, with a
 * convolutional critic that also sees |z|. The recursion gives every path stable volatility clustering of any
 * length and carries "today's" volatility from a history; the GAN learns what GARCH-t gets wrong: the shape and
 * skew of the innovations, their cross-asset and tail dependence, and their own serial dependence (asymmetry after
 * falls, clustering GARCH(1,1) misses). After training, an affine calibration pins the innovations' mean and
 * standard deviation to the real ones on free-running paths (see calibrateFreeRunning).
 */
export interface RecurrentGanOptions {
  /** Training window length in steps (default 32; a multiple of 16 for the critic). */
  window?: number;
  /** Recurrent cell (default 'gru': as good here and a third faster than LSTM in tfjs). */
  cell?: CellType;
  /** Recurrent units (default 32). */
  units?: number;
  /** Hidden width of the generator's per-step head (default 32). */
  hidden?: number;
  /** Noise per step (default max(8, 2 x assets)). */
  noiseDim?: number;
  /** Degrees of freedom of the Student-t noise (default 5; null for Gaussian noise). */
  noiseNu?: number | null;
  /** Critic filters (default 32). */
  criticFilters?: number;
  batchSize?: number;
  /** Full passes over the training windows: ceil(windows / batchSize) generator steps each (give this or `steps`). */
  epochs?: number;
  /** Generator steps (default MARKET_DEFAULT_STEPS; give this or `epochs`). */
  steps?: number;
  /** Critic steps per generator step (default 2). */
  nCritic?: number;
  learningRate?: number;
  /** Weight of the TimeGAN-style moment loss on the innovations' mean and std (default 1). */
  momentWeight?: number;
  /**
   * Condition the generator on the regime features of condition.ts, recomputed from each simulated path as it
   * grows (default false). Off by default: with a few hundred training steps the generator's response to its
   * own regime features can feed back (a drawdown lowers RSI, which draws more negative innovations) and send a
   * few paths in thousands into a runaway; the latent volatility already carries the regime from the history.
   */
  regime?: boolean;
  /**
   * Opt-in wall-clock limit in seconds (default: none). Training then stops on the clock, so the model depends on
   * the machine's speed and load: it is recorded as not reproducible.
   */
  timeBudgetSeconds?: number;
  /** Realised volatility: returns in its start value, and half-life of its exponential weights (default 20, 20). */
  volWindow?: number;
  volHalfLife?: number;
  /** RSI period (default 14). */
  rsiPeriod?: number;
  /** Paths of the last free-running calibration round (default 1024; 512 steps each). */
  calibrationPaths?: number;
  /**
   * Returns from the end of the training data that the latent volatility is run over to give the stored start state,
   * the latent variance per asset at the end of the data (default 64). The returns themselves are not stored.
   */
  historyLength?: number;
  seed?: number;
  onEvent?: (e: TrainerEvent) => void;
  /** Checkpoints while training, and resuming a killed run from them (passed to the trainer as they are). */
  checkpoint?: RunControls['checkpoint'];
  resume?: boolean;
}

import { MARKET_DEFAULT_STEPS } from '../constants.js';
export { MARKET_DEFAULT_STEPS };

const DEFAULTS = {
  window: 32,
  cell: 'gru' as CellType,
  units: 32,
  hidden: 32,
  criticFilters: 32,
  batchSize: 128,
  nCritic: 2,
  learningRate: 1e-3,
  momentWeight: 1,
  regime: false,
  volWindow: 20,
  volHalfLife: 20,
  rsiPeriod: 14,
  historyLength: 64,
  calibrationPaths: 1024,
  noiseNu: 5 as number | null,
  seed: 0,
};

const latentSchema = z.object({
  mu: z.number(),
  omega: z.number().positive(),
  alpha: z.number().nonnegative(),
  beta: z.number().nonnegative(),
  nu: z.number(),
});
const numbers = z.array(z.number());
const stateSchema = z.object({
  kind: z.literal('fingan.market.recurrent-gan'),
  version: z.literal(2),
  assets: z.array(z.string()).min(1),
  config: z.object({
    window: z.number().int().positive(),
    cell: z.enum(['lstm', 'gru']),
    units: z.number().int().positive(),
    hidden: z.number().int().positive(),
    noiseDim: z.number().int().positive(),
    noiseNu: z.number().gt(0).nullable(),
    regime: z.boolean(),
    volWindow: z.number().int().min(2),
    volHalfLife: z.number().positive(),
    rsiPeriod: z.number().int().min(2),
  }),
  latent: z.array(latentSchema),
  scaling: z.object({ gapCenter: numbers, gapScale: numbers }),
  calibration: z.object({ shift: numbers, scale: numbers }),
  /**
   * The default start state, an aggregate: the latent GARCH variance per asset at the end of the training data. No
   * returns, prices or dates of the training data are stored; a simulation starts from prices the caller gives, and
   * from a history of recent returns the caller gives (needed for regime-conditioned models).
   */
  start: z.object({ variance: numbers }).strict(),
  training: z.object({
    steps: z.number(),
    /** Absent in models saved before fits became step-based. */
    plannedSteps: z.number().optional(),
    stoppedBy: z.string(),
    reproducible: z.boolean().optional(),
    /** Written by models saved before fits became step-based; no longer written (it made equal fits differ). */
    elapsedMs: z.number().optional(),
    windows: z.number(),
    seed: z.number(),
  }),
});
export type RecurrentGanState = z.infer<typeof stateSchema>;

/** Largest |z| a generated innovation may take (a guard against a rare wild generator output). */
const Z_LIMIT = 20;

export class RecurrentGanModel implements PathModel {
  readonly name = 'gan';

  constructor(
    readonly generator: tf.LayersModel,
    readonly state: RecurrentGanState,
    readonly lossHistory: LossRecord[] = [],
  ) {}

  get assets(): string[] {
    return this.state.assets;
  }

  private conditionConfig(): ConditionConfig {
    const s = this.state;
    return { latent: s.latent, volWindow: s.config.volWindow, volHalfLife: s.config.volHalfLife, rsiPeriod: s.config.rsiPeriod, scaling: s.scaling };
  }

  /**
   * Paths continue from `history` (recent log returns per asset, oldest first, at least max(volWindow, rsiPeriod)
   * of them): the latent variance and regime features are run over that history, and the generator's recurrent
   * state is warmed up on its last `window` steps. Without it they start from the latent variance stored at the end
   * of the training data and a burn-in of the recurrent state on noise; a regime-conditioned model needs a history.
   */
  simulateReturns(args: SimulateReturnsArgs): Float32Array {
    checkSimulateArgs(args);
    return this.generate(args, this.state.calibration).returns;
  }

  /** The simulation loop; `z` holds the calibrated innovations when asked for (for the free-running calibration). */
  generate(args: SimulateReturnsArgs, calibration: { shift: number[]; scale: number[] }, keepZ = false): { returns: Float32Array; z: Float32Array | null } {
    const { horizon, paths } = args;
    const s = this.state;
    const k = s.assets.length;
    const c = s.config.regime ? FEATURES_PER_ASSET * k : 0;
    const nz = s.config.noiseDim;
    const rng = new Rng(args.seed);
    const config = this.conditionConfig();
    const tracker = new ConditionTracker(paths, config);
    const warm: Float32Array[] = [];
    const history = args.history;
    const len = history?.[0]?.length ?? 0;
    const warmSteps = c ? Math.min(s.config.window, Math.max(0, len - ConditionTracker.minHistory(config))) : s.config.window;
    if (history) {
      tracker.warmUp(history, undefined, (cond, t) => {
        if (c && t >= len - warmSteps) warm.push(cond);
      });
    } else if (c) {
      throw new UsageError('this model is conditioned on regime features and stores no training returns; give a history of recent prices to start from', {
        option: 'history',
      });
    } else {
      for (let p = 0; p < paths; p++) tracker.variance.set(s.start.variance, p * k);
    }
    if (args.start !== undefined) {
      const v = startVariances(args.start, s.latent);
      for (let p = 0; p < paths; p++) tracker.variance.set(v, p * k);
    }
    const tensors = (noise: Float32Array, cond: Float32Array, steps: number): [tf.Tensor3D, tf.Tensor3D | undefined] => [
      tf.tensor3d(noise, [paths, steps, nz]),
      c ? tf.tensor3d(cond, [paths, steps, c]) : undefined,
    ];
    const stepper = new GeneratorStepper(this.generator);
    const out = new Float32Array(paths * horizon * k);
    const zOut = keepZ ? new Float32Array(paths * horizon * k) : null;
    try {
      // Warm up the recurrent state: on the history's conditions, or on noise alone (a burn-in from the zero state).
      const L = c ? warm.length : warmSteps;
      if (L > 0) {
        const condBuf = new Float32Array(paths * L * c);
        for (let p = 0; p < paths; p++) for (let t = 0; t < warm.length; t++) condBuf.set(warm[t], (p * L + t) * c);
        const noise = fillNoise(rng, new Float32Array(paths * L * nz), nz, s.config.noiseNu);
        const y = tf.tidy(() => stepper.run(...tensors(noise, condBuf, L)));
        y.dispose();
      }
      const condBuf = new Float32Array(paths * c);
      const noise = new Float32Array(paths * nz);
      const ret = new Float64Array(paths * k);
      const { shift, scale } = calibration;
      for (let t = 0; t < horizon; t++) {
        if (c) tracker.fill(condBuf);
        fillNoise(rng, noise, nz, s.config.noiseNu);
        const y = tf.tidy(() => stepper.run(...tensors(noise, condBuf, 1)));
        const z = y.dataSync();
        y.dispose();
        for (let i = 0; i < paths * k; i++) {
          const a = i % k;
          const zi = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, shift[a] + scale[a] * z[i]));
          const r = s.latent[a].mu + tracker.sigma(i) * zi;
          ret[i] = r;
          const o = (Math.floor(i / k) * horizon + t) * k + a;
          out[o] = r;
          if (zOut) zOut[o] = zi;
        }
        tracker.push(ret);
      }
    } finally {
      stepper.dispose();
    }
    return { returns: out, z: zOut };
  }

  /** How training went (steps, why it stopped, whether it is reproducible from the seed). */
  get trainingRecord(): TrainingRecord {
    const t = this.state.training;
    return { steps: t.steps, plannedSteps: t.plannedSteps ?? t.steps, stoppedBy: t.stoppedBy, reproducible: t.reproducible ?? false };
  }

  toJSON(): RecurrentGanState {
    return this.state;
  }

  /** Write a gan-core model directory (generator weights + this state). */
  async save(dir: string): Promise<void> {
    await saveModelDir(dir, {
      package: MARKET_PACKAGE,
      packageVersion: PACKAGE_VERSION,
      kind: RECURRENT_GAN_KIND,
      networks: { generator: this.generator },
      state: this.state,
      seed: this.state.training.seed,
      trainingConfig: { ...this.state.config, assets: this.state.assets, ...this.state.training },
      training: this.trainingRecord,
      lossHistory: this.lossHistory,
    });
  }

  dispose(): void {
    this.generator.dispose();
  }
}

/**
 * Load a model directory written by `RecurrentGanModel.save`. A directory of another package or kind is refused
 * (ModelFormatError); with `assets`, so is a model trained on other assets (InvalidDataError naming the column).
 */
export async function loadRecurrentGan(dir: string, expect: { assets?: string[] } = {}): Promise<RecurrentGanModel> {
  await ensureBackend();
  const loaded = await loadModelDir(dir, { package: MARKET_PACKAGE, kind: RECURRENT_GAN_KIND });
  const parsed = stateSchema.safeParse(loaded.state);
  if (!parsed.success) {
    const v = (loaded.state as { version?: unknown } | null)?.version;
    if (v === 1) {
      throw new ModelFormatError(`${dir} was saved by an older fingan and stores the last training returns and prices verbatim; fit it again`, { file: dir });
    }
    const i = parsed.error.issues[0];
    throw new ModelFormatError(`${dir}: state.json is not a recurrent GAN state (${i.path.join('.')}: ${i.message})`, { file: dir });
  }
  const st = parsed.data;
  const k = st.assets.length;
  const perAsset = [st.latent, st.scaling.gapCenter, st.scaling.gapScale, st.calibration.shift, st.calibration.scale, st.start.variance];
  if (perAsset.some((x) => x.length !== k)) {
    throw new ModelFormatError(`${dir}: state.json has parameter lists that do not match its ${k} assets`, { file: dir });
  }
  const generator = loaded.networks.generator;
  if (!generator) throw new ModelFormatError(`${dir}: model.json has no generator network`, { file: dir });
  if (expect.assets) checkSameAssets(st.assets, expect.assets, dir);
  return new RecurrentGanModel(generator, st, loaded.manifest.lossHistory);
}

/** Refuse data whose asset columns are not the model's (same names, same order). */
export function checkSameAssets(modelAssets: string[], dataAssets: string[], modelDir = 'the model'): void {
  const missing = modelAssets.find((a) => !dataAssets.includes(a));
  const extra = dataAssets.find((a) => !modelAssets.includes(a));
  if (missing || extra || modelAssets.length !== dataAssets.length || modelAssets.some((a, i) => a !== dataAssets[i])) {
    throw new InvalidDataError(
      `${modelDir} was trained on assets ${modelAssets.join(', ')}; the data has ${dataAssets.join(', ')}` +
        (missing ? ` (no column '${missing}')` : extra ? ` (column '${extra}' is not in the model)` : ' (different order)'),
      { column: missing ?? extra ?? dataAssets[0] },
    );
  }
}

/** Everything a fit needs from the data, prepared once. */
interface TrainingData {
  k: number;
  c: number;
  T: number;
  /** Innovations [n, k] and conditions [n, c], row-major. */
  z: Float32Array;
  cond: Float32Array;
  starts: Int32Array;
  momentMean: Float32Array;
  momentStd: Float32Array;
}

function resolveOptions(o: RecurrentGanOptions, k: number) {
  const r = { ...DEFAULTS, noiseDim: Math.max(8, 2 * k), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & {
    noiseDim: number;
    epochs?: number;
    steps?: number;
    timeBudgetSeconds?: number;
    onEvent?: RecurrentGanOptions['onEvent'];
  };
  const posInt = (v: number, option: string) => {
    if (!Number.isInteger(v) || v <= 0) throw new UsageError(`must be a positive integer, got ${v}`, { option });
  };
  posInt(r.window, 'window');
  if (r.window % 16 !== 0) throw new UsageError(`must be a multiple of 16 (the critic reads 4 x 4 patches), got ${r.window}`, { option: 'window' });
  for (const [v, f] of [
    [r.units, 'units'],
    [r.hidden, 'hidden'],
    [r.noiseDim, 'noiseDim'],
    [r.batchSize, 'batchSize'],
    [r.nCritic, 'nCritic'],
    [r.criticFilters, 'criticFilters'],
    [r.historyLength, 'historyLength'],
    [r.calibrationPaths, 'calibrationPaths'],
    [r.volWindow, 'volWindow'],
    [r.rsiPeriod, 'rsiPeriod'],
  ] as const)
    posInt(v, f);
  if (r.volWindow < 2 || r.rsiPeriod < 2)
    throw new UsageError(`must be at least 2, got ${Math.min(r.volWindow, r.rsiPeriod)}`, { option: r.volWindow < 2 ? 'volWindow' : 'rsiPeriod' });
  if (!(r.volHalfLife > 0)) throw new UsageError(`must be a positive number, got ${r.volHalfLife}`, { option: 'volHalfLife' });
  if (r.noiseNu !== null && !(r.noiseNu > 2)) throw new UsageError(`must be above 2 (finite variance) or null, got ${r.noiseNu}`, { option: 'noiseNu' });
  resolveSteps({ epochs: r.epochs, steps: r.steps }, 1, 1, MARKET_DEFAULT_STEPS);
  if (r.timeBudgetSeconds !== undefined && !(r.timeBudgetSeconds > 0))
    throw new UsageError(`must be a positive number of seconds, got ${r.timeBudgetSeconds}`, { option: 'timeBudgetSeconds' });
  if (r.cell !== 'lstm' && r.cell !== 'gru') throw new UsageError(`must be lstm or gru, got ${String(r.cell)}`, { option: 'cell' });
  if (!Number.isFinite(r.seed)) throw new UsageError(`must be a number, got ${r.seed}`, { option: 'seed' });
  return r;
}

/**
 * Fit the recurrent GAN on a price series or its log returns (an earlier period; evaluate on a later one).
 * The same data, options and seed give the same model on one backend (byte for byte), unless an opt-in time limit is set.
 */
export async function fitRecurrentGan(data: PriceSeries | LogReturns, options: RecurrentGanOptions = {}): Promise<RecurrentGanModel> {
  const lr = 'returns' in data ? data : logReturns(data);
  const k = lr.assets.length;
  const o = resolveOptions(options, k);
  const minHistory = ConditionTracker.minHistory(o);
  const need = minHistory + 1 + o.window;
  if (lr.dates.length < need) {
    throw new InvalidDataError(
      `needs at least ${need + 1} prices (${minHistory} for the regime features and one training window of ${o.window}), got ${lr.dates.length + 1}`,
      {
        column: lr.assets[0],
      },
    );
  }
  await ensureBackend();
  const garch = fitGarch(lr, { innovation: 't' });
  const latent = garch.params.perAsset.map(({ mu, omega, alpha, beta, nu }) => ({ mu, omega, alpha, beta, nu: nu as number }));
  const rc = realConditions(lr, { latent, volWindow: o.volWindow, volHalfLife: o.volHalfLife, rsiPeriod: o.rsiPeriod });
  const td = trainingData(lr, rc.innovations, o.regime ? rc.cond : null, rc.valid, o.window);
  const seed = o.seed;
  const generator = pathGenerator({ noiseDim: o.noiseDim, condDim: td.c, units: o.units, cell: o.cell, hidden: o.hidden, outputDim: k, seed });
  const critic = windowCritic({ window: o.window, inputDim: k, condDim: td.c, filters: o.criticFilters, patches: [4, 4], seed: seed + 1000 });
  const steps = resolveSteps({ epochs: o.epochs, steps: o.steps }, td.starts.length, o.batchSize, MARKET_DEFAULT_STEPS);
  const nz = o.noiseDim;
  const T = o.window;
  const sampleStarts = (size: number, rng: Rng) => Int32Array.from({ length: size }, () => td.starts[rng.int(td.starts.length)]);
  const gather = (src: Float32Array, width: number, starts: Int32Array) => {
    const out = new Float32Array(starts.length * T * width);
    starts.forEach((s, i) => out.set(src.subarray(s * width, (s + T) * width), i * T * width));
    return tf.tensor3d(out, [starts.length, T, width]);
  };
  const momentMean = tf.tensor1d(td.momentMean);
  const momentStd = tf.tensor1d(td.momentStd);
  const trainer = new AdversarialTrainer(
    {
      generator,
      critic,
      realBatch: (size, rng) => {
        const st = sampleStarts(size, rng);
        return td.c ? { real: gather(td.z, k, st), cond: gather(td.cond, td.c, st) } : { real: gather(td.z, k, st) };
      },
      noiseBatch: (size, rng, cond) => {
        const noise = tf.tensor3d(fillNoise(rng, new Float32Array(size * T * nz), nz, o.noiseNu), [size, T, nz]);
        return td.c ? { noise, cond: cond ?? gather(td.cond, td.c, sampleStarts(size, rng)) } : { noise };
      },
      // TimeGAN's moment loss: |mean - mean_real| + |std - std_real| per asset, so the innovations' scale (which
      // the variance recursion feeds back on) is right early, while the critic works on their shape.
      generatorPenalty: (raw) => {
        const flat = tf.reshape(raw, [-1, k]);
        const { mean, variance } = tf.moments(flat, 0);
        const loss = tf.add(tf.sum(tf.abs(tf.sub(mean, momentMean))), tf.sum(tf.abs(tf.sub(tf.sqrt(tf.add(variance, 1e-8)), momentStd))));
        return tf.mul(o.momentWeight, loss) as tf.Scalar;
      },
    },
    {
      loss: 'wgan-gp',
      batchSize: o.batchSize,
      steps,
      nCritic: o.nCritic,
      seed,
      generatorOptimizer: { learningRate: o.learningRate, beta1: 0.5, beta2: 0.9 },
      criticOptimizer: { learningRate: o.learningRate, beta1: 0.5, beta2: 0.9 },
      timeBudgetSeconds: o.timeBudgetSeconds,
      onEvent: o.onEvent,
      checkpoint: options.checkpoint,
      resume: options.resume,
    },
  );
  let result;
  try {
    result = await trainer.fit();
  } finally {
    trainer.dispose();
    momentMean.dispose();
    momentStd.dispose();
    critic.dispose();
  }
  const calibration = calibrate(generator, td, nz, o.noiseNu, new Rng(seed + 7));
  const n = lr.dates.length;
  const tail = Math.min(o.historyLength < minHistory ? minHistory : o.historyLength, n);
  // The start state: the latent variance after the last `tail` returns (the returns themselves are not kept).
  const end = new ConditionTracker(1, { latent, volWindow: o.volWindow, volHalfLife: o.volHalfLife, rsiPeriod: o.rsiPeriod, scaling: rc.scaling });
  end.warmUp(
    lr.returns.map((r) => r.subarray(n - tail)),
    rc.variance.map((v) => v[n - tail]),
  );
  const state: RecurrentGanState = {
    kind: 'fingan.market.recurrent-gan',
    version: 2,
    assets: [...lr.assets],
    config: {
      window: o.window,
      cell: o.cell,
      units: o.units,
      hidden: o.hidden,
      noiseDim: nz,
      noiseNu: o.noiseNu,
      regime: o.regime,
      volWindow: o.volWindow,
      volHalfLife: o.volHalfLife,
      rsiPeriod: o.rsiPeriod,
    },
    latent,
    scaling: rc.scaling,
    calibration,
    start: { variance: Array.from(end.variance) },
    training: {
      steps: result.steps,
      plannedSteps: result.plannedSteps,
      stoppedBy: result.stoppedBy as StopReason,
      reproducible: result.reproducible,
      windows: td.starts.length,
      seed,
    },
  };
  const model = new RecurrentGanModel(generator, state, result.history);
  // A regime-conditioned model starts from a history (the training data's last returns, used here and not stored).
  const fitHistory = o.regime ? lr.returns.map((r) => r.subarray(n - tail)) : undefined;
  state.calibration = calibrateFreeRunning(model, td, seed + 11, o.calibrationPaths, fitHistory);
  return model;
}

/**
 * Refine the calibration on free-running paths, where the conditions come from the generated history rather than
 * real windows: fixed-point rounds matching the innovations' mean and std to the real ones, each on more paths
 * (after a burn-in) than the last. The last round's sample (about 460,000 innovations) pins E[z^2] to a few tenths
 * of a percent; with GARCH persistence near 1 that still moves the long-run volatility by a few percent.
 */
function calibrateFreeRunning(
  model: RecurrentGanModel,
  td: TrainingData,
  seed: number,
  lastPaths: number,
  history?: Float64Array[],
): { shift: number[]; scale: number[] } {
  const k = td.k;
  const rounds: [paths: number, steps: number, burnIn: number][] = [
    [Math.max(1, Math.round(lastPaths / 8)), 256, 0],
    [Math.max(1, Math.round(lastPaths / 4)), 320, 64],
    [lastPaths, 512, 64],
  ];
  let cal = { shift: [...model.state.calibration.shift], scale: [...model.state.calibration.scale] };
  rounds.forEach(([paths, steps, burnIn], r) => {
    const z = model.generate({ horizon: steps, paths, seed: seed + r, history }, cal, true).z as Float32Array;
    const next = { shift: [...cal.shift], scale: [...cal.scale] };
    for (let a = 0; a < k; a++) {
      let n = 0,
        m = 0,
        m2 = 0;
      for (let p = 0; p < paths; p++) {
        for (let t = burnIn; t < steps; t++) {
          const v = z[(p * steps + t) * k + a];
          m += v;
          m2 += v * v;
          n++;
        }
      }
      m /= n;
      const sd = Math.sqrt(Math.max(m2 / n - m * m, 0));
      // z' = mr + g (z - m) with g = sr / sd, written on the raw generator output: shift' = mr + g (shift - m), scale' = g scale.
      const g = sd > 0 ? td.momentStd[a] / sd : 1;
      next.scale[a] = g * cal.scale[a];
      next.shift[a] = td.momentMean[a] + g * (cal.shift[a] - m);
    }
    cal = next;
  });
  return cal;
}

/** The last row of `p` with every asset's price: where a caller who holds the data may start simulated paths. */
export function lastCompleteRow(p: PriceSeries): { prices: number[]; date: string } | null {
  for (let t = p.dates.length - 1; t >= 0; t--) {
    if (p.prices.every((col) => col[t] > 0)) return { prices: p.prices.map((col) => col[t]), date: p.dates[t] };
  }
  return null;
}

function trainingData(lr: LogReturns, innovations: Float64Array[], cond: Float32Array | null, valid: Uint8Array, T: number): TrainingData {
  const n = lr.dates.length;
  const k = lr.assets.length;
  const c = cond ? FEATURES_PER_ASSET * k : 0;
  const z = new Float32Array(n * k);
  for (let t = 0; t < n; t++) for (let a = 0; a < k; a++) z[t * k + a] = innovations[a][t];
  // A window needs T consecutive valid steps (valid steps have a predecessor in the same segment).
  const starts: number[] = [];
  let run = 0;
  for (let t = 0; t < n; t++) {
    run = valid[t] ? run + 1 : 0;
    if (run >= T) starts.push(t - T + 1);
  }
  if (starts.length === 0)
    throw new InvalidDataError(`no gap-free stretch of ${T} returns with regime features; the data is too short or too gappy`, { column: lr.assets[0] });
  const momentMean = new Float32Array(k);
  const momentStd = new Float32Array(k);
  let count = 0;
  for (let t = 0; t < n; t++) {
    if (!valid[t]) continue;
    count++;
    for (let a = 0; a < k; a++) momentMean[a] += z[t * k + a];
  }
  for (let a = 0; a < k; a++) momentMean[a] /= count;
  for (let t = 0; t < n; t++) {
    if (!valid[t]) continue;
    for (let a = 0; a < k; a++) momentStd[a] += (z[t * k + a] - momentMean[a]) ** 2;
  }
  for (let a = 0; a < k; a++) momentStd[a] = Math.sqrt(momentStd[a] / count);
  const condOut = cond ? Float32Array.from(cond, (v) => (Number.isNaN(v) ? 0 : v)) : new Float32Array(0);
  return { k, c, T, z, cond: condOut, starts: Int32Array.from(starts), momentMean, momentStd };
}

/**
 * Affine correction per asset so that the generated innovations have the real mean and second moment on the
 * training conditions. The variance recursion feeds z^2 back with weight alpha; with persistence near 1 a few
 * percent of excess z^2 would inflate the long-run volatility many times over, so the scale is pinned after
 * training rather than left to the adversarial game.
 */
function calibrate(generator: tf.LayersModel, td: TrainingData, nz: number, nu: number | null, rng: Rng): { shift: number[]; scale: number[] } {
  const { k, c, T } = td;
  const m = Math.min(td.starts.length, 512);
  const starts = Int32Array.from({ length: m }, () => td.starts[rng.int(td.starts.length)]);
  const condBuf = new Float32Array(m * T * c);
  const realBuf = new Float64Array(m * T * k);
  starts.forEach((s, i) => {
    condBuf.set(td.cond.subarray(s * c, (s + T) * c), i * T * c);
    for (let j = 0; j < T * k; j++) realBuf[i * T * k + j] = td.z[s * k + j];
  });
  const noise = fillNoise(rng, new Float32Array(m * T * nz), nz, nu);
  const y = tf.tidy(() => applyNet(generator, tf.tensor3d(noise, [m, T, nz]), c ? tf.tensor3d(condBuf, [m, T, c]) : undefined));
  const fake = y.dataSync();
  y.dispose();
  const shift: number[] = [];
  const scale: number[] = [];
  for (let a = 0; a < k; a++) {
    let fm = 0,
      rm = 0;
    const N = m * T;
    for (let i = 0; i < N; i++) {
      fm += fake[i * k + a];
      rm += realBuf[i * k + a];
    }
    fm /= N;
    rm /= N;
    let fv = 0,
      rv = 0;
    for (let i = 0; i < N; i++) {
      fv += (fake[i * k + a] - fm) ** 2;
      rv += (realBuf[i * k + a] - rm) ** 2;
    }
    const sc = fv > 0 ? Math.sqrt(rv / fv) : 1;
    scale.push(sc);
    shift.push(rm - sc * fm);
  }
  return { shift, scale };
}
