import { describe, expect, it } from 'vitest';
import { InvalidDataError, UsageError, isUserError, DivergenceError } from './errors.js';

describe('errors', () => {
  it('puts the location first in one line', () => {
    const e = new InvalidDataError('has 3 non-numeric values', { file: 'a.csv', column: 'Income' });
    expect(e.oneLine()).toBe("file a.csv, column 'Income': has 3 non-numeric values");
    expect(e.name).toBe('InvalidDataError');
  });
  it('adds the parts of the location the message lacks, so the file is named even when the message names the column', () => {
    const e = new InvalidDataError("unknown asset column 'volume' (columns: date, close)", { file: 'p.csv', column: 'volume' });
    expect(e.oneLine()).toBe("file p.csv: unknown asset column 'volume' (columns: date, close)");
    expect(new InvalidDataError('file p.csv: file not found', { file: 'p.csv' }).oneLine()).toBe('file p.csv: file not found');
  });
  it('folds multi-line messages into one line', () => {
    expect(new UsageError('bad\n value', { flag: '--rows' }).oneLine()).toBe('flag --rows: bad value');
    expect(new UsageError('must be positive', { option: 'paths' }).oneLine()).toBe("option 'paths': must be positive");
  });
  it('classifies user errors', () => {
    expect(isUserError(new UsageError('x'))).toBe(true);
    expect(isUserError(new DivergenceError('nan', 3))).toBe(false);
    expect(isUserError(new Error('x'))).toBe(false);
  });
});
