import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  BATCH_CANDIDATES,
  ModelFormatError,
  TabularSynthesizer,
  blockParts,
  conditionMatches,
  sampleBlock,
  type BlockPart,
  type BlockSource,
  UsageError,
  checkDpArgs,
  coarseBounds,
  DP_HISTOGRAM_BIN,
  type DpRecord,
  parseCondition,
  runControls,
  type Cell,
  type ColumnKind,
  type Condition,
  type LossRecord,
  type Table,
  type TabularSynthesizerArgs,
  type FitOptions,
  type Synthesizer,
  type SynthesizerClass,
  type TrainingRecord,
  type TrainResult,
} from '@fingan/gan-core';
import { DEFAULT_STEPS } from '../constants.js';
import { PrivacyGuard, rareCategoryWarnings } from './privacy-guard.js';
import type { Rule } from '../schema/rules.js';
import { applyBounds, inferLoanBookSchema, isNumericKind, loanBookSchema, pickPositive, ruleMask, type LoanBookSchema } from '../schema/schema.js';
import { creditColumnSpecs } from '../encoder.js';

export const PACKAGE_NAME = '@fingan/credit-risk';
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
export const MODEL_KIND = 'credit-synthesizer';

/** The generator's hyperparameters that a user may change (everything else is the domain layer's business). */
export type CreditModelArgs = Pick<
  TabularSynthesizerArgs,
  | 'noiseDim'
  | 'generatorDims'
  | 'criticDims'
  | 'pac'
  | 'batchSize'
  | 'nCritic'
  | 'gpWeight'
  | 'generatorOptimizer'
  | 'criticOptimizer'
  | 'tau'
  | 'rareBoost'
  | 'calibrate'
>;

export interface CreditSynthesizerOptions {
  /** A full schema; when absent it is inferred from the table at fit (then `target` is required). */
  schema?: LoanBookSchema;
  target?: string;
  /** The bad value of the target (inferred: 'bad', 'yes', ... or the rarer class). */
  positive?: Cell;
  /** Column kinds overriding what the cells suggest (e.g. readTable's). */
  kinds?: Record<string, ColumnKind>;
  /** Business rules added to the inferred ones. */
  rules?: Rule[];
  /** Full passes over the book (give this or `steps`); default: DEFAULT_STEPS generator steps. */
  epochs?: number;
  /** Generator steps (give this or `epochs`). */
  steps?: number;
  /**
   * Opt-in wall-clock limit in seconds (default: none). Training then stops on the clock, so the model depends on
   * the machine's speed and load: it is recorded as not reproducible.
   */
  timeBudgetSeconds?: number;
  seed?: number;
  model?: CreditModelArgs;
  /**
   * Differential privacy: the fit is (epsilon, delta)-DP for the rows of the book (DP-SGD on the critic, noisy
   * statistics for everything else; see the README's "Differential privacy"). Off by default.
   */
  epsilon?: number;
  /** With `epsilon`: delta (default min(1e-5, 1 / (10 rows)); must be below 1 / rows). */
  delta?: number;
  /**
   * Declared bounds of numeric columns (public knowledge, e.g. a product's limits), used instead of the observed range.
   * Under differential privacy they are the only bounds not cut from the noisy histograms.
   */
  bounds?: Record<string, { min?: number; max?: number }>;
  /**
   * With `epsilon`: each listed categorical column's categories as public knowledge. They are released without the
   * noisy-count threshold, so a category held by a few rows is kept (its count is still noised); a value of the book
   * outside the list is counted as the list's first category.
   */
  categories?: Record<string, Cell[]>;
}

/**
 * gan-core's FitOptions: `epochs`/`steps` (overriding the constructor's for this fit), the opt-in
 * `timeBudgetSeconds` (see CreditSynthesizerOptions), progress events, checkpoints and resume.
 */
export interface CreditFitOptions extends FitOptions {
  /** The file the table came from, named in errors. */
  file?: string;
}

export interface CreditSampleOptions {
  /** `COL=VALUE` / `COL>=NUMBER` strings or parsed conditions; every returned row meets all of them. */
  conditions?: (Condition | string)[];
  seed?: number;
  /**
   * Drop synthetic rows that equal a training row on every column (default true). Needs the guard: it is there after
   * `fit`, and after `load` only when a guard file is given (`load(dir, { privacyGuard: FILE })`); without it the
   * exact-copy guard is off and the report says so.
   */
  privacyGuard?: boolean;
  /** Give up after generating this many candidates per requested row (default 50). */
  maxTriesPerRow?: number;
}

