import { basename, extname, join, resolve } from 'node:path';
import { InvalidDataError, UsageError, calendarGaps, checkDisk, checkMemory, writeFileAtomic } from '@fingan/gan-core/light';
import { MARKET_DEFAULT_STEPS } from '@fingan/market-timeseries/constants';
import type { PathsData, ReturnPanel, readPricesCsv } from '@fingan/market-timeseries';
import { positive, positiveInt, type CommandContext, type CommandSpec } from '../framework.js';
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
 * --allow-missing; a calendar gap far longer than the series' typical spacing is refused above --max-gap-days and
 * warned about above 10 days / 10 typical spacings, so a missing stretch is never modelled as one ordinary day.
 */
function checkPriceSeries(prices: ReturnType<typeof readPricesCsv>, flags: Record<string, unknown>, ctx: CommandContext): void {
  const file = flags.data as string;
  const dateColumn = flags['date-column'] as string;
  if (flags['allow-missing'] !== true) {
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
  const gaps = calendarGaps(prices.dates);
  if (!gaps || gaps.gaps.length === 0) return;
  const maxGap = (flags['max-gap-days'] as number | undefined) ?? Math.max(30, 30 * gaps.typicalDays);
  const too = gaps.gaps.find((g) => g.days > maxGap);
  const say = (g: (typeof gaps.gaps)[number]) => `${g.days} days between ${g.from} (row ${g.fromRow}) and ${g.to} (row ${g.toRow})`;
  if (too) {
    throw new InvalidDataError(
      `file ${file}, column '${dateColumn}': a gap of ${say(too)}, the typical spacing is ${gaps.typicalDays} day${gaps.typicalDays === 1 ? '' : 's'}; ` +
        `it would be modelled as one step. Split the file at the gap, or pass --max-gap-days ${Math.ceil(too.days)} to accept it`,
      { file, column: dateColumn },
    );
  }
  const largest = gaps.gaps.reduce((a, b) => (b.days > a.days ? b : a));
  ctx.log.info(`warning: ${file}: ${gaps.gaps.length} calendar gap${gaps.gaps.length === 1 ? '' : 's'} longer than usual (largest: ${say(largest)}); each is modelled as one step`);
}

const fitCommand: CommandSpec = {
  path: ['market', 'fit'],
  summary: 'train the recurrent price-path GAN on a price CSV (one column per asset)',
  flags: [
    { name: 'data', type: 'string', description: 'price CSV: a date column and one close-price column per asset', required: true, placeholder: 'FILE' },
    { name: 'date-column', type: 'string', description: 'name of the date column', required: true, placeholder: 'COL' },
    { name: 'columns', type: 'string', description: 'asset columns to model jointly, comma-separated', required: true, placeholder: 'A,B,...' },
    { name: 'out', type: 'string', description: 'model directory to write', required: true, placeholder: 'MODEL_DIR' },
    ...trainingFlags(`${MARKET_DEFAULT_STEPS} generator steps`, 'training windows'),
    { name: 'max-gap-days', type: 'number', description: 'longest calendar gap between two rows accepted (default: 30 days or 30 typical spacings)', check: positive, placeholder: 'DAYS' },
    { name: 'allow-missing', type: 'boolean', description: 'accept empty price cells: the returns touching them are dropped and the series is split there', default: false },
    FORCE_FLAG,
    ...RESUME_FLAGS,
  ],
  examples: ['fingan market fit --data data/dowjones30_daily.csv --date-column date --columns AA,IBM,KO --out models/dow'],
  async run(flags, ctx) {
    const assets = list(flags.columns as string, '--columns');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'model-dir', inputs);
    const { fitRecurrentGan, readPricesCsv } = await import('@fingan/market-timeseries');
    const prices = readPricesCsv(flags.data as string, { dateColumn: flags['date-column'] as string, assets });
    checkPriceSeries(prices, flags, ctx);
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'market fit', flags.data as string);
    const out = resolve(flags.out as string);
    const t0 = Date.now();
    const model = await fitRecurrentGan(prices, { ...trainingLength(flags), seed: ctx.seed, ...ck.controls, onEvent: trainingProgress(ctx) });
    await model.save(out);
    ck.done();
    ctx.log.info(`model saved to ${out}`);
    const t = model.trainingRecord;
    process.stdout.write(
      JSON.stringify({ model: out, assets, steps: t.steps, plannedSteps: t.plannedSteps, stoppedBy: t.stoppedBy, reproducible: t.reproducible, seconds: +((Date.now() - t0) / 1000).toFixed(1) }) + '\n',
    );
    model.dispose();
  },
};

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
  checkMemory({ flag: '--horizon', what: `one chunk of ${Math.min(paths, 2000)} paths x ${horizon} steps x ${assets} asset${assets === 1 ? '' : 's'}`, bytes: Math.min(paths, 2000) * horizon * assets * CHUNK_BYTES });
  checkDisk({ flag: '--paths', what, bytes: values * (extname(out).toLowerCase() === '.parquet' ? PARQUET_BYTES : CSV_BYTES), out });
}

