/**
 * `fingan mining fit | sample | rules | evaluate | segments`: synthetic transaction baskets, and whether mining them finds the
 * real patterns. Flags and files are checked before any work; every output is written atomically.
 */
import { extname, join } from 'node:path';
import { UsageError, checkCount, checkDisk, checkMemory, writeFileAtomic } from '@fingan/gan-core/light';
import { MINING_DEFAULT_STEPS } from '@fingan/data-mining/constants';
import { z } from 'zod';
import { positiveInt, type CommandSpec, type FlagSpec } from '../framework.js';
import { FORCE_FLAG, RESUME_FLAGS, checkInputs, checkTableExt, checkpointing, claimOut, inputsOf, trainingFlags, trainingLength, trainingProgress } from '../shared.js';

const COLUMN_FLAGS: FlagSpec[] = [
  { name: 'transaction-column', type: 'string', description: 'the transaction id column', required: true, placeholder: 'COL' },
  { name: 'item-column', type: 'string', description: 'the item column', required: true, placeholder: 'COL' },
];
const fraction = z.number().gt(0, { message: 'must be a fraction in (0, 1]' }).max(1, { message: 'must be a fraction in (0, 1]' });
const cols = (f: Record<string, unknown>) => ({ transactionColumn: f['transaction-column'] as string, itemColumn: f['item-column'] as string });

/** Distinct items `mining fit` accepts by default: 10,000 items made one step take 84 s and a 21 MB model. */
export const MAX_ITEMS = 2000;
/** Memory per sampled transaction and item: the generator's float32 outputs, noise and intermediate tensors. */
const ITEM_BYTES = 24;
/** Disk per sampled transaction, loosely (at least one long-form row: id and item; Parquet compressed). */
const CSV_ROW_BYTES = 12;
const PARQUET_ROW_BYTES = 4;

const fitCommand: CommandSpec = {
  path: ['mining', 'fit'],
  summary: 'fit a basket generator to long-form transactions (one row per transaction and item)',
  flags: [
    { name: 'data', type: 'string', description: 'transactions (.csv or .parquet)', required: true, placeholder: 'FILE' },
    ...COLUMN_FLAGS,
    { name: 'out', type: 'string', description: 'model directory to write', required: true, placeholder: 'MODEL_DIR' },
    ...trainingFlags(`${MINING_DEFAULT_STEPS} generator steps`, 'training baskets'),
    { name: 'attribute', type: 'string', repeatable: true, description: 'a basket-level attribute column to condition on (e.g. a value band)', placeholder: 'COL' },
    { name: 'max-items', type: 'int', description: 'most distinct items accepted (each generator step grows with the item count)', default: MAX_ITEMS, check: positiveInt, placeholder: 'N' },
    FORCE_FLAG,
    ...RESUME_FLAGS,
  ],
  examples: ['fingan mining fit --data data/supermarket_baskets_long.csv --transaction-column tid --item-column item --out model/baskets'],
  async run(flags, ctx) {
    const data = flags.data as string;
    checkTableExt(data, '--data');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'model-dir', inputs);
    const { fitBasketModel, readTransactions } = await import('@fingan/data-mining');
    const table = readTransactions(data, cols(flags));
    const itemColumn = flags['item-column'] as string;
    const items = new Set(table[itemColumn].filter((v) => v !== null).map((v) => String(v))).size;
    checkCount(items, flags['max-items'] as number, { what: `file ${data}, column '${itemColumn}': distinct items`, flag: '--max-items' });
    await ctx.backend();
    const ck = checkpointing(ctx, flags, 'mining fit', data);
    const gan = await fitBasketModel(
      table,
      { ...cols(flags), attributeColumns: flags.attribute as string[] },
      { seed: ctx.seed, ...trainingLength(flags), onEvent: trainingProgress(ctx), ...ck.controls },
    );
    await gan.save(flags.out as string);
    ck.done();
    ctx.log.info(`model written to ${flags.out as string} (${gan.encoder.nItems} items, ${gan.lossHistory.length} steps)`);
  },
};

