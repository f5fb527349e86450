/**
 * Progress for long work: a redrawn bar on a TTY, a plain log line every `logEvery` fraction otherwise (CI logs
 * and pipes), nothing when quiet. The ETA comes from a smoothed time per unit that ignores the first unit (set-up
 * time) and weighs one slow unit lightly, and is shown only once a few units have been timed.
 */
import type { TrainerEvent } from './training/trainer.js';
import { describeStop } from './training/schedule.js';

export interface ProgressSink {
  write(s: string): void;
  isTTY?: boolean;
}

export interface ProgressOptions {
  quiet?: boolean;
  sink?: ProgressSink;
  /** For non-TTY output: log at every this fraction of the total (default 0.1). */
  logEvery?: number;
  width?: number;
}

export class Progress {
  private readonly sink: ProgressSink;
  private readonly tty: boolean;
  private readonly t0 = Date.now();
  private lastLogged = -1;
  private lastDraw = 0;
  private done = false;
  /** Smoothed seconds per unit, the last (time, units) seen, and how many increments have been timed. */
  private rate: number | null = null;
  private last: { t: number; units: number } | null = null;
  private timed = 0;

  constructor(
    readonly label: string,
    readonly total: number,
    private readonly opts: ProgressOptions = {},
  ) {
    this.sink = opts.sink ?? process.stderr;
    this.tty = !!this.sink.isTTY;
  }

  /** Report that `current` of `total` units are done; `detail` is appended (e.g. losses). */
  update(current: number, detail = ''): void {
    if (this.opts.quiet || this.done) return;
    const frac = this.total > 0 ? Math.min(1, current / this.total) : 1;
    const eta = this.observe(current);
    const tail = `${current}/${this.total}${detail ? ' ' + detail : ''}${Number.isFinite(eta) && frac < 1 ? ` eta ${fmtSeconds(eta)}` : ''}`;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && frac < 1) return;
      this.lastDraw = now;
      const w = this.opts.width ?? 24;
      const filled = Math.round(frac * w);
      this.sink.write(`\r\x1b[2K${this.label} [${'#'.repeat(filled)}${'-'.repeat(w - filled)}] ${Math.round(frac * 100)}% ${tail}`);
    } else {
      const step = this.opts.logEvery ?? 0.1;
      const bucket = Math.floor(frac / step + 1e-9);
      if (bucket === this.lastLogged) return;
      this.lastLogged = bucket;
      this.sink.write(`${this.label}: ${Math.round(frac * 100)}% ${tail}\n`);
    }
  }

  /**
   * Record that `current` units are done now and return the ETA in seconds (NaN until three increments are timed).
   * The time per unit is an exponential average whose memory is max(10 units, 5% of the total), with each new
   * observation capped at 4x the average, so one slow unit moves it by a few percent rather than multiplying it.
   */
  private observe(current: number): number {
    const now = Date.now();
    if (!this.last || current < this.last.units) {
      this.last = { t: now, units: current };
      return NaN;
    }
    const du = current - this.last.units;
    if (du > 0) {
      const r = (now - this.last.t) / 1000 / du;
      const memory = Math.max(10, 0.05 * this.total);
      // An outlier (a step that waited for a busy machine) counts as at most 4x the current rate: a lasting slow-down
      // still shows within a few dozen steps, but one stall does not multiply the ETA.
      this.rate = this.rate === null ? r : this.rate + (1 - Math.exp(-du / memory)) * (Math.min(r, 4 * this.rate) - this.rate);
      this.last = { t: now, units: current };
      this.timed++;
    }
    return this.rate !== null && this.timed >= 3 ? this.rate * Math.max(0, this.total - current) : NaN;
  }

  /** Finish the bar with a closing message. */
  finish(message = 'done'): void {
    if (this.opts.quiet || this.done) return;
    this.done = true;
    const t = fmtSeconds((Date.now() - this.t0) / 1000);
    this.sink.write(this.tty ? `\r\x1b[2K${this.label}: ${message} (${t})\n` : `${this.label}: ${message} (${t})\n`);
  }
}

export function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

/** A logger that respects quiet mode; messages go to stderr so stdout stays clean for data. */
export interface Logger {
  info(msg: string): void;
  progress(label: string, total: number): Progress;
}

/**
 * Progress for a training run from the trainer's events: steps done of the total with the losses, a smoothed ETA,
 * and a closing line that says how many steps ran and why training stopped (and, under an opt-in time limit, that
 * the model is not reproducible from its seed).
 */
export function trainingProgress(log: Logger, label = 'training', opts: { losses?: boolean } = {}): (e: TrainerEvent) => void {
  let bar: Progress | null = null;
  return (e) => {
    if (e.type === 'start') bar = log.progress(label, e.totalSteps);
    else if (e.type === 'step')
      bar?.update(e.step, opts.losses === false ? '' : `critic ${e.losses.critic.toFixed(3)} generator ${e.losses.generator.toFixed(3)}`);
    else if (e.type === 'stop') bar?.finish(describeStop(e));
  };
}

export function createLogger(opts: { quiet?: boolean; sink?: ProgressSink } = {}): Logger {
  const sink = opts.sink ?? process.stderr;
  return {
    info: (msg) => {
      if (!opts.quiet) sink.write(msg + '\n');
    },
    progress: (label, total) => new Progress(label, total, { quiet: opts.quiet, sink }),
  };
}
