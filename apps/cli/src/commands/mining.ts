/**
 * `fingan mining fit | sample | rules | evaluate | segments`: synthetic transaction baskets, and whether mining them finds the
 * real patterns. Flags and files are checked before any work; every output is written atomically.
 */
import { extname, join } from 'node:path';
import { UsageError, checkCount, checkDisk, checkMemory, writeFileAtomic } from '@fingan/gan-core/light';
import { MINING_DEFAULT_STEPS } from '@fingan/data-mining/constants';
import { z } from 'zod';
import { defineCommand, flag, positiveInt, type CommandSpec } from '../framework.js';
import {
  FORCE_FLAG,
  RESUME_FLAGS,
  checkInputs,
  checkTableExt,
  checkpointing,
  claimOut,
  inputsOf,
  trainingFlags,
  trainingLength,
  trainingProgress,
} from '../shared.js';

const COLUMN_FLAGS = {
  'transaction-column': flag.string('the transaction id column', 'COL').required(),
  'item-column': flag.string('the item column', 'COL').required(),
};
const fraction = z.number().gt(0, { message: 'must be a fraction in (0, 1]' }).max(1, { message: 'must be a fraction in (0, 1]' });
const cols = (f: { 'transaction-column': string; 'item-column': string }) => ({ transactionColumn: f['transaction-column'], itemColumn: f['item-column'] });

/** Distinct items `mining fit` accepts by default: 10,000 items made one step take 84 s and a 21 MB model. */
export const MAX_ITEMS = 2000;
/** Memory per sampled transaction and item: the generator's float32 outputs, noise and intermediate tensors. */
const ITEM_BYTES = 24;
/** Disk per sampled transaction, loosely (at least one long-form row: id and item; Parquet compressed). */
const CSV_ROW_BYTES = 12;
const PARQUET_ROW_BYTES = 4;

const fitCommand = defineCommand({
  path: ['mining', 'fit'],
  summary: 'fit a basket generator to long-form transactions (one row per transaction and item)',
  flags: {
    data: flag.string('transactions (.csv or .parquet)', 'FILE').required(),
    ...COLUMN_FLAGS,
    out: flag.string('model directory to write', 'MODEL_DIR').required(),
    ...trainingFlags(`${MINING_DEFAULT_STEPS} generator steps`, 'training baskets'),
    attribute: flag.string('a basket-level attribute column to condition on (e.g. a value band)', 'COL').repeatable(),
    'max-items': flag.int('most distinct items accepted (each generator step grows with the item count)', 'N').check(positiveInt).default(MAX_ITEMS),
    force: FORCE_FLAG,
    ...RESUME_FLAGS,
  },
  examples: ['fingan mining fit --data data/supermarket_baskets_long.csv --transaction-column tid --item-column item --out model/baskets'],
  async run(flags, ctx) {
    const data = flags.data;
    checkTableExt(data, '--data');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'model-dir', inputs);
    const { BasketEncoder, BasketGan, readTransactions } = await import('@fingan/data-mining');
    const table = readTransactions(data, cols(flags));
    const itemColumn = flags['item-column'];
    const items = new Set(table[itemColumn].filter((v) => v !== null).map((v) => String(v))).size;
    checkCount(items, flags['max-items'], { what: `file ${data}, column '${itemColumn}': distinct items`, flag: '--max-items' });
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'mining fit', data);
    // The Synthesizer contract, as every fit command uses it: schema/encoder, new Model(settings), fit, save.
    const encoder = BasketEncoder.fit(table, { ...cols(flags), attributeColumns: flags.attribute });
    const gan = new BasketGan(encoder, { seed: ctx.seed });
    await gan.fit(encoder.encode(table), { ...trainingLength(flags), onEvent: trainingProgress(ctx), ...ck.controls });
    await gan.save(flags.out);
    ck.done();
    ctx.log.info(`model written to ${flags.out} (${gan.encoder.nItems} items, ${gan.lossHistory.length} steps)`);
  },
});

