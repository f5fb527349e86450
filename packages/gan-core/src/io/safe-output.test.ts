import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { cleanStaleTemps, runCleanups, tempSibling, trackTemp, writeFileAtomic } from './atomic.js';
import { checkInputFile } from './input.js';
import { checkMemory, formatBytes } from './limits.js';
import { claimOutput, realPathOf, writeError } from './safe-output.js';

const root = mkdtempSync(join(tmpdir(), 'fingan-safe-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `case${n++}`);
  mkdirSync(d);
  return d;
};

function refusal(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a refusal');
}

/** A pid that no process has any more: a child that already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('claimOutput', () => {
  it('refuses an existing file without force, leaves it byte-identical, and takes it with force', () => {
    const d = fresh();
    const f = join(d, 'train.csv');
    writeFileSync(f, 'a,b\n1,2\n');
    const e = refusal(() => claimOutput(f, { kind: 'file' }));
    expect(e.oneLine()).toBe(`flag --out: '${f}' already exists; pass --force to replace it`);
    expect(readFileSync(f, 'utf8')).toBe('a,b\n1,2\n');
    expect(existsSync(`${f}.lock`)).toBe(false);
    const c = claimOutput(f, { kind: 'file', force: true });
    expect(JSON.parse(readFileSync(c.lock, 'utf8'))).toMatchObject({ pid: process.pid });
    c.release();
    expect(existsSync(c.lock)).toBe(false);
  });

  it('refuses an output that is an input, even with force and through a symlink', () => {
    const d = fresh();
    const f = join(d, 'data.csv');
    writeFileSync(f, 'x\n1\n');
    symlinkSync(f, join(d, 'alias.csv'));
    for (const out of [f, join(d, 'alias.csv'), join(d, '.', 'data.csv')]) {
      const e = refusal(() => claimOutput(out, { kind: 'file', force: true, inputs: [{ path: f, flag: '--data' }] }));
      expect(e.oneLine()).toBe(`flag --out: '${out}' is the same file as --data ${f}; write the output somewhere else`);
    }
    const e = refusal(() => claimOutput(d, { kind: 'model-dir', force: true, inputs: [{ path: f, flag: '--data' }] }));
    expect(e.message).toMatch(/contains --data .*data\.csv; write the output to a directory of its own/);
    expect(readFileSync(f, 'utf8')).toBe('x\n1\n');
  });

  it('refuses an existing model directory without force and never replaces a directory that is not a model', () => {
    const d = fresh();
    const model = join(d, 'model');
    mkdirSync(model);
    writeFileSync(join(model, 'manifest.json'), '{}');
    expect(refusal(() => claimOutput(model, { kind: 'model-dir' })).message).toBe(`model directory '${model}' already exists; pass --force to replace it`);
    claimOutput(model, { kind: 'model-dir', force: true }).release();
    const home = join(d, 'home');
    mkdirSync(home);
    writeFileSync(join(home, 'thesis.tex'), 'years of work');
    expect(refusal(() => claimOutput(home, { kind: 'model-dir', force: true })).message).toMatch(
      /is a directory that is not a fingan model; it is never replaced, even with --force/,
    );
    const empty = join(d, 'empty');
    mkdirSync(empty);
    claimOutput(empty, { kind: 'model-dir' }).release(); // an empty directory is fine
  });

  it('refuses report files already in a report directory unless force', () => {
    const d = fresh();
    writeFileSync(join(d, 'metrics.json'), '{}');
    expect(refusal(() => claimOutput(d, { kind: 'report-dir', files: ['metrics.json', 'report.html'] })).message).toBe(
      `'${d}' already holds metrics.json; pass --force to replace them`,
    );
    claimOutput(d, { kind: 'report-dir', files: ['metrics.json', 'report.html'], force: true }).release();
  });

  it('refuses places that cannot hold the output, naming the flag', () => {
    const d = fresh();
    const file = join(d, 'existing-file.csv');
    writeFileSync(file, 'x\n');
    expect(refusal(() => claimOutput(join(file, 'x.csv'), { kind: 'file' })).oneLine()).toBe(
      `flag --out: cannot write '${join(file, 'x.csv')}': '${file}' is a file, not a directory`,
    );
    if (existsSync('/proc/self')) {
      expect(refusal(() => claimOutput('/proc/x.csv', { kind: 'file' })).oneLine()).toMatch(/^flag --out: cannot write '\/proc\/x\.csv': /);
      // Node's own recursive mkdir never returns on this one.
      expect(refusal(() => claimOutput('/proc/sub/x.csv', { kind: 'file' })).oneLine()).toMatch(/^flag --out: cannot write '\/proc\/sub\/x\.csv': /);
    }
    expect(refusal(() => claimOutput(d, { kind: 'file' })).oneLine()).toBe(`flag --out: '${d}' is a directory; give a file name`);
  });

  it("locks: a second writer is refused naming the lock; a dead writer's lock is taken over", () => {
    const d = fresh();
    const out = join(d, 'm');
    const first = claimOutput(out, { kind: 'model-dir' });
    const e = refusal(() => claimOutput(out, { kind: 'model-dir', flag: '--out' }));
    expect(e.oneLine()).toBe(
      `flag --out: '${out}' is being written by process ${process.pid} (lock file ${out}.lock); wait for it to finish, or delete the lock if that process is gone`,
    );
    first.release();
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: deadPid(), host: hostname(), started: 'then' }));
    const c = claimOutput(out, { kind: 'model-dir' });
    expect(JSON.parse(readFileSync(`${out}.lock`, 'utf8')).pid).toBe(process.pid);
    c.release();
  });

  it('a failed run removes the directories its claim created; runCleanups releases claims', () => {
    const d = fresh();
    const out = join(d, 'a', 'b', 'x.csv');
    claimOutput(out, { kind: 'file' }).release(true);
    expect(existsSync(join(d, 'a'))).toBe(false);
    const c = claimOutput(out, { kind: 'file' });
    expect(existsSync(c.lock)).toBe(true);
    runCleanups();
    expect(existsSync(c.lock)).toBe(false);
  });

  it('maps write errors to the flag and leaves other errors alone', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect((writeError(enospc, 'out.csv') as UsageError).oneLine()).toBe("flag --out: cannot write 'out.csv': no space left on the device (ENOSPC)");
    const bug = new TypeError('x is undefined');
    expect(writeError(bug, 'out.csv')).toBe(bug);
  });

  it('realPathOf resolves the existing part and appends the rest', () => {
    const d = fresh();
    symlinkSync(d, join(d, 'link'));
    expect(realPathOf(join(d, 'link', 'new', 'x.csv'))).toBe(join(realPathOf(d), 'new', 'x.csv'));
  });
});

describe('temporary files', () => {
  it('cleanStaleTemps removes the temps of dead processes only', () => {
    const d = fresh();
    const target = join(d, 'paths.csv');
    const dead = join(d, `.paths.csv.${deadPid()}.1700000000000.tmp`);
    const mine = join(d, `.paths.csv.${process.pid}.1700000000000.tmp`);
    const other = join(d, '.other.csv.1.2.tmp');
    for (const f of [dead, mine, other]) writeFileSync(f, 'partial');
    expect(cleanStaleTemps(target)).toBe(1);
    expect(readdirSync(d).sort()).toEqual(['.other.csv.1.2.tmp', `.paths.csv.${process.pid}.1700000000000.tmp`]);
  });

  it('tracked temps are removed by runCleanups, and writeFileAtomic leaves none', () => {
    const d = fresh();
    const tmp = tempSibling(join(d, 'x.csv'));
    writeFileSync(tmp, 'partial');
    trackTemp(tmp);
    runCleanups();
    expect(existsSync(tmp)).toBe(false);
    writeFileAtomic(join(d, 'y.csv'), 'ok');
    expect(readdirSync(d)).toEqual(['y.csv']);
  });

  it('SIGTERM and SIGINT remove the temporary file of a write in progress', async () => {
    const dist = fileURLToPath(new URL('../../dist/io/atomic.js', import.meta.url));
    expect(existsSync(dist), 'packages/gan-core/dist is missing: run npm run build').toBe(true);
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const d = fresh();
      const script = `import { cleanupOnSignals, tempSibling, trackTemp } from ${JSON.stringify(dist)};
        import { writeFileSync } from 'node:fs';
        cleanupOnSignals();
        const tmp = tempSibling(${JSON.stringify(join(d, 'big.csv'))});
        trackTemp(tmp);
        writeFileSync(tmp, 'half a file');
        process.stdout.write('ready\\n');
        setInterval(() => undefined, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect(readdirSync(d)).toHaveLength(1);
      const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill(sig);
      expect(await exited).toBe(sig);
      expect(readdirSync(d)).toEqual([]);
    }
  });
});

describe('size limits and input policy', () => {
  it('refuses 1e12 rows at once, naming the flag, the estimate and the limit', () => {
    const e = refusal(() => checkMemory({ flag: '--rows', what: '1000000000000 rows of 14 columns', bytes: 1e12 * 14 * 128 }));
    expect(e.oneLine()).toMatch(
      /^flag --rows: 1000000000000 rows of 14 columns needs about 1\.59 PB of memory; the limit is [\d.]+ [MG]B \(.*\); lower --rows$/,
    );
    checkMemory({ flag: '--rows', what: 'a few rows', bytes: 1e6 });
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12)).toBe('12 bytes');
  });

  it('checkInputFile words a missing file, a directory and an unreadable file the same way everywhere', () => {
    const d = fresh();
    expect(() => checkInputFile(join(d, 'nope.csv'))).toThrow(`file ${join(d, 'nope.csv')}: file not found`);
    expect(() => checkInputFile(d)).toThrow(`file ${d}: is a directory, not a file`);
  });
});
