/**
 * `fingan fraud augment` and `fingan fraud evaluate`: rare-class oversampling (GAN, SMOTE, SMOTE-NC, random) and the
 * honest comparison of what it does to a detector. Every check on the input runs before any work and before
 * anything is written, so a bad flag or file costs a second and leaves the output path untouched.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { FinganError, InvalidDataError, UsageError, writeFileAtomic, type Table } from '@fingan/gan-core/light';
import type { ColumnKind as ReadKind } from '@fingan/gan-core';
import type { ColumnKind } from '@fingan/fraud-detection';
import { AUGMENT_METHODS, COLUMN_KINDS, GAN_SAMPLER_DEFAULTS } from '@fingan/fraud-detection/constants';
import { positiveInt, type CommandContext, type CommandSpec, type FlagSpec, type FlagValues } from '../framework.js';
import { DP_FLAGS, FORCE_FLAG, RESUME_FLAGS, checkFitInputSize, dpOptions, checkInputs, checkpointing, checkTableExt, claimOut, inputsOf, parseKindFlags, trainingFlags, trainingLength, trainingProgress } from '../shared.js';

const LABEL_FLAGS: FlagSpec[] = [
  { name: 'label', type: 'string', description: 'label column', required: true, placeholder: 'COL' },
  { name: 'positive', type: 'string', description: 'label value of the rare class (compared as text)', required: true, placeholder: 'VALUE' },
];
const TUNING_FLAGS: FlagSpec[] = [
  { name: 'k', type: 'int', description: 'neighbours for smote / smotenc (needs k+1 positives)', default: 5, check: positiveInt },
  ...trainingFlags(`${GAN_SAMPLER_DEFAULTS.epochs} passes (the GAN sampler's default)`, 'training rows (GAN only)'),
  {
    name: 'kind',
    type: 'string',
    repeatable: true,
    description: `declare a column's kind, COL=KIND with KIND one of ${COLUMN_KINDS.join(', ')} (numeric kinds reject non-numbers)`,
    placeholder: 'COL=KIND',
  },
  FORCE_FLAG,
];

/** A fraud kind declared on the command line also fixes how the file is read, so a stray 'n/a' is an error. */
const READ_KIND: Partial<Record<ColumnKind, ReadKind>> = { amount: 'continuous', numeric: 'continuous', count: 'integer', categorical: 'categorical' };

function readKinds(kinds: Record<string, ColumnKind>): Record<string, ReadKind> {
  const out: Record<string, ReadKind> = {};
  for (const [c, k] of Object.entries(kinds)) if (READ_KIND[k]) out[c] = READ_KIND[k]!;
  return out;
}

async function load(path: string, kinds: Record<string, ColumnKind>, ctx: CommandContext): Promise<Table> {
  const { readTable } = await import('@fingan/gan-core');
  // readTable names the file in its errors; a declared column missing from the file is a data error there too.
  // One input policy with credit: a mostly-numeric column with text, NaN or Inf cells is refused, not read as a category.
  const { table, warnings } = readTable(path, { kinds: readKinds(kinds), mixedNumbers: 'refuse' });
  for (const w of warnings) ctx.log.info(`warning: ${path}: ${w}`);
  return table;
}

const PACKAGE_FLAGS: Record<string, string> = {
  kinds: '--kind',
  'gan.epochs': '--epochs',
  'gan.steps': '--steps',
  'gan.timeBudgetSeconds': '--time-budget',
  'gan.epsilon': '--epsilon',
  'gan.delta': '--delta',
};

/**
 * The package names options as they are spelled in code ('ratio', 'k'); on the command line they are flags
 * ('--ratio'). Data errors without a file get the file they came from.
 */
function asCliError(e: unknown, file?: string): unknown {
  if (!(e instanceof InvalidDataError || e instanceof UsageError)) return e;
  const at = { ...e.at };
  if (at.flag && !at.flag.startsWith('--')) at.flag = PACKAGE_FLAGS[at.flag] ?? `--${at.flag}`;
  if (e instanceof InvalidDataError && file && !at.file) at.file = file;
  // FinganError.oneLine drops the whole location when the message names any part of it ("label column 'x'"), so
  // the parts the message lacks are written into it here: the file is what a user of the CLI needs most.
  const where = [at.flag ? `flag ${at.flag}` : '', at.file ? `file ${at.file}` : '', at.column ? `column '${at.column}'` : ''];
  const missing = where.filter((w) => w && !e.message.includes(w));
  const Ctor = e.constructor as new (m: string, a: typeof at) => FinganError;
  return new Ctor(missing.length ? `${missing.join(', ')}: ${e.message}` : e.message, at);
}