export interface SampleReport {
  rows: number;
  /** Candidates generated in all (before rules, conditions and the privacy guard). */
  generated: number;
  /** Candidates dropped for breaking a business rule. */
  ruleViolationsDropped: number;
  /** Candidates dropped by the privacy guard for copying a training row. */
  exactCopiesDropped: number;
  /** Whether the exact-copy guard ran ('off': disabled, or no privacy guard file was given to a loaded model). */
  exactCopyGuard: 'on' | 'off';
}

export interface CreditLoadOptions {
  /** A privacy guard file written for this model (`writePrivacyGuard`); turns the exact-copy guard on. */
  privacyGuard?: string;
}

export { DEFAULT_STEPS } from '../constants.js';

/**
 * What the credit model adds to state.json: the loan-book schema and a random model id that ties the directory to its
 * privacy guard file. No training row and no fingerprint of one: the guard's hashes live in the separate guard file.
 */
const extraSchema = z.object({
  schema: loanBookSchema,
  modelId: z.string().regex(/^[0-9a-f]{32}$/),
});

/**
 * A synthesizer of loan books in the SDV style: `fit(table)`, `sample(n, {conditions, seed})`, `save(dir)`,
 * `CreditSynthesizer.load(dir)`. The generator is gan-core's conditional tabular GAN with the target as its anchor
 * (so P(features | good/bad) is learned directly); around it this class keeps the loan-book schema and enforces
 * it on every sampled row: numeric bounds by clipping, business rules by rejection, conditions by rejection after
 * steering, and the privacy guard by rejecting exact copies of training rows.
 */
export class CreditSynthesizer implements Synthesizer<Table, Table, CreditSampleOptions, CreditFitOptions> {
  private model: TabularSynthesizer | null = null;
  private fitted: LoanBookSchema | null = null;
  private guard: PrivacyGuard | null = null;
  private modelId: string | null = null;

  constructor(readonly options: CreditSynthesizerOptions = {}) {
    if (!options.schema && !options.target) throw new UsageError('CreditSynthesizer needs a target column (or a full schema)', { option: 'target' });
    if (options.schema) this.fitted = loanBookSchema.parse(options.schema);
    if (options.epsilon !== undefined && (typeof options.epsilon !== 'number' || !(options.epsilon > 0) || !Number.isFinite(options.epsilon))) {
      throw new UsageError(`epsilon must be a positive number, got ${String(options.epsilon)}`, { option: 'epsilon' });
    }
    if (options.delta !== undefined && options.epsilon === undefined) throw new UsageError('delta is given without epsilon', { option: 'delta' });
    if (options.delta !== undefined && (typeof options.delta !== 'number' || !(options.delta > 0 && options.delta < 1))) {
      throw new UsageError(`delta must be a number in (0, 1), got ${String(options.delta)}`, { option: 'delta' });
    }
  }

  /** A differentially private fit's guarantee (epsilon, delta, noise, sampling, steps, budget split); null otherwise. */
  get dpRecord(): DpRecord | null {
    return this.model?.dpRecord ?? null;
  }

  /** The loan-book schema (after fit or load, or as given). */
  get schema(): LoanBookSchema {
    if (!this.fitted) throw new UsageError('the synthesizer has no schema yet; call fit() or load()');
    return this.fitted;
  }

  get isFitted(): boolean {
    return this.model !== null;
  }

  get lossHistory(): readonly LossRecord[] {
    return this.model?.lossHistory ?? [];
  }

  /** How the last fit went (steps, why it stopped, whether it is reproducible from the seed); null before a fit. */
  get trainingRecord(): TrainingRecord | null {
    return this.model?.trainingRecord ?? null;
  }

