import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DivergenceError, InvalidDataError } from '@fingan/gan-core';
import { z } from 'zod';
import { defineCommand, flag, type CommandSpec } from './framework.js';
import { main, VERSION } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

const seen: Record<string, unknown>[] = [];
const fake: CommandSpec[] = [
  defineCommand({
    path: ['toy', 'run'],
    summary: 'a toy command',
    flags: {
      rows: flag
        .int('rows')
        .check(z.number().int().positive({ message: 'must be a positive integer' }))
        .required(),
      condition: flag.string('cond').repeatable(),
      fail: flag.string('how to fail'),
    },
    async run(flags) {
      seen.push(flags);
      if (flags.fail === 'data') throw new InvalidDataError('has 3 non-numeric values', { file: 'a.csv', column: 'Income' });
      if (flags.fail === 'nan') throw new DivergenceError('training diverged at step 9', 9);
      if (flags.fail === 'bug') throw new TypeError('x is undefined');
      if (flags.fail === 'oom') throw new Error('Aborted(). Build with -sASSERTIONS for more info.');
    },
  }),
];

describe('fingan CLI', () => {
  it('prints help and version with exit 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io, fake)).toBe(0);
    expect(c.out.join('')).toMatch(/Usage: fingan <command>[\s\S]*toy run\s+a toy command[\s\S]*--seed[\s\S]*--backend[\s\S]*--quiet/);
    const v = capture();
    expect(await main(['--version'], v.io, fake)).toBe(0);
    expect(v.out.join('')).toBe(`${VERSION}\n`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const h = capture();
    expect(await main(['toy', 'run', '--help'], h.io, fake)).toBe(0);
    expect(h.out.join('')).toMatch(/--rows INT\s+rows \(required\)/);
  });

  it('parses typed, repeatable and global flags', async () => {
    const c = capture();
    expect(await main(['toy', 'run', '--rows', '5', '--condition', 'a=1', '--condition=b>=2', '--seed', '7', '--quiet'], c.io, fake)).toBe(0);
    expect(seen.at(-1)).toMatchObject({ rows: 5, condition: ['a=1', 'b>=2'], seed: 7, quiet: true });
  });

  it.each([
    [['nope'], /^fingan: error: unknown command 'nope' \(see fingan --help\)\n$/],
    [['toy', 'run'], /^fingan: error: flag --rows: missing required flag for 'fingan toy run'\n$/],
    [['toy', 'run', '--rows', 'abc'], /^fingan: error: flag --rows: expects a number, got 'abc'\n$/],
    [['toy', 'run', '--rows', '2.5'], /^fingan: error: flag --rows: expects an integer, got '2.5'\n$/],
    [['toy', 'run', '--rows', '0'], /^fingan: error: flag --rows: must be a positive integer \(got '0'\)\n$/],
    [['toy', 'run', '--rows', '-3'], /^fingan: error: flag --rows: must be a positive integer \(got '-3'\)\n$/],
    [['toy', 'run', '--rows', '1', '--bogus', 'x'], /^fingan: error: flag --bogus: unknown flag for 'fingan toy run'/],
    [['toy', 'run', '--rows', '1', '--rows', '2'], /^fingan: error: flag --rows: given more than once\n$/],
    [['toy', 'run', '--rows', '1', '--fail', 'data'], /^fingan: error: file a\.csv, column 'Income': has 3 non-numeric values\n$/],
  ])('bad input %j: exit 2 and one line', async (argv, msg) => {
    const c = capture();
    const code = await main(argv as string[], c.io, fake);
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(msg);
    expect(c.err.join('').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('reports divergence and internal errors with exit 1, without a stack trace', async () => {
    const d = capture();
    expect(await main(['toy', 'run', '--rows', '1', '--fail', 'nan'], d.io, fake)).toBe(1);
    expect(d.err.join('')).toMatch(/^fingan: training diverged at step 9\n$/);
    const b = capture();
    expect(await main(['toy', 'run', '--rows', '1', '--fail', 'bug'], b.io, fake)).toBe(1);
    expect(b.err.join('')).toMatch(/^fingan: internal error: x is undefined\n\(set FINGAN_DEBUG=1 for a stack trace\)\n$/);
    expect(b.err.join('')).not.toMatch(/at .*\.ts:\d+/);
    const o = capture();
    expect(await main(['toy', 'run', '--rows', '1', '--fail', 'oom'], o.io, fake)).toBe(1);
    expect(o.err.join('')).toBe(
      'fingan: out of memory: the input or the requested size is too large for this machine; use a smaller input or lower --rows/--paths/--transactions\n',
    );
  });

  it('rejects an unknown backend through the command context', async () => {
    const cmd: CommandSpec = { path: ['bk'], summary: 'b', flags: {}, run: async (_f, ctx) => void (await ctx.backend()) };
    const c = capture();
    expect(await main(['bk', '--backend', 'quantum'], c.io, [cmd])).toBe(2);
    expect(c.err.join('')).toMatch(/^fingan: error: flag --backend: unknown backend 'quantum'; expected one of auto, wasm, tensorflow, cpu\n$/);
  });

  it('the installed bin answers --help (built by npm ci / npm run build)', () => {
    const bin = fileURLToPath(new URL('../bin/fingan.js', import.meta.url));
    const dist = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(dist), 'apps/cli/dist is missing: run npm run build').toBe(true);
    const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fingan \d+\.\d+\.\d+: generative adversarial networks/);
    expect(r.stdout).toMatch(/demo\s+run an end-to-end demo/);
    expect(r.stderr).toBe('');
  });
});
