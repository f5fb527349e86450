// Sampling speed and memory: `fingan credit sample` of 1M rows (FINGAN_BENCH_SAMPLE_ROWS) to CSV and to Parquet from a
// default fit on 700 complete rows of the bundled credit book, each timed as a whole process (wall, CPU-seconds of
// all its threads, peak RSS); and, when the peer is set up (../shared/peers, see its README), CTGAN's
// `sample(N).to_csv(...)` after its default fit on the same rows, in the same run, with the ratio. Targets: peak RSS
// under 600 MiB whatever the row count; wall time under CTGAN's. Prints JSON lines; no assertion on time.
// Usage: npm run build && node tools/bench/sample.mjs        (FINGAN_BENCH_SAMPLE_ROWS=100000 for a shorter run)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'apps/cli/bin/fingan.js');
const rows = Number(process.env.FINGAN_BENCH_SAMPLE_ROWS ?? 1_000_000);
const peers = process.env.FINGAN_PEERS ?? join(root, '../shared/peers');
const peerPython = process.env.FINGAN_PEER_PYTHON ?? '/tmp/fingan-peer-venv/bin/python';
const dir = mkdtempSync(join(tmpdir(), 'fingan-bench-sample-'));
const TIME = '/usr/bin/time';
const base = { bench: 'sample', rows, cores: cpus().length };

/** Run a command as a whole process: wall seconds, CPU seconds (user + system, all threads) and peak RSS (MiB). */
function measure(cmd, args, opts = {}) {
  const load = loadavg()[0];
  const t0 = process.hrtime.bigint();
  const timed = existsSync(TIME);
  const r = timed
    ? spawnSync(TIME, ['-f', 'FINGAN_TIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /FINGAN_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0) process.stderr.write(r.stderr ?? '');
  return {
    exitCode: r.status,
    stdout: r.stdout,
    wallSeconds: +wall.toFixed(2),
    cpuSeconds: m ? +(Number(m[2]) + Number(m[3])).toFixed(2) : null,
    peakRssMiB: m ? Math.round(Number(m[4]) / 1024) : null,
    loadAverageBefore: +load.toFixed(2),
  };
}

// 700 complete rows (CTGAN refuses empty numeric cells) of the credit book: the training set of both.
const lines = readFileSync(join(root, 'data/credit_scoring_modeldata.csv'), 'utf8').trim().split('\n');
const complete = lines.slice(1).filter((l) => !/(^|,)(,|$)/.test(l));
const train = join(dir, 'train.csv');
writeFileSync(train, [lines[0], ...complete.slice(0, 700)].join('\n') + '\n');
const model = join(dir, 'model');
const fit = measure(process.execPath, [bin, 'credit', 'fit', '--data', train, '--target', 'Status', '--out', model, '--quiet']);
console.log(JSON.stringify({ ...base, metric: 'fingan credit fit (default, 700 rows)', ...fit, stdout: undefined }));

const results = {};
for (const ext of ['csv', 'parquet']) {
  const out = join(dir, `synthetic.${ext}`);
  const r = measure(process.execPath, [bin, 'credit', 'sample', '--model', model, '--rows', String(rows), '--out', out, '--seed', '1', '--quiet']);
  const report = r.exitCode === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : null;
  results[ext] = r;
  console.log(
    JSON.stringify({
      ...base,
      metric: `fingan credit sample -> ${ext}`,
      ...r,
      stdout: undefined,
      workers: report?.workers,
      generated: report?.generated,
      bytes: existsSync(out) ? statSync(out).size : null,
      rowsPerCpuSecond: r.cpuSeconds ? Math.round(rows / r.cpuSeconds) : null,
      target: 'peak RSS < 600 MiB; wall < CTGAN sample to CSV',
    }),
  );
  rmSync(out, { force: true });
}

const script = join(peers, 'ctgan_run.py');
if (existsSync(script) && existsSync(peerPython)) {
  const env = { ...process.env, PYTHONPATH: [join(peers, 'vendor/ctgan-src'), join(peers, 'vendor/rdt-src')].join(':') };
  const r = measure(peerPython, [script, train, join(dir, 'ctgan.csv'), '1', String(rows)], { env });
  const peer = r.exitCode === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : null;
  console.log(JSON.stringify({ ...base, metric: 'CTGAN fit + sample -> csv (peer, 1 torch thread)', ...r, stdout: undefined, peer }));
  if (peer) {
    console.log(
      JSON.stringify({
        ...base,
        metric: 'ratio fingan / CTGAN, sample to csv',
        finganWallSeconds: results.csv.wallSeconds,
        ctganSampleSeconds: peer.sampleS,
        wallRatio: +(results.csv.wallSeconds / peer.sampleS).toFixed(2),
        finganPeakRssMiB: results.csv.peakRssMiB,
        ctganPeakRssMiB: peer.maxrssMiB,
        note: "fingan's wall is its whole process (start, model load, sampling, writing); CTGAN's is sample() + to_csv() inside its process",
      }),
    );
  }
} else {
  console.log(JSON.stringify({ ...base, metric: 'CTGAN', skipped: `peer not set up (${script}, ${peerPython}); see ${join(peers, 'README.md')}` }));
}
rmSync(dir, { recursive: true, force: true });
