// `fingan --help`, `--version` and flag errors answer without loading tfjs, its wasm backend or nodejs-polars: the
// bin runs with a module-resolution hook that names every module it resolves, and none of them may be heavy. (No
// timing here: the start time is measured by tools/bench/start.mjs.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/fingan.js', import.meta.url));
const dist = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fingan-lazy-'));
const hook = join(dir, 'hook.mjs');
const register = join(dir, 'register.mjs');
writeFileSync(hook, 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`RESOLVED ${r.url}\\n`); return r; }\n');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; resolved: string[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', register, bin, ...args], { encoding: 'utf8' });
  const lines = r.stderr.split('\n');
  return {
    status: r.status,
    stdout: r.stdout,
    resolved: lines.filter((l) => l.startsWith('RESOLVED ')),
    stderr: lines.filter((l) => !l.startsWith('RESOLVED ')).join('\n'),
  };
}

const HEAVY = /@tensorflow|nodejs-polars|tfjs-backend-wasm/;

describe('the CLI starts without its heavy modules', () => {
  it('is built', () => expect(existsSync(dist), 'apps/cli/dist is missing: run npm run build').toBe(true));

  for (const [args, status] of [
    [['--version'], 0],
    [['--help'], 0],
    [['credit', 'sample', '--help'], 0],
    [['market', 'simulate', '--help'], 0],
    [['demo', '--help'], 0],
    [['credit', 'sample', '--rows', 'many'], 2],
    [['mining', 'fit', '--nope'], 2],
  ] as const) {
    it(`fingan ${args.join(' ')}`, () => {
      const r = run([...args]);
      expect(r.status).toBe(status);
      // The hook saw the CLI's own modules (it works) and none of the heavy ones.
      expect(r.resolved.some((l) => l.includes('/dist/main.js'))).toBe(true);
      expect(r.resolved.filter((l) => HEAVY.test(l))).toEqual([]);
      if (status === 2) expect(r.stderr).toMatch(/^fingan: error: .*--(rows|nope)/m);
    });
  }

  it('does load them when a command runs', () => {
    const r = run(['credit', 'sample', '--model', join(dir, 'no-model'), '--rows', '5', '--out', join(dir, 'x.csv')]);
    expect(r.status).not.toBe(0);
    expect(r.resolved.some((l) => HEAVY.test(l))).toBe(true);
  });
});