const simulateCommand: CommandSpec = {
  path: ['market', 'simulate'],
  summary: 'simulate price paths from a fitted model; writes path,step,asset,price (CSV or Parquet, streamed)',
  flags: [
    { name: 'model', type: 'string', description: 'model directory written by market fit', required: true, placeholder: 'MODEL_DIR' },
    { name: 'paths', type: 'int', description: 'number of paths', required: true, check: positiveInt },
    { name: 'horizon', type: 'int', description: 'steps (days) per path', required: true, check: positiveInt },
    { name: 'out', type: 'string', description: 'output file, .csv or .parquet', required: true, placeholder: 'FILE' },
    { name: 'start-prices', type: 'string', description: 'price of each asset at step 0 (default: the last prices of --history; the model stores no training prices)', placeholder: 'a,b,...' },
    { name: 'history', type: 'string', description: 'price CSV of recent days to start from (its last prices and volatility regime)', placeholder: 'FILE' },
    { name: 'date-column', type: 'string', description: 'date column of --history', default: 'date', placeholder: 'COL' },
    FORCE_FLAG,
  ],
  examples: ['fingan market simulate --model models/dow --paths 10000 --horizon 252 --history recent-prices.csv --date-column date --out paths.csv', 'fingan market simulate --model models/dow --paths 1000 --horizon 20 --start-prices 100,50 --out paths.csv'],
  async run(flags, ctx) {
    const out = resolve(flags.out as string);
    const { checkPathsFileName, checkSameAssets, loadRecurrentGan, logReturns, readPricesCsv, streamPaths, writePathsFile } = await import('@fingan/market-timeseries');
    checkPathsFileName(out, '--out');
    checkInputs(inputsOf(flags, ['history']));
    claimOut(ctx, flags, 'file', inputsOf(flags, ['model', 'history']));
    const paths = flags.paths as number;
    const horizon = flags.horizon as number;
    checkSimulationSize(paths, horizon, 1, out); // at once, before loading anything
    await ctx.backend();
    const model = await loadRecurrentGan(flags.model as string);
    checkSimulationSize(paths, horizon, model.assets.length, out);
    let history: Float64Array[] | undefined;
    let startPrices: number[] | null = null;
    if (flags.history !== undefined) {
      const file = flags.history as string;
      const h = readPricesCsv(file, { dateColumn: flags['date-column'] as string });
      checkSameAssets(model.assets, h.assets, `model ${flags.model as string}`);
      const lr = logReturns(h);
      history = lr.returns;
      const last = h.dates.length - 1;
      startPrices = h.prices.map((p) => p[last]);
      if (startPrices.some((p) => !(p > 0))) throw new UsageError(`the last row of ${file} lacks a price; it must have every asset's price`, { flag: '--history' });
    }
    if (flags['start-prices'] !== undefined) startPrices = numbers(flags['start-prices'] as string, '--start-prices');
    if (!startPrices) throw new UsageError('the model stores no training prices (a model directory holds no training data); give --start-prices or --history', { flag: '--start-prices' });
    const stream = streamPaths({ model, startPrices, horizon: flags.horizon as number, paths, seed: ctx.seed, history, chunkSize: Math.min(paths, 2000) });
    const progress = ctx.log.progress('simulating', paths);
    const counted = (async function* () {
      for await (const c of stream) {
        yield c;
        progress.update(c.firstPath + c.paths);
      }
    })();
    const { rows } = await writePathsFile(out, counted, model.assets);
    progress.finish(`${rows} rows`);
    process.stdout.write(JSON.stringify({ out, paths, horizon: flags.horizon, assets: model.assets, rows }) + '\n');
    model.dispose();
  },
};

/** 'name=file' or 'file' (named after the file). */
function namedFile(raw: string): { name: string; file: string } {
  const eq = raw.indexOf('=');
  if (eq > 0 && !raw.slice(0, eq).includes('/')) return { name: raw.slice(0, eq), file: raw.slice(eq + 1) };
  return { name: basename(raw, extname(raw)), file: raw };
}

