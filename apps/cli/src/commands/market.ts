import { basename, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { InvalidDataError, UsageError, checkDisk, checkMemory, writeFileAtomic } from '@fingan/gan-core/light';
import { MARKET_DEFAULT_STEPS, timeAxisOf, timeGaps } from '@fingan/market-timeseries/constants';
import type { LogReturns, PathModel, PathsData, PricePaths, PriceSeries, ReturnPanel, StartState, VarBacktest, readPricesCsv } from '@fingan/market-timeseries';
import { defineCommand, flag, positive, positiveInt, type CommandContext, type CommandSpec } from '../framework.js';
import { FORCE_FLAG, RESUME_FLAGS, checkInputs, checkpointing, claimOut, inputsOf, trainingFlags, trainingLength, trainingProgress } from '../shared.js';

/** '--columns A,B' -> ['A', 'B']; an empty name is a usage error naming the flag. */
function list(raw: string, flag: string): string[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`expects a comma-separated list without empty entries, got '${raw}'`, { flag });
  return parts;
}

function numbers(raw: string, flag: string): number[] {
  return list(raw, flag).map((p) => {
    const v = Number(p);
    if (!Number.isFinite(v)) throw new UsageError(`'${p}' is not a number`, { flag });
    return v;
  });
}

/**
 * The input policy for price series: an empty price cell is refused (naming the column, row and date) unless
 * --allow-missing; a gap far longer than the series' typical spacing (dates, day indices or fractional years) is refused above --max-gap and
 * warned about above 10 days / 10 typical spacings, so a missing stretch is never modelled as one ordinary day.
 */
function checkPriceSeries(
  prices: ReturnType<typeof readPricesCsv>,
  flags: { data: string; 'date-column': string; 'allow-missing': boolean; 'max-gap'?: number; 'max-gap-days'?: number },
  ctx: CommandContext,
): void {
  const file = flags.data;
  const dateColumn = flags['date-column'];
  if (!flags['allow-missing']) {
    let first: { a: number; t: number } | null = null;
    let count = 0;
    prices.prices.forEach((p, a) =>
      p.forEach((v, t) => {
        if (Number.isNaN(v)) {
          count++;
          if (!first || t < first.t) first = { a, t };
        }
      }),
    );
    if (first) {
      const { a, t } = first as { a: number; t: number };
      throw new InvalidDataError(
        `file ${file}, column '${prices.assets[a]}': row ${t + 1} (${prices.dates[t]}) has no price${count > 1 ? ` (${count} empty cells in all)` : ''}; ` +
          'fill or drop those rows, or pass --allow-missing to drop the returns that touch them',
        { file, column: prices.assets[a] },
      );
    }
  }
  const gaps = timeGaps(prices.dates);
  if (!gaps || gaps.gaps.length === 0) return;
  const days = gaps.unit === 'days';
  const unit = (x: number) => (days ? `${x} day${x === 1 ? '' : 's'}` : `${x}`);
  const maxGap = flags['max-gap'] ?? (days ? flags['max-gap-days'] : undefined) ?? Math.max(days ? 30 : 0, 30 * gaps.typicalSpacing);
  const too = gaps.gaps.find((g) => g.size > maxGap);
  const say = (g: (typeof gaps.gaps)[number]) => `${unit(g.size)} between ${g.from} (row ${g.fromRow}) and ${g.to} (row ${g.toRow})`;
  if (too) {
    throw new InvalidDataError(
      `file ${file}, column '${dateColumn}': a gap of ${say(too)}, the typical spacing is ${unit(gaps.typicalSpacing)}; ` +
        `it would be modelled as one step. Split the file at the gap, or pass --max-gap ${too.size} to accept it`,
      { file, column: dateColumn },
    );
  }
  const largest = gaps.gaps.reduce((a, b) => (b.size > a.size ? b : a));
  ctx.log.info(
    `warning: ${file}: ${gaps.gaps.length} gap${gaps.gaps.length === 1 ? '' : 's'} longer than usual (largest: ${say(largest)}, ${largest.spacings} typical spacings); each is modelled as one step`,
  );
}