const sampleCommand = defineCommand({
  path: ['mining', 'sample'],
  summary: 'draw synthetic transactions (long form: transaction id, item) from a basket model, streamed to the file',
  flags: {
    model: flag.string('model directory from `fingan mining fit`', 'MODEL_DIR').required(),
    transactions: flag.int('number of transactions', 'N').check(positiveInt).required(),
    out: flag.string('output table (.csv or .parquet)', 'FILE').required(),
    force: FORCE_FLAG,
  },
  async run(flags, ctx) {
    checkTableExt(flags.out, '--out');
    claimOut(ctx, flags, 'file', inputsOf(flags, ['model']));
    const n = flags.transactions;
    const out = flags.out;
    const rowBytes = extname(out).toLowerCase() === '.csv' ? CSV_ROW_BYTES : PARQUET_ROW_BYTES;
    checkDisk({ flag: '--transactions', what: `${n} transactions`, bytes: n * rowBytes, out }); // at once: at least one item each
    const { BasketGan, BASKET_BLOCK, writeTransactions } = await import('@fingan/data-mining');
    await ctx.backend();
    const gan = await BasketGan.load(flags.model);
    const items = gan.encoder.nItems;
    // One block of transactions is generated at a time; the rows are streamed to the file.
    checkMemory({
      flag: '--transactions',
      what: `a block of ${Math.min(n, BASKET_BLOCK)} transactions over ${items} items`,
      bytes: Math.min(n, BASKET_BLOCK) * (items + 1) * ITEM_BYTES,
    });
    writeTransactions(gan, out, n, ctx.seed);
    gan.dispose();
    ctx.log.info(`${n} transactions written to ${out}`);
  },
});

const rulesCommand = defineCommand({
  path: ['mining', 'rules'],
  summary: 'mine frequent itemsets (FP-growth) and association rules from transactions',
  flags: {
    data: flag.string('transactions (.csv or .parquet)', 'FILE').required(),
    ...COLUMN_FLAGS,
    'min-support': flag.number('minimum support, a fraction in (0, 1]', 'S').check(fraction).required(),
    'min-confidence': flag
      .number('minimum confidence in [0, 1]', 'C')
      .check(z.number().min(0, { message: 'must be in [0, 1]' }).max(1, { message: 'must be in [0, 1]' }))
      .required(),
    'max-length': flag.int('longest itemset (default: no limit)', 'N').check(positiveInt),
    out: flag.string('rules table (.csv or .parquet): antecedent, consequent, support, confidence, lift', 'FILE').required(),
    force: FORCE_FLAG,
  },
  async run(flags, ctx) {
    checkTableExt(flags.data, '--data');
    checkTableExt(flags.out, '--out');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'file', inputs);
    const { writeTable } = await import('@fingan/gan-core');
    const { mineRules, readTransactions } = await import('@fingan/data-mining');
    const table = readTransactions(flags.data, cols(flags));
    const rules = mineRules(table, cols(flags), {
      minSupport: flags['min-support'],
      minConfidence: flags['min-confidence'],
      maxLength: flags['max-length'],
    });
    writeTable(flags.out, {
      antecedent: rules.map((r) => r.antecedent),
      consequent: rules.map((r) => r.consequent),
      support: rules.map((r) => r.support),
      confidence: rules.map((r) => r.confidence),
      lift: rules.map((r) => r.lift),
    });
    ctx.log.info(`${rules.length} rules written to ${flags.out}`);
  },
});