const sampleCommand: CommandSpec = {
  path: ['mining', 'sample'],
  summary: 'draw synthetic transactions (long form: transaction id, item) from a basket model, streamed to the file',
  flags: [
    { name: 'model', type: 'string', description: 'model directory from `fingan mining fit`', required: true, placeholder: 'MODEL_DIR' },
    { name: 'transactions', type: 'int', description: 'number of transactions', required: true, check: positiveInt, placeholder: 'N' },
    { name: 'out', type: 'string', description: 'output table (.csv or .parquet)', required: true, placeholder: 'FILE' },
    FORCE_FLAG,
  ],
  async run(flags, ctx) {
    checkTableExt(flags.out as string, '--out');
    claimOut(ctx, flags, 'file', inputsOf(flags, ['model']));
    const n = flags.transactions as number;
    const out = flags.out as string;
    const rowBytes = extname(out).toLowerCase() === '.csv' ? CSV_ROW_BYTES : PARQUET_ROW_BYTES;
    checkDisk({ flag: '--transactions', what: `${n} transactions`, bytes: n * rowBytes, out }); // at once: at least one item each
    const { BasketGan, BASKET_BLOCK, writeTransactions } = await import('@fingan/data-mining');
    await ctx.backend();
    const gan = await BasketGan.load(flags.model as string);
    const items = gan.encoder.nItems;
    // One block of transactions is generated at a time; the rows are streamed to the file.
    checkMemory({ flag: '--transactions', what: `a block of ${Math.min(n, BASKET_BLOCK)} transactions over ${items} items`, bytes: Math.min(n, BASKET_BLOCK) * (items + 1) * ITEM_BYTES });
    writeTransactions(gan, out, n, ctx.seed);
    gan.dispose();
    ctx.log.info(`${flags.transactions as number} transactions written to ${flags.out as string}`);
  },
};

const rulesCommand: CommandSpec = {
  path: ['mining', 'rules'],
  summary: 'mine frequent itemsets (FP-growth) and association rules from transactions',
  flags: [
    { name: 'data', type: 'string', description: 'transactions (.csv or .parquet)', required: true, placeholder: 'FILE' },
    ...COLUMN_FLAGS,
    { name: 'min-support', type: 'number', description: 'minimum support, a fraction in (0, 1]', required: true, check: fraction, placeholder: 'S' },
    { name: 'min-confidence', type: 'number', description: 'minimum confidence in [0, 1]', required: true, check: z.number().min(0, { message: 'must be in [0, 1]' }).max(1, { message: 'must be in [0, 1]' }), placeholder: 'C' },
    { name: 'max-length', type: 'int', description: 'longest itemset (default: no limit)', check: positiveInt, placeholder: 'N' },
    { name: 'out', type: 'string', description: 'rules table (.csv or .parquet): antecedent, consequent, support, confidence, lift', required: true, placeholder: 'FILE' },
    FORCE_FLAG,
  ],
  async run(flags, ctx) {
    checkTableExt(flags.data as string, '--data');
    checkTableExt(flags.out as string, '--out');
    const inputs = inputsOf(flags, ['data']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'file', inputs);
    const { writeTable } = await import('@fingan/gan-core');
    const { mineRules, readTransactions } = await import('@fingan/data-mining');
    const table = readTransactions(flags.data as string, cols(flags));
    const rules = mineRules(table, cols(flags), {
      minSupport: flags['min-support'] as number,
      minConfidence: flags['min-confidence'] as number,
      maxLength: flags['max-length'] as number | undefined,
    });
    writeTable(flags.out as string, {
      antecedent: rules.map((r) => r.antecedent),
      consequent: rules.map((r) => r.consequent),
      support: rules.map((r) => r.support),
      confidence: rules.map((r) => r.confidence),
      lift: rules.map((r) => r.lift),
    });
    ctx.log.info(`${rules.length} rules written to ${flags.out as string}`);
  },
};