const fitCommand = defineCommand({
  path: ['market', 'fit'],
  summary: 'train the recurrent price-path GAN on a price CSV (one column per asset)',
  flags: {
    data: flag.string('price CSV: a date column and one close-price column per asset', 'FILE').required(),
    'date-column': flag.string('name of the time column: ISO dates, day indices (0, 1, 2 ...) or fractional years (1991.496)', 'COL').required(),
    columns: flag.string('asset columns to model jointly, comma-separated', 'A,B,...').required(),
    out: flag.string('model directory to write', 'MODEL_DIR').required(),
    ...trainingFlags(`${MARKET_DEFAULT_STEPS} generator steps`, 'training windows'),
    'max-gap': flag
      .number(
        "longest gap between two rows accepted, in the time column's unit: days for dates, the column's own unit for day indices or fractional years (default: 30 typical spacings, and at least 30 days)",
        'N',
      )
      .check(positive),
    'max-gap-days': flag.number('the same as --max-gap for a date column (kept for older scripts)', 'DAYS').check(positive),
    'allow-missing': flag.boolean('accept empty price cells: the returns touching them are dropped and the series is split there'),
    force: FORCE_FLAG,
    ...RESUME_FLAGS,
  },
  examples: ['fingan market fit --data data/dowjones30_daily.csv --date-column date --columns AA,IBM,KO --out models/dow'],
  async run(flags, ctx) {
    const assets = list(flags.columns, '--columns');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'model-dir', inputs);
    const { MarketSynthesizer, readPricesCsv } = await import('@fingan/market-timeseries');
    const prices = readPricesCsv(flags.data, { dateColumn: flags['date-column'], assets });
    checkPriceSeries(prices, flags, ctx);
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'market fit', flags.data);
    const out = resolve(flags.out);
    const t0 = Date.now();
    // Through the Synthesizer contract, like every domain model: new, fit, save, dispose.
    const model = new MarketSynthesizer({ seed: ctx.seed });
    await model.fit(prices, { ...trainingLength(flags), ...ck.controls, onEvent: trainingProgress(ctx) });
    await model.save(out);
    ck.done();
    ctx.log.info(`model saved to ${out}`);
    const t = model.trainingRecord!;
    ctx.result({
      model: out,
      assets,
      steps: t.steps,
      plannedSteps: t.plannedSteps,
      stoppedBy: t.stoppedBy,
      reproducible: t.reproducible,
      seconds: +((Date.now() - t0) / 1000).toFixed(1),
    });
    model.dispose();
  },
});

/** Bytes per simulated price in a CSV line ('path,step,asset,price'), in a Parquet file (compressed, loosely), in a chunk's tensors. */
const CSV_BYTES = 32;
const PARQUET_BYTES = 8;
const CHUNK_BYTES = 64;

/**
 * paths x horizon x assets against the machine: both formats are streamed chunk by chunk (disk: the free space where
 * the file goes), and each chunk of up to 2,000 paths is simulated in memory.
 */
function checkSimulationSize(paths: number, horizon: number, assets: number, out: string): void {
  const values = paths * horizon * assets;
  const what = `${paths} paths x ${horizon} steps x ${assets} asset${assets === 1 ? '' : 's'}`;
  checkMemory({
    flag: '--horizon',
    what: `one chunk of ${Math.min(paths, 2000)} paths x ${horizon} steps x ${assets} asset${assets === 1 ? '' : 's'}`,
    bytes: Math.min(paths, 2000) * horizon * assets * CHUNK_BYTES,
  });
  checkDisk({ flag: '--paths', what, bytes: values * (extname(out).toLowerCase() === '.parquet' ? PARQUET_BYTES : CSV_BYTES), out });
}