  /**
   * Check the book, infer its schema (unless given) and train the generator. The rows are read only before training
   * starts: from the `start` event on (opts.onEvent), the caller may empty the table (a large book's cells are
   * hundreds of MiB of JS heap, which V8 lets grow by a multiple while the training steps make garbage).
   */
  async fit(table: Table, opts: CreditFitOptions = {}): Promise<TrainResult & { schema: LoanBookSchema; privacyWarnings: string[] }> {
    const o = this.options;
    const dp = o.epsilon !== undefined ? { epsilon: o.epsilon, delta: o.delta } : undefined;
    if (dp) checkDpArgs(dp, Object.values(table)[0]?.length ?? 0);
    let schema =
      o.schema ??
      inferLoanBookSchema(table, {
        target: o.target!,
        positive: o.positive,
        kinds: o.kinds,
        rules: o.rules,
        bounds: o.bounds,
        file: opts.file,
        privateValues: dp !== undefined,
      });
    const declared = declaredCategories(o.categories, schema, table, dp !== undefined);
    const columns = creditColumnSpecs(schema);
    // The target's two classes are part of the declared schema (public), so they need no noisy-count threshold.
    const classes = [...new Map(table[schema.target].map((v) => [`${typeof v}:${String(v)}`, v])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v);
    const model = new TabularSynthesizer({
      ...o.model,
      columns,
      sampleConditionColumn: schema.target,
      seed: o.seed ?? 0,
      ...(dp ? { dp: { ...dp, publicCategories: { ...declared, [schema.target]: classes } } } : {}),
    });
    const length = opts.epochs !== undefined || opts.steps !== undefined ? opts : o;
    // Everything that reads the rows runs before training starts (the guard's hashes now, its id from the trained
    // weights later; the rare-category warnings; the encoding inside model.fit), so that a caller may empty a large
    // table at the 'start' event instead of holding its cells through training (see fit's documentation).
    // Under DP there is no exact-copy guard: it reads the training rows at sample time, outside the guarantee.
    const guardRows = dp
      ? null
      : PrivacyGuard.hashRows(
          table,
          schema.columns.map((c) => c.name),
        );
    const privacyWarnings = rareCategoryWarnings(
      table,
      schema.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
    );
    const res = await model.fit(table, {
      ...(length.epochs !== undefined || length.steps !== undefined ? { epochs: length.epochs, steps: length.steps } : { steps: DEFAULT_STEPS }),
      ...runControls(opts),
      timeBudgetSeconds: opts.timeBudgetSeconds ?? o.timeBudgetSeconds,
    });
    if (dp) schema = privateSchema(schema, model, o.schema === undefined && o.positive === undefined);
    this.model?.dispose();
    this.model = model;
    this.fitted = schema;
    // Derived from the trained weights, not drawn at random: the same fit must write the same model files.
    this.modelId = model.weightsDigest().slice(0, 32);
    this.guard = guardRows?.forModel(this.modelId) ?? null;
    return { ...res, schema, privacyWarnings };
  }

  /** n synthetic rows that satisfy the schema's bounds and rules and every condition. */
  sample(n: number, opts: CreditSampleOptions = {}): Table {
    return this.sampleWithReport(n, opts).table;
  }

  /** `sample`, plus how many candidates each check dropped. The rows are the first n of the seed's stream (see sampleBlockPart). */
  sampleWithReport(n: number, opts: CreditSampleOptions = {}): { table: Table; report: SampleReport } {
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`the number of rows must be a positive integer, got ${n}`, { option: 'rows' });
    const sampler = this.blockSampler(opts);
    const parts = blockParts(0, n).map((p) => sampler.part(p));
    const names = this.schema.columns.map((c) => c.name);
    const table: Table = Object.fromEntries(names.map((c) => [c, parts.length === 1 ? parts[0][c] : parts.flatMap((p) => p[c])]));
    return { table, report: sampler.report };
  }

