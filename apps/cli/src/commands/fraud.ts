/**
 * `fingan fraud augment` and `fingan fraud evaluate`: rare-class oversampling (GAN, SMOTE, SMOTE-NC, random) and the
 * honest comparison of what it does to a detector; `fingan fraud fit` and `fingan fraud sample`: the GAN as a model
 * directory (the Synthesizer contract: fit, save, load, sample), to share or to draw positives from again. Every check on the input runs before any work and before
 * anything is written, so a bad flag or file costs a second and leaves the output path untouched.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidDataError, UsageError, writeFileAtomic, type Table } from '@fingan/gan-core/light';
import type { ColumnKind } from '@fingan/gan-core';
import type { FraudColumnKind } from '@fingan/fraud-detection';
import { AUGMENT_METHODS, FRAUD_COLUMN_KINDS, GAN_SAMPLER_DEFAULTS } from '@fingan/fraud-detection/constants';
import { defineCommand, flag, noted, nonNegativeInt, positiveInt, type CommandContext, type CommandSpec } from '../framework.js';
import {
  DP_FLAGS,
  FORCE_FLAG,
  RESUME_FLAGS,
  checkFitInputSize,
  dpOptions,
  checkInputs,
  checkpointing,
  checkTableExt,
  claimOut,
  inputsOf,
  kindFlag,
  trainingFlags,
  trainingLength,
  trainingProgress,
} from '../shared.js';

const LABEL_FLAGS = {
  label: flag.string('label column', 'COL').required(),
  positive: flag.string('label value of the rare class (compared as text)', 'VALUE').required(),
};
/** The GAN's fine-tuning on the positive rows alone, after its fit on every row (FraudGanSynthesizer's fineTuneSteps). */
const FINE_TUNE_FLAG = {
  'fine-tune-steps': flag
    .int(
      `GAN: generator steps on the positive rows alone after the fit on every row (default ${GAN_SAMPLER_DEFAULTS.fineTuneSteps}; 0: none; not with --epsilon)`,
      'N',
    )
    .check(nonNegativeInt),
};
const TUNING_FLAGS = {
  k: flag.int('neighbours for smote / smotenc (needs k+1 positives)').check(positiveInt).default(5),
  ...trainingFlags(`${GAN_SAMPLER_DEFAULTS.epochs} passes (the GAN sampler's default)`, 'training rows (GAN only)'),
  ...FINE_TUNE_FLAG,
  kind: kindFlag(FRAUD_COLUMN_KINDS, `declare a column's kind, COL=KIND with KIND one of ${FRAUD_COLUMN_KINDS.join(', ')} (numeric kinds reject non-numbers)`),
  force: FORCE_FLAG,
};

/** A fraud kind declared on the command line also fixes how the file is read, so a stray 'n/a' is an error. */
const READ_KIND: Partial<Record<FraudColumnKind, ColumnKind>> = { amount: 'continuous', numeric: 'continuous', count: 'integer', categorical: 'categorical' };

function readKinds(kinds: Record<string, FraudColumnKind>): Record<string, ColumnKind> {
  const out: Record<string, ColumnKind> = {};
  for (const [c, k] of Object.entries(kinds)) if (READ_KIND[k]) out[c] = READ_KIND[k]!;
  return out;
}

async function load(path: string, kinds: Record<string, FraudColumnKind>, ctx: CommandContext): Promise<Table> {
  const { readTable } = await import('@fingan/gan-core');
  // readTable names the file in its errors; a declared column missing from the file is a data error there too.
  // One input policy with credit: a mostly-numeric column with text, NaN or Inf cells is refused, not read as a category.
  const { table, warnings } = readTable(path, { kinds: readKinds(kinds), mixedNumbers: 'refuse' });
  for (const w of warnings) ctx.log.info(`warning: ${path}: ${w}`);
  return table;
}

/** Data errors without a file get the file they came from (main names the flag of an option the package names). */
function asCliError(e: unknown, file?: string): unknown {
  if (e instanceof InvalidDataError && file && !e.at.file) e.at.file = file;
  return e;
}

async function inContext<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asCliError(e, file);
  }
}

/** GAN options from the flags (--epochs, --steps, opt-in --time-budget), with progress for each training run. */
function ganOptions(flags: Parameters<typeof trainingLength>[0] & { 'fine-tune-steps'?: number }, ctx: CommandContext): Record<string, unknown> {
  const length = Object.fromEntries(Object.entries(trainingLength(flags)).filter(([, v]) => v !== undefined));
  return { ...length, ...fineTune(flags), onEvent: trainingProgress(ctx, 'GAN training') };
}