async function inContext<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asCliError(e, file);
  }
}

/** GAN options from the flags (--epochs, --steps, opt-in --time-budget), with progress for each training run. */
function ganOptions(flags: FlagValues, ctx: CommandContext): Record<string, unknown> {
  const length = Object.fromEntries(Object.entries(trainingLength(flags)).filter(([, v]) => v !== undefined));
  return { ...length, onEvent: trainingProgress(ctx, 'GAN training') };
}

const methodCheck = z.enum(AUGMENT_METHODS as [string, ...string[]], { message: `must be one of ${AUGMENT_METHODS.join(', ')}` });
const ratioCheck = z.number().positive({ message: 'must be positive' }).max(1, { message: 'must be at most 1 (positives/negatives after oversampling; 1 = balanced)' });
const prevalenceCheck = z.number().gt(0, { message: 'must be above 0' }).lt(1, { message: 'must be below 1' });

export const fraudAugmentCommand: CommandSpec = {
  path: ['fraud', 'augment'],
  summary: 'add synthetic rare-class rows (gan, smote, smotenc or random) to a training table',
  flags: [
    { name: 'data', type: 'string', description: 'training table (.csv or .parquet); never the test split', required: true, placeholder: 'FILE' },
    ...LABEL_FLAGS,
    { name: 'method', type: 'string', description: `oversampler: ${AUGMENT_METHODS.join(', ')}`, required: true, check: methodCheck, placeholder: 'METHOD' },
    { name: 'ratio', type: 'number', description: 'positives/negatives after oversampling (imblearn float sampling_strategy; 1 = balanced)', required: true, check: ratioCheck, placeholder: 'R' },
    { name: 'out', type: 'string', description: 'output table (.csv or .parquet): the input rows, then the new ones', required: true, placeholder: 'FILE' },
    { name: 'mark-synthetic', type: 'boolean', description: "add a boolean '_synthetic' column (true for added rows)", default: true },
    ...TUNING_FLAGS,
    ...RESUME_FLAGS.map((f) => ({ ...f, description: `${f.description} (--method gan)` })),
    ...DP_FLAGS.map((f) => ({ ...f, description: `${f.description} (--method gan; the guarantee covers the added rows)` })),
  ],
  examples: [
    'fingan fraud augment --data train.csv --label Class --positive bad --method gan --ratio 0.5 --out train_aug.csv --seed 1',
    'fingan fraud augment --data train.parquet --label is_fraud --positive 1 --method smotenc --ratio 0.2 --out aug.parquet',
  ],
  async run(flags, ctx) {
    const data = flags.data as string;
    const out = flags.out as string;
    checkTableExt(data, '--data');
    checkTableExt(out, '--out');
    const kinds = parseKindFlags(flags.kind, COLUMN_KINDS);
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    const fitsGan = flags.method === 'gan' || flags.method === 'gan+smote';
    if (fitsGan) checkFitInputSize(data, '--data');
    claimOut(ctx, flags, 'file', inputs);
    const table = await load(data, kinds, ctx);
    const method = flags.method as (typeof AUGMENT_METHODS)[number];
    if (!fitsGan && flags.resume === true) throw new UsageError('only a GAN fit has a checkpoint to resume (--method gan)', { flag: '--resume' });
    const dp = dpOptions(flags);
    if (method !== 'gan' && dp.epsilon !== undefined) throw new UsageError(`differential privacy is for --method gan; ${method} copies or interpolates training rows`, { flag: '--epsilon' });
    if (fitsGan) await ctx.backend();
    const ck = fitsGan ? checkpointing(ctx, flags, 'fraud augment', data) : null;
    const { writeTable } = await import('@fingan/gan-core');
    const { augment } = await import('@fingan/fraud-detection');
    const t0 = Date.now();
    const r = await inContext(data, () =>
      augment(table, {
        label: flags.label as string,
        positive: flags.positive as string,
        method,
        ratio: flags.ratio as number,
        seed: ctx.seed,
        k: flags.k as number,
        kinds,
        markSynthetic: flags['mark-synthetic'] as boolean,
        gan: { ...ganOptions(flags, ctx), ...ck?.controls, ...dp },
      }),
    );
    writeTable(out, r.table);
    ck?.done();
    const seconds = +((Date.now() - t0) / 1000).toFixed(1);
    ctx.log.info(`${method}: added ${r.added} synthetic positives in ${seconds}s; wrote ${out}`);
    process.stdout.write(JSON.stringify({ command: 'fraud augment', method, added: r.added, rows: r.table[flags.label as string].length, out, seconds }) + '\n');
  },
};

