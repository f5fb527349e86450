/** Checks and progress wiring that several commands share. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  UsageError,
  checkInputFile,
  checkMemory,
  formatBytes,
  makeDirs,
  offCleanup,
  onCleanup,
  trainingProgress as progressFromEvents,
  writeFileAtomic,
  type OutputClaim,
  type OutputInput,
} from '@fingan/gan-core/light';
import type { RunControls, TrainerEvent } from '@fingan/gan-core';
import { z } from 'zod';
import { flag, positive, positiveInt, type CommandContext, type Flag } from './framework.js';

/** Every command that writes takes --force; without it an existing output is refused. */
export const FORCE_FLAG = flag.boolean("replace an existing output (never an input; a running writer's lock is always respected)");

/** Fits write checkpoints while they run and can continue a killed run. */
export const RESUME_FLAGS = {
  resume: flag.boolean('continue a killed fit from its checkpoint (MODEL_DIR.checkpoint); same data and flags'),
  'checkpoint-every': flag.int('save a checkpoint every N generator steps', 'N').check(positiveInt).default(25),
};

/** Flags that do not change what a fit computes, so a resumed run may differ in them. */
const NOT_IN_FINGERPRINT = new Set(['resume', 'checkpoint-every', 'quiet', 'force', 'backend', 'help', 'time-budget']);

export interface Checkpointing {
  controls: Pick<RunControls, 'checkpoint' | 'resume'>;
  /** After a successful fit: the checkpoint is no longer needed. */
  done(): void;
}

/**
 * Checkpoints for a fit writing `out`: in `OUT.checkpoint` (beside the model directory, under the same lock), with
 * `run.json` holding the data file's SHA-256 and the flags, so `--resume` continues only the same run. Without
 * `--resume`, an old checkpoint is replaced (with a warning); with it, a missing or foreign checkpoint is exit 2.
 */