/** `fineTuneSteps` when --fine-tune-steps is given (left out, the model's default applies). */
function fineTune(flags: { 'fine-tune-steps'?: number }): { fineTuneSteps?: number } {
  return flags['fine-tune-steps'] === undefined ? {} : { fineTuneSteps: flags['fine-tune-steps'] };
}

const methodCheck = z.enum(AUGMENT_METHODS, { message: `must be one of ${AUGMENT_METHODS.join(', ')}` });
const ratioCheck = z
  .number()
  .positive({ message: 'must be positive' })
  .max(1, { message: 'must be at most 1 (positives/negatives after oversampling; 1 = balanced)' });
const prevalenceCheck = z.number().gt(0, { message: 'must be above 0' }).lt(1, { message: 'must be below 1' });

export const fraudAugmentCommand = defineCommand({
  path: ['fraud', 'augment'],
  summary: 'add synthetic rare-class rows (gan, smote, smotenc or random) to a training table',
  flags: {
    data: flag.string('training table (.csv or .parquet); never the test split', 'FILE').required(),
    ...LABEL_FLAGS,
    method: flag
      .string(`oversampler: ${AUGMENT_METHODS.join(', ')}`, 'METHOD')
      .check(methodCheck)
      .required(),
    ratio: flag.number('positives/negatives after oversampling (imblearn float sampling_strategy; 1 = balanced)', 'R').check(ratioCheck).required(),
    out: flag.string('output table (.csv or .parquet): the input rows, then the new ones', 'FILE').required(),
    'mark-synthetic': flag.boolean("add a boolean '_synthetic' column (true for added rows)", true),
    ...TUNING_FLAGS,
    ...noted(RESUME_FLAGS, ' (--method gan)'),
    ...noted(DP_FLAGS, ' (--method gan; the guarantee covers the added rows)'),
  },
  examples: [
    'fingan fraud augment --data train.csv --label Class --positive bad --method gan --ratio 0.5 --out train_aug.csv --seed 1',
    'fingan fraud augment --data train.parquet --label is_fraud --positive 1 --method smotenc --ratio 0.2 --out aug.parquet',
  ],
  async run(flags, ctx) {
    const { data, out, method, kind: kinds } = flags;
    checkTableExt(data, '--data');
    checkTableExt(out, '--out');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    const fitsGan = method === 'gan' || method === 'gan+smote';
    if (fitsGan) checkFitInputSize(data, '--data');
    claimOut(ctx, flags, 'file', inputs);
    const table = await load(data, kinds, ctx);
    if (!fitsGan && flags.resume) throw new UsageError('only a GAN fit has a checkpoint to resume (--method gan)', { flag: '--resume' });
    const dp = dpOptions(flags);
    if (method !== 'gan' && dp.epsilon !== undefined)
      throw new UsageError(`differential privacy is for --method gan; ${method} copies or interpolates training rows`, { flag: '--epsilon' });
    if (fitsGan) await ctx.backend();
    const ck = fitsGan ? checkpointing(ctx, flags, 'fraud augment', data) : null;
    const { writeTable } = await import('@fingan/gan-core');
    const { augment } = await import('@fingan/fraud-detection');
    const t0 = Date.now();
    const r = await inContext(data, () =>
      augment(table, {
        label: flags.label,
        positive: flags.positive,
        method,
        ratio: flags.ratio,
        seed: ctx.seed,
        k: flags.k,
        kinds,
        markSynthetic: flags['mark-synthetic'],
        gan: { ...ganOptions(flags, ctx), ...ck?.controls, ...dp },
      }),
    );
    writeTable(out, r.table);
    ck?.done();
    const seconds = +((Date.now() - t0) / 1000).toFixed(1);
    ctx.log.info(`${method}: added ${r.added} synthetic positives in ${seconds}s; wrote ${out}`);
    ctx.result({ command: 'fraud augment', method, added: r.added, rows: r.table[flags.label].length, out, seconds });
  },
});

