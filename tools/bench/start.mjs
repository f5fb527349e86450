// `npm start` as a new user runs it (every demo, quick mode, through the fingan bin), timed: the target is 5 minutes
// on a quiet 2-core machine. Also prints each demo's headline figures, which depend only on the seed (the same on a
// busy machine), and the load average, so a slow run on a busy machine can be told from a slow program.
// Also times the command line's own start (--version, --help, a flag error: no tfjs, wasm or polars is loaded for them;
// the target is under a second), as the median of a few runs.
// Usage: npm run build && node tools/bench/start.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'fingan-bench-start-'));
const load0 = loadavg()[0];
for (const args of [['--version'], ['--help'], ['credit', 'sample', '--rows', 'x']]) {
  const ms = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, [join(root, 'apps/cli/bin/fingan.js'), ...args], { cwd: root, encoding: 'utf8' });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'start',
      metric: 'cliStart',
      command: `fingan ${args.join(' ')}`,
      medianMs: Math.round(ms[2]),
      maxMs: Math.round(ms[4]),
      target: '< 1000 ms',
    }),
  );
}
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'apps/cli/bin/fingan.js'), 'demo', 'all', '--quick', '--quiet', '--out', out], {
  cwd: root,
  encoding: 'utf8',
});
const seconds = (Date.now() - t0) / 1000;
for (const line of r.stdout.split('\n').filter(Boolean)) console.log(JSON.stringify({ bench: 'start', ...JSON.parse(line) }));
console.log(
  JSON.stringify({
    bench: 'start',
    metric: 'npmStart',
    exitCode: r.status,
    seconds: +seconds.toFixed(1),
    target: '<= 300 s on a quiet 2-core machine',
    loadAverageBefore: +load0.toFixed(2),
    loadAverageAfter: +loadavg()[0].toFixed(2),
  }),
);
if (r.status !== 0) process.stderr.write(r.stderr);
rmSync(out, { recursive: true, force: true });
process.exit(r.status ?? 1);
