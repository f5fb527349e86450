/**
 * `--resume`: a fit killed with SIGKILL continues from its checkpoint and gives the same weights, byte for byte, as
 * an uninterrupted run with the same seed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main } from './main.js';
import { runCli as run } from './test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = readFileSync(new URL('../../../data/credit_scoring_modeldata.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const train = join(dir, 'train.csv');
writeFileSync(train, LINES.slice(0, 301).join('\n') + '\n');
// 300 rows: 2 generator steps an epoch, so 6 steps, a checkpoint after each.
const fit = (out: string, ...more: string[]) => [
  'credit',
  'fit',
  '--data',
  train,
  '--target',
  'Status',
  '--out',
  out,
  '--epochs',
  '3',
  '--checkpoint-every',
  '1',
  ...(more.includes('--seed') ? [] : ['--seed', '5']),
  ...more,
];

describe('fingan credit fit --resume', () => {
  test('a killed fit resumed from its checkpoint gives the uninterrupted model, byte for byte', async () => {
    const whole = join(dir, 'whole');
    const r = await run(fit(whole));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(`${whole}.checkpoint`)).toBe(false); // a finished fit removes its checkpoint

    const killed = join(dir, 'killed');
    const bin = fileURLToPath(new URL('../bin/fingan.js', import.meta.url));
    const child = spawn(process.execPath, [bin, ...fit(killed), '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, signal) => resolve(signal)));
    const pointer = join(`${killed}.checkpoint`, 'checkpoint.json');
    const step = () => (existsSync(pointer) ? (JSON.parse(readFileSync(pointer, 'utf8')) as { step: number }).step : 0);
    while (step() < 2) {
      if (child.exitCode !== null) throw new Error(`the fit ended (exit ${child.exitCode}) before it could be killed`);
      await new Promise((res) => setTimeout(res, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(killed)).toBe(false);
    const killedAt = step();
    expect(killedAt).toBeLessThan(6);

    // Another seed is another run: refused, the checkpoint kept.
    const other = await run(fit(killed, '--resume', '--seed', '6'));
    expect(other.code).toBe(2);
    expect(other.err).toBe(
      `fingan: error: flag --resume: the checkpoint in ${killed}.checkpoint is of a run with other data or flags; give the same ones, or run without --resume to start over\n`,
    );

    // Not quiet, to see that it resumed (a fresh start would give the same bytes too).
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (logged.push(String(s)), true));
    let code: number;
    try {
      code = await main(fit(killed, '--resume'), { out: () => undefined, err: (s) => void logged.push(`ERR ${s}`) });
    } finally {
      spy.mockRestore();
    }
    expect(logged.filter((l) => l.startsWith('ERR'))).toEqual([]);
    expect(code).toBe(0);
    expect(logged.join('')).toMatch(new RegExp(`resuming from the checkpoint at step ${killedAt}\\n`));
    for (const f of ['weights.bin', 'model.json', 'state.json']) expect(readFileSync(join(killed, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith('killed') || f.startsWith('whole'))
        .sort(),
    ).toEqual(['killed', 'whole']); // no checkpoint, lock or temp left
  });

  test('--resume without a checkpoint is exit 2 naming --resume', async () => {
    const out = join(dir, 'never');
    const r = await run(fit(out, '--resume'));
    expect(r.err).toBe(`fingan: error: flag --resume: there is no checkpoint to resume in ${out}.checkpoint; run without --resume\n`);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('fingan market fit --resume', () => {
  // The kill-and-resume equality is tested on the library with a tiny network (recurrent-gan.test.ts); here, the flag.
  test('--resume without a checkpoint is exit 2 naming --resume, and nothing is written', async () => {
    const SP = readFileSync(new URL('../../../data/sp500_ohlcv_daily_2000_2020.csv', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    const sub = join(dir, 'market');
    mkdirSync(sub);
    const prices = join(sub, 'sp.csv');
    writeFileSync(
      prices,
      [
        'date,close',
        ...SP.slice(1, 301)
          .map((l) => l.split(','))
          .map((f) => [f[0], f[4]].join(',')),
      ].join('\n') + '\n',
    );
    const out = join(sub, 'model');
    const r = await run(['market', 'fit', '--data', prices, '--date-column', 'date', '--columns', 'close', '--out', out, '--resume']);
    expect(r.err).toBe(`fingan: error: flag --resume: there is no checkpoint to resume in ${out}.checkpoint; run without --resume\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(sub)).toEqual(['sp.csv']);
  });
});
