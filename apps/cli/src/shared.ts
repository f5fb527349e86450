/** Checks and progress wiring that several commands share. */
import { extname } from 'node:path';
import { UsageError, checkInputFile, type Progress, type TrainerEvent, type OutputClaim, type OutputInput } from '@fingan/gan-core';
import type { CommandContext, FlagSpec, FlagValues } from './framework.js';

/** Every command that writes takes --force; without it an existing output is refused. */
export const FORCE_FLAG: FlagSpec = {
  name: 'force',
  type: 'boolean',
  description: 'replace an existing output (never an input; a running writer\'s lock is always respected)',
  default: false,
};

/** Tables are read and written as CSV or Parquet, chosen by extension. */
export function checkTableExt(path: string, flag: string): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UsageError(`'${path}' must end in .csv or .parquet`, { flag });
}

/** The input files named by these flags (those given), checked to exist and be readable, for claimOutput. */
export function inputsOf(flags: FlagValues, names: string[]): OutputInput[] {
  const out: OutputInput[] = [];
  for (const name of names) {
    const v = flags[name];
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
 * Claim `flags.out` (or another flag) before any work: see gan-core claimOutput. `inputs` are the flags naming the
 * command's input files or directories (an output may never be one of them).
 */
export function claimOut(
  ctx: CommandContext,
  flags: FlagValues,
  kind: 'file' | 'model-dir' | 'report-dir',
  inputs: OutputInput[],
  opts: { flag?: string; files?: string[] } = {},
): OutputClaim {
  const flag = opts.flag ?? '--out';
  return ctx.claimOutput(flags[flag.slice(2)] as string, { kind, flag, force: flags.force === true, inputs, files: opts.files });
}

/** A progress bar (TTY) or log lines for a training run, and a warning when the time budget cut it short. */
export function trainingProgress(ctx: CommandContext, label = 'training'): (e: TrainerEvent) => void {
  let bar: Progress | null = null;
  return (e) => {
    if (e.type === 'start') bar = ctx.log.progress(label, e.totalSteps);
    else if (e.type === 'step') bar?.update(e.step, `critic ${e.losses.critic.toFixed(3)} generator ${e.losses.generator.toFixed(3)}`);
    else if (e.type === 'stop') {
      bar?.finish(e.reason);
      if (e.reason === 'time-budget') ctx.log.info(`warning: training hit its time budget after ${e.step} steps (raise --time-budget for a run that depends only on --seed)`);
    }
  };
}