const evaluateCommand: CommandSpec = {
  path: ['market', 'evaluate'],
  summary: 'compare simulated paths with real prices: stylized facts, TimeGAN scores, VaR/ES; metrics.json + report.html',
  flags: [
    { name: 'real', type: 'string', description: 'real price CSV (e.g. the period after the training data)', required: true, placeholder: 'FILE' },
    { name: 'date-column', type: 'string', description: 'date column of --real', required: true, placeholder: 'COL' },
    { name: 'synthetic', type: 'string', description: 'paths file from market simulate ([NAME=]FILE)', required: true, repeatable: true, placeholder: 'FILE' },
    { name: 'out', type: 'string', description: 'output directory', required: true, placeholder: 'DIR' },
    { name: 'baselines', type: 'boolean', description: 'add GBM and GARCH(1,1)-t rows fitted to the real data', default: true },
    FORCE_FLAG,
  ],
  examples: ['fingan market evaluate --real data/later.csv --date-column date --synthetic gan=paths.csv --out eval'],
  async run(flags, ctx) {
    const { checkSameAssets, evaluateModels, fitGarch, fitGbm, logReturns, panelFromColumns, pathsToReturns, readPathsFile, readPricesCsv, simulatePanel, writeMarketReport } =
      await import('@fingan/market-timeseries');
    const specs = (flags.synthetic as string[]).map(namedFile);
    const names = new Set<string>();
    for (const s of specs) {
      if (['real', 'gbm', 'garch'].includes(s.name) || names.has(s.name)) {
        throw new UsageError(`model name '${s.name}' is used twice or reserved (real, gbm, garch); name it with NAME=FILE`, { flag: '--synthetic' });
      }
      names.add(s.name);
    }
    const inputs = [{ path: flags.real as string, flag: '--real' }, ...specs.map((s) => ({ path: s.file, flag: '--synthetic' }))];
    checkInputs(inputs);
    claimOut(ctx, flags, 'report-dir', inputs, { files: ['metrics.json', 'report.html'] });
    const synthetic: { name: string; data: PathsData }[] = [];
    for (const s of specs) {
      ctx.log.info(`reading ${s.file}`);
      synthetic.push({ name: s.name, data: await readPathsFile(s.file) });
    }
    const assets = synthetic[0].data.assets;
    for (const s of synthetic.slice(1)) checkSameAssets(assets, s.data.assets, `paths file ${specs[synthetic.indexOf(s)].file}`);
    const real = readPricesCsv(flags.real as string, { dateColumn: flags['date-column'] as string, assets });
    const lr = logReturns(real);
    for (const s of synthetic) {
      if (s.data.steps < 30) throw new UsageError(`${s.name} has paths of ${s.data.steps} steps; the metrics need at least 30 (simulate a longer --horizon)`, { flag: '--synthetic' });
    }
    const models: { name: string; returns: ReturnPanel }[] = synthetic.map((s) => ({ name: s.name, returns: pathsToReturns(s.data, assets) }));
    if (flags.baselines === true) {
      const ref = models[0].returns;
      const paths = Math.min(ref.paths, 500);
      models.push({ name: 'garch', returns: simulatePanel(fitGarch(lr), { horizon: ref.steps, paths, seed: ctx.seed + 1 }) });
      models.push({ name: 'gbm', returns: simulatePanel(fitGbm(lr), { horizon: ref.steps, paths, seed: ctx.seed + 2 }) });
    }
    ctx.log.info(`evaluating ${models.map((m) => m.name).join(', ')} against ${lr.dates.length} real returns`);
    const evaluation = evaluateModels({ real: lr, models, discriminative: { seed: ctx.seed }, predictive: { seed: ctx.seed } });
    const out = resolve(flags.out as string);
    const metrics = {
      real: { file: flags.real, dateColumn: flags['date-column'], assets, returns: lr.dates.length, from: lr.dates[0], to: lr.dates[lr.dates.length - 1] },
      models: Object.fromEntries(evaluation.rows.map((r) => [r.model, r])),
    };
    writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    writeMarketReport(join(out, 'report.html'), {
      title: 'Simulated price paths against real prices',
      evaluation,
      real: panelFromColumns(lr),
      // Fan charts for the paths files whose asset order is the real file's.
      models: models.map((m) => {
        const s = synthetic.find((x) => x.name === m.name);
        const fan = s && s.data.assets.every((a, i) => a === assets[i]);
        return { name: m.name, returns: m.returns, ...(fan ? { prices: { data: s.data.prices, shape: [s.data.paths, s.data.steps, assets.length] as [number, number, number], assets } } : {}) };
      }),
      history: real,
    });
    process.stdout.write(
      JSON.stringify({ out, models: evaluation.rows.map(({ model, wasserstein, excessKurtosis, acfAbsMae, discriminativeScore }) => ({ model, wasserstein, excessKurtosis, acfAbsMae, discriminativeScore })) }) + '\n',
    );
  },
};

export const marketCommands: CommandSpec[] = [fitCommand, simulateCommand, evaluateCommand];