  /**
   * The seed's rows as deterministic blocks (gan-core synth/blocks.ts): `part(p)` makes rows `p.skip .. p.skip +
   * p.take` of block `p.block`, bounded and clipped to the schema, meeting every rule and condition, without exact
   * copies of training rows (when the guard is on); `report` tallies every part made so far. Block b depends only on
   * the model, the options and b, so any chunking, any number of workers and any sharding give the same rows.
   */
  blockSampler(opts: CreditSampleOptions = {}): { part: (p: Pick<BlockPart, 'block' | 'skip' | 'take'>) => Table; report: SampleReport } {
    const model = this.model;
    if (!model) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    const schema = this.schema;
    const given = (opts.conditions ?? []).map((c) => (typeof c === 'string' ? parseCondition(c) : c));
    const conditions = model.normaliseConditions(given);
    const guard = opts.privacyGuard !== false ? this.guard : null;
    const report: SampleReport = { rows: 0, generated: 0, ruleViolationsDropped: 0, exactCopiesDropped: 0, exactCopyGuard: guard ? 'on' : 'off' };
    const seed = opts.seed ?? 0;
    const maxTries = opts.maxTriesPerRow ?? 50;
    let ok: Uint8Array = new Uint8Array(0);
    let conditionMisses = 0;
    const source: BlockSource = {
      columns: schema.columns.map((c) => c.name),
      candidates: (n, rng) => {
        const batch = applyBounds(model.candidates(n, rng, conditions), schema);
        ok = ruleMask(batch, schema.rules);
        return batch;
      },
      accept: (batch, i) => {
        if (!conditions.every((c) => conditionMatches(batch[c.column][i], c))) {
          conditionMisses++;
          return false;
        }
        if (!ok[i]) {
          report.ruleViolationsDropped++;
          return false;
        }
        if (guard?.isTrainingRow(batch, i)) {
          report.exactCopiesDropped++;
          return false;
        }
        return true;
      },
    };
    const part = (p: Pick<BlockPart, 'block' | 'skip' | 'take'>): Table => {
      const need = p.skip + p.take;
      const r = sampleBlock(source, seed, p, Math.max(BATCH_CANDIDATES, maxTries * need));
      report.generated += r.generated;
      if (!r.complete) {
        throw new UsageError(
          `after ${r.generated} candidates only ${r.accepted} of ${need} rows met the rules and conditions ` +
            `(${conditionMisses} missed a condition, ${report.ruleViolationsDropped} broke a rule, ${report.exactCopiesDropped} copied a training row); relax the rules or conditions`,
          { option: given.length ? 'conditions' : undefined },
        );
      }
      report.rows += p.take;
      return r.table;
    };
    return { part, report };
  }

  /**
   * Write a model directory (atomically); only CreditSynthesizer.load reads it back. It holds no training row and no
   * fingerprint of one (see the README's "What a model directory holds"), so it can be shared; the exact-copy guard's
   * reference goes to a separate file with `writePrivacyGuard`.
   */
  async save(dir: string): Promise<void> {
    if (!this.model || !this.modelId) throw new UsageError('the synthesizer is not fitted yet; nothing to save');
    await this.model.save(dir, {
      package: PACKAGE_NAME,
      packageVersion: PACKAGE_VERSION,
      kind: MODEL_KIND,
      extra: { schema: this.schema, modelId: this.modelId },
    });
  }

  /**
   * Write the privacy guard file (keyed hashes of the training rows, for the exact-copy guard). It reveals whether a
   * given row was in the training data: keep it with the data, never with the model directory.
   */
  writePrivacyGuard(file: string): void {
    if (this.dpRecord) {
      throw new UsageError(
        'a differentially private model has no exact-copy guard (it would read the training rows at sample time, outside the guarantee); drop --privacy-guard',
        { option: 'privacyGuard' },
      );
    }
    if (!this.guard)
      throw new UsageError('the synthesizer has no privacy guard: only a fit (or a load with a guard file) makes one', { option: 'privacyGuard' });
    this.guard.write(file);
  }

  /** The categories the generator can output, by categorical or boolean column (for the output's column types). */
  categories(): Record<string, Cell[]> {
    if (!this.model) throw new UsageError('the synthesizer is not fitted yet; call fit() or load()');
    return Object.fromEntries(this.model.tableEncoder.layout.filter((l) => l.categories).map((l) => [l.name, l.categories!]));
  }

  /** Whether sampling can run the exact-copy guard (after fit, or load with a guard file). */
  get hasPrivacyGuard(): boolean {
    return this.guard !== null;
  }

