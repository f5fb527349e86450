/** Checks and progress wiring that several commands share. */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError, type Progress, type TrainerEvent } from '@fingan/gan-core';
import type { CommandContext } from './framework.js';

/** Tables are read and written as CSV or Parquet, chosen by extension. */
export function checkTableExt(path: string, flag: string): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UsageError(`'${path}' must end in .csv or .parquet`, { flag });
}

/** An output directory may exist (its files are replaced) but must not be a file. */
export function checkOutDir(dir: string, flag = '--out'): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`'${dir}' exists and is not a directory`, { flag });
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
