/** Checks and progress wiring that several commands share. */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError, trainingProgress as progressFromEvents, type TrainerEvent } from '@fingan/gan-core';
import { positive, positiveInt, type CommandContext, type FlagSpec, type FlagValues } from './framework.js';

/** Tables are read and written as CSV or Parquet, chosen by extension. */
export function checkTableExt(path: string, flag: string): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UsageError(`'${path}' must end in .csv or .parquet`, { flag });
}

/** An output directory may exist (its files are replaced) but must not be a file. */
export function checkOutDir(dir: string, flag = '--out'): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`'${dir}' exists and is not a directory`, { flag });
}

/**
 * A progress bar (TTY) or log lines for a training run: steps done of the total, a smoothed ETA, and a closing line
 * with the steps run and why training stopped; under --time-budget, a warning that the model is not reproducible.
 */
export function trainingProgress(ctx: CommandContext, label = 'training'): (e: TrainerEvent) => void {
  const show = progressFromEvents(ctx.log, label);
  return (e) => {
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
export function trainingFlags(defaultLength: string, unit = 'training rows'): FlagSpec[] {
  return [
    { name: 'epochs', type: 'int', description: `full passes over the ${unit} (default: ${defaultLength})`, check: positiveInt, placeholder: 'N' },
    { name: 'steps', type: 'int', description: 'generator steps, instead of --epochs', check: positiveInt, placeholder: 'N' },
    {
      name: 'time-budget',
      type: 'number',
      description: 'opt in: also stop training after this many seconds (the model then depends on machine speed and load, and is marked not reproducible)',
      check: positive,
      placeholder: 'SECONDS',
    },
  ];
}

/** The training length and opt-in time limit from trainingFlags' flags. */
export function trainingLength(flags: FlagValues): { epochs?: number; steps?: number; timeBudgetSeconds?: number } {
  const epochs = flags.epochs as number | undefined;
  const steps = flags.steps as number | undefined;
  if (epochs !== undefined && steps !== undefined) throw new UsageError('give --epochs or --steps, not both', { flag: '--steps' });
  return { epochs, steps, timeBudgetSeconds: flags['time-budget'] as number | undefined };
}