export const fraudFitCommand = defineCommand({
  path: ['fraud', 'fit'],
  summary: 'fit the conditional GAN on a labelled training table and save it as a model directory (no training row in it)',
  flags: {
    data: flag.string('training table (.csv or .parquet); never the test split', 'FILE').required(),
    ...LABEL_FLAGS,
    out: flag.string('model directory to write', 'MODEL_DIR').required(),
    ...trainingFlags(`${GAN_SAMPLER_DEFAULTS.epochs} passes`, 'training rows'),
    ...FINE_TUNE_FLAG,
    kind: TUNING_FLAGS.kind,
    force: FORCE_FLAG,
    ...RESUME_FLAGS,
    ...noted(DP_FLAGS, ' (the guarantee covers every row sampled from the model)'),
  },
  examples: ['fingan fraud fit --data train.csv --label Class --positive bad --out model/fraud-gan --seed 1'],
  async run(flags, ctx) {
    const { data, out, kind: kinds } = flags;
    checkTableExt(data, '--data');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    checkFitInputSize(data, '--data');
    claimOut(ctx, flags, 'model-dir', inputs);
    const table = await load(data, kinds, ctx);
    await inContext(data, async () => (await import('@fingan/fraud-detection')).splitByLabel(table, flags.label, flags.positive));
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'fraud fit', data);
    const { FraudGanSynthesizer } = await import('@fingan/fraud-detection');
    const gan = new FraudGanSynthesizer({ label: flags.label, positive: flags.positive, seed: ctx.seed, kinds, ...fineTune(flags), ...dpOptions(flags) });
    try {
      const res = await inContext(data, () => gan.fit(table, { ...trainingLength(flags), onEvent: trainingProgress(ctx, 'GAN training'), ...ck.controls }));
      await gan.save(out);
      ck.done();
      ctx.log.info(`model written to ${out} (${res.steps} steps)`);
      ctx.result({ command: 'fraud fit', out, steps: res.steps, stoppedBy: res.stoppedBy });
    } finally {
      gan.dispose();
    }
  },
});

export const fraudSampleCommand = defineCommand({
  path: ['fraud', 'sample'],
  summary: 'draw synthetic rare-class rows from a model directory of `fingan fraud fit`',
  flags: {
    model: flag.string('model directory from `fingan fraud fit`', 'MODEL_DIR').required(),
    rows: flag.int('number of rows', 'N').check(positiveInt).required(),
    out: flag.string('output table (.csv or .parquet)', 'FILE').required(),
    'filter-with': flag.string(
      'the training table: draw --candidates rows per row kept and keep those a detector fitted on it scores most positive (as augment does)',
      'FILE',
    ),
    candidates: flag.int('candidates per row kept with --filter-with', 'N').check(positiveInt).default(GAN_SAMPLER_DEFAULTS.candidates),
    force: FORCE_FLAG,
  },
  examples: ['fingan fraud sample --model model/fraud-gan --rows 500 --filter-with train.csv --out positives.csv --seed 2'],
  async run(flags, ctx) {
    const { model, out, rows } = flags;
    const filterFile = flags['filter-with'];
    checkTableExt(out, '--out');
    if (filterFile !== undefined) checkTableExt(filterFile, '--filter-with');
    checkInputs(inputsOf(flags, ['filter-with']));
    claimOut(ctx, flags, 'file', inputsOf(flags, ['model', 'filter-with']));
    await ctx.backend();
    const { FraudGanSynthesizer } = await import('@fingan/fraud-detection');
    const gan = await FraudGanSynthesizer.load(model);
    try {
      const filterWith = filterFile === undefined ? undefined : await load(filterFile, gan.settings.kinds ?? {}, ctx);
      if (filterWith && !(gan.label in filterWith))
        throw new InvalidDataError(`label column '${gan.label}' is not in the data`, { file: filterFile, column: gan.label });
      const table = await inContext(filterFile, async () => gan.sample(rows, { seed: ctx.seed, filterWith, candidates: flags.candidates }));
      const { writeTable } = await import('@fingan/gan-core');
      writeTable(out, table);
      ctx.log.info(`${rows} synthetic '${String(gan.positive)}' rows written to ${out}`);
      ctx.result({ command: 'fraud sample', out, rows, filtered: filterWith !== undefined });
    } finally {
      gan.dispose();
    }
  },
});

/** The detectors that judge the methods; the message names the text given. */
const detectorCheck = z.enum(['gbt', 'logistic'], { error: (issue) => `expects gbt or logistic, got '${String(issue.input)}'` });