/** The prices up to and including `date` (the last row on or before it), for a simulation started from that day. */
function cutAt(p: PriceSeries, date: string, file: string): PriceSeries {
  const numeric = timeAxisOf(p.dates) === 'numbers';
  const key = (d: string) => (numeric ? Number(d) : Date.parse(d));
  const k = key(date);
  if (!Number.isFinite(k)) throw new UsageError(`'${date}' is not a ${numeric ? 'number on the time axis' : 'date'} of ${file}`, { flag: '--start-date' });
  let i = -1;
  while (i + 1 < p.dates.length && key(p.dates[i + 1]) <= k) i++;
  if (i < 1) throw new UsageError(`${file} has no prices before ${date} to start from (it starts on ${p.dates[0]})`, { flag: '--start-date' });
  return { dates: p.dates.slice(0, i + 1), assets: p.assets, prices: p.prices.map((x) => x.slice(0, i + 1)) };
}

/** The stress scenarios of --start-state; the message names the text given. */
const startStateCheck = z.enum(['calm', 'normal', 'stressed'], { error: (issue) => `expects calm, normal or stressed, got '${String(issue.input)}'` });

const simulateCommand = defineCommand({
  path: ['market', 'simulate'],
  summary: 'simulate price paths from a fitted model; writes path,step,asset,price (CSV or Parquet, streamed)',
  flags: {
    model: flag.string('model directory written by market fit', 'MODEL_DIR').required(),
    paths: flag.int('number of paths').check(positiveInt).required(),
    horizon: flag.int('steps (days) per path').check(positiveInt).required(),
    out: flag.string('output file, .csv or .parquet', 'FILE').required(),
    'start-prices': flag.string('price of each asset at step 0 (default: the last prices of --history; the model stores no training prices)', 'a,b,...'),
    history: flag.string('price CSV of recent days to start from (its last prices and volatility regime)', 'FILE'),
    'date-column': flag.string('date column of --history', 'COL').default('date'),
    'start-date': flag.string('start from the state of this day in --history (its price and the volatility up to it), e.g. a past crisis', 'DATE'),
    'start-state': flag
      .string("a stress scenario: start from 'calm', 'normal' or 'stressed' volatility (10%, 50%, 95% quantiles of the model's stationary volatility)", 'STATE')
      .check(startStateCheck),
    'start-vol': flag.string('start from this volatility per step (daily for daily data), one number or one per asset', 'v|a,b,...'),
    force: FORCE_FLAG,
  },
  examples: [
    'fingan market simulate --model models/dow --paths 10000 --horizon 252 --history recent-prices.csv --date-column date --out paths.csv',
    'fingan market simulate --model models/dow --paths 1000 --horizon 20 --start-prices 100,50 --out paths.csv',
    'fingan market simulate --model models/dow --paths 1000 --horizon 20 --history prices.csv --start-date 2008-10-10 --out crisis.csv',
    'fingan market simulate --model models/dow --paths 1000 --horizon 20 --start-prices 100,50 --start-state stressed --out stressed.csv',
  ],
  async run(flags, ctx) {
    const out = resolve(flags.out);
    const { checkPathsFileName, checkSameAssets, MarketSynthesizer, logReturns, readPricesCsv, streamPaths, writePathsFile } = await import(
      '@fingan/market-timeseries'
    );
    checkPathsFileName(out, '--out');
    checkInputs(inputsOf(flags, ['history']));
    claimOut(ctx, flags, 'file', inputsOf(flags, ['model', 'history']));
    const { paths, horizon } = flags;
    checkSimulationSize(paths, horizon, 1, out); // at once, before loading anything
    await ctx.backend();
    const synth = await MarketSynthesizer.load(flags.model);
    const model = synth.recurrentGan; // streamed simulation in chunks: the model's own extra beyond sample()
    checkSimulationSize(paths, horizon, model.assets.length, out);
    let history: Float64Array[] | undefined;
    let startPrices: number[] | null = null;
    if (flags.history !== undefined) {
      const file = flags.history;
      const full = readPricesCsv(file, { dateColumn: flags['date-column'] });
      checkSameAssets(model.assets, full.assets, `model ${flags.model}`);
      const h = flags['start-date'] === undefined ? full : cutAt(full, flags['start-date'], file);
      const lr = logReturns(h);
      history = lr.returns;
      const last = h.dates.length - 1;
      startPrices = h.prices.map((p) => p[last]);
      if (startPrices.some((p) => !(p > 0)))
        throw new UsageError(`the last row of ${file} lacks a price; it must have every asset's price`, { flag: '--history' });
    }
    if (flags['start-date'] !== undefined && flags.history === undefined)
      throw new UsageError('needs --history, the prices the date is looked up in', { flag: '--start-date' });
    if (flags['start-state'] !== undefined && flags['start-vol'] !== undefined)
      throw new UsageError('give one of --start-state and --start-vol', { flag: '--start-vol' });
    let start: StartState | undefined = flags['start-state'];
    if (flags['start-vol'] !== undefined) {
      const v = numbers(flags['start-vol'], '--start-vol');
      if (v.some((x) => !(x > 0))) throw new UsageError(`volatilities must be positive, got '${flags['start-vol']}'`, { flag: '--start-vol' });
      if (v.length !== 1 && v.length !== model.assets.length)
        throw new UsageError(`expects one volatility or one per asset (${model.assets.length}), got ${v.length}`, { flag: '--start-vol' });
      start = { volatility: v.length === 1 ? v[0] : v };
    }
    if (flags['start-prices'] !== undefined) startPrices = numbers(flags['start-prices'], '--start-prices');
    if (!startPrices)
      throw new UsageError('the model stores no training prices (a model directory holds no training data); give --start-prices or --history', {
        flag: '--start-prices',
      });
    const stream = streamPaths({ model, startPrices, horizon, paths, seed: ctx.seed, history, start, chunkSize: Math.min(paths, 2000) });
    const progress = ctx.log.progress('simulating', paths);
    const counted = (async function* () {
      for await (const c of stream) {
        yield c;
        progress.update(c.firstPath + c.paths);
      }
    })();
    const { rows } = await writePathsFile(out, counted, model.assets);
    progress.finish(`${rows} rows`);
    ctx.result({ out, paths, horizon: flags.horizon, assets: model.assets, rows });
    synth.dispose();
  },
});

