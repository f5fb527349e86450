#!/usr/bin/env node
// `npm run bench`: run every benchmark script (tools/bench/*.mjs and packages/*/bench/*.mjs) one after another in
// its own process, so each one's peak RSS is its own. Each script prints JSON lines; this runner passes them through
// and adds one line per script with its exit code and wall time. Usage: npm run bench [-- NAME_FILTER]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const filter = process.argv[2] ?? '';
const scripts = [];
for (const f of readdirSync(join(root, 'tools/bench')).sort()) if (f.endsWith('.mjs') && f !== 'run.mjs') scripts.push(join(root, 'tools/bench', f));
for (const p of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', p, 'bench');
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (f.endsWith('.mjs')) scripts.push(join(dir, f));
}
if (!existsSync(join(root, 'packages/gan-core/dist/index.js'))) {
  console.error('bench: the packages are not built; run `npm run build` first');
  process.exit(2);
}
let failed = 0;
for (const s of scripts) {
  const name = relative(root, s);
  if (filter && !name.includes(filter)) continue;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [s], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) failed++;
  console.log(JSON.stringify({ bench: name, exitCode: r.status, wallSeconds: +((Date.now() - t0) / 1000).toFixed(1) }));
}
process.exit(failed ? 1 : 0);