const evaluateCommand: CommandSpec = {
  path: ['mining', 'evaluate'],
  summary: 'compare mining on real and synthetic transactions: itemsets, supports, rules, sizes, privacy',
  flags: [
    { name: 'real', type: 'string', description: 'real transactions (.csv or .parquet), ideally a holdout the model never saw', required: true, placeholder: 'FILE' },
    { name: 'synthetic', type: 'string', description: 'synthetic transactions (.csv or .parquet)', required: true, placeholder: 'FILE' },
    { name: 'train', type: 'string', description: 'the transactions the model was trained on (for the privacy checks)', placeholder: 'FILE' },
    ...COLUMN_FLAGS,
    { name: 'min-support', type: 'number', description: 'support threshold for both, a fraction in (0, 1]', required: true, check: fraction, placeholder: 'S' },
    { name: 'out', type: 'string', description: 'directory for metrics.json and report.html', required: true, placeholder: 'DIR' },
    FORCE_FLAG,
  ],
  async run(flags, ctx) {
    for (const f of ['real', 'synthetic', 'train']) if (flags[f] !== undefined) checkTableExt(flags[f] as string, `--${f}`);
    const out = flags.out as string;
    const { checkMinSupport, comparisonInput, miningReport, readTransactions } = await import('@fingan/data-mining');
    checkMinSupport(flags['min-support'] as number);
    const inputs = inputsOf(flags, ['real', 'synthetic', 'train']);
    checkInputs(inputs);
    claimOut(ctx, flags, 'report-dir', inputs, { files: ['metrics.json', 'report.html'] });
    const real = readTransactions(flags.real as string, cols(flags));
    const synthetic = readTransactions(flags.synthetic as string, cols(flags));
    const train = flags.train ? readTransactions(flags.train as string, cols(flags)) : undefined;
    const { input, itemNames } = comparisonInput(real, synthetic, cols(flags), { minSupport: flags['min-support'] as number, seed: ctx.seed, train });
    const { html, metrics } = miningReport({
      ...input,
      itemNames,
      title: 'Mining fidelity: synthetic vs real transactions',
    });
    writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    writeFileAtomic(join(out, 'report.html'), html);
    ctx.log.info(`itemset precision ${metrics.itemsetPrecision.toFixed(3)}, recall ${metrics.itemsetRecall.toFixed(3)}; metrics and report in ${out}`);
  },
};

const kFlag = z.number().int().min(2, { message: 'must be an integer >= 2' });

const segmentsCommand: CommandSpec = {
  path: ['mining', 'segments'],
  summary: 'cluster baskets into segments (k-means on item profiles; k given, or chosen by silhouette over a range)',
  flags: [
    { name: 'data', type: 'string', description: 'transactions (.csv or .parquet)', required: true, placeholder: 'FILE' },
    ...COLUMN_FLAGS,
    { name: 'k', type: 'int', description: 'number of segments (default: chosen over --k-min..--k-max)', check: kFlag, placeholder: 'N' },
    { name: 'k-min', type: 'int', description: 'smallest k tried (default 2)', check: kFlag, placeholder: 'N' },
    { name: 'k-max', type: 'int', description: 'largest k tried, capped at the number of baskets (default 8)', check: kFlag, placeholder: 'N' },
    { name: 'out', type: 'string', description: 'segments file (.json): k, silhouette by k, segment sizes and item profiles, each transaction\'s segment', required: true, placeholder: 'FILE' },
    FORCE_FLAG,
  ],
  examples: ['fingan mining segments --data data/supermarket_baskets_long.csv --transaction-column tid --item-column item --out segments.json'],
  async run(flags, ctx) {
    const data = flags.data as string;
    const out = flags.out as string;
    checkTableExt(data, '--data');
    if (extname(out).toLowerCase() !== '.json') throw new UsageError(`'${out}' must end in .json`, { flag: '--out' });
    const k = flags.k as number | undefined;
    const kMin = flags['k-min'] as number | undefined;
    const kMax = flags['k-max'] as number | undefined;
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
};

export const miningCommands: CommandSpec[] = [fitCommand, sampleCommand, rulesCommand, evaluateCommand, segmentsCommand];
