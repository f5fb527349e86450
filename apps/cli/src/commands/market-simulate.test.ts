import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readTable, saveModelDir, tf } from '@fingan/gan-core';
import { fitRecurrentGan, readPricesCsv } from '@fingan/market-timeseries';
import { runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-market-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Days [from, to) of the bundled S&P 500 file as date,open,close (or other column names). */
function sp500(name: string, from: number, to: number, names = ['open', 'close']): string {
  const lines = readFileSync(new URL('../../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  const pick = ['date', 'open', 'close'].map((c) => header.indexOf(c));
  const rows = lines.slice(1 + from, 1 + to).map((l) => pick.map((i) => l.split(',')[i]).join(','));
  const path = join(dir, name);
  writeFileSync(path, [['date', ...names].join(','), ...rows].join('\n') + '\n');
  return path;
}

const train = sp500('train.csv', 0, 300);
const later = sp500('later.csv', 300, 700);
const modelDir = join(dir, 'model');
const otherDir = join(dir, 'other-package');

beforeAll(async () => {
  // A tiny model fitted through the library (the fit command itself is tested in market-fit.test.ts).
  const m = await fitRecurrentGan(readPricesCsv(train, { assets: ['open', 'close'] }), {
    window: 16,
    units: 8,
    hidden: 8,
    criticFilters: 8,
    batchSize: 16,
    steps: 3,
    calibrationPaths: 16,
    seed: 1,
  });
  await m.save(modelDir);
  m.dispose();
  const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  await saveModelDir(otherDir, {
    package: '@fingan/fraud-detection',
    packageVersion: '0.1.0',
    kind: 'tabular-synthesizer',
    networks: { generator: net },
    state: {},
    seed: 0,
    trainingConfig: {},
    training: { steps: 0, plannedSteps: 0, stoppedBy: 'completed', reproducible: true },
    lossHistory: [],
  });
});

describe('fingan market simulate', () => {
  test('writes long-format CSV from the given start prices, the same for the same seed', async () => {
    const out = join(dir, 'paths.csv');
    const start = ['--start-prices', '1255,1261.89'];
    const r = await run(['market', 'simulate', '--model', modelDir, '--paths', '5', '--horizon', '40', '--out', out, '--seed', '3', ...start]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('path,step,asset,price');
    expect(lines).toHaveLength(1 + 5 * 40 * 2);
    expect(lines[1]).toMatch(/^0,1,open,\d/);
    expect(lines[2]).toMatch(/^0,1,close,\d/);
    expect(lines.at(-1)).toMatch(/^4,40,close,\d/);
    // Step 1 is one day from the start close 1261.89 (the last training close, S&P 500 2001-03-08): within 10 %.
    const first = Number(lines[2].split(',')[3]);
    expect(Math.abs(first / 1261.89 - 1)).toBeLessThan(0.1);
    const again = join(dir, 'again.csv');
    expect((await run(['market', 'simulate', '--model', modelDir, '--paths', '5', '--horizon', '40', '--out', again, '--seed', '3', ...start])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  test('writes Parquet, takes --start-prices, and starts from a --history file', async () => {
    const out = join(dir, 'paths.parquet');
    expect((await run(['market', 'simulate', '--model', modelDir, '--paths', '2', '--horizon', '3', '--out', out, '--start-prices', '10,20'])).code).toBe(0);
    const { table } = readTable(out);
    expect(table.price).toHaveLength(12);
    expect(Math.abs((table.price[1] as number) / 20 - 1)).toBeLessThan(0.1);
    const fromHistory = join(dir, 'from-history.csv');
    const r = await run(['market', 'simulate', '--model', modelDir, '--paths', '2', '--horizon', '3', '--out', fromHistory, '--history', later]);
    expect(r.err).toBe('');
    // The last close of the history file (row 700, 2002-10-10) is 852.33.
    const close = Number(readFileSync(fromHistory, 'utf8').split('\n')[2].split(',')[3]);
    expect(Math.abs(close / 852.33 - 1)).toBeLessThan(0.15);
  });

  const bad: [string, string[], RegExp][] = [
    ['zero horizon', ['--horizon', '0'], /flag --horizon: must be a positive integer/],
    ['negative horizon', ['--horizon', '-5'], /flag --horizon: must be a positive integer/],
    ['zero paths', ['--paths', '0'], /flag --paths: must be a positive integer/],
    [
      'no start prices (the model stores none)',
      [],
      /flag --start-prices: the model stores no training prices \(a model directory holds no training data\); give --start-prices or --history/,
    ],
    ['too few start prices', ['--start-prices', '100'], /flag --start-prices: expected 2 start prices \(one per asset: open, close\), got 1/],
    ['too many start prices', ['--start-prices', '1,2,3'], /flag --start-prices: expected 2 start prices/],
    ['non-numeric start price', ['--start-prices', '1,abc'], /flag --start-prices: 'abc' is not a number/],
    ['non-positive start price', ['--start-prices', '1,-2'], /flag --start-prices: start price of close must be a positive number, got -2/],
    ['bad output extension', ['--out', join(dir, 'paths.txt')], /flag --out: .*unknown file extension '.txt'/],
    ['model of another package', ['--model', otherDir], /holds a tabular-synthesizer model from @fingan\/fraud-detection/],
    ['missing model directory', ['--model', join(dir, 'nothing')], /does not exist/],
    ['unknown start state', ['--start-prices', '1,2', '--start-state', 'panic'], /flag --start-state: expects calm, normal or stressed, got 'panic'/],
    ['non-positive start volatility', ['--start-prices', '1,2', '--start-vol', '0.01,-1'], /flag --start-vol: volatilities must be positive/],
    [
      'start volatilities of the wrong count',
      ['--start-prices', '1,2', '--start-vol', '0.01,0.02,0.03'],
      /flag --start-vol: expects one volatility or one per asset \(2\), got 3/,
    ],
    [
      'both start state and volatility',
      ['--start-prices', '1,2', '--start-state', 'calm', '--start-vol', '0.01'],
      /flag --start-vol: give one of --start-state and --start-vol/,
    ],
    ['start date without history', ['--start-prices', '1,2', '--start-date', '2001-01-02'], /flag --start-date: needs --history/],
    [
      'start date before the history',
      ['--history', later, '--start-date', '1990-01-01'],
      /flag --start-date: .* has no prices before 1990-01-01 to start from/,
    ],
  ];
  test.each(bad)('%s: exit 2, one line, nothing written', async (_name, args, message) => {
    const out = join(dir, `bad-${_name.replace(/\W+/g, '-')}.csv`);
    const base: Record<string, string> = { '--model': modelDir, '--paths': '3', '--horizon': '5', '--out': out };
    for (let i = 0; i < args.length; i += 2) base[args[i]] = args[i + 1];
    const r = await run(['market', 'simulate', ...Object.entries(base).flat()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fingan: error: /);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(base['--out'])).toBe(false);
  });

  test('stress scenarios: a stressed start gives a wider fan than a calm one; --start-date starts from that day', async () => {
    // Standard deviation over 300 paths of the 5-day log price change of 'close'.
    const fan = async (...start: string[]) => {
      const out = join(dir, `fan-${start.join('-')}.csv`);
      const r = await run([
        'market',
        'simulate',
        '--model',
        modelDir,
        '--paths',
        '300',
        '--horizon',
        '5',
        '--out',
        out,
        '--start-prices',
        '100,100',
        '--seed',
        '2',
        ...start,
      ]);
      expect(r.err).toBe('');
      const last = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => /,5,close,/.test(l))
        .map((l) => Math.log(Number(l.split(',')[3]) / 100));
      expect(last).toHaveLength(300);
      const m = last.reduce((a, b) => a + b, 0) / last.length;
      return Math.sqrt(last.reduce((a, b) => a + (b - m) ** 2, 0) / last.length);
    };
    const calm = await fan('--start-state', 'calm');
    const stressed = await fan('--start-state', 'stressed');
    expect(stressed).toBeGreaterThan(1.5 * calm);
    // A given daily volatility of 5% dwarfs both.
    expect(await fan('--start-vol', '0.05')).toBeGreaterThan(stressed);
    // From a day inside the history: its close (row 400 of the S&P file, 2001-10-09: 1056.75) is the start price.
    const out = join(dir, 'from-date.csv');
    const day = readFileSync(later, 'utf8').split('\n')[101].split(',');
    const r = await run([
      'market',
      'simulate',
      '--model',
      modelDir,
      '--paths',
      '2',
      '--horizon',
      '3',
      '--out',
      out,
      '--history',
      later,
      '--start-date',
      day[0],
    ]);
    expect(r.err).toBe('');
    const close = Number(readFileSync(out, 'utf8').split('\n')[2].split(',')[3]);
    expect(Math.abs(close / Number(day[2]) - 1)).toBeLessThan(0.15);
  });

  test("a model trained on other assets: history columns must be the model's", async () => {
    const other = sp500('other-assets.csv', 300, 400, ['AA', 'close']);
    const out = join(dir, 'other.csv');
    const r = await run(['market', 'simulate', '--model', modelDir, '--paths', '2', '--horizon', '3', '--out', out, '--history', other]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fingan: error: model .* was trained on assets open, close; the data has AA, close \(no column 'open'\)\n$/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('fingan market evaluate', () => {
  let synthetic = '';
  beforeAll(async () => {
    synthetic = join(dir, 'gan.csv');
    await run([
      'market',
      'simulate',
      '--model',
      modelDir,
      '--paths',
      '20',
      '--horizon',
      '80',
      '--out',
      synthetic,
      '--seed',
      '1',
      '--start-prices',
      '1255,1261.89',
    ]);
  });

  test('out of sample: models fitted on the fit period, judged on the later one, with verdicts and VaR backtests', async () => {
    const out = join(dir, 'eval');
    const both = sp500('both.csv', 0, 460);
    const fitEnd = readFileSync(train, 'utf8').trim().split('\n').at(-1)!.split(',')[0];
    const r = await run([
      'market',
      'evaluate',
      '--real',
      both,
      '--date-column',
      'date',
      '--fit-period',
      `..${fitEnd}`,
      '--model',
      `gan=${modelDir}`,
      '--synthetic',
      `file=${synthetic}`,
      '--paths',
      '20',
      '--backtest-paths',
      '200',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.models)).toEqual(['real', 'gan', 'file', 'garch-normal', 'garch', 'gbm']);
    for (const name of ['gan', 'file', 'garch-normal', 'garch', 'gbm']) {
      for (const key of ['wasserstein', 'excessKurtosis', 'acfAbsMae', 'acfMae', 'leverageMae', 'discriminativeScore', 'predictiveScore']) {
        expect(Number.isFinite(metrics.models[name][key]), `${name}.${key}`).toBe(true);
      }
    }
    // 460 rows: the fit period's 299 returns end on the last training day, the evaluation has the next 160.
    expect(metrics.periods.fit).toMatchObject({ to: fitEnd, returns: 299 });
    expect(metrics.periods.evaluation.returns).toBe(160);
    expect(metrics.real).toMatchObject({ assets: ['open', 'close'], returns: 160 });
    expect(metrics.verdicts.map((v: { fact: string }) => v.fact)).toContain('heavy tails');
    expect(Object.keys(metrics.verdicts[0].models)).toEqual(['gan', 'file', 'garch-normal', 'garch', 'gbm']);
    // The relative targets compare with the plain GARCH(1,1); GARCH(1,1)-t is shown beside it.
    const clustering = metrics.verdicts.find((v: { fact: string }) => v.fact === 'volatility clustering');
    expect(clustering.target).toBe("ACF(|r|) error at least 10% below garch-normal's (garch's shown beside it)");
    expect(clustering.models['garch-normal'].pass).toBeNull();
    expect(clustering.models.gan.pass).toBe(metrics.models.gan.acfAbsMae <= 0.9 * metrics.models['garch-normal'].acfAbsMae);
    expect(clustering.models.gan.stronger).toEqual({
      model: 'garch',
      value: metrics.models.garch.acfAbsMae,
      pass: metrics.models.gan.acfAbsMae <= 0.9 * metrics.models.garch.acfAbsMae,
    });
    // Backtests for every model the command can simulate itself (not for a paths file): 2 assets x 2 levels each.
    expect(metrics.backtests.map((b: { model: string }) => b.model)).toEqual(['gan', 'garch-normal', 'garch', 'gbm']);
    for (const b of metrics.backtests) {
      expect(b.days).toBe(160);
      expect(b.rows).toHaveLength(4);
      for (const row of b.rows) expect(row.coverage.kupiecP).toBeGreaterThanOrEqual(0);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<td[^>]*>acfAbsMae<\/td>/);
    expect(html).toContain(`Fit period: 2000-01-04 to ${fitEnd}`);
    expect(html).toContain('<h2>Risk backtests (one day ahead)</h2>');
    expect(html).toContain('realised (evaluation period)');
    // Every asset is charted: fans for both assets of each simulated model.
    expect(html).toContain('open: gan (20 paths)');
    expect(html).toContain('close: gbm (20 paths)');
    expect(html).toContain('close: garch-normal (20 paths)');
  });

  test('without a fit period the baselines are left out (they would be in-sample)', async () => {
    const out = join(dir, 'eval-no-fit');
    const r = await run(['market', 'evaluate', '--real', later, '--date-column', 'date', '--synthetic', synthetic, '--out', out]);
    expect(r.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.models)).toEqual(['real', 'gan']);
    expect(metrics.backtests).toEqual([]);
  });

  test.each([
    [
      "real file without the paths' assets",
      () => ['--real', sp500('no-open.csv', 300, 700, ['AA', 'close'])],
      /column 'open'.*unknown asset column 'open'|unknown asset column 'open'/,
    ],
    [
      'malformed paths file',
      () => ['--synthetic', (writeFileSync(join(dir, 'bad-paths.csv'), 'path,step,asset\n0,1,open\n'), join(dir, 'bad-paths.csv'))],
      /no 'price' column/,
    ],
    ['paths too short for the metrics', () => ['--synthetic', join(dir, 'paths.parquet')], /flag --synthetic: paths has paths of 3 steps/],
    ['reserved model name', () => ['--synthetic', `garch=${synthetic}`], /flag --synthetic: model name 'garch' is used twice or reserved/],
    [
      'reserved baseline name garch-normal',
      () => ['--synthetic', `garch-normal=${synthetic}`],
      /flag --synthetic: model name 'garch-normal' is used twice or reserved \(real, gbm, garch, garch-normal\)/,
    ],
    ['malformed fit period', () => ['--fit-period', '2001-01-01'], /flag --fit-period: expects FROM\.\.TO/],
    ['fit period of a few days', () => ['--fit-period', '2001-01-01..2001-01-10'], /flag --fit-period: .* holds \d+ returns of .*; at least 30 are needed/],
    [
      'evaluation inside the fit period',
      () => ['--fit-period', '..2002-01-01', '--eval-period', '2001-06-01..'],
      /flag --eval-period: the evaluation period starts on .* inside the fit period/,
    ],
    [
      'evaluation period too short for the scores',
      () => ['--fit-period', '..2001-12-31', '--eval-period', '2002-01-02..2002-03-30'],
      /flag --eval-period: the evaluation period holds \d+ returns; at least 150 are needed/,
    ],
    ['unparseable period bound', () => ['--fit-period', 'soon..'], /flag --fit-period: 'soon' is not a date/],
  ])('%s: exit 2, one line, nothing written', async (_name, args, message) => {
    const out = join(dir, `eval-bad-${_name.replace(/\W+/g, '-')}`);
    const base: Record<string, string> = { '--real': later, '--date-column': 'date', '--synthetic': synthetic, '--out': out };
    const a = args();
    for (let i = 0; i < a.length; i += 2) base[a[i]] = a[i + 1];
    const r = await run(['market', 'evaluate', ...Object.entries(base).flat()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test('SIGTERM or SIGINT during a long simulation leaves no temporary file, no lock and no output (the built bin)', async () => {
    const bin = fileURLToPath(new URL('../../bin/fingan.js', import.meta.url));
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const d = join(dir, `killed-${sig}`);
      mkdirSync(d);
      const out = join(d, 'paths.csv');
      const child = spawn(
        process.execPath,
        [bin, 'market', 'simulate', '--model', modelDir, '--paths', '1000000', '--horizon', '50', '--out', out, '--start-prices', '10,20', '--quiet'],
        { stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      // Wait until the temporary file is being written, then interrupt.
      while (!readdirSync(d).some((f) => f.endsWith('.tmp'))) {
        if (child.exitCode !== null) throw new Error(`the simulation ended (exit ${child.exitCode}) before it could be interrupted`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill(sig);
      expect(await exited).toBe(sig);
      expect(readdirSync(d)).toEqual([]);
    }
  });
});