  /**
   * Read a directory written by `save`; another package's model or a damaged directory is a ModelFormatError. With
   * `privacyGuard`, the guard file is read too; one from another model is a UsageError naming --privacy-guard.
   */
  static async load(dir: string, opts: CreditLoadOptions = {}): Promise<CreditSynthesizer> {
    const { model, extra } = await TabularSynthesizer.load(dir, { package: PACKAGE_NAME, kind: MODEL_KIND });
    if (extra && typeof extra === 'object' && 'trainingRows' in extra) {
      model.dispose();
      throw new ModelFormatError(
        `${dir} was saved by an older fingan and holds a fingerprint of every training row, so it is not safe to share; delete it and fit again (credit fit --privacy-guard FILE keeps the exact-copy guard in a separate file)`,
        { file: dir },
      );
    }
    const parsed = extraSchema.safeParse(extra);
    if (!parsed.success) {
      model.dispose();
      const i = parsed.error.issues[0];
      throw new ModelFormatError(`${dir}: state.json lacks a valid loan-book schema and model id (${i.path.join('.')}: ${i.message})`, { file: dir });
    }
    const s = new CreditSynthesizer({ schema: parsed.data.schema });
    s.model = model;
    s.modelId = parsed.data.modelId;
    if (opts.privacyGuard !== undefined) {
      const guard = PrivacyGuard.read(opts.privacyGuard);
      try {
        guard.checkFor(
          s.modelId,
          s.schema.columns.map((c) => c.name),
          'privacyGuard',
          opts.privacyGuard,
        );
      } catch (e) {
        s.dispose();
        throw e;
      }
      s.guard = guard;
    }
    return s;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

/**
 * The schema of a DP fit, completed from the model's released (noisy) histograms only: undeclared numeric bounds
 * from the outermost released bins (coarsened), and the bad class, when not given, by name or as the class with the
 * smaller noisy count.
 */
/**
 * The declared categories (`categories`), checked against the schema: only with differential privacy, only for
 * categorical columns other than the target. A value typed as text is matched to a numeric column's numbers (the
 * column's type is public, like its kind).
 */
function declaredCategories(categories: Record<string, Cell[]> | undefined, schema: LoanBookSchema, table: Table, dp: boolean): Record<string, Cell[]> {
  if (!categories || Object.keys(categories).length === 0) return {};
  if (!dp) throw new UsageError('declared categories are public knowledge for a differentially private fit; they need epsilon', { option: 'categories' });
  const out: Record<string, Cell[]> = {};
  for (const [name, values] of Object.entries(categories)) {
    const col = schema.columns.find((c) => c.name === name);
    if (!col)
      throw new UsageError(`no column '${name}' in the book (columns: ${schema.columns.map((c) => c.name).join(', ')})`, {
        option: 'categories',
        column: name,
      });
    if (col.kind !== 'categorical' || name === schema.target) {
      throw new UsageError(`column '${name}' is ${name === schema.target ? 'the target' : col.kind}: categories can be declared for categorical columns`, {
        option: 'categories',
        column: name,
      });
    }
    if (values.length === 0 || new Set(values.map(String)).size !== values.length)
      throw new UsageError(`column '${name}': give each category once`, { option: 'categories', column: name });
    const numeric = table[name].some((v) => typeof v === 'number');
    out[name] = values.map((v) => (numeric && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
  }
  return out;
}

function privateSchema(schema: LoanBookSchema, model: TabularSynthesizer, choosePositive: boolean): LoanBookSchema {
  const released = model.releasedStatistics ?? [];
  const columns = schema.columns.map((c) => {
    const r = released.find((x) => x.name === c.name);
    if (!isNumericKind(c.kind) || !r?.bins || (c.min !== undefined && c.max !== undefined)) return c;
    const lo = Math.sinh(r.bins[0].lo);
    const hi = Math.sinh(r.bins[r.bins.length - 1].lo + DP_HISTOGRAM_BIN);
    const [cmin, cmax] = coarseBounds(c.kind === 'integer' ? Math.floor(lo) : lo, c.kind === 'integer' ? Math.ceil(hi) : hi);
    return { ...c, min: c.min ?? cmin, max: c.max ?? cmax };
  });
  let positive = schema.positive;
  const target = released.find((x) => x.name === schema.target);
  if (choosePositive && target?.categories && target.categories.length === 2) {
    positive =
      pickPositive(
        target.categories.map((x) => x.value),
        target.categories.map((x) => x.count),
      ) ?? positive;
  }
  return loanBookSchema.parse({ ...schema, columns, positive });
}

/** The static side of the contract: `CreditSynthesizer.load(dir)` (checked by the compiler). */
export const creditSynthesizerClass: SynthesizerClass<CreditSynthesizer> = CreditSynthesizer;