/** 'name=file' or 'file' (named after the file). */
function namedFile(raw: string): { name: string; file: string } {
  const eq = raw.indexOf('=');
  if (eq > 0 && !raw.slice(0, eq).includes('/')) return { name: raw.slice(0, eq), file: raw.slice(eq + 1) };
  return { name: basename(raw, extname(raw)), file: raw };
}

/** 'FROM..TO' (either side may be empty) -> the indices [lo, hi) of the returns dated within it. */
function period(raw: string, dates: string[], flag: string, file: string): { lo: number; hi: number } {
  const m = /^([^.]*)\.\.([^.]*(?:\.[^.]+)?)$/.exec(raw.trim());
  const parts = raw.split('..');
  if (!m || parts.length !== 2)
    throw new UsageError(`expects FROM..TO (either side may be empty, e.g. 2000-01-01..2010-12-31 or ..2010-12-31), got '${raw}'`, { flag });
  const numeric = timeAxisOf(dates) === 'numbers';
  const key = (d: string) => (numeric ? Number(d) : Date.parse(d));
  const bound = (s: string, fallback: number) => {
    if (s.trim() === '') return fallback;
    const k = key(s.trim());
    if (!Number.isFinite(k)) throw new UsageError(`'${s}' is not a ${numeric ? 'number on the time axis' : 'date'} of ${file}`, { flag });
    return k;
  };
  const from = bound(parts[0], -Infinity);
  const to = bound(parts[1], Infinity);
  let lo = 0;
  while (lo < dates.length && key(dates[lo]) < from) lo++;
  let hi = lo;
  while (hi < dates.length && key(dates[hi]) <= to) hi++;
  if (hi - lo < 30) throw new UsageError(`${raw} holds ${hi - lo} returns of ${file}; at least 30 are needed`, { flag });
  return { lo, hi };
}

/** Log returns of simulated prices, day 1 measured from the start prices (day 0). */
function panelFromPrices(sim: PricePaths, startPrices: number[]): ReturnPanel {
  const [paths, steps, k] = sim.shape;
  const data = new Float64Array(paths * steps * k);
  for (let p = 0; p < paths; p++) {
    for (let t = 0; t < steps; t++) {
      for (let a = 0; a < k; a++) {
        const i = (p * steps + t) * k + a;
        data[i] = Math.log(sim.data[i] / (t === 0 ? startPrices[a] : sim.data[i - k]));
      }
    }
  }
  return { data, paths, steps, assets: [...sim.assets] };
}

