/**
 * `fingan credit fit | sample | evaluate`: synthetic loan books. Every check on flags and files runs before any
 * training or writing, and every output (model directory, table, metrics, report) is written atomically, so a
 * failed command leaves nothing behind.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { COLUMN_KINDS, UsageError, checkDisk, parseCondition, rowCount, writeFileAtomic } from '@fingan/gan-core/light';
import { DEFAULT_STEPS } from '@fingan/credit-risk/constants';
import { defineCommand, flag, nonNegativeInt, positiveInt, type CommandSpec } from '../framework.js';
import {
  CREDIT_FIT_BYTES_PER_INPUT_BYTE,
  DP_FLAGS,
  FORCE_FLAG,
  boundsFlag,
  categoriesFlag,
  RESUME_FLAGS,
  checkFitInputSize,
  dpOptions,
  checkInputs,
  checkTableExt,
  checkpointing,
  claimOut,
  inputsOf,
  kindFlag,
  trainingFlags,
  trainingLength,
  trainingProgress,
} from '../shared.js';

export const creditFitCommand = defineCommand({
  path: ['credit', 'fit'],
  summary: 'fit a synthesizer to a loan book (schema, rules and a conditional tabular GAN)',
  flags: {
    data: flag.string('loan book (.csv or .parquet)', 'FILE').required(),
    target: flag.string('the default/bad flag column', 'COL').required(),
    out: flag.string('model directory to write', 'MODEL_DIR').required(),
    ...trainingFlags(`${DEFAULT_STEPS} generator steps, whatever the book's size`, 'loan book'),
    positive: flag.string("the target's bad value (default: bad/yes/default/1 if present, else the rarer class)", 'VALUE'),
    rule: flag.string('a business rule every synthetic row meets: COL>=NUMBER or COL<=OTHER_COL (also <, >)', 'RULE').repeatable(),
    kind: kindFlag(COLUMN_KINDS, `declare a column's kind, COL=KIND (${COLUMN_KINDS.join(', ')})`),
    'privacy-guard': flag.string(
      'also write the exact-copy guard (keyed hashes of the training rows) to FILE: keep it with the data, never share it with the model',
      'FILE',
    ),
    bounds: boundsFlag(
      'declared bounds of a numeric column, COL=LO:HI (either end may be empty), used instead of the observed range; under --epsilon, public knowledge',
    ),
    ...DP_FLAGS,
    categories: categoriesFlag("with --epsilon: a categorical column's categories as public knowledge, COL=A|B|..., kept however few rows hold them"),
    force: FORCE_FLAG,
    ...RESUME_FLAGS,
  },
  examples: [
    'fingan credit fit --data data/credit_scoring_modeldata.csv --target Status --out model/credit --privacy-guard private/credit.guard.json',
    'fingan credit fit --data loans.parquet --target default --rule "loan_amount<=property_value" --out model/loans --epochs 60',
    'fingan credit fit --data data/credit_scoring_modeldata.csv --target Status --epsilon 3 --out model/credit-dp',
    'fingan credit fit --data data/credit_scoring_modeldata.csv --target Status --epsilon 3 --bounds Age=18:80 --categories Home=owner|rent|parents|priv|other|ignore --out model/credit-dp',
  ],
  async run(flags, ctx) {
    const { data, out } = flags;
    checkTableExt(data, '--data');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    checkFitInputSize(data, '--data', CREDIT_FIT_BYTES_PER_INPUT_BYTE);
    claimOut(ctx, flags, 'model-dir', inputs);
    const guardFile = flags['privacy-guard'];
    const dp = dpOptions(flags);
    if (guardFile !== undefined && dp.epsilon !== undefined) {
      throw new UsageError('a differentially private fit has no exact-copy guard (it would read the training rows at sample time); drop --privacy-guard', {
        flag: '--privacy-guard',
      });
    }
    if (guardFile !== undefined) {
      checkGuardFile(guardFile, out);
      ctx.claimOutput(guardFile, { kind: 'file', flag: '--privacy-guard', force: flags.force, inputs });
    }
    const { CreditSynthesizer, parseRule, readLoanBook } = await import('@fingan/credit-risk');
    const rules = flags.rule.map((r) => parseRule(r));
    if (Object.keys(flags.categories).length > 0 && dp.epsilon === undefined)
      throw new UsageError('needs --epsilon (declared categories are public knowledge for a private fit)', { flag: '--categories' });
    const book = readLoanBook(data, { target: flags.target, kinds: flags.kind, rules, positive: flags.positive, bounds: flags.bounds });
    for (const w of book.warnings) ctx.log.info(`warning: ${data}: ${w}`);
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'credit fit', data);
    const length = trainingLength(flags);
    // Under DP the schema is inferred again by the synthesizer from kinds and the target's classes only (no bounds,
    // no rules read from the rows); declared rules and the declared bad class still apply.
    const s =
      dp.epsilon === undefined
        ? new CreditSynthesizer({ schema: book.schema, seed: ctx.seed })
        : new CreditSynthesizer({
            target: book.schema.target,
            positive: flags.positive,
            kinds: Object.fromEntries(book.schema.columns.map((c) => [c.name, c.kind])),
            rules,
            bounds: flags.bounds,
            categories: flags.categories,
            seed: ctx.seed,
            ...dp,
          });
    const t0 = Date.now();
    const rows = rowCount(book.table);
    const progress = trainingProgress(ctx);
    const { RECLAIM_AFTER_BYTES, collectGarbage } = await import('@fingan/gan-core');
    const onEvent: typeof progress = (e) => {
      // The synthesizer has read the rows when training starts: a large book's cells (about 110 MiB of JS heap at a
      // million rows) are dropped then and collected at once. Otherwise V8 keeps the limit it set while they were
      // live, and lets the training steps' garbage grow to about four times that before it collects.
      if (e.type === 'start' && statSync(data).size >= RECLAIM_AFTER_BYTES) {
        for (const c of Object.keys(book.table)) book.table[c] = [];
        collectGarbage();
      }
      progress(e);
    };
    const res = await s.fit(book.table, { ...length, onEvent, file: data, ...ck.controls });
    await s.save(out);
    ck.done();
    if (guardFile !== undefined) s.writePrivacyGuard(guardFile);
    for (const w of res.privacyWarnings) ctx.log.info(`privacy: ${w}`);
    const seconds = +((Date.now() - t0) / 1000).toFixed(1);
    ctx.log.info(`fitted on ${rows} rows in ${seconds}s (${res.steps} steps, ${res.stoppedBy}); wrote ${out}`);
    ctx.result({
      command: 'credit fit',
      rows,
      steps: res.steps,
      plannedSteps: res.plannedSteps,
      stoppedBy: res.stoppedBy,
      reproducible: res.reproducible,
      seconds,
      rules: s.schema.rules.length,
      ...(s.dpRecord
        ? { epsilon: s.dpRecord.epsilon, delta: s.dpRecord.delta, epsilonSpent: s.dpRecord.epsilonSpent, noiseMultiplier: s.dpRecord.noiseMultiplier }
        : {}),
      out,
    });
  },
});

/** The guard file must not land inside the model directory (it would be shared with it). */
function checkGuardFile(file: string, modelDir: string): void {
  const rel = relative(resolve(modelDir), resolve(file));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new UsageError(`${file} is inside the model directory ${modelDir}; the privacy guard must be kept apart from the model`, { flag: '--privacy-guard' });
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a file`, { flag: '--privacy-guard' });
}

/** `--shard I` or `--shard I/K` with `--shards K`: which part of the data set this run writes. */
function parseShard(flags: { shard?: string; shards?: number }): { shard: number; shards: number } | null {
  const raw = flags.shard;
  let shards = flags.shards;
  if (raw === undefined) {
    if (shards !== undefined) throw new UsageError('says how many shards there are; give --shard I too (0 <= I < K)', { flag: '--shard' });
    return null;
  }
  const m = /^(\d+)(?:\/(\d+))?$/.exec(raw.trim());
  if (!m) throw new UsageError(`expects a shard index I (an integer >= 0) or I/K, got '${raw}'`, { flag: '--shard' });
  if (m[2] !== undefined) {
    const k = Number(m[2]);
    if (shards !== undefined && shards !== k) throw new UsageError(`says ${k} shards but --shards says ${shards}`, { flag: '--shard' });
    if (k < 1) throw new UsageError(`must be at least 1, got ${k}`, { flag: '--shards' });
    shards = k;
  }
  if (shards === undefined) throw new UsageError('give the number of shards: --shards K (or --shard I/K)', { flag: '--shards' });
  const shard = Number(m[1]);
  if (shard >= shards) throw new UsageError(`is out of range: shards are numbered 0 to ${shards - 1}, got ${shard}`, { flag: '--shard' });
  return { shard, shards };
}

/** The file a shard writes in the data set folder: part-00002-of-00004.parquet. */
export function shardFileName(shard: number, shards: number, format: string): string {
  const w = Math.max(5, String(shards).length);
  return `part-${String(shard).padStart(w, '0')}-of-${String(shards).padStart(w, '0')}.${format}`;
}

/**
 * Bytes per written cell, loosely, for the free-disk check: a CSV cell and its comma; a Parquet cell compressed.
 * Memory is bounded whatever the row count (the rows are streamed in blocks), so only the disk is checked.
 */
const CSV_CELL_BYTES = 12;
const PARQUET_CELL_BYTES = 4;

export const creditSampleCommand = defineCommand({
  path: ['credit', 'sample'],
  summary: 'sample a synthetic loan book from a fitted model, streamed in bounded memory (rules, conditions and the privacy guard enforced; shardable)',
  flags: {
    model: flag.string('model directory written by credit fit', 'MODEL_DIR').required(),
    rows: flag.int('rows to write (with --shards: rows of the whole data set)', 'N').check(positiveInt).required(),
    out: flag.string('output table (.csv or .parquet); with --shards, the data set folder the shard writes its part into', 'FILE|DIR').required(),
    condition: flag.string('COL=VALUE or COL>=NUMBER (also >, <=, <); every row meets all of them', 'COND').repeatable(),
    'privacy-guard': flag.string('the guard file credit fit wrote: drop rows that copy a training row exactly (without it that guard is off)', 'FILE'),
    shard: flag.string('write only shard I (0-based) of K: rows [I*N/K, (I+1)*N/K) of the unsharded output for the seed, as OUT/part-I-of-K.parquet', 'I|I/K'),
    shards: flag.int('the number of shards K (with --shard I)', 'K').check(positiveInt),
    format: flag
      .string("file format of a shard's part: parquet or csv", 'FMT')
      .check(z.enum(['parquet', 'csv'], { message: 'must be parquet or csv' }))
      .default('parquet'),
    workers: flag
      .int('worker threads generating rows (default: 2 on a multi-core machine for 65,536 rows or more, else 0); the output is the same for any number', 'N')
      .check(nonNegativeInt),
    force: FORCE_FLAG,
  },
  examples: [
    'fingan credit sample --model model/credit --rows 5000 --privacy-guard private/credit.guard.json --out synthetic.csv',
    'fingan credit sample --model model/credit --rows 1000 --condition Status=bad --condition "Income>=100" --out bad.parquet',
    'fingan credit sample --model model/credit --rows 10000000 --seed 7 --shard 2/8 --out synthetic/   # writes synthetic/part-00002-of-00008.parquet',
  ],
  async run(flags, ctx) {
    const shard = parseShard(flags);
    const format = flags.format;
    const out = shard ? join(flags.out, shardFileName(shard.shard, shard.shards, format)) : flags.out;
    if (!shard) checkTableExt(out, '--out');
    else if (existsSync(flags.out) && !statSync(flags.out).isDirectory())
      throw new UsageError(`${flags.out} is a file; with --shards, --out names the data set folder`, { flag: '--out' });
    const conditions = flags.condition.map((c) => parseCondition(c));
    ctx.claimOutput(out, { kind: 'file', flag: '--out', force: flags.force, inputs: inputsOf(flags, ['model', 'privacy-guard']) });
    const rows = flags.rows;
    const mine = shard ? Math.floor(((shard.shard + 1) * rows) / shard.shards) - Math.floor((shard.shard * rows) / shard.shards) : rows;
    const cellBytes = extname(out).toLowerCase() === '.csv' ? CSV_CELL_BYTES : PARQUET_CELL_BYTES;
    checkDisk({ flag: '--rows', what: `${mine} rows`, bytes: mine * 2 * cellBytes, out }); // at once: a book has 2+ columns
    const { CreditSynthesizer, defaultSampleWorkers, writeSampleStream } = await import('@fingan/credit-risk');
    await ctx.backend();
    const model = flags.model;
    const guardFile = flags['privacy-guard'];
    const s = await CreditSynthesizer.load(model, { privacyGuard: guardFile });
    const columns = s.schema.columns.length;
    checkDisk({ flag: '--rows', what: `${mine} rows of ${columns} columns`, bytes: mine * columns * cellBytes, out });
    const workers = flags.workers ?? defaultSampleWorkers(mine);
    const progress = ctx.log.progress('sampling', mine);
    const report = await writeSampleStream(s, out, {
      rows,
      ...(shard ?? {}),
      conditions,
      seed: ctx.seed,
      workers,
      modelDir: model,
      privacyGuardFile: guardFile,
      onChunk: (n) => progress.update(n),
    });
    progress.finish(`${report.rows} rows`);
    s.dispose();
    if (report.exactCopyGuard === 'off') ctx.log.info('the exact-copy guard is off (no --privacy-guard FILE): rows that copy a training row are not dropped');
    ctx.log.info(
      `wrote ${report.rows} rows to ${out} (${report.generated} generated; dropped ${report.ruleViolationsDropped} breaking a rule, ${report.exactCopiesDropped} copying a training row)`,
    );
    ctx.result({ command: 'credit sample', ...report, ...(shard ?? {}), workers, out });
  },
});

export const creditEvaluateCommand = defineCommand({
  path: ['credit', 'evaluate'],
  summary: 'fidelity, utility (TSTR vs TRTR) and privacy of a synthetic loan book: metrics.json and report.html',
  flags: {
    train: flag.string('the real rows the model was fitted on', 'FILE').required(),
    test: flag.string('real holdout rows the model never saw', 'FILE').required(),
    synthetic: flag.string('the synthetic rows', 'FILE').required(),
    target: flag.string('the default/bad flag column', 'COL').required(),
    out: flag.string('directory for metrics.json and report.html', 'DIR').required(),
    positive: flag.string("the target's bad value (default as in credit fit)", 'VALUE'),
    model: flag.string(
      'the model directory: adds its loss curves to the report and a scan of its files for training data to metrics.json (modelDirectory)',
      'MODEL_DIR',
    ),
    force: FORCE_FLAG,
  },
  examples: ['fingan credit evaluate --train train.csv --test test.csv --synthetic synthetic.csv --target Status --out eval'],
  async run(flags, ctx) {
    const out = flags.out;
    for (const f of ['train', 'test', 'synthetic'] as const) checkTableExt(flags[f], `--${f}`);
    checkInputs(inputsOf(flags, ['train', 'test', 'synthetic']));
    claimOut(ctx, flags, 'report-dir', inputsOf(flags, ['train', 'test', 'synthetic', 'model']), { files: ['metrics.json', 'report.html'] });
    const { scanModelDirectory } = await import('@fingan/gan-core');
    const { CreditSynthesizer, checkTargets, creditReportHtml, evaluateSynthetic, readLoanBook } = await import('@fingan/credit-risk');
    const train = readLoanBook(flags.train, { target: flags.target, positive: flags.positive });
    const schema = train.schema;
    const test = readLoanBook(flags.test, { schema });
    const synthetic = readLoanBook(flags.synthetic, { schema });
    let lossHistory;
    if (flags.model !== undefined) {
      await ctx.backend();
      lossHistory = (await CreditSynthesizer.load(flags.model)).lossHistory;
    }
    const evaluation = evaluateSynthetic({ train: train.table, test: test.table, synthetic: synthetic.table, schema, seed: ctx.seed });
    let modelDirectory: Record<string, number> | undefined;
    if (flags.model !== undefined) {
      const scan = scanModelDirectory(flags.model, { train: train.table, holdout: test.table });
      modelDirectory = { trainOnlyFoundRate: scan.trainOnlyFoundRate, holdoutOnlyFoundRate: scan.holdoutOnlyFoundRate, membershipAuc: scan.membershipAuc };
      ctx.log.info(
        `model directory: holds ${(100 * scan.trainOnlyFoundRate).toFixed(1)}% of the values seen only in training and ${(100 * scan.holdoutOnlyFoundRate).toFixed(1)}% of those seen only in the holdout; membership attack with it alone: ROC-AUC ${scan.membershipAuc.toFixed(3)}`,
      );
    }
    const metrics = modelDirectory ? { ...evaluation.metrics, modelDirectory } : evaluation.metrics;
    const html = creditReportHtml({
      evaluation,
      train: train.table,
      synthetic: synthetic.table,
      schema,
      lossHistory,
      subtitle: `${flags.synthetic} against ${flags.train} (holdout ${flags.test})`,
    });
    writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    writeFileAtomic(join(out, 'report.html'), html);
    for (const t of checkTargets(evaluation)) ctx.log.info(`${t.met ? 'met    ' : 'NOT MET'} ${t.measure}: ${Number(t.value.toFixed(4))} (target ${t.target})`);
    ctx.result({ command: 'credit evaluate', ...metrics, out });
  },
});

export const creditCommands: CommandSpec[] = [creditFitCommand, creditSampleCommand, creditEvaluateCommand];
