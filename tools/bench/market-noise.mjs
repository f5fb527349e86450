// market-timeseries: the GAN's innovation noise, selected on the fit period (issue 14, item 2). For each bundled data
// set and each noise setting (Student-t with nu = 5, the default; nu = 3, heavier; Gaussian, lighter), the bench
// protocol of market.mjs (seed 0, 200 paths, paths start at the end of the fit period) without backtests: one JSON line
// with the GAN's metric row on the fit period (in sample: what the setting is chosen on) and on the evaluation period,
// and its verdicts there. Every figure is the same on a busy or an idle machine (fixed steps, fixed seeds).
// Usage: npm run build && node tools/bench/market-noise.mjs   (six GAN fits, about 25 minutes on 2 busy cores;
// MARKET_BENCH_ONLY=dow5 for one set, MARKET_NOISE=3 for one setting: 5, 3 or normal)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, initBackend } from '@fingan/gan-core';
import { DATASETS, runDataset } from '@fingan/market-demo';

const backend = await initBackend({ backend: process.env.FINGAN_BACKEND ?? 'wasm' });
const round = (v) => (typeof v === 'number' ? +v.toPrecision(4) : v);
const KEYS = ['wasserstein', 'excessKurtosis', 'acfAbsMae', 'acfMae', 'leverageMae', 'corrMatrixError', 'discriminativeScore'];
const SETTINGS = { 5: 5, 3: 3, normal: null };
const only = process.env.MARKET_BENCH_ONLY;
const noise = process.env.MARKET_NOISE;
const out = mkdtempSync(join(tmpdir(), 'fingan-bench-market-noise-'));
try {
  for (const spec of DATASETS.filter((d) => !only || d.key === only)) {
    for (const [label, noiseNu] of Object.entries(SETTINGS).filter(([l]) => !noise || l === noise)) {
      const res = await runDataset(spec, { out, seed: 0, log: createLogger({ quiet: true }), gan: { noiseNu }, paths: 200, inSample: true, backtestPaths: 0 });
      const row = (rows) => {
        const r = rows.find((x) => x.model === 'gan');
        return Object.fromEntries(KEYS.map((k) => [k, round(r[k])]));
      };
      const realKurtosis = (rows) => round(rows.find((x) => x.model === 'real').excessKurtosis);
      console.log(
        JSON.stringify({
          bench: 'market-noise',
          backend: backend.name,
          dataset: spec.key,
          noise: label,
          fitPeriod: { realExcessKurtosis: realKurtosis(res.rowsInSample), gan: row(res.rowsInSample) },
          evaluation: { realExcessKurtosis: realKurtosis(res.rows), gan: row(res.rows), discriminativeFromToday: round(res.discriminativeFromToday.gan) },
          verdicts: Object.fromEntries(res.verdicts.map((v) => [v.fact, v.models.gan])),
        }),
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
