import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-market-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first `n` days of the bundled S&P 500 file: date, open, close. */
function sp500(name: string, n: number, edit?: (rows: string[][]) => void): string {
  const lines = readFileSync(new URL('../../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  const pick = ['date', 'open', 'close'].map((c) => header.indexOf(c));
  const rows = lines.slice(1, n + 1).map((l) => {
    const f = l.split(',');
    return pick.map((i) => f[i]);
  });
  edit?.(rows);
  const path = join(dir, name);
  writeFileSync(path, ['date,open,close', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return path;
}

const good = sp500('good.csv', 300);

describe('fingan market fit', () => {
  test('fits a two-asset model directory with a short schedule', async () => {
    const out = join(dir, 'model');
    const r = await run(['market', 'fit', '--data', good, '--date-column', 'date', '--columns', 'open,close', '--out', out, '--epochs', '1', '--seed', '4']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ package: '@fingan/market-timeseries', kind: 'recurrent-gan', seed: 4 });
    const state = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8'));
    expect(state.assets).toEqual(['open', 'close']);
    // 300 prices -> 299 returns; steps 20..298 have features (they need 20 earlier returns): 279 steps,
    // 279 - 32 + 1 = 248 windows of 32; one pass over them in batches of 128 is 2 generator steps.
    expect(state.training).toMatchObject({ windows: 248, steps: 2, plannedSteps: 2, stoppedBy: 'completed', reproducible: true });
    expect(manifest.training).toEqual({ steps: 2, plannedSteps: 2, stoppedBy: 'completed', reproducible: true });
    // The same seed again: the same bytes in every file.
    const again = join(dir, 'model-again');
    expect(
      (await run(['market', 'fit', '--data', good, '--date-column', 'date', '--columns', 'open,close', '--out', again, '--epochs', '1', '--seed', '4'])).code,
    ).toBe(0);
    for (const f of ['manifest.json', 'model.json', 'weights.bin', 'state.json'])
      expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), f).toBe(true);
  });

  const bad: [string, () => string[], RegExp][] = [
    ['unknown column', () => ['--data', good, '--columns', 'open,volume'], /unknown asset column 'volume'/],
    ['duplicate column', () => ['--data', good, '--columns', 'close,close'], /column 'close'.*listed twice/],
    ['empty column name', () => ['--data', good, '--columns', 'close,'], /flag --columns: expects a comma-separated list/],
    [
      'non-positive price',
      () => ['--data', sp500('zero.csv', 300, (r) => (r[10][2] = '0')), '--columns', 'open,close'],
      /column 'close'.*price on 2000-01-18 is not positive: 0/,
    ],
    ['negative price', () => ['--data', sp500('neg.csv', 300, (r) => (r[3][1] = '-5')), '--columns', 'open,close'], /column 'open'.*not positive: -5/],
    [
      'non-numeric price',
      () => ['--data', sp500('text.csv', 300, (r) => (r[5][1] = 'n/a')), '--columns', 'open,close'],
      /column 'open'.*is not a number: "n\/a"/,
    ],
    [
      'unsorted dates',
      () => ['--data', sp500('unsorted.csv', 300, (r) => ([r[7], r[8]] = [r[8], r[7]])), '--columns', 'close'],
      /column 'date'.*dates are not sorted/,
    ],
    ['duplicate dates', () => ['--data', sp500('dup.csv', 300, (r) => (r[9][0] = r[8][0])), '--columns', 'close'], /column 'date'.*duplicate date 2000-01-13/],
    ['fewer rows than one training window', () => ['--data', sp500('short.csv', 40), '--columns', 'close'], /column 'close'.*needs at least 54 prices/],
    ['missing file', () => ['--data', join(dir, 'nope.csv'), '--columns', 'close'], /^fingan: error: file .*nope\.csv: file not found\n$/],
    ['unknown date column', () => ['--data', good, '--columns', 'close', '--date-column', 'day'], /no date column 'day'/],
    ['non-positive epochs', () => ['--data', good, '--columns', 'close', '--epochs', '0'], /flag --epochs: must be a positive integer/],
    ['fractional epochs', () => ['--data', good, '--columns', 'close', '--epochs', '0.2'], /flag --epochs: expects an integer, got '0.2'/],
    [
      'both epochs and steps',
      () => ['--data', good, '--columns', 'close', '--epochs', '1', '--steps', '3'],
      /flag --steps: give --epochs or --steps, not both/,
    ],
  ];
  test.each(bad)('%s: exit 2, one line naming the cause, nothing written', async (_name, args, message) => {
    const out = join(dir, `bad-${_name.replace(/\W+/g, '-')}`);
    const argv = ['market', 'fit', '--date-column', 'date', '--out', out, ...args()];
    // A later --date-column wins only once; drop the default when the case sets its own.
    const dateFlags = argv.filter((a) => a === '--date-column').length;
    if (dateFlags > 1) argv.splice(argv.indexOf('--date-column'), 2);
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fingan: error: /);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