function sliceReturns(lr: LogReturns, lo: number, hi: number): LogReturns {
  return { ...lr, dates: lr.dates.slice(lo, hi), returns: lr.returns.map((r) => r.slice(lo, hi)), segment: lr.segment.slice(lo, hi) };
}

/** Names of the real row and the baselines `market evaluate` adds; a --model or --synthetic name may not take them. */
const RESERVED_MODEL_NAMES = ['real', 'gbm', 'garch', 'garch-normal'];

const evaluateCommand = defineCommand({
  path: ['market', 'evaluate'],
  summary:
    'out-of-sample evaluation: models fitted on a fit period, judged on a later one (stylized facts with verdicts, TimeGAN scores, VaR backtests); metrics.json + report.html',
  flags: {
    real: flag.string('real price CSV holding the fit and the evaluation period', 'FILE').required(),
    'date-column': flag.string('time column of --real', 'COL').required(),
    'fit-period': flag.string(
      'the days the models were fitted on (FROM..TO, either side may be empty): baselines are fitted on it, every model is simulated from its last day',
      'FROM..TO',
    ),
    'eval-period': flag.string('the days to judge on (default: after the fit period, or the whole file without one)', 'FROM..TO'),
    model: flag.string('model directory from market fit, fitted on the fit period ([NAME=]DIR); simulated and backtested here', 'DIR').repeatable(),
    synthetic: flag.string('paths file from market simulate, started at the end of the fit period ([NAME=]FILE)', 'FILE').repeatable(),
    out: flag.string('output directory (metrics.json, report.html)', 'DIR').required(),
    paths: flag.int('paths simulated per model (--model and baselines)').check(positiveInt).default(200),
    baselines: flag.boolean(
      'add the baselines fitted on the fit period (needs --fit-period): garch-normal (GARCH(1,1), the reference of the relative verdicts), garch (GARCH(1,1)-t), gbm',
      true,
    ),
    'backtest-paths': flag
      .int('simulated outcomes per one-day VaR forecast (0: no backtests)')
      .check(
        z
          .number()
          .int()
          .refine((v) => v === 0 || v >= 100, { message: 'must be 0 or at least 100' }),
      )
      .default(1000),
    force: FORCE_FLAG,
  },
  examples: [
    'fingan market evaluate --real data/prices.csv --date-column date --fit-period ..2010-12-31 --model gan=models/sp --out eval',
    'fingan market evaluate --real data/later.csv --date-column date --synthetic gan=paths.csv --baselines=false --out eval',
  ],
  async run(flags, ctx) {
    const {
      checkSameAssets,
      evaluateModels,
      fitGarch,
      fitGbm,
      MarketSynthesizer,
      logReturns,
      panelFromColumns,
      pathsToReturns,
      readPathsFile,
      readPricesCsv,
      simulatePaths,
      stylizedFactVerdicts,
      varBacktest,
      writeMarketReport,
    } = await import('@fingan/market-timeseries');
    const modelSpecs = flags.model.map(namedFile);
    const pathSpecs = flags.synthetic.map(namedFile);
    if (modelSpecs.length + pathSpecs.length === 0)
      throw new UsageError('give the models to judge: --model DIR or --synthetic FILE (at least one)', { flag: '--model' });
    const names = new Set<string>();
    for (const [s, flag] of [...modelSpecs.map((m) => [m, '--model'] as const), ...pathSpecs.map((m) => [m, '--synthetic'] as const)]) {
      if (RESERVED_MODEL_NAMES.includes(s.name) || names.has(s.name)) {
        throw new UsageError(
          `model name '${s.name}' is used twice or reserved (${RESERVED_MODEL_NAMES.join(', ')}); name it with NAME=${flag === '--model' ? 'DIR' : 'FILE'}`,
          { flag },
        );
      }
      names.add(s.name);
    }
    const fitRaw = flags['fit-period'];
    if (fitRaw === undefined && flags.baselines) {
      ctx.log.info('no --fit-period: the GBM and GARCH rows are left out (fitted on the evaluation data they would be in-sample)');
    }
    const inputs = [{ path: flags.real, flag: '--real' }, ...pathSpecs.map((s) => ({ path: s.file, flag: '--synthetic' }))];
    checkInputs(inputs);
    claimOut(ctx, flags, 'report-dir', [...inputs, ...modelSpecs.map((s) => ({ path: s.file, flag: '--model' }))], { files: ['metrics.json', 'report.html'] });
    const synthetic: { name: string; data: PathsData }[] = [];
    for (const s of pathSpecs) {
      ctx.log.info(`reading ${s.file}`);
      synthetic.push({ name: s.name, data: await readPathsFile(s.file) });
    }
    if (modelSpecs.length) await ctx.backend();
    const loaded: { name: string; model: PathModel & { dispose(): void } }[] = [];
    for (const s of modelSpecs) loaded.push({ name: s.name, model: (await MarketSynthesizer.load(s.file)).recurrentGan });
    const assets = loaded[0]?.model.assets ?? synthetic[0].data.assets;
    for (const m of loaded.slice(1)) checkSameAssets(assets, m.model.assets, `model ${m.name}`);
    for (const s of synthetic) checkSameAssets(assets, s.data.assets, `paths file ${pathSpecs[synthetic.indexOf(s)].file}`);
    const realFile = flags.real;
    const prices = readPricesCsv(realFile, { dateColumn: flags['date-column'], assets });
    const all = logReturns(prices);
    const fit = fitRaw === undefined ? null : period(fitRaw, all.dates, '--fit-period', realFile);
    const evalRaw = flags['eval-period'];
    const ev =
      evalRaw !== undefined
        ? period(evalRaw, all.dates, '--eval-period', realFile)
        : fit
          ? { lo: fit.hi, hi: all.dates.length }
          : { lo: 0, hi: all.dates.length };
    if (fit && ev.lo < fit.hi)
      throw new UsageError(`the evaluation period starts on ${all.dates[ev.lo]}, inside the fit period (to ${all.dates[fit.hi - 1]}); it must come after it`, {
        flag: '--eval-period',
      });
    if (ev.hi - ev.lo < 150) {
      throw new UsageError(
        `the evaluation period holds ${ev.hi - ev.lo} returns; at least 150 are needed (the discriminative score holds out its last 20% in windows of 24 days)`,
        { flag: fit && flags['eval-period'] === undefined ? '--fit-period' : flags['eval-period'] !== undefined ? '--eval-period' : '--real' },
      );
    }
    const lrEval = sliceReturns(all, ev.lo, ev.hi);
    const lrFit = fit ? sliceReturns(all, fit.lo, fit.hi) : null;
    const horizon = lrEval.dates.length;
    for (const s of synthetic) {
      if (s.data.steps < 30)
        throw new UsageError(`${s.name} has paths of ${s.data.steps} steps; the metrics need at least 30 (simulate a longer --horizon)`, {
          flag: '--synthetic',
        });
    }
    // Day 0 of every simulation: the last price before the evaluation period (the fit period's last day).
    const priceRow = (dateOfReturn: string) => prices.dates.indexOf(dateOfReturn);
    const startRow = priceRow(lrEval.dates[0]) - 1;
    const startPrices = prices.prices.map((p) => p[startRow]);
    const history = lrFit ? lrFit.returns : undefined;
    const paths = flags.paths;
    const simulated: { name: string; model?: PathModel; returns: ReturnPanel; prices?: PricePaths }[] = [];
    for (const m of loaded) {
      ctx.log.info(`simulating ${m.name}: ${paths} paths of ${horizon} days from ${prices.dates[startRow]}`);
      const sim = simulatePaths({ model: m.model, startPrices, horizon, paths, seed: ctx.seed, history });
      simulated.push({ name: m.name, model: m.model, returns: panelFromPrices(sim, startPrices), prices: sim });
    }
    for (const s of synthetic)
      simulated.push({
        name: s.name,
        returns: pathsToReturns(s.data, assets),
        prices: { data: s.data.prices, shape: [s.data.paths, s.data.steps, assets.length], assets },
      });
    if (flags.baselines && lrFit) {
      // The plain GARCH(1,1) (Gaussian innovations) is the verdicts' reference; GARCH(1,1)-t the stronger one shown beside it.
      const baselines = [
        { model: fitGarch(lrFit, { innovation: 'normal' }), seed: ctx.seed + 3 },
        { model: fitGarch(lrFit, { innovation: 't' }), seed: ctx.seed + 1 },
        { model: fitGbm(lrFit), seed: ctx.seed + 2 },
      ];
      for (const { model, seed } of baselines) {
        const sim = simulatePaths({ model, startPrices, horizon, paths, seed });
        simulated.push({ name: model.name, model, returns: panelFromPrices(sim, startPrices), prices: sim });
      }
    }
    ctx.log.info(`evaluating ${simulated.map((m) => m.name).join(', ')} against ${horizon} real returns (${lrEval.dates[0]} to ${lrEval.dates[horizon - 1]})`);
    const models = simulated.map((m) => ({ name: m.name, returns: m.returns }));
    const evaluation = evaluateModels({ real: lrEval, models, discriminative: { seed: ctx.seed }, predictive: { seed: ctx.seed } });
    const verdicts = stylizedFactVerdicts(evaluation, panelFromColumns(lrEval), models, { reference: 'garch-normal', strongerReference: 'garch' });
    const backtestPaths = flags['backtest-paths'];
    const backtests: VarBacktest[] = [];
    if (backtestPaths > 0 && lrFit) {
      const upToEval = sliceReturns(all, 0, ev.hi);
      for (const m of simulated) {
        if (!m.model) continue;
        ctx.log.info(`backtesting ${m.name}: one-day VaR over ${horizon} days`);
        backtests.push({ ...varBacktest(m.model, upToEval, { from: ev.lo, paths: backtestPaths, seed: ctx.seed }), model: m.name });
      }
    }
    const out = resolve(flags.out);
    const span = (lr: LogReturns) => ({ from: lr.dates[0], to: lr.dates[lr.dates.length - 1], returns: lr.dates.length });
    const periods = { ...(lrFit ? { fit: span(lrFit) } : {}), evaluation: span(lrEval) };
    const metrics = {
      real: { file: realFile, dateColumn: flags['date-column'], assets, returns: horizon, from: lrEval.dates[0], to: lrEval.dates[horizon - 1] },
      periods,
      models: Object.fromEntries(evaluation.rows.map((r) => [r.model, r])),
      verdicts,
      backtests: backtests.map(({ forecasts: _f, ...b }) => b),
    };
    writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    const fitPrices = (lo: number, hi: number): PriceSeries => ({
      dates: prices.dates.slice(lo, hi),
      assets,
      prices: prices.prices.map((p) => p.slice(lo, hi)),
    });
    writeMarketReport(join(out, 'report.html'), {
      title: 'Simulated price paths against real prices, out of sample',
      evaluation,
      real: panelFromColumns(lrEval),
      models: simulated.map((m) => ({ name: m.name, returns: m.returns, prices: m.prices ? { ...m.prices, assets } : undefined })),
      history: fitPrices(Math.max(0, startRow - 250), startRow + 1),
      realised: fitPrices(startRow, priceRow(lrEval.dates[horizon - 1]) + 1),
      periods,
      verdicts,
      backtests,
    });
    for (const m of loaded) m.model.dispose();
    ctx.result({
      out,
      periods,
      models: evaluation.rows.map(({ model, wasserstein, excessKurtosis, acfAbsMae, discriminativeScore }) => ({
        model,
        wasserstein,
        excessKurtosis,
        acfAbsMae,
        discriminativeScore,
      })),
      targetsMet: Object.fromEntries(
        simulated.map((m) => [
          m.name,
          `${verdicts.filter((v) => v.models[m.name]?.pass === true).length}/${verdicts.filter((v) => v.models[m.name] && v.models[m.name].pass !== null).length}`,
        ]),
      ),
    });
  },
});

export const marketCommands: CommandSpec[] = [fitCommand, simulateCommand, evaluateCommand];
