import { describe, expect, it } from 'vitest';
import { UsageError } from '@fingan/gan-core/light';
import { z } from 'zod';
import { defineCommand, flag, flagForOption, nameFlag, parseFlags, positive } from './framework.js';
import { kindFlag } from './shared.js';

const flags = {
  rows: flag
    .int('rows', 'N')
    .check(z.number().int().positive({ message: 'must be a positive integer' }))
    .required(),
  epsilon: flag.number('epsilon', 'E').check(positive),
  format: flag
    .string('format')
    .check(z.enum(['csv', 'parquet'], { message: 'must be csv or parquet' }))
    .default('csv'),
  'min-support': flag.number('support'),
  'time-budget': flag.number('seconds'),
  kind: kindFlag(['numeric', 'categorical'] as const, 'kinds'),
  force: flag.boolean('force'),
};
const cmd = defineCommand({ path: ['toy'], summary: 'toy', flags, run: async () => {} });

function error(argv: string[]): string {
  try {
    parseFlags(argv, flags, 'fingan toy');
  } catch (e) {
    if (e instanceof UsageError) return e.oneLine();
    throw e;
  }
  throw new Error('parsed');
}

describe('flags declared once', () => {
  it('parses text into typed values, with defaults, and maps --kind to a column -> kind record', () => {
    const v = parseFlags(['--rows', '3', '--kind', 'a=numeric', '--kind=b=categorical', '--force', '--format', 'parquet'], flags, 'fingan toy')!;
    expect(v).toMatchObject({ rows: 3, format: 'parquet', kind: { a: 'numeric', b: 'categorical' }, force: true, seed: 0, quiet: false });
    expect(v.epsilon).toBeUndefined();
    const d = parseFlags(['--rows=1'], flags, 'fingan toy')!;
    expect(d).toMatchObject({ format: 'csv', kind: {}, force: false });
  });

  it('names the flag and the text given, the first mistake in the order typed', () => {
    expect(error(['--rows', '1', '--epsilon', '0'])).toBe("flag --epsilon: must be positive (got '0')");
    expect(error(['--epsilon', 'x', '--rows', '0'])).toBe("flag --epsilon: expects a number, got 'x'");
    expect(error(['--rows', '0', '--nope'])).toBe("flag --rows: must be a positive integer (got '0')");
    expect(error(['--nope', '--rows', '0'])).toBe("flag --nope: unknown flag for 'fingan toy' (see fingan toy --help)");
    expect(error(['--rows', '1', '--kind', 'a=money'])).toBe("flag --kind: 'a=money' is not COL=KIND with KIND one of numeric, categorical");
    expect(error(['--format', 'xml'])).toBe("flag --format: must be csv or parquet (got 'xml')");
    expect(error(['--epsilon', '1'])).toBe("flag --rows: missing required flag for 'fingan toy'");
  });

  it('answers --help without the required flags, but not past a bad value', () => {
    expect(parseFlags(['--help'], flags, 'fingan toy')).toBeNull();
    expect(error(['--epsilon', '-1', '--help'])).toBe("flag --epsilon: must be positive (got '-1')");
  });

  it('names the flag that gives a library option', () => {
    expect(flagForOption(cmd, 'minSupport')).toBe('--min-support');
    expect(flagForOption(cmd, 'timeBudgetSeconds')).toBe('--time-budget');
    expect(flagForOption(cmd, 'gan.epsilon')).toBe('--epsilon');
    expect(flagForOption(cmd, 'seed')).toBe('--seed');
    expect(flagForOption(cmd, 'chunkSize')).toBeUndefined();
    const e = new UsageError('minSupport must be a fraction in (0, 1], got 2', { option: 'minSupport' });
    nameFlag(e, cmd);
    expect(e.oneLine()).toBe('flag --min-support: minSupport must be a fraction in (0, 1], got 2');
    const other = new UsageError('chunkSize must be positive', { option: 'chunkSize' });
    nameFlag(other, cmd);
    expect(other.oneLine()).toBe("option 'chunkSize': chunkSize must be positive");
    const legacy = new UsageError('count must be >= 1', { flag: 'count' });
    nameFlag(legacy, cmd);
    expect(legacy.oneLine()).toBe("option 'count': count must be >= 1");
  });
});