export const fraudEvaluateCommand = defineCommand({
  path: ['fraud', 'evaluate'],
  summary: 'does oversampling help a detector? PR-AUC, ROC-AUC, recall@P90 over seeds on an untouched test split',
  flags: {
    train: flag.string('training table (.csv or .parquet); only it is augmented', 'FILE').required(),
    test: flag.string('test table with the same columns; never augmented or trained on', 'FILE').required(),
    ...LABEL_FLAGS,
    methods: flag
      .string(`comma-separated: none, class-weights, ${AUGMENT_METHODS.join(', ')} ('none' is always included)`, 'LIST')
      .default('none,class-weights,smote,smotenc,gan'),
    detector: flag.string('the detector that judges the methods: gbt (gradient-boosted trees) or logistic', 'NAME').check(detectorCheck).default('gbt'),
    seeds: flag
      .int('number of seeds (--seed, --seed+1, ...); at least 5')
      .check(z.number().int().min(5, { message: 'must be at least 5: the result is a mean and sd over seeds' }))
      .default(5),
    prevalence: flag.number('thin training positives to this share first (e.g. 0.01)', 'P').check(prevalenceCheck),
    ratio: flag.number('positives/negatives after oversampling', 'R').check(ratioCheck).default(1),
    out: flag.string('output directory: metrics.json and report.html', 'DIR').required(),
    ...TUNING_FLAGS,
  },
  options: { detectorModel: 'detector' },
  examples: [
    'fingan fraud evaluate --train train.csv --test test.csv --label Class --positive bad --methods none,smote,gan --seeds 5 --prevalence 0.01 --out out/fraud',
  ],
  async run(flags, ctx) {
    const { train: trainFile, test: testFile, out: outDir, label, positive, detector: detectorModel, kind: kinds } = flags;
    const { evaluateAugmentation, fraudReportHtml, metricsJson, splitByLabel } = await import('@fingan/fraud-detection');
    checkTableExt(trainFile, '--train');
    checkTableExt(testFile, '--test');
    const methods = flags.methods
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const known = ['none', 'class-weights', ...AUGMENT_METHODS];
    const unknown = methods.find((m) => !known.includes(m));
    if (unknown !== undefined || methods.length === 0) {
      throw new UsageError(`'${unknown ?? ''}' is not a method; use a comma-separated list of ${known.join(', ')}`, { flag: '--methods' });
    }
    const inputs = inputsOf(flags, ['train', 'test']);
    checkInputs(inputs);
    if (methods.includes('gan') || methods.includes('gan+smote')) checkFitInputSize(trainFile, '--train');
    claimOut(ctx, flags, 'report-dir', inputs, { files: ['metrics.json', 'report.html'] });
    const train = await load(trainFile, kinds, ctx);
    const test = await load(testFile, kinds, ctx);
    checkTestColumns(train, test, trainFile, testFile);
    if (!(label in test)) throw new InvalidDataError(`label column '${label}' is not in the data`, { file: testFile, column: label });
    await inContext(trainFile, async () => splitByLabel(train, label, positive));
    if (methods.includes('gan') || methods.includes('gan+smote')) await ctx.backend();
    const seeds = Array.from({ length: flags.seeds }, (_, i) => ctx.seed + i);
    const t0 = Date.now();
    const result = await inContext(trainFile, () =>
      evaluateAugmentation({
        train,
        test,
        label,
        positive,
        methods,
        seeds,
        prevalence: flags.prevalence,
        ratio: flags.ratio,
        k: flags.k,
        kinds,
        gan: ganOptions(flags, ctx),
        detectorModel,
        log: (m) => ctx.log.info(m),
      }),
    );
    const metrics = metricsJson(result);
    const rec = metrics.recommendation;
    ctx.log.info(`recommendation: use ${rec.method}: ${rec.reason}`);
    for (const w of rec.warnings) ctx.log.info(`warning: ${w}`);
    writeFileAtomic(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'report.html'), fraudReportHtml(result, { dataNote: `train ${trainFile}, test ${testFile}.` }));
    const seconds = +((Date.now() - t0) / 1000).toFixed(1);
    ctx.log.info(`wrote ${join(outDir, 'metrics.json')} and ${join(outDir, 'report.html')} in ${seconds}s`);
    const brief = Object.fromEntries(Object.entries(metrics.methods).map(([m, v]) => [m, +v!.prAuc.mean.toFixed(4)]));
    ctx.result({ command: 'fraud evaluate', out: outDir, prAuc: brief, recommendation: rec.method, warnings: rec.warnings, seconds });
  },
});

/** Train and test must have the same columns; the error names the test file and the first difference. */
function checkTestColumns(train: Table, test: Table, trainFile: string, testFile: string): void {
  const a = Object.keys(train);
  const b = Object.keys(test);
  const missing = a.filter((c) => !(c in test));
  const extra = b.filter((c) => !(c in train));
  if (missing.length || extra.length) {
    const parts = [missing.length ? `missing: ${missing.join(', ')}` : '', extra.length ? `extra: ${extra.join(', ')}` : ''].filter(Boolean);
    throw new InvalidDataError(`columns differ from ${trainFile} (${parts.join('; ')})`, { file: testFile, column: missing[0] ?? extra[0] });
  }
}

export const fraudCommands: CommandSpec[] = [fraudFitCommand, fraudSampleCommand, fraudAugmentCommand, fraudEvaluateCommand];