export function checkpointing(
  ctx: CommandContext,
  flags: { out: string; resume: boolean; 'checkpoint-every': number },
  command: string,
  dataFile: string,
): Checkpointing {
  const dir = `${resolve(flags.out)}.checkpoint`;
  const runFile = join(dir, 'run.json');
  const kept = Object.fromEntries(
    Object.entries(flags)
      .filter(([k]) => !NOT_IN_FINGERPRINT.has(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const data = createHash('sha256').update(readFileSync(dataFile)).digest('hex');
  const fingerprint = JSON.stringify({ command, data, flags: kept });
  const resume = flags.resume;
  if (resume) {
    if (!existsSync(join(dir, 'checkpoint.json')))
      throw new UsageError(`there is no checkpoint to resume in ${dir}; run without --resume`, { flag: '--resume' });
    const prev = existsSync(runFile) ? readFileSync(runFile, 'utf8') : '';
    if (prev !== fingerprint) {
      throw new UsageError(`the checkpoint in ${dir} is of a run with other data or flags; give the same ones, or run without --resume to start over`, {
        flag: '--resume',
      });
    }
  } else {
    if (existsSync(dir)) {
      ctx.log.info(`warning: replacing the checkpoint of an earlier, unfinished run in ${dir} (--resume would have continued it)`);
      rmSync(dir, { recursive: true, force: true });
    }
    makeDirs(dir);
    writeFileAtomic(runFile, fingerprint);
  }
  // A run that fails or is interrupted before its first checkpoint leaves nothing behind.
  const key = `checkpoint:${dir}`;
  onCleanup(key, () => {
    if (!existsSync(join(dir, 'checkpoint.json'))) rmSync(dir, { recursive: true, force: true });
  });
  return {
    controls: { checkpoint: { dir, every: flags['checkpoint-every'] }, resume },
    done: () => {
      offCleanup(key);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Memory a GAN fit takes per byte of its input file, measured: a 50 MB CSV (714k rows) grew to 5 GB before the
 * wasm backend ran out of memory.
 */
export const FIT_BYTES_PER_INPUT_BYTE = 100;

/**
 * `credit fit`'s memory per byte of CSV, measured since the large-book work (issue #10): a 59.5 MB, 1M-row book
 * peaked at 844-1,120 MiB in five runs (15-20 bytes per byte), see packages/credit-risk/README.md's Speed section.
 */
export const CREDIT_FIT_BYTES_PER_INPUT_BYTE = 20;

/** Refuse, before reading it, an input too large to fit in memory (naming the flag, the estimate and the limit). */
export function checkFitInputSize(file: string, flag: string, bytesPerByte = FIT_BYTES_PER_INPUT_BYTE): void {
  const size = statSync(file).size;
  checkMemory({
    flag,
    what: `fitting ${file} (${formatBytes(size)}; about ${bytesPerByte} times that in memory)`,
    bytes: size * bytesPerByte,
    advice: `fit on a sample of the rows given as ${flag}`,
  });
}

/** Tables are read and written as CSV or Parquet, chosen by extension. */
export function checkTableExt(path: string, flag: string): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UsageError(`'${path}' must end in .csv or .parquet`, { flag });
}

/** The input files named by these flags (those given), checked to exist and be readable, for claimOutput. */
export function inputsOf<F extends object>(flags: F, names: (keyof F & string)[]): OutputInput[] {
  const out: OutputInput[] = [];
  for (const name of names) {
    const v: unknown = flags[name];
    for (const path of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      if (typeof path === 'string') out.push({ path, flag: `--${name}` });
    }
  }
  return out;
}

/** Check that each input file exists and is readable: 'file PATH: file not found', the same words everywhere. */
export function checkInputs(inputs: OutputInput[]): void {
  for (const i of inputs) checkInputFile(i.path);
}

/**
 * Claim `--out` before any work: see gan-core claimOutput. `inputs` are the flags naming the command's input files or
 * directories (an output may never be one of them).
 */
export function claimOut(
  ctx: CommandContext,
  flags: { out: string; force: boolean },
  kind: 'file' | 'model-dir' | 'report-dir',
  inputs: OutputInput[],
  opts: { files?: string[] } = {},
): OutputClaim {
  return ctx.claimOutput(flags.out, { kind, flag: '--out', force: flags.force, inputs, files: opts.files });
}

/**
 * A progress bar (TTY) or log lines for a training run: steps done of the total, a smoothed ETA, and a closing line
 * with the steps run and why training stopped; under --time-budget, a warning that the model is not reproducible.
 */
export function trainingProgress(ctx: CommandContext, label = 'training'): (e: TrainerEvent) => void {
  const show = progressFromEvents(ctx.log, label);
  return (e) => {
    if (e.type === 'start' && e.resumed) ctx.log.info(`resuming from the checkpoint at step ${e.step}`);
    show(e);
    if (e.type === 'stop' && !e.reproducible) {
      ctx.log.info(
        `warning: --time-budget was set, so training ${e.reason === 'time-budget' ? 'stopped on the clock' : 'ran under a time limit'}: ` +
          'the same --seed may give another model on another machine or under another load; leave --time-budget out for a reproducible model',
      );
    }
  };
}

/**
 * The flags that say how long a fit trains, the same in every command: --epochs (full passes over the data),
 * --steps (generator steps) and the opt-in --time-budget. `defaultLength` says what a fit does without them.
 */
export function trainingFlags(defaultLength: string, unit = 'training rows') {
  return {
    epochs: flag.int(`full passes over the ${unit} (default: ${defaultLength})`, 'N').check(positiveInt),
    steps: flag.int('generator steps, instead of --epochs', 'N').check(positiveInt),
    'time-budget': flag
      .number(
        'opt in: also stop training after this many seconds (the model then depends on machine speed and load, and is marked not reproducible)',
        'SECONDS',
      )
      .check(positive),
  };
}

/**
 * Differential privacy, the same flags wherever a tabular GAN is fitted (credit fit, fraud augment --method gan):
 * --epsilon turns it on, --delta overrides the default delta. Checked values: a non-number or epsilon <= 0 is refused
 * here; a delta at or above 1/rows when the data is read (the fit names --delta).
 */
export const DP_FLAGS = {
  epsilon: flag
    .number(
      'fit with (epsilon, delta)-differential privacy: DP-SGD on the critic, noisy statistics for everything else (the model manifest states the guarantee)',
      'E',
    )
    .check(positive),
  delta: flag.number('with --epsilon: delta (default min(1e-5, 1/(10 rows)); must be below 1/rows)', 'D').check(positive),
};

/** `--bounds COL=LO:HI` (repeatable; either end may be left empty): declared bounds of numeric columns. */
export function boundsFlag(description: string): Flag<Record<string, { min?: number; max?: number }>> {
  const item = z.string().transform((text, ctx): [string, { min?: number; max?: number }] => {
    const m = /^([^=]+)=([^:]*):([^:]*)$/.exec(text);
    const end = (t: string) => (t.trim() === '' ? undefined : Number(t));
    const lo = m ? end(m[2]) : undefined;
    const hi = m ? end(m[3]) : undefined;
    if (!m || (lo === undefined && hi === undefined) || [lo, hi].some((v) => v !== undefined && !Number.isFinite(v))) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is not COL=LO:HI with LO and/or HI numbers`, params: { complete: true } });
      return z.NEVER;
    }
    return [m[1], { ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}) }];
  });
  const repeated = flag.string(description, 'COL=LO:HI').check(item).repeatable();
  return { info: repeated.info, schema: repeated.schema.transform((pairs) => Object.fromEntries(pairs)) };
}

/** `--categories COL=A|B|C` (repeatable): a categorical column's categories, declared. */
export function categoriesFlag(description: string): Flag<Record<string, string[]>> {
  const item = z.string().transform((text, ctx): [string, string[]] => {
    const eq = text.indexOf('=');
    const values = eq > 0 ? text.slice(eq + 1).split('|') : [];
    if (eq <= 0 || values.some((v) => v === '')) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is not COL=A|B|... with non-empty categories`, params: { complete: true } });
      return z.NEVER;
    }
    return [text.slice(0, eq), values];
  });
  const repeated = flag.string(description, 'COL=A|B|...').check(item).repeatable();
  return { info: repeated.info, schema: repeated.schema.transform((pairs) => Object.fromEntries(pairs)) };
}

/** epsilon/delta from DP_FLAGS' flags ({} without --epsilon); --delta alone is refused. */
export function dpOptions({ epsilon, delta }: { epsilon?: number; delta?: number }): { epsilon?: number; delta?: number } {
  if (delta !== undefined && epsilon === undefined) throw new UsageError('needs --epsilon (differential privacy is off without it)', { flag: '--delta' });
  return epsilon === undefined ? {} : { epsilon, ...(delta !== undefined ? { delta } : {}) };
}

/** The training length and opt-in time limit from trainingFlags' flags. */
export function trainingLength(flags: { epochs?: number; steps?: number; 'time-budget'?: number }): {
  epochs?: number;
  steps?: number;
  timeBudgetSeconds?: number;
} {
  const { epochs, steps } = flags;
  if (epochs !== undefined && steps !== undefined) throw new UsageError('give --epochs or --steps, not both', { flag: '--steps' });
  return { epochs, steps, timeBudgetSeconds: flags['time-budget'] };
}

/**
 * `--kind COL=KIND` (repeatable): a column -> kind map; `kinds` are the kinds this command knows. The one parser of
 * declared kinds for every command that takes them.
 */
export function kindFlag<K extends string>(kinds: readonly K[], description: string): Flag<Record<string, K>> {
  const pair = z.string().transform((item, ctx): [string, K] => {
    const eq = item.indexOf('=');
    const col = eq > 0 ? item.slice(0, eq) : '';
    const kind = kinds.find((k) => k === item.slice(eq + 1));
    if (!col || kind === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${item}' is not COL=KIND with KIND one of ${kinds.join(', ')}`, params: { complete: true } });
      return z.NEVER;
    }
    return [col, kind];
  });
  const repeated = flag.string(description, 'COL=KIND').check(pair).repeatable();
  return { info: repeated.info, schema: repeated.schema.transform((pairs) => Object.fromEntries(pairs)) };
}
