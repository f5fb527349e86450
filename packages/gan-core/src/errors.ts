/**
 * Typed errors. Each carries what is at fault (file, column, flag) so the CLI can print one line and exit 2.
 * Anything that is not a FinganError is an internal error (exit 1).
 */
export interface FaultLocation {
  file?: string;
  column?: string;
  flag?: string;
  /** An API option (the library's name for it); the CLI maps options to its flags. */
  option?: string;
}

export class FinganError extends Error {
  readonly at: FaultLocation;
  constructor(message: string, at: FaultLocation = {}) {
    super(message);
    this.name = new.target.name;
    this.at = at;
  }
  /** One line for a user: the location first, then the message. */
  oneLine(): string {
    const where = [
      this.at.flag ? `flag ${this.at.flag}` : this.at.option ? `option '${this.at.option}'` : '',
      this.at.file ? `file ${this.at.file}` : '',
      this.at.column ? `column '${this.at.column}'` : '',
    ].filter(Boolean);
    const msg = this.message.replace(/\s*\n\s*/g, ' ');
    // Each part of the location the message does not already name (so a message naming the column still gets the
    // file in front of it).
    const missing = where.filter((w) => !msg.includes(w));
    return missing.length ? `${missing.join(', ')}: ${msg}` : msg;
  }
}

/** The user's data is unusable as given (missing column, wrong type, too few rows ...). */
export class InvalidDataError extends FinganError {}

/** A flag, option or config value is invalid. */
export class UsageError extends FinganError {}

/** A model directory is missing, truncated, edited or from another package. */
export class ModelFormatError extends FinganError {}

/** Training produced a NaN/Inf loss; the last good checkpoint (if any) is kept. */
export class DivergenceError extends FinganError {
  constructor(
    message: string,
    readonly step: number,
    readonly lastGoodCheckpoint?: string,
  ) {
    super(message);
  }
}

/** True for errors caused by user input (the CLI exits 2 for these). */
export function isUserError(e: unknown): e is FinganError {
  return e instanceof InvalidDataError || e instanceof UsageError || e instanceof ModelFormatError;
}
