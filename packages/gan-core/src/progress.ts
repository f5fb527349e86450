/**
 * Progress for long work: a redrawn bar on a TTY, a plain log line every `logEvery` fraction otherwise (CI logs
 * and pipes), nothing when quiet.
 */
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
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : NaN;
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

export function createLogger(opts: { quiet?: boolean; sink?: ProgressSink } = {}): Logger {
  const sink = opts.sink ?? process.stderr;
  return {
    info: (msg) => {
      if (!opts.quiet) sink.write(msg + '\n');
    },
    progress: (label, total) => new Progress(label, total, { quiet: opts.quiet, sink }),
  };
}
