// The subpath entries (`@fingan/gan-core/math`, `/stats`, ...) are the package's deliberate surface: together they
// export exactly what the main entry exports, and the light ones load neither tfjs nor nodejs-polars. Runs the built
// package (dist), as a user's `import` would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const subpaths = Object.keys(pkg.exports)
  .filter((k) => k !== '.' && k !== './package.json')
  .map((k) => k.slice(2));
const LIGHT = ['light', 'math', 'random', 'stats', 'encoders', 'report'];
const HEAVY = /@tensorflow|nodejs-polars|tfjs-backend-wasm/;

const dir = mkdtempSync(join(tmpdir(), 'fingan-subpaths-'));
const hook = join(dir, 'hook.mjs');
const register = join(dir, 'register.mjs');
writeFileSync(hook, 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`RESOLVED ${r.url}\\n`); return r; }\n');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Import `spec` in a fresh node (from the package folder, so the self-reference resolves): every module it resolves. */
function load(spec: string): { resolved: string[] } {
  const code = `await import(${JSON.stringify(spec)});`;
  const r = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', code], { cwd: pkgDir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const resolved = r.stderr.split('\n').filter((l) => l.startsWith('RESOLVED '));
  return { resolved };
}

describe('gan-core subpath entries', () => {
  it('is built', () => expect(existsSync(join(pkgDir, 'dist/index.js')), 'packages/gan-core/dist is missing: run npm run build').toBe(true));

  it('export together exactly what the main entry exports', () => {
    expect(subpaths).toEqual(expect.arrayContaining(['light', ...LIGHT, 'io', 'synth', 'privacy', 'training']));
    // One process imports every entry (the main one and each subpath) and prints their export names.
    const specs = ['@fingan/gan-core', ...subpaths.map((s) => `@fingan/gan-core/${s}`)];
    const code = `const out = {}; for (const s of ${JSON.stringify(specs)}) out[s] = Object.keys(await import(s)); console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: pkgDir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const names = JSON.parse(r.stdout) as Record<string, string[]>;
    const main = names['@fingan/gan-core'];
    const union = new Set<string>();
    for (const s of subpaths) {
      const own = names[`@fingan/gan-core/${s}`];
      expect(own.length, s).toBeGreaterThan(0);
      for (const n of own) {
        expect(main, `@fingan/gan-core/${s} exports ${n}, which the main entry does not`).toContain(n);
        union.add(n);
      }
    }
    expect(main.filter((n) => !union.has(n))).toEqual([]);
  });

  for (const s of LIGHT) {
    it(`@fingan/gan-core/${s} loads neither tfjs nor polars`, () => {
      const { resolved } = load(`@fingan/gan-core/${s}`);
      expect(resolved.some((l) => l.includes('/gan-core/dist/'))).toBe(true);
      expect(resolved.filter((l) => HEAVY.test(l))).toEqual([]);
    });
  }

  it('the io entry does load polars (the check above can fail)', () => {
    expect(load('@fingan/gan-core/io').resolved.some((l) => HEAVY.test(l))).toBe(true);
  });
});