export const fraudEvaluateCommand: CommandSpec = {
  path: ['fraud', 'evaluate'],
  summary: 'does oversampling help a detector? PR-AUC, ROC-AUC, recall@P90 over seeds on an untouched test split',
  flags: [
    { name: 'train', type: 'string', description: 'training table (.csv or .parquet); only it is augmented', required: true, placeholder: 'FILE' },
    { name: 'test', type: 'string', description: 'test table with the same columns; never augmented or trained on', required: true, placeholder: 'FILE' },
    ...LABEL_FLAGS,
    { name: 'methods', type: 'string', description: `comma-separated: none, class-weights, ${AUGMENT_METHODS.join(', ')} ('none' is always included)`, default: 'none,class-weights,smote,smotenc,gan', placeholder: 'LIST' },
    { name: 'detector', type: 'string', description: 'the detector that judges the methods: gbt (gradient-boosted trees) or logistic', default: 'gbt', placeholder: 'NAME' },
    { name: 'seeds', type: 'int', description: 'number of seeds (--seed, --seed+1, ...); at least 5', default: 5, check: z.number().int().min(5, { message: 'must be at least 5: the result is a mean and sd over seeds' }) },
    { name: 'prevalence', type: 'number', description: 'thin training positives to this share first (e.g. 0.01)', check: prevalenceCheck, placeholder: 'P' },
    { name: 'ratio', type: 'number', description: 'positives/negatives after oversampling', default: 1, check: ratioCheck, placeholder: 'R' },
    { name: 'out', type: 'string', description: 'output directory: metrics.json and report.html', required: true, placeholder: 'DIR' },
    ...TUNING_FLAGS,
  ],
  examples: ['fingan fraud evaluate --train train.csv --test test.csv --label Class --positive bad --methods none,smote,gan --seeds 5 --prevalence 0.01 --out out/fraud'],
  async run(flags, ctx) {
    const trainFile = flags.train as string;
    const testFile = flags.test as string;
    const outDir = flags.out as string;
    const label = flags.label as string;
    const { evaluateAugmentation, fraudReportHtml, metricsJson, splitByLabel } = await import('@fingan/fraud-detection');
    const positive = flags.positive as string;
    checkTableExt(trainFile, '--train');
    checkTableExt(testFile, '--test');
    const methods = (flags.methods as string).split(',').map((m) => m.trim()).filter(Boolean);
    const known = ['none', 'class-weights', ...AUGMENT_METHODS];
    const unknown = methods.find((m) => !known.includes(m));
    const detectorModel = flags.detector as string;
    if (detectorModel !== 'gbt' && detectorModel !== 'logistic') throw new UsageError(`expects gbt or logistic, got '${detectorModel}'`, { flag: '--detector' });
    if (unknown !== undefined || methods.length === 0) {
      throw new UsageError(`'${unknown ?? ''}' is not a method; use a comma-separated list of ${known.join(', ')}`, { flag: '--methods' });
    }
    const kinds = parseKindFlags(flags.kind, COLUMN_KINDS);
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
    const seeds = Array.from({ length: flags.seeds as number }, (_, i) => ctx.seed + i);
    const t0 = Date.now();
    const result = await inContext(trainFile, () =>
      evaluateAugmentation({
        train,
        test,
        label,
        positive,
        methods,
        seeds,
        prevalence: flags.prevalence as number | undefined,
        ratio: flags.ratio as number,
        k: flags.k as number,
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
    process.stdout.write(JSON.stringify({ command: 'fraud evaluate', out: outDir, prAuc: brief, recommendation: rec.method, warnings: rec.warnings, seconds }) + '\n');
  },
};

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

export const fraudCommands: CommandSpec[] = [fraudAugmentCommand, fraudEvaluateCommand];