const evaluateCommand = defineCommand({
  path: ['mining', 'evaluate'],
  summary: 'compare mining on real and synthetic transactions: itemsets, supports, rules, sizes, privacy',
  flags: {
    real: flag.string('real transactions (.csv or .parquet), ideally a holdout the model never saw', 'FILE').required(),
    synthetic: flag.string('synthetic transactions (.csv or .parquet)', 'FILE').required(),
    train: flag.string('the transactions the model was trained on (for the privacy checks)', 'FILE'),
    ...COLUMN_FLAGS,
    'min-support': flag.number('support threshold for both, a fraction in (0, 1]', 'S').check(fraction).required(),
    out: flag.string('directory for metrics.json and report.html', 'DIR').required(),
    force: FORCE_FLAG,
  },
  async run(flags, ctx) {
    for (const f of ['real', 'synthetic', 'train'] as const) {
      const file = flags[f];
      if (file !== undefined) checkTableExt(file, `--${f}`);
    }
    const out = flags.out;
    const { checkMinSupport, comparisonInput, miningReport, readTransactions } = await import('@fingan/data-mining');
    checkMinSupport(flags['min-support']);
    const inputs = inputsOf(flags, ['real', 'synthetic', 'train']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'report-dir', inputs, { files: ['metrics.json', 'report.html'] });
    const real = readTransactions(flags.real, cols(flags));
    const synthetic = readTransactions(flags.synthetic, cols(flags));
    const train = flags.train ? readTransactions(flags.train, cols(flags)) : undefined;
    const { input, itemNames } = comparisonInput(real, synthetic, cols(flags), { minSupport: flags['min-support'], seed: ctx.seed, train });
    const { html, metrics } = miningReport({
      ...input,
      itemNames,
      title: 'Mining fidelity: synthetic vs real transactions',
    });
    writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    writeFileAtomic(join(out, 'report.html'), html);
    ctx.log.info(`itemset precision ${metrics.itemsetPrecision.toFixed(3)}, recall ${metrics.itemsetRecall.toFixed(3)}; metrics and report in ${out}`);
  },
});

const kFlag = z.number().int().min(2, { message: 'must be an integer >= 2' });

const segmentsCommand = defineCommand({
  path: ['mining', 'segments'],
  summary: 'cluster baskets into segments (k-means on item profiles; k given, or chosen by silhouette over a range)',
  flags: {
    data: flag.string('transactions (.csv or .parquet)', 'FILE').required(),
    ...COLUMN_FLAGS,
    k: flag.int('number of segments (default: chosen over --k-min..--k-max)', 'N').check(kFlag),
    'k-min': flag.int('smallest k tried (default 2)', 'N').check(kFlag),
    'k-max': flag.int('largest k tried, capped at the number of baskets (default 8)', 'N').check(kFlag),
    out: flag.string("segments file (.json): k, silhouette by k, segment sizes and item profiles, each transaction's segment", 'FILE').required(),
    force: FORCE_FLAG,
  },
  options: { kRange: 'k-min' },
  examples: ['fingan mining segments --data data/supermarket_baskets_long.csv --transaction-column tid --item-column item --out segments.json'],
  async run(flags, ctx) {
    const { data, out, k } = flags;
    checkTableExt(data, '--data');
    if (extname(out).toLowerCase() !== '.json') throw new UsageError(`'${out}' must end in .json`, { flag: '--out' });
    const kMin = flags['k-min'];
    const kMax = flags['k-max'];
    if (k !== undefined && (kMin !== undefined || kMax !== undefined)) throw new UsageError('give --k or --k-min/--k-max, not both', { flag: '--k' });
    const lo = kMin ?? 2;
    const hi = kMax ?? Math.max(8, lo);
    if (hi < lo) throw new UsageError(`must be at least --k-min (${lo}), got ${hi}`, { flag: '--k-max' });
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'file', inputs);
    const { mineSegments, readTransactions } = await import('@fingan/data-mining');
    const table = readTransactions(data, cols(flags));
    const result = mineSegments(table, cols(flags), { seed: ctx.seed, k, kRange: [lo, hi] });
    writeFileAtomic(out, JSON.stringify(result, null, 2) + '\n');
    const how = result.criterion === 'fixed' ? 'given' : `chosen by silhouette over ${lo}..${Math.min(hi, result.nBaskets)}`;
    ctx.log.info(`${result.k} segments (${how}) of ${result.nBaskets} baskets written to ${out}`);
  },
});

export const miningCommands: CommandSpec[] = [fitCommand, sampleCommand, rulesCommand, evaluateCommand, segmentsCommand];
